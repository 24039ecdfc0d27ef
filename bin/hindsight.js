#!/usr/bin/env node
// `npx hindsight ...`: the CLI runs the app's own TypeScript through tsx, so it
// shares models and validation with the server instead of copying them.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { register } from "tsx/esm/api";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
register({ tsconfig: path.join(root, "tsconfig.json") });
const { main } = await import(pathToFileURL(path.join(root, "app", "cli", "main.ts")).href);
process.exitCode = await main(process.argv.slice(2));
