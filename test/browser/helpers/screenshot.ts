/** Screenshots saved as test artifacts, to look at after a run. */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { repoRoot } from "../../helpers/run-cli.js";

/** Where screenshots go (ignored by git; CI may keep the folder as an artifact). */
export const screenshotDir = path.join(repoRoot, "test-results", "screenshots");

/** Save a full-page PNG as `test-results/screenshots/<name>.png` and return its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name.replace(/[^\w.-]+/g, "-")}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
