/**
 * pytest's parametrize ids, computed from statically known values: how each
 * value becomes an id (`_idval_from_value`), how `ids=` and `pytest.param(id=)`
 * win over it, and how duplicates get suffixes (pytest 9's
 * `make_unique_parameterset_ids`).
 */
import type { PyValue } from "./values.js";

const HEX = "0123456789abcdef";

function hex(code: number, width: number): string {
  let out = "";
  for (let i = width - 1; i >= 0; i--) out += HEX[(code >> (4 * i)) & 15];
  return out;
}

/**
 * pytest's `ascii_escaped` for a str: `str.encode("unicode_escape")`, then
 * the ASCII control characters (already escaped by then) stay as they are.
 */
export function asciiEscapedText(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else if (code < 0x100) out += `\\x${hex(code, 2)}`;
    else if (code < 0x10000) out += `\\u${hex(code, 4)}`;
    else out += `\\U${hex(code, 8)}`;
  }
  return out;
}

/** pytest's `ascii_escaped` for bytes: `decode("ascii", "backslashreplace")`, control bytes as `\xNN`. */
export function asciiEscapedBytes(bytes: readonly number[]): string {
  let out = "";
  for (const b of bytes) {
    if (b === 0x09) out += "\\t";
    else if (b === 0x0a) out += "\\n";
    else if (b === 0x0d) out += "\\r";
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${hex(b, 2)}`;
  }
  return out;
}

/** Python's `repr(float)` (also its `str`): shortest digits, exponent outside 1e-4 <= |x| < 1e16. */
export function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const [mantissa, expText] = value.toExponential().split("e") as [string, string];
  const exp = Number(expText);
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  const sign = negative ? "-" : "";
  if (exp < -4 || exp >= 16) {
    const body = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp);
    return `${sign}${body}e${exp < 0 ? "-" : "+"}${e < 10 ? "0" : ""}${e}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
  const fraction = digits.slice(exp + 1);
  return `${sign}${whole}.${fraction || "0"}`;
}

/** The id pytest derives from a value, or null when the value has none (then `argname<index>`). */
export function idFromValue(value: PyValue): string | null {
  switch (value.k) {
    case "str":
      return asciiEscapedText(value.v);
    case "bytes":
      return asciiEscapedBytes(value.v);
    case "int":
      return value.v.toString();
    case "float":
      return pythonFloatRepr(value.v);
    case "bool":
      return value.v ? "True" : "False";
    case "none":
      return "None";
    case "named":
      return value.name;
    default:
      return null;
  }
}

/** One parameter set as pytest sees it: its values, and an explicit id when `pytest.param(id=)` gave one. */
export interface ParamSetIds {
  values: PyValue[];
  id: string | null;
}

/**
 * The unique ids of a parametrize call's parameter sets, in order; null when
 * pytest would fail (an `ids` entry of an unsupported type).
 */
export function makeIds(argnames: readonly string[], sets: readonly ParamSetIds[], ids: readonly PyValue[] | null): string[] | null {
  const resolved: string[] = [];
  for (const [index, set] of sets.entries()) {
    if (set.id !== null) {
      resolved.push(asciiEscapedText(set.id));
      continue;
    }
    const given = ids && index < ids.length ? ids[index]! : null;
    if (given && given.k !== "none") {
      const text = idFromValue(given);
      if (text === null) return null;
      resolved.push(text);
      continue;
    }
    resolved.push(set.values.map((value, i) => idFromValue(value) ?? `${argnames[i]}${index}`).join("-"));
  }
  return uniqueIds(resolved);
}

/** pytest 9's suffixes for duplicate ids: `a0, a1`, `x1_0, x1_1`, skipping ids already taken. */
export function uniqueIds(resolved: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const id of resolved) counts.set(id, (counts.get(id) ?? 0) + 1);
  if (counts.size === resolved.length) return [...resolved];
  const out = [...resolved];
  const suffixes = new Map<string, number>();
  for (const [index, id] of resolved.entries()) {
    if ((counts.get(id) ?? 0) <= 1) continue;
    const joiner = /[0-9]$/.test(id) && isPythonDigit(id.at(-1)!) ? "_" : "";
    let n = suffixes.get(id) ?? 0;
    let candidate = `${id}${joiner}${n}`;
    // pytest checks against the ids as they stand, earlier replacements included.
    while (out.includes(candidate)) {
      n += 1;
      candidate = `${id}${joiner}${n}`;
    }
    out[index] = candidate;
    suffixes.set(id, n + 1);
  }
  return out;
}

function isPythonDigit(ch: string): boolean {
  return ch >= "0" && ch <= "9";
}
