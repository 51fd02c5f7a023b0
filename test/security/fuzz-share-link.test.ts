/**
 * Property-based fuzzing of the share-link decoder (web/share), which reads
 * whatever a link's fragment holds: anyone can craft a link and send it.
 * Arbitrary payloads must round-trip; arbitrary text, bytes, compressed
 * bytes, JSON documents and mutated valid links must either decode to a
 * payload that passes the checks below or be refused with a ShareLinkError:
 * never another exception, never a hang (each case has a time limit). Seeds
 * are fixed, so every run tries the same inputs.
 */
import { deflateRawSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { writeV1 } from "../../web/share/format-v1.js";
import { base64urlEncode, decodeShareFragment, encodeShareLink, LIMITS, normalizePayload, ShareLinkError, type SharePayload } from "../../web/share/index.js";

const params = { seed: 20261121, numRuns: 1000, timeout: 5000 };
const OUTCOMES = ["passed", "failed", "skipped", "xfailed", "xpassed", "error"] as const;

const segment = fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/).filter((part) => part !== "." && part !== "..");
const filePath = fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => parts.join("/"));
const text = (maxLength: number) => fc.string({ unit: "binary", maxLength });
const longText = fc.oneof({ weight: 4, arbitrary: text(300) }, { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 5900, maxLength: 7000 }) });

const sharedResult = fc.record({
  nodeid: text(80),
  outcome: fc.constantFrom(...OUTCOMES),
  duration: fc.double({ min: 0, max: 1e6, noNaN: true }),
  longrepr: longText,
  message: text(600),
  timedOut: fc.boolean(),
});
const collectError = fc.record({ nodeid: text(80), longrepr: longText, message: text(100) });
const run = fc.option(fc.record({ results: fc.array(sharedResult, { maxLength: 8 }), errors: fc.array(collectError, { maxLength: 2 }), summaryLine: text(100), exitCode: fc.integer({ min: 0, max: 255 }) }));

const payload: fc.Arbitrary<SharePayload> = fc
  .record({
    files: fc.uniqueArray(fc.record({ path: filePath, content: text(400) }), { minLength: 1, maxLength: 5, selector: (file) => file.path }),
    pyodideVersion: fc.stringMatching(/^[0-9A-Za-z.+-]{1,40}$/),
    seed: fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.constant(-Number.MAX_SAFE_INTEGER)),
    timeout: fc.oneof(fc.constant(0), fc.double({ min: 0, max: LIMITS.timeout, noNaN: true })),
    selectors: fc.array(text(60), { maxLength: 3 }),
    run,
  })
  .map(({ run: last, ...rest }) => ({ ...rest, results: last?.results ?? [], errors: last?.errors ?? [], summaryLine: last?.summaryLine ?? "", exitCode: last ? last.exitCode : null }));

/**
 * Checks a decoded payload must pass, written apart from the decoder's own:
 * safe relative paths, known outcomes, sizes within the limits, and a link
 * made from it opens to it again.
 */
async function expectValidPayload(decoded: SharePayload): Promise<void> {
  expect(decoded.files.length).toBeGreaterThan(0);
  expect(decoded.files.length).toBeLessThanOrEqual(LIMITS.files);
  expect(new Set(decoded.files.map((file) => file.path)).size).toBe(decoded.files.length);
  for (const file of decoded.files) {
    expect(file.path).toMatch(/^(?!\/)[A-Za-z0-9_.\/-]{1,200}$/);
    expect(file.path.split("/")).not.toContain("..");
    expect(typeof file.content).toBe("string");
  }
  for (const result of decoded.results) {
    expect(OUTCOMES).toContain(result.outcome);
    expect(Number.isFinite(result.duration) && result.duration >= 0).toBe(true);
    expect(result.longrepr.length).toBeLessThanOrEqual(LIMITS.longrepr);
  }
  expect(Number.isSafeInteger(decoded.seed)).toBe(true);
  expect(decoded.exitCode === null || (Number.isInteger(decoded.exitCode) && decoded.exitCode >= 0 && decoded.exitCode <= 255)).toBe(true);
  expect(await decodeShareFragment(new URL(await encodeShareLink(decoded, "http://x/")).hash)).toEqual(decoded);
}

/** Decode `hash`: a decoded payload must be valid, a refusal must be a ShareLinkError. Returns which it was. */
async function decodesOrRefuses(hash: string): Promise<"decoded" | "refused"> {
  let decoded: SharePayload;
  try {
    decoded = await decodeShareFragment(hash);
  } catch (error) {
    if (error instanceof ShareLinkError) {
      expect(error.message.length).toBeGreaterThan(20);
      return "refused";
    }
    throw new Error(`unexpected ${(error as Error)?.constructor?.name}: ${(error as Error)?.stack ?? String(error)}`);
  }
  await expectValidPayload(decoded);
  return "decoded";
}

const deflated = (bytes: Uint8Array) => `v1.${base64urlEncode(deflateRawSync(bytes))}`;

/** Every place in a JSON document where a value could be replaced: a list of keys from the root. */
function pathsOf(value: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  const paths = [at];
  if (Array.isArray(value)) value.forEach((item, i) => paths.push(...pathsOf(item, [...at, i])));
  else if (typeof value === "object" && value !== null) for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...at, key]));
  return paths;
}

