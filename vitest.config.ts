import path from "node:path";

import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "~": path.resolve(import.meta.dirname, "app") } },
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup/temp-database.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Browser and server tests start processes of their own; two cores do not gain from more.
    maxWorkers: 2,
  },
});
