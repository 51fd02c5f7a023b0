/**
 * The share link's optional `engine` field (issue 8): a run on CPython WASI
 * records `"engine": "wasi"` and the link reads back on it; a Pyodide run
 * writes no field, so its links are what they were before there were two
 * engines, and links without one (the golden ones of
 * test/fixtures/share-links/ among them) read as Pyodide; a value no page
 * knows is refused as damage. The GitHub issue text names the engine.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { inflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { base64urlDecode, decodeShareFragment, encodeShareLink, githubIssueMarkdown, ShareLinkError, sharePayloadFromRun } from "../web/share/index.js";
import { linkWithData } from "./browser/helpers/share-links.js";

const options = { files: [{ path: "test_app.py", content: "def test_ok():\n    assert True\n" }], seed: 3, timeout: 5 };
const base = "https://example.org/fastest/";

/** The JSON document inside a link. */
const documentOf = (link: string) => JSON.parse(inflateRawSync(base64urlDecode(link.split("#v1.")[1]!)).toString("utf8")) as Record<string, unknown>;

describe("the share link's engine", () => {
  it("records a run on CPython WASI and reads it back", async () => {
    const link = await encodeShareLink(sharePayloadFromRun(options, "cpython-3.11.2-0123456789abcdef", null, "wasi"), base);
    expect(documentOf(link)).toMatchObject({ engine: "wasi", pyodide: "cpython-3.11.2-0123456789abcdef" });
    const payload = await decodeShareFragment(link.slice(link.indexOf("#")));
    expect(payload.engine).toBe("wasi");
    expect(payload.pyodideVersion).toBe("cpython-3.11.2-0123456789abcdef");
    expect(githubIssueMarkdown(payload, link)).toContain("- CPython WASI cpython\\-3\\.11\\.2\\-0123456789abcdef, seed 3, timeout 5 s");
  });

  it("writes nothing for Pyodide, and a link without the field reads as Pyodide", async () => {
    const link = await encodeShareLink(sharePayloadFromRun(options, "314.0.7", null, "pyodide"), base);
    expect(documentOf(link)).not.toHaveProperty("engine");
    expect(link).toBe(await encodeShareLink(sharePayloadFromRun(options, "314.0.7", null), base));
    const payload = await decodeShareFragment(link.slice(link.indexOf("#")));
    expect(payload.engine).toBeUndefined();
    expect(githubIssueMarkdown(payload, link)).toContain("- Pyodide 314\\.0\\.7, seed 3, timeout 5 s");
  });

  it("reads the golden links of test/fixtures/share-links as Pyodide", async () => {
    const dir = path.join(import.meta.dirname, "fixtures", "share-links");
    const links = readdirSync(dir).filter((name) => name.endsWith(".link"));
    expect(links.length).toBeGreaterThan(0);
    for (const name of links) {
      const link = readFileSync(path.join(dir, name), "utf8").trim();
      expect((await decodeShareFragment(link.slice(link.indexOf("#")))).engine, name).toBeUndefined();
    }
  });

  it("refuses an engine no page knows, as damage", async () => {
    const link = await encodeShareLink(sharePayloadFromRun(options, "314.0.7", null), base);
    const changed = linkWithData(link, JSON.stringify({ ...documentOf(link), engine: "jython" }));
    const error = await decodeShareFragment(changed.slice(changed.indexOf("#"))).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ShareLinkError);
    expect((error as ShareLinkError).problem).toBe("damaged");
    expect((error as ShareLinkError).detail).toBe('the engine "jython" is not one this page knows (pyodide, wasi)');
  });
});
