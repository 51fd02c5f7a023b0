/**
 * Collects what goes wrong inside a page (uncaught exceptions, console
 * errors, crashes) so a browser test fails on them instead of passing over a
 * page that threw.
 */
import type { Page } from "playwright-core";

export interface PageWatch {
  /** Uncaught exceptions and unhandled rejections of the page and its workers. */
  pageErrors: string[];
  /** `console.error` messages (and failed resource loads Chromium reports there). */
  consoleErrors: string[];
  /** Every console message, `type: text`, for failure messages. */
  consoleLog: string[];
  /**
   * Throw when the page had an uncaught error or crashed. Console errors
   * count too, unless they match one of `allowedConsole` (a page may log an
   * expected error, e.g. a rejected share link).
   */
  assertClean(allowedConsole?: RegExp[]): void;
}

/** Start watching `page`; call right after `context.newPage()`, before `goto`. */
export function watchPage(page: Page): PageWatch {
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  const consoleLog: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.stack ?? String(error)));
  page.on("crash", () => pageErrors.push("the page crashed"));
  page.on("console", (message) => {
    consoleLog.push(`${message.type()}: ${message.text()}`);
    if (message.type() !== "error") return;
    // Chromium asks for /favicon.ico on its own; a site without one is fine.
    if (message.location().url.endsWith("/favicon.ico")) return;
    const where = message.location().url;
    consoleErrors.push(/^Failed to load resource/.test(message.text()) && where ? `${message.text()}: ${where}` : message.text());
  });
  page.on("worker", (worker) => {
    worker.on("console", (message) => {
      consoleLog.push(`worker ${message.type()}: ${message.text()}`);
      if (message.type() === "error") consoleErrors.push(`worker: ${message.text()}`);
    });
  });
  return {
    pageErrors,
    consoleErrors,
    consoleLog,
    assertClean(allowedConsole: RegExp[] = []) {
      const unexpected = consoleErrors.filter((text) => !allowedConsole.some((pattern) => pattern.test(text)));
      if (pageErrors.length > 0 || unexpected.length > 0) {
        throw new Error(
          [
            ...pageErrors.map((text) => `uncaught page error: ${text}`),
            ...unexpected.map((text) => `console error: ${text}`),
          ].join("\n"),
        );
      }
    },
  };
}