/** `doc` with the value at `path` replaced (or deleted, for `undefined`). */
function replaceAt(doc: unknown, path: Array<string | number>, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (value === undefined && Array.isArray(parent)) parent.splice(last as number, 1);
  else if (value === undefined) delete parent[last];
  else parent[last] = value;
  return copy;
}

describe("share links under fuzzing", () => {
  it("round-trips arbitrary payloads to their normalized form", async () => {
    await fc.assert(
      fc.asyncProperty(payload, async (shared) => {
        const decoded = await decodeShareFragment(new URL(await encodeShareLink(shared, "https://example.org/p/")).hash);
        expect(decoded).toEqual(normalizePayload(shared));
        expect(normalizePayload(decoded)).toEqual(decoded);
      }),
      { ...params, numRuns: 300 },
    );
  });

  it("decodes or refuses arbitrary text as a fragment", async () => {
    const seen = { decoded: 0, refused: 0 };
    const base64urlText = fc.string({ unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), maxLength: 200 });
    const fragment = fc.oneof(
      text(200),
      fc.string({ unit: "binary-ascii", maxLength: 200 }),
      base64urlText.map((data) => `v1.${data}`),
      fc.tuple(fc.constantFrom("#", ""), fc.constantFrom("v", "v1", "v1.", "v2.", "v0.", "V1.", "v01.", "v1..", "v999999.", "v9999999."), text(40)).map((parts) => parts.join("")),
    );
    await fc.assert(
      fc.asyncProperty(fragment, async (hash) => {
        seen[await decodesOrRefuses(hash)]++;
      }),
      params,
    );
    expect(seen.refused).toBeGreaterThan(0);
  });

  it("decodes or refuses arbitrary bytes as compressed data", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => {
        await decodesOrRefuses(`v1.${base64urlEncode(bytes)}`);
      }),
      params,
    );
  });

  it("decodes or refuses valid compressed data that holds arbitrary bytes, text or JSON", async () => {
    const seen = { decoded: 0, refused: 0 };
    const content = fc.oneof(
      fc.uint8Array({ maxLength: 400 }),
      text(200).map((value) => new TextEncoder().encode(value)),
      fc.jsonValue({ maxDepth: 4 }).map((value) => new TextEncoder().encode(JSON.stringify(value))),
      // Deep nesting within the size limit.
      fc.integer({ min: 1, max: 200_000 }).map((depth) => new TextEncoder().encode("[".repeat(depth) + "]".repeat(depth))),
    );
    await fc.assert(
      fc.asyncProperty(content, async (bytes) => {
        seen[await decodesOrRefuses(deflated(bytes))]++;
      }),
      params,
    );
    expect(seen.refused).toBeGreaterThan(0);
  });

  it("decodes or refuses valid documents with one value replaced or removed", async () => {
    const seen = { decoded: 0, refused: 0 };
    const replacement = fc.oneof(
      fc.constant(undefined),
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom("../x.py", "/etc/passwd", "a\0.py", "", ".", "C:/x", "a\\b.py", "<script>", "hacked", -1, 1.5, 1e309, 256, null, true, [], {}, "x".repeat(LIMITS.fileContent + 1)),
    );
    await fc.assert(
      fc.asyncProperty(payload, fc.nat(), replacement, async (shared, pick, value) => {
        const doc = writeV1(normalizePayload(shared));
        const paths = pathsOf(doc);
        seen[await decodesOrRefuses(deflated(new TextEncoder().encode(JSON.stringify(replaceAt(doc, paths[pick % paths.length]!, value)))))]++;
      }),
      params,
    );
    // The mutations reach both sides: some documents stay valid, many are refused by the schema.
    expect(seen.decoded).toBeGreaterThan(50);
    expect(seen.refused).toBeGreaterThan(50);
  });

  it("decodes or refuses valid links with characters changed, removed, added or cut", async () => {
    const seen = { decoded: 0, refused: 0 };
    const edit = fc.record({ at: fc.nat(), kind: fc.constantFrom("replace", "delete", "insert", "cut"), char: fc.oneof(fc.constantFrom(..."Aa0-_=.%# "), fc.string({ unit: "binary", minLength: 1, maxLength: 1 })) });
    await fc.assert(
      fc.asyncProperty(payload, fc.array(edit, { minLength: 1, maxLength: 4 }), async (shared, edits) => {
        let hash = new URL(await encodeShareLink(shared, "http://x/")).hash;
        for (const { at, kind, char } of edits) {
          const i = at % (hash.length + 1);
          if (kind === "replace") hash = hash.slice(0, i) + char + hash.slice(i + 1);
          else if (kind === "delete") hash = hash.slice(0, i) + hash.slice(i + 1);
          else if (kind === "insert") hash = hash.slice(0, i) + char + hash.slice(i);
          else hash = hash.slice(0, i);
        }
        seen[await decodesOrRefuses(hash)]++;
      }),
      params,
    );
    expect(seen.refused).toBeGreaterThan(100);
  });
});
