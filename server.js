// Production server: Express serving the Remix build. `npm start` builds, then runs this.
// Every request to a page or API route passes the gate (app/auth/gate.server.ts) first.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { createRequestHandler } from "@remix-run/express";
import { installGlobals } from "@remix-run/node";
import express from "express";

installGlobals();
// React and Remix pick their production builds from NODE_ENV; `npm start` must not serve development React.
process.env.NODE_ENV ??= "production";

const root = path.dirname(fileURLToPath(import.meta.url));
const build = await import(path.join(root, "build", "index.js"));
const { boot, gate } = build.entry.module;

let settings;
try {
  settings = boot();
} catch (error) {
  if (error?.name === "ConfigError") {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const app = express();
app.disable("x-powered-by");
if (settings.trustProxy) app.set("trust proxy", true);

app.use((req, res, next) => {
  const nonce = randomBytes(16).toString("base64");
  res.locals.nonce = nonce;
  res.setHeader(
    "Content-Security-Policy",
    [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'`,
      "style-src 'self'",
      "img-src 'self' https:",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join("; "),
  );
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("X-Frame-Options", "DENY");
  next();
});

// Forms and API bodies are small; refuse anything large before it is read into memory.
const MAX_BODY_BYTES = 6 * 1024 * 1024;
app.use((req, res, next) => {
  if (Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES) {
    res.status(413).json({ errors: { body: "Request body is larger than 6 MB" } });
    return;
  }
  next();
});

app.use("/build", express.static(path.join(root, "public", "build"), { immutable: true, maxAge: "1y" }));
app.use(express.static(path.join(root, "public"), { maxAge: "1h" }));

app.use(async (req, res, next) => {
  try {
    const decision = await gate({
      method: req.method,
      url: req.originalUrl,
      cookie: req.headers.cookie ?? null,
      authorization: req.headers.authorization ?? null,
    });
    if (decision.type === "respond") {
      res.status(decision.status).set(decision.headers).send(decision.body);
      return;
    }
    res.locals.actor = decision.actor;
    next();
  } catch (error) {
    next(error);
  }
});

app.all(
  "*",
  createRequestHandler({
    build,
    mode: process.env.NODE_ENV ?? "production",
    getLoadContext: (req, res) => ({ actor: res.locals.actor ?? null, nonce: res.locals.nonce, address: req.ip ?? "unknown" }),
  }),
);

const server = app.listen(settings.port, settings.host, async () => {
  const shown = settings.host === "0.0.0.0" || settings.host === "127.0.0.1" ? "localhost" : settings.host;
  console.log(`Hindsight listening on http://${shown}:${server.address().port} (database ${settings.databasePath})`);
  if (settings.exampleIncidentId) console.log(`Loaded the example incident #${settings.exampleIncidentId}`);
  if (settings.needsSetup) console.log(`No users yet: open http://${shown}:${server.address().port}/setup to create the first admin`);
  // Under `npm run dev`, tell remix dev the server is up (it restarts this process on every rebuild).
  if (process.env.NODE_ENV === "development") {
    const { broadcastDevReady } = await import("@remix-run/node");
    await broadcastDevReady(build);
  }
});

server.on("error", (error) => {
  if (error.code === "EADDRINUSE") {
    console.error(`Port ${settings.port} is already in use on ${settings.host}: stop the other process or set PORT to another port.`);
  } else if (error.code === "ENOTFOUND" || error.code === "EADDRNOTAVAIL") {
    console.error(`Cannot listen on HOST=${settings.host}: it is not an address of this machine. Use 127.0.0.1, 0.0.0.0 or one of this machine's addresses.`);
  } else if (error.code === "EACCES") {
    console.error(`Not allowed to listen on port ${settings.port}: use a port above 1023 or run with the needed rights.`);
  } else {
    console.error(error);
  }
  process.exit(1);
});

process.on("exit", () => settings.release());

function shutdown(signal) {
  console.log(`${signal}: closing`);
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 3_000).unref();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
