/**
 * The browser test helpers themselves, on a small site of their own: the
 * static server's MIME types and isolation headers as Chromium sees them,
 * path handling, page-error collection and screenshots.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { newContext, screenshot, startStaticServer, useBrowser, useServer, watchPage } from "./helpers/index.js";

const root = mkdtempSync(path.join(os.tmpdir(), "fastest-browser-infra-"));
writeFileSync(path.join(root, "index.html"), "<!doctype html><title>infra</title><button id=boom onclick=\"throw new Error('boom from the page')\">boom</button>");
// The smallest valid WebAssembly module: magic number and version.
writeFileSync(path.join(root, "empty.wasm"), new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
writeFileSync(path.join(root, "data.json"), JSON.stringify({ ok: true }));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const browser = useBrowser();

describe.each([
  { isolated: true, name: "with COOP/COEP" },
  { isolated: false, name: "without COOP/COEP" },
])("static server $name", ({ isolated }) => {
  const server = useServer({ root, isolated });

  it(`makes the page ${isolated ? "" : "not "}cross-origin isolated and serves .wasm for streaming compilation`, async () => {
    const context = await newContext(browser());
    try {
      const page = await context.newPage();
      const watch = watchPage(page);
      await page.goto(server().url);
      const seen = await page.evaluate(async () => {
        const module = await WebAssembly.compileStreaming(fetch("empty.wasm"));
        const json = (await (await fetch("data.json")).json()) as { ok: boolean };
        return { isolated: crossOriginIsolated, sab: typeof SharedArrayBuffer, wasm: module instanceof WebAssembly.Module, json: json.ok };
      });
      expect(seen).toEqual({ isolated, sab: isolated ? "function" : "undefined", wasm: true, json: true });
      watch.assertClean();
    } finally {
      await context.close();
    }
  });
});

describe("static server paths", () => {
  const server = useServer({ root, isolated: false });

  const get = (pathname: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; type: string | undefined; etag: string | undefined }>((resolve, reject) => {
      // A raw request: browsers would normalise `..` away before sending it.
      http
        .get(`${server().url.replace(/\/$/, "")}${pathname}`, { headers }, (response) => {
          response.resume();
          resolve({ status: response.statusCode ?? 0, type: response.headers["content-type"], etag: response.headers.etag });
        })
        .on("error", reject);
    });

  it("answers 404 for missing files and for paths leading out of the root", async () => {
    expect(await get("/")).toMatchObject({ status: 200, type: "text/html; charset=utf-8" });
    expect(await get("/empty.wasm")).toMatchObject({ status: 200, type: "application/wasm" });
    expect((await get("/missing.js")).status).toBe(404);
    expect((await get("/../../etc/passwd")).status).toBe(404);
    expect((await get("/%2e%2e/%2e%2e/etc/passwd")).status).toBe(404);
  });

  it("answers a revalidation of an unchanged file with 304, as a static host does", async () => {
    const first = await get("/data.json");
    expect(first.etag).toMatch(/^W\/"/);
    expect((await get("/data.json", { "If-None-Match": first.etag! })).status).toBe(304);
    expect((await get("/data.json", { "If-None-Match": 'W/"other"' })).status).toBe(200);
  });

  it("refuses to start without a built site, saying how to build it", async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), "fastest-browser-empty-"));
    try {
      await expect(startStaticServer({ root: empty, isolated: false })).rejects.toThrow(/npm run build/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe("page watch and screenshots", () => {
  const server = useServer({ root, isolated: false });

  it("reports an uncaught page error and saves a screenshot", async () => {
    const context = await newContext(browser());
    try {
      const page = await context.newPage();
      const watch = watchPage(page);
      await page.goto(server().url);
      watch.assertClean();
      await page.click("#boom");
      await expect.poll(() => watch.pageErrors.length).toBe(1);
      expect(() => watch.assertClean()).toThrow(/boom from the page/);
      const file = await screenshot(page, "infrastructure self-test");
      expect(path.basename(file)).toBe("infrastructure-self-test.png");
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file).subarray(1, 4).toString()).toBe("PNG");
    } finally {
      await context.close();
    }
  });
});
