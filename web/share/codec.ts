/**
 * Share links: `<page>#v1.<data>`, where `v1` is the format version and
 * `<data>` the payload's JSON document, compressed with raw deflate
 * (`CompressionStream("deflate-raw")`) and written in base64url. Runs in
 * browsers and in Node 20 alike (tests build links from Node).
 *
 * Decoding treats the fragment as hostile: its length is capped before
 * anything is unpacked, decompression stops at `LIMITS.decoded` bytes (a
 * "deflate bomb" is refused at once), the text must be UTF-8 and JSON, and the
 * document is checked field by field against its version's schema. Every
 * failure is a `ShareLinkError` whose message can be shown as it is, with
 * `textContent`: decoded strings are untrusted and never belong in
 * `innerHTML` (use `escapeHtml` where HTML must be built).
 */
import { readV1, writeV1 } from "./format-v1.js";
import { damaged, LIMITS, normalizePayload, ShareLinkError, type SharePayload } from "./payload.js";

/** The format version new links are written in. */
export const CURRENT_VERSION = 1;

/** One format version: how its data is unpacked, read, and brought up to the current `SharePayload`. */
interface LinkFormat {
  unpack(data: string): Promise<unknown>;
  read(doc: unknown): SharePayload;
}

/**
 * Every version a link may have been made with. Adding version N+1: write
 * `format-vN+1.ts` (the new current document), make `readVN` return a frozen
 * `PayloadVN` type instead of `SharePayload`, and give entry N a migration,
 * `read: (doc) => upgradeVN(readVN(doc))`, so links made today keep opening.
 */
const FORMATS: ReadonlyMap<number, LinkFormat> = new Map([
  // Version 1 is current: what it reads is the payload as it is, no migration.
  [1, { unpack: unpackDeflateJson, read: readV1 }],
]);

/**
 * A link to `baseUrl` (any fragment of it replaced) whose fragment holds
 * `payload`. Long failure texts are cut to fit (see `normalizePayload`).
 * Throws `ShareLinkError` when the workspace cannot be shared: a file name
 * a link may not hold, or more data than a link can carry (`LIMITS`).
 */
export async function encodeShareLink(payload: SharePayload, baseUrl: string): Promise<string> {
  const doc = writeV1(normalizePayload(payload));
  try {
    readV1(doc);
  } catch (error) {
    if (error instanceof ShareLinkError) throw new ShareLinkError(`This workspace cannot be put in a share link: ${error.detail}.`, "unshareable", error.detail);
    throw error;
  }
  const json = new TextEncoder().encode(JSON.stringify(doc));
  if (json.byteLength > LIMITS.decoded) {
    throw new ShareLinkError(`This workspace is too big for a share link: its files and results take ${megabytes(json.byteLength)}, and a link holds at most ${megabytes(LIMITS.decoded)}. Share fewer or smaller files.`, "too-large");
  }
  const fragment = `v${CURRENT_VERSION}.${base64urlEncode(await deflateRaw(json))}`;
  if (fragment.length > LIMITS.fragment) {
    throw new ShareLinkError(`This workspace is too big for a share link: the link would be ${megabytes(fragment.length)} long, and browsers open links up to about ${megabytes(LIMITS.fragment)}. Share fewer or smaller files.`, "too-large");
  }
  const hash = baseUrl.indexOf("#");
  return `${hash < 0 ? baseUrl : baseUrl.slice(0, hash)}#${fragment}`;
}

/**
 * The payload of a share link's fragment (`location.hash`, with or without
 * its `#`). Throws `ShareLinkError` with a message for the person who opened
 * the link when it cannot be read; never any other error.
 */
export async function decodeShareFragment(hash: string): Promise<SharePayload> {
  if (typeof hash !== "string") throw damaged("it is not text");
  const fragment = hash.startsWith("#") ? hash.slice(1) : hash;
  if (fragment.length > LIMITS.fragment) {
    throw new ShareLinkError(`This share link is too long to open: it has ${fragment.length} characters after the #, and links made here have at most ${LIMITS.fragment}.`, "too-large");
  }
  if (fragment === "") throw damaged("it has nothing after the #");
  const match = /^v(\d{1,6})\.([\s\S]*)$/.exec(fragment);
  if (!match) {
    if (/^v\d{1,6}$/.test(fragment)) throw damaged("it ends right after its format tag");
    throw damaged(`it does not start with a format tag such as "v${CURRENT_VERSION}."`);
  }
  const version = Number(match[1]);
  const format = FORMATS.get(version);
  if (!format) {
    if (version > CURRENT_VERSION) {
      throw new ShareLinkError(`This share link was made by a newer version of the playground (link format v${version}); this page reads formats up to v${CURRENT_VERSION}. Open it with the newer playground.`, "newer-version");
    }
    throw damaged(`its format v${version} is not one this page knows (v1 to v${CURRENT_VERSION})`);
  }
  return format.read(await format.unpack(match[2]!));
}

