/**
 * Share links for browser tests, built from Node with the page's own share
 * module (web/share), plus damaged and hostile variants of them.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { base64urlDecode, base64urlEncode, encodeShareLink, type SharedResult, type SharePayload } from "../../../web/share/index.js";
import { repoRoot } from "../../helpers/run-cli.js";

/** The Pyodide version the site bundles. */
export const pyodideVersion = (JSON.parse(readFileSync(path.join(repoRoot, "node_modules", "pyodide", "package.json"), "utf8")) as { version: string }).version;

/** A payload with defaults for everything but the files and the recorded results. */
export function payloadOf(files: Record<string, string>, results: SharedResult[], summaryLine: string, extra: Partial<SharePayload> = {}): SharePayload {
  const failed = results.some((result) => result.outcome === "failed" || result.outcome === "error");
  return {
    files: Object.entries(files).map(([filePath, content]) => ({ path: filePath, content })),
    pyodideVersion,
    seed: 0,
    timeout: 10,
    selectors: [],
    results,
    errors: [],
    summaryLine,
    exitCode: results.length === 0 ? null : failed ? 1 : 0,
    ...extra,
  };
}

/** A recorded result with empty texts unless given. */
export function recorded(nodeid: string, outcome: SharedResult["outcome"], more: Partial<SharedResult> = {}): SharedResult {
  return { nodeid, outcome, duration: 0.001, longrepr: "", message: "", timedOut: false, ...more };
}

/** A link to the page at `baseUrl` holding `payload`. */
export function linkTo(baseUrl: string, payload: SharePayload): Promise<string> {
  return encodeShareLink(payload, baseUrl);
}

/** Split a link into its page and its format tag and data (`v1`, `<base64url>`). */
function fragmentParts(link: string): { page: string; tag: string; data: string } {
  const [page, fragment] = link.split("#") as [string, string | undefined];
  const match = /^(v\d+)\.(.*)$/.exec(fragment ?? "");
  if (!match) throw new Error(`not a share link: ${link}`);
  return { page, tag: match[1]!, data: match[2]! };
}

/** The JSON document a link's data unpacks to. */
export function documentOf(link: string): unknown {
  return JSON.parse(inflateRawSync(base64urlDecode(fragmentParts(link).data)).toString("utf8"));
}

/** A link of the same format holding `text` (not necessarily JSON) compressed as its data. */
export function linkWithData(link: string, text: string): string {
  const { page, tag } = fragmentParts(link);
  return `${page}#${tag}.${base64urlEncode(deflateRawSync(Buffer.from(text, "utf8")))}`;
}

/** The link with its document changed by `change` (which may return a new value), re-packed as the encoder would. */
export function tampered(link: string, change: (doc: Record<string, unknown>) => unknown): string {
  const doc = documentOf(link) as Record<string, unknown>;
  const changed = change(doc) ?? doc;
  return linkWithData(link, JSON.stringify(changed));
}

/** The link with a different format tag in front of the same data. */
export function withVersion(link: string, tag: string): string {
  const { page, data } = fragmentParts(link);
  return `${page}#${tag}.${data}`;
}

/** The link cut after `fraction` of its data. */
export function truncated(link: string, fraction = 0.5): string {
  const { page, tag, data } = fragmentParts(link);
  return `${page}#${tag}.${data.slice(0, Math.floor(data.length * fraction))}`;
}
