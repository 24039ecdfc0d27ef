// Real Chromium (Debian's /usr/bin/chromium) through playwright-core. Where it is
// missing, browser tests skip with a printed reason, except in CI, where they fail.
import fs from "node:fs";

import { chromium, type Browser } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function browserAvailability(): { available: true } | { available: false; reason: string } {
  if (fs.existsSync(CHROMIUM_PATH)) return { available: true };
  const reason = `Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium)`;
  if (process.env.CI) throw new Error(`${reason}: browser tests are required in CI`);
  console.warn(`Skipping browser tests: ${reason}`);
  return { available: false, reason };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}
