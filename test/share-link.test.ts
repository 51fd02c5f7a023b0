/**
 * Share links (web/share): encoding and decoding, the golden links that must
 * keep opening, every kind of damaged or hostile link, and the GitHub issue
 * Markdown. Links for the hostile cases are built with Node's own zlib, not
 * with the encoder under test.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { constants as zlibConstants, deflateRawSync, inflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  base64urlEncode,
  codeSpan,
  decodeShareFragment,
  encodeShareLink,
  escapeHtml,
  escapeMarkdown,
  githubIssueMarkdown,
  LIMITS,
  linkSizeNote,
  ShareLinkError,
  sharePayloadFromRun,
  type SharePayload,
} from "../web/share/index.js";
import type { ItemResult, RunSummary } from "../web/runtime/api.js";

const fixtures = path.join(import.meta.dirname, "fixtures", "share-links");

function result(nodeid: string, outcome: ItemResult["outcome"], extra: Partial<ItemResult> = {}): ItemResult {
  return { nodeid, location: [nodeid.split("::")[0]!, 0, nodeid], outcome, duration: 0.0123456, longrepr: "", message: "", sections: [], reports: [], timedOut: false, ...extra };
}

function summary(results: ItemResult[], extra: Partial<RunSummary> = {}): RunSummary {
  return { results, errors: [], counts: {}, exitCode: 1, summaryLine: "1 failed, 1 passed in 0.05s", terminalText: "", durationMs: 50, stopped: false, ...extra };
}

const files = [
  { path: "test_app.py", content: "from app import mean\n\ndef test_mean():\n    assert mean([1, 2]) == 1.5\n\ndef test_ok():\n    assert True\n" },
  { path: "app.py", content: "def mean(v):\n    return sum(v) / (len(v) + 1)\n" },
];
const failing = summary([
  result("test_app.py::test_mean", "failed", { longrepr: "    def test_mean():\n>       assert mean([1, 2]) == 1.5\nE       assert 1.0 == 1.5\n\ntest_app.py:4: AssertionError", message: "assert 1.0 == 1.5" }),
  result("test_app.py::test_ok", "passed"),
]);
const payload = sharePayloadFromRun({ files, seed: 3, timeout: 5 }, "314.0.7", failing);

/** A `#v1.` fragment holding `doc` as JSON, compressed by Node's zlib. */
function v1Fragment(doc: unknown): string {
  return `#v1.${base64urlEncode(deflateRawSync(Buffer.from(JSON.stringify(doc))))}`;
}

/** A valid version 1 document to break one field of. */
function validDoc(): Record<string, unknown> {
  return {
    files: [["test_a.py", "def test_a():\n    assert 1 == 2\n"]],
    pyodide: "314.0.7",
    seed: 0,
    timeout: 10,
    results: [["test_a.py::test_a", "failed", 0.01, "E assert 1 == 2", "assert 1 == 2"]],
    summary: "1 failed in 0.01s",
    exit: 1,
  };
}

async function rejection(hash: string): Promise<ShareLinkError> {
  try {
    await decodeShareFragment(hash);
  } catch (error) {
    expect(error).toBeInstanceOf(ShareLinkError);
    return error as ShareLinkError;
  }
  throw new Error(`decoded without an error: ${hash.slice(0, 80)}`);
}

