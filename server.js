// Production server: Express serving the Remix build. `npm start` builds, then runs this.
import path from "node:path";
import { fileURLToPath } from "node:url";

import { createRequestHandler } from "@remix-run/express";
import { installGlobals } from "@remix-run/node";
import express from "express";

installGlobals();

const root = path.dirname(fileURLToPath(import.meta.url));
const build = await import(path.join(root, "build", "index.js"));

let settings;
try {
  settings = build.entry.module.boot();
} catch (error) {
  if (error?.name === "ConfigError") {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const app = express();
app.disable("x-powered-by");
app.use("/build", express.static(path.join(root, "public", "build"), { immutable: true, maxAge: "1y" }));
app.use(express.static(path.join(root, "public"), { maxAge: "1h" }));
app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV ?? "production" }));

const server = app.listen(settings.port, settings.host, () => {
  const shown = settings.host === "0.0.0.0" || settings.host === "127.0.0.1" ? "localhost" : settings.host;
  console.log(`Hindsight listening on http://${shown}:${server.address().port} (database ${settings.databasePath})`);
  if (settings.exampleIncidentId) console.log(`Loaded the example incident #${settings.exampleIncidentId}`);
});

server.on("error", (error) => {
  if (error.code === "EADDRINUSE") {
    console.error(`Port ${settings.port} is already in use on ${settings.host}: stop the other process or set PORT to another port.`);
  } else if (error.code === "EACCES") {
    console.error(`Not allowed to listen on port ${settings.port}: use a port above 1023 or run with the needed rights.`);
  } else {
    console.error(error);
  }
  process.exit(1);
});

function shutdown(signal) {
  console.log(`${signal}: closing`);
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 3_000).unref();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
