/**
 * The share-link module (web/share) inside Chromium, on a blank page: links
 * made by Node open in the browser and links made by the browser open in
 * Node (two deflate implementations), and a deflate bomb is refused without
 * the browser's decompressor filling memory. Chromium's DecompressionStream
 * inflates each input chunk whole before it is read, which Node's does not,
 * so this can only be checked here.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { deflateRawSync, constants as zlibConstants } from "node:zlib";
import type { Page } from "playwright-core";
import { build, type Rolldown } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { base64urlEncode, decodeShareFragment, type SharePayload } from "../../web/share/index.js";
import { newContext, useBrowser } from "./helpers/index.js";

const fixtures = path.join(import.meta.dirname, "..", "fixtures", "share-links");
const goldenLink = readFileSync(path.join(fixtures, "v1-failing-run.link"), "utf8").trim();
const goldenPayload = JSON.parse(readFileSync(path.join(fixtures, "v1-failing-run.json"), "utf8")) as SharePayload;

/** web/share bundled as one classic script that sets `window.share`. */
async function bundleShareModule(): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: "silent",
    build: { write: false, minify: false, lib: { entry: path.join(import.meta.dirname, "..", "..", "web", "share", "index.ts"), formats: ["iife"], name: "share" } },
  });
  const output = (Array.isArray(result) ? result[0] : result) as Rolldown.RolldownOutput;
  return output.output[0].code;
}

type ShareModule = typeof import("../../web/share/index.js");
declare const share: ShareModule;

const browser = useBrowser();

describe("share links in Chromium", () => {
  let page: Page;
  beforeAll(async () => {
    const code = await bundleShareModule();
    const context = await newContext(browser());
    page = await context.newPage();
    await page.addScriptTag({ content: code });
  });
  afterAll(async () => {
    await page.context().close();
  });

  it("opens the golden link made in Node, and makes links that Node opens", async () => {
    const { decoded, link } = await page.evaluate(async (hash) => {
      const payload = await share.decodeShareFragment(hash);
      return { decoded: payload, link: await share.encodeShareLink(payload, "https://example.org/fastest/") };
    }, new URL(goldenLink).hash);
    expect(decoded).toEqual(goldenPayload);
    expect(await decodeShareFragment(new URL(link).hash)).toEqual(goldenPayload);
  });

  it("refuses a deflate bomb without unpacking it into memory", async () => {
    // 1 GiB of zeros: a 1.4 MB link, inside the fragment limit. Made of 1,024 copies of 1 MiB compressed and
    // flushed to a byte boundary (their back-references only reach zeros), then an empty final block.
    const mebibyte = deflateRawSync(Buffer.alloc(1024 * 1024), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    const bomb = `#v1.${base64urlEncode(Buffer.concat([...Array<Buffer>(1024).fill(mebibyte), deflateRawSync(Buffer.alloc(0))]))}`;
    const cdp = await page.context().newCDPSession(page);
    const refusal = await page.evaluate(async (hash) => {
      try {
        await share.decodeShareFragment(hash);
        return null;
      } catch (error) {
        return { name: (error as Error).name, problem: (error as { problem?: string }).problem, message: (error as Error).message };
      }
    }, bomb);
    expect(refusal).toEqual({ name: "ShareLinkError", problem: "too-large", message: expect.stringMatching(/unpacks to more than 4\.0 MB/) });
    // Feeding the whole link to the decompressor at once left about 1 GB of ArrayBuffers behind; in 1 KB pieces, a few MB.
    const heap = (await cdp.send("Runtime.getHeapUsage")) as { backingStorageSize?: number };
    expect(heap.backingStorageSize).toBeLessThan(64 * 1024 * 1024);
  });
});
