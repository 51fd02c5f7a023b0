/**
 * Python values known without running anything: literals (numbers, strings,
 * bytes, tuples, lists, dicts), names of functions and classes, and the
 * `pytest.param(...)` / `pytest.mark.NAME(...)` objects parametrize reads.
 */
import type { Node } from "web-tree-sitter";

/** A mark as stored on an object: its name, plain keyword arguments, and parametrize's arguments when it is one. */
export interface MarkFact {
  name: string;
  /** Keyword arguments with plain values (str, int, float, bool, None), as `CollectedItem.marks` keeps them. */
  kwargs: Record<string, string | number | boolean | null>;
  /** 1-based line of the expression, for messages. */
  line: number;
  /** Set on `parametrize` marks whose arguments are all known. */
  parametrize?: ParametrizeFact;
}

/** A literal `@pytest.mark.parametrize(...)`. */
export interface ParametrizeFact {
  argnames: string[];
  sets: Array<{ values: PyValue[]; id: string | null; marks: MarkFact[] }>;
  ids: PyValue[] | null;
}

export type PyValue =
  | { k: "int"; v: bigint }
  | { k: "float"; v: number }
  | { k: "bool"; v: boolean }
  | { k: "none" }
  | { k: "str"; v: string }
  | { k: "bytes"; v: number[] }
  | { k: "tuple" | "list"; items: PyValue[] }
  /** A value that exists and has no id of its own (dicts, sets, instances...). */
  | { k: "opaque" }
  /** A class, function or module: pytest's id is its `__name__`. */
  | { k: "named"; name: string }
  | { k: "param"; values: PyValue[]; id: string | null; marks: MarkFact[] }
  | { k: "mark"; mark: MarkFact };

/** A value cannot be known statically; the caller marks the file dynamic with the reason. */
export class Unknown extends Error {}

/** Plain keyword values of a mark (`-m "name(key=value)"`); null when the value is not plain. */
export function plainValue(value: PyValue): string | number | boolean | null | undefined {
  switch (value.k) {
    case "str":
      return value.v;
    case "int":
      return Number(value.v);
    case "float":
      return Number.isFinite(value.v) ? value.v : undefined;
    case "bool":
      return value.v;
    case "none":
      return null;
    default:
      return undefined;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\n": "",
};

/** The value of one string literal node (`string`), or Unknown for f-strings with fields and `\N{...}`. */
export function stringLiteral(node: Node): { k: "str"; v: string } | { k: "bytes"; v: number[] } {
  const start = node.firstChild;
  const end = node.lastChild;
  if (!start || !end || start.type !== "string_start" || end.type !== "string_end") throw new Unknown("string literal");
  if (node.children.some((c) => c?.type === "interpolation")) throw new Unknown("f-string with fields");
  const prefix = start.text.replace(/["']+$/, "").toLowerCase();
  const raw = node.text.slice(start.text.length, node.text.length - end.text.length);
  const isBytes = prefix.includes("b");
  const isRaw = prefix.includes("r");
  const text = isRaw ? raw : decodeEscapes(raw, isBytes);
  if (isBytes) {
    const bytes: number[] = [];
    for (const ch of text) {
      const code = ch.codePointAt(0)!;
      if (code > 0xff) throw new Unknown("non-ASCII bytes literal");
      bytes.push(code);
    }
    return { k: "bytes", v: bytes };
  }
  return { k: "str", v: text };
}

function decodeEscapes(raw: string, isBytes: boolean): string {
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch !== "\\") {
      out += ch;
      continue;
    }
    const next = raw[i + 1];
    if (next === undefined) throw new Unknown("string ending in a backslash");
    if (next === "\r") {
      // A backslash-CRLF continuation.
      i += raw[i + 2] === "\n" ? 2 : 1;
      continue;
    }
    if (next in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[next];
      i += 1;
    } else if (next >= "0" && next <= "7") {
      const digits = /^[0-7]{1,3}/.exec(raw.slice(i + 1))![0];
      out += String.fromCodePoint(parseInt(digits, 8));
      i += digits.length;
    } else if (next === "x") {
      const digits = raw.slice(i + 2, i + 4);
      if (!/^[0-9a-fA-F]{2}$/.test(digits)) throw new Unknown("bad \\x escape");
      out += String.fromCodePoint(parseInt(digits, 16));
      i += 3;
    } else if (!isBytes && (next === "u" || next === "U")) {
      const width = next === "u" ? 4 : 8;
      const digits = raw.slice(i + 2, i + 2 + width);
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(digits)) throw new Unknown("bad \\u escape");
      const code = parseInt(digits, 16);
      if (code > 0x10ffff) throw new Unknown("bad \\U escape");
      out += String.fromCodePoint(code);
      i += 1 + width;
    } else if (!isBytes && next === "N") {
      throw new Unknown("\\N{...} escape");
    } else {
      // Unknown escapes keep their backslash (with a warning from Python).
      out += ch;
    }
  }
  return out;
}

/** A Python integer literal (`1_000`, `0x1f`, `0o7`, `0b1`). */
export function intLiteral(text: string): bigint {
  const clean = text.replace(/_/g, "").toLowerCase();
  if (/[jl]$/.test(clean)) throw new Unknown("complex literal");
  if (/^0[xob]/.test(clean)) return BigInt(clean);
  if (!/^\d+$/.test(clean)) throw new Unknown(`number ${text}`);
  return BigInt(clean);
}

/** A Python float literal (`1.5`, `1e3`, `.5`, `1_0.0`). */
export function floatLiteral(text: string): number {
  const clean = text.replace(/_/g, "");
  if (/[jJ]$/.test(clean)) throw new Unknown("complex literal");
  const value = Number(clean);
  if (Number.isNaN(value)) throw new Unknown(`number ${text}`);
  return value;
}