/** Links longer than this (characters) may be cut by chat apps, mail programs and issue trackers. */
export const LONG_LINK = 8 * 1024;

/**
 * A sentence for the page when `link` is long enough that some places may cut
 * it (over `LONG_LINK`), or null when it is not.
 */
export function linkSizeNote(link: string): string | null {
  if (link.length <= LONG_LINK) return null;
  return `This link is ${kilobytes(link.length)} long. Some chat apps, mail programs and issue trackers cut links over ${kilobytes(LONG_LINK)}; if it arrives broken, share it with "Copy as GitHub issue", which includes the code.`;
}

async function unpackDeflateJson(data: string): Promise<unknown> {
  const compressed = base64urlDecode(data);
  const bytes = await inflateRawCapped(compressed, LIMITS.decoded);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw damaged("its data is not text");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw damaged("its data is not valid JSON");
  }
}

async function deflateRaw(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Bytes of compressed input handed to the decompressor at a time: at most about 1 MB of output each (deflate's ratio is at most ~1:1032). */
const INFLATE_INPUT_CHUNK = 1024;

/**
 * Inflate `compressed`, refusing (and stopping at once) when the result would
 * pass `cap` bytes. The input goes in small pieces, pulled only as the output
 * is read: Chromium's DecompressionStream inflates each input chunk to the
 * end before anyone reads, so one 1 MB chunk of a deflate bomb would become
 * 1 GB in memory (measured: 4 s and 800 MB of heap, against 22 ms and 28 MB
 * in 1 KB pieces).
 */
async function inflateRawCapped(compressed: Uint8Array<ArrayBuffer>, cap: number): Promise<Uint8Array> {
  let fed = 0;
  const input = new ReadableStream<Uint8Array<ArrayBuffer>>(
    {
      pull(controller) {
        if (fed >= compressed.length) return controller.close();
        controller.enqueue(compressed.slice(fed, fed + INFLATE_INPUT_CHUNK));
        fed += INFLATE_INPUT_CHUNK;
      },
    },
    { highWaterMark: 0 },
  );
  const reader = input.pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > cap) {
        reader.cancel().catch(() => {});
        throw new ShareLinkError(`This share link is damaged or too large: its data unpacks to more than ${megabytes(cap)}, the most a link made here can hold.`, "too-large");
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof ShareLinkError) throw error;
    throw damaged("its data is not valid compressed data (part of the link may be missing)");
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const VALUES = new Map([...ALPHABET].map((char, value) => [char.charCodeAt(0), value]));

/** base64url without padding (RFC 4648 §5). */
export function base64urlEncode(bytes: Uint8Array): string {
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let c = 0; c < chars; c++) out.push(ALPHABET[(n >> (18 - 6 * c)) & 63]!);
  }
  return out.join("");
}

/** Decode unpadded base64url; throws `ShareLinkError` for any other character or a cut-off length. */
export function base64urlDecode(text: string): Uint8Array<ArrayBuffer> {
  if (text.length === 0) throw damaged("it holds no data after its format tag");
  if (text.length % 4 === 1) throw damaged("its data is cut off");
  const bytes = new Uint8Array(Math.floor((text.length * 6) / 8));
  let bits = 0;
  let value = 0;
  let out = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = VALUES.get(text.charCodeAt(i));
    if (digit === undefined) throw damaged(`it contains ${JSON.stringify(String.fromCodePoint(text.codePointAt(i)!))}, a character share links never hold (at position ${i + 1} of its data)`);
    value = ((value << 6) | digit) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[out++] = (value >> bits) & 0xff;
    }
  }
  return bytes;
}

function kilobytes(size: number): string {
  return `${(size / 1024).toFixed(1)} KB`;
}

function megabytes(size: number): string {
  return `${(size / (1024 * 1024)).toFixed(1)} MB`;
}