describe("share links round trip", () => {
  it("decodes a link to the payload it was made from, with or without the #", async () => {
    const link = await encodeShareLink(payload, "https://example.org/play/?x=1#old-fragment");
    expect(link).toMatch(/^https:\/\/example\.org\/play\/\?x=1#v1\.[A-Za-z0-9_-]+$/);
    const hash = new URL(link).hash;
    expect(await decodeShareFragment(hash)).toEqual(payload);
    expect(await decodeShareFragment(hash.slice(1))).toEqual(payload);
    expect(payload.results[0]).toMatchObject({ nodeid: "test_app.py::test_mean", outcome: "failed", duration: 0.012, message: "assert 1.0 == 1.5" });
    expect(payload).toMatchObject({ pyodideVersion: "314.0.7", seed: 3, timeout: 5, selectors: [], exitCode: 1, summaryLine: "1 failed, 1 passed in 0.05s" });
  });

  it("keeps a workspace shared before any run, and the selected test", async () => {
    const notRun = sharePayloadFromRun({ files, selectors: ["test_app.py::test_mean"] }, "314.0.7", null);
    expect(notRun).toMatchObject({ seed: 0, timeout: 10, results: [], errors: [], summaryLine: "", exitCode: null, selectors: ["test_app.py::test_mean"] });
    expect(await decodeShareFragment(new URL(await encodeShareLink(notRun, "http://localhost/")).hash)).toEqual(notRun);
  });

  it("keeps timed-out tests, collection errors and every outcome", async () => {
    const outcomes = ["passed", "failed", "skipped", "xfailed", "xpassed", "error"] as const;
    const run = summary(
      [...outcomes.map((outcome) => result(`test_app.py::test_${outcome}`, outcome, { message: outcome === "passed" ? "" : `why ${outcome}` })), result("test_app.py::test_loop", "failed", { timedOut: true, longrepr: "Timeout" })],
      { errors: [{ nodeid: "test_bad.py", longrepr: "SyntaxError: invalid syntax", message: "SyntaxError" }], exitCode: 2 },
    );
    const shared = sharePayloadFromRun({ files }, "314.0.7", run);
    const back = await decodeShareFragment(new URL(await encodeShareLink(shared, "http://localhost/")).hash);
    expect(back).toEqual(shared);
    expect(back.results.map((r) => r.outcome)).toEqual([...outcomes, "failed"]);
    expect(back.results.at(-1)!.timedOut).toBe(true);
    expect(back.errors).toEqual([{ nodeid: "test_bad.py", longrepr: "SyntaxError: invalid syntax", message: "SyntaxError" }]);
  });

  it("cuts long failure output in the middle, keeping the end where the error is", async () => {
    const longrepr = "start of the traceback\n" + "x = 1\n".repeat(5000) + "E   assert 1 == 2\ntest_app.py:4: AssertionError";
    const shared = sharePayloadFromRun({ files }, "314.0.7", summary([result("test_app.py::test_mean", "failed", { longrepr, message: "m".repeat(2000) })]));
    const kept = shared.results[0]!;
    expect(kept.longrepr.length).toBeLessThanOrEqual(LIMITS.longrepr);
    expect(kept.longrepr).toMatch(/^start of the traceback\n/);
    expect(kept.longrepr).toMatch(/E {3}assert 1 == 2\ntest_app\.py:4: AssertionError$/);
    expect(kept.longrepr).toMatch(/\[\.\.\. \d+ characters cut to keep the share link short \.\.\.\]/);
    expect(kept.message).toHaveLength(LIMITS.line);
    expect(kept.message.endsWith("...")).toBe(true);
    // The encoder cuts too, when handed a payload that was not made by sharePayloadFromRun.
    const raw: SharePayload = { ...shared, results: [{ ...kept, longrepr }] };
    expect((await decodeShareFragment(new URL(await encodeShareLink(raw, "http://x/")).hash)).results[0]!.longrepr).toBe(kept.longrepr);
  });

  it("turns unpaired surrogates into U+FFFD, as UTF-8 must", async () => {
    const shared = sharePayloadFromRun({ files: [{ path: "test_u.py", content: "s = '\ud800 \u{1F600}'\n" }] }, "314.0.7", null);
    expect(shared.files[0]!.content).toBe("s = '\ufffd \u{1F600}'\n");
    expect(await decodeShareFragment(new URL(await encodeShareLink(shared, "http://x/")).hash)).toEqual(shared);
  });

  it("refuses to make a link of a workspace that a link may not hold, saying why", async () => {
    const badName = { ...payload, files: [{ path: "../secret.py", content: "" }] };
    await expect(encodeShareLink(badName, "http://x/")).rejects.toThrow(/^This workspace cannot be put in a share link: the name of file 1 \("\.\.\/secret\.py"\) is not allowed: it contains '\.\.'\.$/);
    const big = { ...payload, files: Array.from({ length: 5 }, (_, i) => ({ path: `test_${i}.py`, content: "x".repeat(LIMITS.fileContent) })) };
    const error = await encodeShareLink(big, "http://x/").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShareLinkError);
    expect((error as ShareLinkError).problem).toBe("too-large");
    expect((error as ShareLinkError).message).toMatch(/^This workspace is too big for a share link: its files and results take 5\.0 MB, and a link holds at most 4\.0 MB/);
  });

  it("says how long a link is once it passes 8 KB", () => {
    expect(linkSizeNote("http://x/#v1." + "a".repeat(8000))).toBeNull();
    expect(linkSizeNote("http://x/#v1." + "a".repeat(12_000))).toMatch(/^This link is 11\.7 KB long\. Some chat apps, mail programs and issue trackers cut links over 8\.0 KB/);
  });
});

