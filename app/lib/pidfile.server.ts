import fs from "node:fs";

// The server writes its pid beside the database, so `hindsight restore` can
// refuse to replace a database that a running server has open.

export function pidFilePath(databasePath: string): string {
  return `${databasePath}.pid`;
}

export function claimPidFile(databasePath: string): () => void {
  const file = pidFilePath(databasePath);
  fs.writeFileSync(file, `${process.pid}\n`);
  return () => {
    try {
      if (fs.readFileSync(file, "utf8").trim() === String(process.pid)) fs.unlinkSync(file);
    } catch {
      // Already gone.
    }
  };
}

/** The pid of a live server using this database, or null (a pid file left by a killed server is ignored). */
export function runningServerPid(databasePath: string): number | null {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidFilePath(databasePath), "utf8").trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM" ? pid : null;
  }
}
