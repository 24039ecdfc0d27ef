// The hindsight command line: users, tokens, backup and restore.
import { parseArgs } from "node:util";

import { backup, restore } from "./backup";
import { createToken, createUserCommand } from "./accounts";
import { CommandError, UsageError } from "./errors";
import { importFiles } from "./import";
import { lintFiles } from "./lint";

const HELP = `Usage: npx hindsight <command>

  user create --email E --name N --role viewer|editor|admin
        Adds a user. The password is read from standard input when it is piped
        (echo 'secret' | npx hindsight user create ...); otherwise one is generated and printed.
  token create --name N --scope read|write|ingest
        Creates an API token and prints it once.
  backup FILE [--force]
        Writes a consistent copy of the live database to FILE (safe while the server runs).
  restore FILE
        Replaces the database with FILE after checking its integrity. Refuses while the server runs.
  import FILE... [--dry-run] [--json] [--zone Z]
        Reads Markdown postmortems into incidents. --dry-run shows what would be read;
        --json prints it as the API's JSON; --zone is the zone of documents that name none (default UTC).

  lint FILE... [--zone Z] [--json]
        The review checklist of Markdown postmortems; exits 1 when a check fails.

The database is DATABASE_PATH (default ./data/hindsight.db).`;

export async function main(argv: string[]): Promise<number> {
  try {
    const [command, subcommand] = argv;
    if (!command || command === "help" || command === "--help" || command === "-h") {
      console.log(HELP);
      return command ? 0 : 2;
    }
    if (command === "user" && subcommand === "create") {
      const { values } = parse(argv.slice(2), { email: { type: "string" }, name: { type: "string" }, role: { type: "string" } });
      await createUserCommand(values);
      return 0;
    }
    if (command === "token" && subcommand === "create") {
      const { values } = parse(argv.slice(2), { name: { type: "string" }, scope: { type: "string" } });
      createToken(values);
      return 0;
    }
    if (command === "backup") {
      const { values, positionals } = parse(argv.slice(1), { force: { type: "boolean" } }, true);
      if (positionals.length !== 1) throw new UsageError("backup takes one FILE: npx hindsight backup backups/hindsight-2024-06-09.db");
      await backup(positionals[0], { force: Boolean(values.force) });
      return 0;
    }
    if (command === "import") {
      const { values, positionals } = parse(argv.slice(1), { "dry-run": { type: "boolean" }, json: { type: "boolean" }, zone: { type: "string" } }, true);
      importFiles(positionals, { dryRun: Boolean(values["dry-run"]), json: Boolean(values.json), zone: values.zone as string | undefined });
      return 0;
    }
    if (command === "lint") {
      const { values, positionals } = parse(argv.slice(1), { zone: { type: "string" }, json: { type: "boolean" } }, true);
      lintFiles(positionals, { zone: values.zone as string | undefined, json: Boolean(values.json) });
      return 0;
    }
    if (command === "restore") {
      const { positionals } = parse(argv.slice(1), {}, true);
      if (positionals.length !== 1) throw new UsageError("restore takes one FILE: npx hindsight restore backups/hindsight-2024-06-09.db");
      restore(positionals[0]);
      return 0;
    }
    throw new UsageError(`Unknown command "${argv.join(" ")}". Run npx hindsight help.`);
  } catch (error) {
    if (error instanceof UsageError || (error as Error)?.name === "ConfigError") {
      console.error(`hindsight: ${(error as Error).message}`);
      return 2;
    }
    if (error instanceof CommandError) {
      console.error(`hindsight: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

type Options = Parameters<typeof parseArgs>[0] extends infer T ? (T extends { options?: infer O } ? O : never) : never;

function parse(args: string[], options: NonNullable<Options>, allowPositionals = false) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
