/**
 * Launching the system Chromium for the browser tests and the browser bench.
 * No browser can be downloaded here, so playwright-core drives Debian's
 * `chromium` (`/usr/bin/chromium`, or the binary named by `FASTEST_CHROMIUM`).
 */
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** The Chromium binary the browser tests launch. */
export const chromiumPath = process.env["FASTEST_CHROMIUM"] ?? "/usr/bin/chromium";

/** Flags for a quiet, reproducible headless browser that talks to nothing but the test server. */
export const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/**
 * Start a headless Chromium. Share one per test file (`beforeAll`/`afterAll`)
 * and give each test its own `browser.newContext()`: a new context starts
 * with an empty profile (no IndexedDB, no cache), like a first visit.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}: install Debian's chromium (\`apt-get install chromium\`) ` +
        "or point FASTEST_CHROMIUM at a Chromium binary.",
    );
  }
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}
