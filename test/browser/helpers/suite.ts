/**
 * Per-file setup for browser tests: one Chromium per test file, one static
 * server per isolation mode, each closed after the file's tests.
 */
import { afterAll, beforeAll, vi } from "vitest";
import type { Browser, BrowserContext } from "playwright-core";
import { launchChromium } from "./chromium.js";
import { startStaticServer, type StaticServer, type StaticServerOptions } from "./static-server.js";

/** Per-test time limit in browser test files: a first visit makes the interpreter snapshot, slow on a busy machine. */
export const browserTestTimeoutMs = 240_000;

/**
 * Launch one browser for this test file; the getter returns it inside tests.
 * Also raises the file's test and hook time limits to `browserTestTimeoutMs`.
 */
export function useBrowser(): () => Browser {
  vi.setConfig({ testTimeout: browserTestTimeoutMs, hookTimeout: browserTestTimeoutMs });
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error("the browser is not running: call useBrowser() at the top of the test file");
    return browser;
  };
}

/** Serve the built site (or `options.root`) for this test file; the getter returns the server inside tests. */
export function useServer(options: StaticServerOptions): () => StaticServer {
  let server: StaticServer | undefined;
  beforeAll(async () => {
    server = await startStaticServer(options);
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error("the server is not running: call useServer() at the top of the test file");
    return server;
  };
}

/** A fresh context (empty profile: no IndexedDB, no HTTP cache) at a given viewport; close it in the test. */
export async function newContext(browser: Browser, viewport = { width: 1280, height: 900 }): Promise<BrowserContext> {
  return browser.newContext({ viewport });
}