describe("golden links made with format v1 (test/fixtures/share-links)", () => {
  const links = readdirSync(fixtures).filter((name) => name.endsWith(".link"));
  it("has links to check", () => {
    expect(links.length).toBeGreaterThanOrEqual(2);
  });
  it.each(links)("%s still opens to the payload it was made from", async (name) => {
    const link = readFileSync(path.join(fixtures, name), "utf8").trim();
    const expected = JSON.parse(readFileSync(path.join(fixtures, name.replace(/\.link$/, ".json")), "utf8")) as SharePayload;
    expect(await decodeShareFragment(new URL(link).hash)).toEqual(expected);
  });
});

describe("damaged and hostile links", () => {
  it.each([
    ["an empty fragment", "#", /^This share link is damaged or incomplete: it has nothing after the #\. Ask whoever sent it for a new link/],
    ["no format tag", "#hello", /it does not start with a format tag such as "v1\."/],
    ["a tag alone", "#v1", /it ends right after its format tag/],
    ["a tag with no data", "#v1.", /it holds no data after its format tag/],
    ["an unknown old version", "#v0.AAAA", /its format v0 is not one this page knows/],
    ["a character outside base64url", "#v1.abc$def", /it contains "\$", a character share links never hold \(at position 4 of its data\)/],
    ["base64 padding", "#v1.qg==", /it contains "="/],
    ["a cut-off base64 length", "#v1.abcde", /its data is cut off/],
    ["bytes that are not deflate data", "#v1.____________", /its data is not valid compressed data/],
  ])("refuses %s", async (_name, hash, message) => {
    const error = await rejection(hash);
    expect(error.problem).toBe("damaged");
    expect(error.message).toMatch(message);
  });

  it("says a link from a newer version needs the newer playground", async () => {
    const error = await rejection("#v2.AAAA");
    expect(error.problem).toBe("newer-version");
    expect(error.message).toBe("This share link was made by a newer version of the playground (link format v2); this page reads formats up to v1. Open it with the newer playground.");
  });

  it("refuses a truncated link, at every length", async () => {
    const hash = new URL(await encodeShareLink(payload, "http://x/")).hash;
    for (let end = hash.length - 1; end > 0; end -= 7) {
      await rejection(hash.slice(0, end));
    }
  });

  it("refuses data that is not UTF-8 text or not JSON", async () => {
    expect((await rejection(`#v1.${base64urlEncode(deflateRawSync(Buffer.from([0xff, 0xfe, 0x00])))}`)).message).toMatch(/its data is not text/);
    expect((await rejection(`#v1.${base64urlEncode(deflateRawSync(Buffer.from("{files: [")))}`)).message).toMatch(/its data is not valid JSON/);
  });

  it("stops unpacking a deflate bomb at the size limit", async () => {
    // 64 MiB of zeros packs into about 64 KB, well inside the fragment limit.
    const bomb = deflateRawSync(Buffer.alloc(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(LIMITS.fragment);
    const error = await rejection(`#v1.${base64urlEncode(bomb)}`);
    expect(error.problem).toBe("too-large");
    expect(error.message).toBe("This share link is damaged or too large: its data unpacks to more than 4.0 MB, the most a link made here can hold.");
    // JSON that would be valid if it were not so long.
    const textBomb = deflateRawSync(Buffer.from(`{"files":[["a.py","${"a".repeat(LIMITS.decoded)}"]]}`));
    expect((await rejection(`#v1.${base64urlEncode(textBomb)}`)).problem).toBe("too-large");
  });

  it("stops a deflate bomb early even where the decompressor inflates each input chunk whole before it is read, as Chromium's does", async () => {
    // Node's DecompressionStream waits for the reader; Chromium's turns each input chunk into all of its output at once
    // (a 1 MB chunk of a bomb: 1 GB in memory). This stand-in behaves like Chromium's and counts what it produced.
    let produced = 0;
    class EagerDecompressionStream extends TransformStream<Uint8Array, Uint8Array> {
      constructor() {
        let input = Buffer.alloc(0);
        let emitted = 0;
        super({
          transform(chunk, controller) {
            // Inflate all input so far (a sync flush tolerates a cut-off end) and hand over everything new at once.
            input = Buffer.concat([input, chunk]);
            const output = inflateRawSync(input, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
            produced += output.length - emitted;
            controller.enqueue(new Uint8Array(output.subarray(emitted)));
            emitted = output.length;
          },
        });
      }
    }
    const original = globalThis.DecompressionStream;
    globalThis.DecompressionStream = EagerDecompressionStream as unknown as typeof DecompressionStream;
    try {
      const error = await rejection(`#v1.${base64urlEncode(deflateRawSync(Buffer.alloc(64 * 1024 * 1024)))}`);
      expect(error.problem).toBe("too-large");
    } finally {
      globalThis.DecompressionStream = original;
    }
    // The cap plus what a few small pieces of input unpack to, not the 64 MiB the link holds.
    expect(produced).toBeGreaterThan(LIMITS.decoded);
    expect(produced).toBeLessThan(LIMITS.decoded + 4 * 1024 * 1024);
  });

  it("refuses a fragment over the length limit before unpacking anything", async () => {
    const error = await rejection("#v1." + "A".repeat(LIMITS.fragment));
    expect(error.problem).toBe("too-large");
    expect(error.message).toMatch(/^This share link is too long to open: it has 1500003 characters after the #/);
  });

  it("accepts a valid document from another deflate implementation, and ignores unknown fields", async () => {
    const doc = { ...validDoc(), comment: "from a future minor version", __proto__: { polluted: true }, constructor: 1 };
    const decoded = await decodeShareFragment(v1Fragment(JSON.parse(JSON.stringify(doc).replace('"comment"', '"__proto__":{"polluted":true},"comment"'))));
    expect(decoded).toEqual({
      files: [{ path: "test_a.py", content: "def test_a():\n    assert 1 == 2\n" }],
      pyodideVersion: "314.0.7",
      seed: 0,
      timeout: 10,
      selectors: [],
      results: [{ nodeid: "test_a.py::test_a", outcome: "failed", duration: 0.01, longrepr: "E assert 1 == 2", message: "assert 1 == 2", timedOut: false }],
      errors: [],
      summaryLine: "1 failed in 0.01s",
      exitCode: 1,
    });
    expect(Object.keys(decoded)).not.toContain("comment");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  const broken: Array<[string, (doc: Record<string, unknown>) => unknown, RegExp]> = [
    ["a list instead of an object", () => [], /the link's data is not a JSON object/],
    ["null", () => null, /the link's data is not a JSON object/],
    ["no files", (d) => ({ ...d, files: undefined }), /the file list is not a list/],
    ["an empty file list", (d) => ({ ...d, files: [] }), /the file list is empty/],
    ["a file that is not a pair", (d) => ({ ...d, files: [["a.py"]] }), /file 1 is not a list of 2 values/],
    ["file text that is not text", (d) => ({ ...d, files: [["a.py", 42]] }), /the text of a\.py is not text/],
    ["path traversal", (d) => ({ ...d, files: [["../../etc/passwd", ""]] }), /the name of file 1 \("\.\.\/\.\.\/etc\/passwd"\) is not allowed: it contains '\.\.'/],
    ["traversal inside a path", (d) => ({ ...d, files: [["pkg/../../x.py", ""]] }), /it contains '\.\.'/],
    ["an absolute path", (d) => ({ ...d, files: [["/etc/passwd", ""]] }), /is not allowed: it is an absolute path/],
    ["a drive letter", (d) => ({ ...d, files: [["C:/x.py", ""]] }), /it is an absolute path/],
    ["a NUL byte in a path", (d) => ({ ...d, files: [["a\u0000.py", ""]] }), /\("a\\u0000\.py"\) is not allowed: it has characters other than/],
    ["a backslash", (d) => ({ ...d, files: [["pkg\\a.py", ""]] }), /it has characters other than letters, digits/],
    ["HTML in a path", (d) => ({ ...d, files: [["<img src=x onerror=alert(1)>.py", ""]] }), /it has characters other than/],
    ["an empty path part", (d) => ({ ...d, files: [["pkg//a.py", ""]] }), /it has an empty or '\.' part/],
    ["a '.' path part", (d) => ({ ...d, files: [["./a.py", ""]] }), /it has an empty or '\.' part/],
    ["a path too deep", (d) => ({ ...d, files: [["a/".repeat(17) + "x.py", ""]] }), /more than 16 folders deep/],
    ["a path too long", (d) => ({ ...d, files: [["a".repeat(201) + ".py", ""]] }), /the name of file 1 is longer than 200 characters/],
    ["the same file twice", (d) => ({ ...d, files: [["a.py", ""], ["a.py", "x"]] }), /the file a\.py appears twice/],
    ["too many files", (d) => ({ ...d, files: Array.from({ length: 201 }, (_, i) => [`t${i}.py`, ""]) }), /the file list has 201 entries, more than the 200 a link may hold/],
    ["too many results", (d) => ({ ...d, results: Array.from({ length: 10_001 }, (_, i) => [`t::${i}`, "passed", 0]) }), /the results has 10001 entries, more than the 10000/],
    ["too many collection errors", (d) => ({ ...d, errors: Array.from({ length: 201 }, () => ["t.py", "", ""]) }), /the collection errors has 201 entries/],
    ["too many selectors", (d) => ({ ...d, selectors: Array.from({ length: 51 }, () => "t.py") }), /the selected tests has 51 entries/],
    ["a file over 1 MiB", (d) => ({ ...d, files: [["a.py", "x".repeat(LIMITS.fileContent + 1)]] }), /the text of a\.py is longer than 1048576 characters/],
    ["an odd Pyodide version", (d) => ({ ...d, pyodide: "<b>314</b>" }), /the Pyodide version "<b>314<\/b>" is not a version number/],
    ["a fractional seed", (d) => ({ ...d, seed: 1.5 }), /the seed is not a whole number/],
    ["a seed as text", (d) => ({ ...d, seed: "1" }), /the seed is not a whole number/],
    ["a negative timeout", (d) => ({ ...d, timeout: -1 }), /the timeout is not a number of seconds between 0 and 86400/],
    ["an unknown outcome", (d) => ({ ...d, results: [["t::a", "hacked", 0]] }), /test result 1 has an unknown outcome "hacked"/],
    ["a duration that is not a number", (d) => ({ ...d, results: [["t::a", "passed", null]] }), /the duration of test result 1 is not a number of seconds/],
    ["a timed-out flag that is not 1", (d) => ({ ...d, results: [["t::a", "failed", 0, "", "", true]] }), /the timed-out flag of test result 1 is not 1/],
    ["a result with extra values", (d) => ({ ...d, results: [["t::a", "failed", 0, "", "", 1, "x"]] }), /test result 1 is not a list of 3 to 6 values/],
    ["results without an exit code", (d) => ({ ...d, exit: undefined }), /it has results but no exit code/],
    ["an exit code out of range", (d) => ({ ...d, exit: 300 }), /the exit code is not a number from 0 to 255/],
    ["a run without a summary line", (d) => ({ ...d, summary: undefined }), /the summary line is not text/],
    ["an over-long message", (d) => ({ ...d, results: [["t::a", "failed", 0, "", "m".repeat(501)]] }), /the message of test result 1 is longer than 500 characters/],
  ];
  it.each(broken)("refuses a document with %s, naming what is wrong", async (_name, breakDoc, message) => {
    const error = await rejection(v1Fragment(breakDoc(validDoc())));
    expect(error.problem).toBe("damaged");
    expect(error.message).toMatch(/^This share link is damaged or incomplete: /);
    expect(error.message).toMatch(message);
  });
});

/** The fenced blocks of `markdown` (CommonMark's backtick fences): info string and content. */
function fencedBlocks(markdown: string): Array<{ info: string; content: string }> {
  const blocks: Array<{ info: string; content: string }> = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})([^`]*)$/.exec(lines[i]!);
    if (!open) continue;
    const close = new RegExp(`^${open[1]}\`*\\s*$`);
    let j = i + 1;
    while (j < lines.length && !close.test(lines[j]!)) j++;
    expect(j, `fence opened on line ${i + 1} is never closed`).toBeLessThan(lines.length);
    blocks.push({ info: open[2]!, content: lines.slice(i + 1, j).join("\n") + "\n" });
    i = j;
  }
  return blocks;
}

describe("Copy as GitHub issue", () => {
  it("has the link, the run, the versions, the failure output and every file in fenced blocks", async () => {
    const link = await encodeShareLink(payload, "https://example.org/play/");
    const markdown = githubIssueMarkdown(payload, link);
    expect(markdown).toContain(`[Open this workspace in the playground](<${link}>)`);
    expect(markdown).toContain("- Result: `1 failed, 1 passed in 0.05s` (exit code 1)");
    expect(markdown).toContain("- Pyodide 314\\.0\\.7, seed 3, timeout 5 s");
    expect(markdown).toContain("##### `test_app.py::test_mean`\n\n`assert 1.0 == 1.5`");
    expect(markdown).not.toContain("test_ok`");
    expect(fencedBlocks(markdown)).toEqual([
      { info: "text", content: payload.results[0]!.longrepr + "\n" },
      { info: "python", content: files[0]!.content },
      { info: "python", content: files[1]!.content },
    ]);
    expect(markdown.indexOf("#### Failures")).toBeLessThan(markdown.indexOf("#### Files"));
  });

  it("picks fences longer than any backtick run in a file, so a file cannot close its block early", () => {
    const content = "doc = '''\n```python\nx = 1\n```\n````\n'''\n";
    const shared = sharePayloadFromRun({ files: [{ path: "test_md.py", content }, { path: "notes.txt", content: "no newline at end" }] }, "314.0.7", null);
    const markdown = githubIssueMarkdown(shared, "http://x/#v1.a");
    expect(markdown).toContain("`````python\n" + content + "`````\n");
    expect(fencedBlocks(markdown)).toEqual([
      { info: "python", content },
      { info: "text", content: "no newline at end\n" },
    ]);
    expect(markdown).toContain("- Result: not run yet");
  });

  it("shows names, ids and messages literally: no HTML, links, emphasis or mentions", () => {
    const shared: SharePayload = {
      ...payload,
      pyodideVersion: "[x](http://evil) <b>@team</b>",
      selectors: ["test_app.py::test_mean[`a`]"],
      results: [{ nodeid: "t.py::test_x[<script>]", outcome: "error", duration: 0, longrepr: "", message: "`@here` *bold*\nsecond line", timedOut: false }],
    };
    const markdown = githubIssueMarkdown(shared, "http://x/#v1.a");
    expect(markdown).toContain("- Pyodide \\[x\\]\\(http\\:\\/\\/evil\\) \\<b\\>\\@team\\<\\/b\\>,");
    expect(markdown).toContain("- Ran only: ``test_app.py::test_mean[`a`]``");
    expect(markdown).toContain("##### `t.py::test_x[<script>]` (error)\n\n`` `@here` *bold* second line ``");
  });

  it("marks timed-out tests and lists collection errors", () => {
    const run = summary([result("test_app.py::test_loop", "failed", { timedOut: true, longrepr: "E   Failed: Timeout (>5.0s) from pytest-timeout." })], {
      errors: [{ nodeid: "test_bad.py", longrepr: "E   SyntaxError: invalid syntax", message: "" }],
      exitCode: 2,
      summaryLine: "1 failed, 1 error in 5.10s",
    });
    const markdown = githubIssueMarkdown(sharePayloadFromRun({ files }, "314.0.7", run), "http://x/#v1.a");
    expect(markdown).toContain("##### `test_app.py::test_loop` (timed out)");
    expect(markdown).toContain("#### Collection errors\n\n##### `test_bad.py`\n\n```text\nE   SyntaxError: invalid syntax\n```");
  });

  it("stays under GitHub's limit for an issue body, saying what it left out", () => {
    const big = Array.from({ length: 8 }, (_, i) => ({ path: `test_${i}.py`, content: `# file ${i}\n` + "x = 1\n".repeat(2000) }));
    const markdown = githubIssueMarkdown(sharePayloadFromRun({ files: big }, "314.0.7", failing), "http://x/#v1." + "a".repeat(30_000));
    expect(markdown.length).toBeLessThanOrEqual(65_536);
    expect(markdown).toContain("(The share link is 29 KB long, too long for an issue; the files are below.)");
    expect(markdown).toContain("Left out to stay under GitHub's size limit for an issue: 4 files. The link holds everything.");
    expect(fencedBlocks(markdown).map((block) => block.content.split("\n")[0])).toEqual(["    def test_mean():", "# file 0", "# file 1", "# file 2", "# file 3"]);
  });

  it("escapes HTML and Markdown helpers' input completely", () => {
    expect(escapeHtml(`<img src=x onerror="alert('1')">&`)).toBe("&#60;img src=x onerror=&#34;alert(&#39;1&#39;)&#34;&#62;&#38;");
    expect(escapeMarkdown("a_b *c* [d](e) <f> @g\nh")).toBe("a\\_b \\*c\\* \\[d\\]\\(e\\) \\<f\\> \\@g h");
    expect(codeSpan("``x")).toBe("``` ``x ```");
    expect(codeSpan(" padded ")).toBe("`  padded  `");
  });
});
