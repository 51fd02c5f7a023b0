/**
 * Python's `pprint.pformat` for values read from JSON, as `--cache-show`
 * prints them (pytest shows each cache value with `pformat`). JSON text is
 * read with its own parser so that `1` and `1.0` stay an int and a float,
 * as Python's `json.loads` keeps them.
 */

/** A JSON value as Python holds it after `json.loads`. */
export type PyValue =
  | { kind: "int"; text: string }
  | { kind: "float"; value: number }
  | { kind: "str"; value: string }
  | { kind: "bool"; value: boolean }
  | { kind: "none" }
  | { kind: "list"; items: PyValue[] }
  | { kind: "dict"; entries: Array<[string, PyValue]> };

/** Parse JSON text (with Python's `NaN`, `Infinity`, `-Infinity`); throws SyntaxError on anything else. */
export function parsePyJson(text: string): PyValue {
  let at = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at offset ${at}`);
  };
  const space = () => {
    while (at < text.length && " \t\n\r".includes(text[at]!)) at += 1;
  };
  const value = (): PyValue => {
    space();
    const c = text[at];
    if (c === "{") {
      at += 1;
      const entries = new Map<string, PyValue>();
      space();
      if (text[at] === "}") return (at += 1), { kind: "dict", entries: [] };
      for (;;) {
        space();
        if (text[at] !== '"') fail("expected a key");
        const key = string();
        space();
        if (text[at] !== ":") fail("expected ':'");
        at += 1;
        // A repeated key keeps its first place and its last value, as in a Python dict.
        entries.set(key, value());
        space();
        if (text[at] === ",") at += 1;
        else if (text[at] === "}") return (at += 1), { kind: "dict", entries: [...entries] };
        else fail("expected ',' or '}'");
      }
    }
    if (c === "[") {
      at += 1;
      const items: PyValue[] = [];
      space();
      if (text[at] === "]") return (at += 1), { kind: "list", items };
      for (;;) {
        items.push(value());
        space();
        if (text[at] === ",") at += 1;
        else if (text[at] === "]") return (at += 1), { kind: "list", items };
        else fail("expected ',' or ']'");
      }
    }
    if (c === '"') return { kind: "str", value: string() };
    for (const [word, parsed] of [
      ["true", { kind: "bool", value: true }],
      ["false", { kind: "bool", value: false }],
      ["null", { kind: "none" }],
      ["NaN", { kind: "float", value: NaN }],
      ["Infinity", { kind: "float", value: Infinity }],
      ["-Infinity", { kind: "float", value: -Infinity }],
    ] as const) {
      if (text.startsWith(word, at)) return (at += word.length), parsed;
    }
    const number = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(at));
    if (!number) return fail("unexpected character");
    at += number[0].length;
    if (number[1] === undefined && number[2] === undefined) return { kind: "int", text: number[0] === "-0" ? "0" : number[0] };
    return { kind: "float", value: Number(number[0]) };
  };
  const string = (): string => {
    const match = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/.exec(text.slice(at));
    if (!match) return fail("bad string");
    at += match[0].length;
    return JSON.parse(match[0]) as string;
  };
  const parsed = value();
  space();
  if (at !== text.length) fail("extra data");
  return parsed;
}

/** Python's `repr()` of a str. */
export function pyStrRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === "\\" || char === quote) out += `\\${char}`;
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (char === "\t") out += "\\t";
    else if (char !== " " && /[\p{C}\p{Z}]/u.test(char)) {
      out += code <= 0xff ? `\\x${hex(code, 2)}` : code <= 0xffff ? `\\u${hex(code, 4)}` : `\\U${hex(code, 8)}`;
    } else out += char;
  }
  return out + quote;
}

/** Python's `repr()` of a float: the shortest digits, in exponent form below 1e-4 and from 1e16. */
export function pyFloatRepr(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const [mantissa, exponentText] = value.toExponential().split("e") as [string, string];
  const exponent = Number(exponentText);
  const digits = mantissa.replace("-", "").replace(".", "");
  const sign = value < 0 ? "-" : "";
  if (exponent < -4 || exponent >= 16) {
    const shown = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${shown}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
  return `${sign}${whole}.${digits.slice(exponent + 1) || "0"}`;
}

/** Python's `repr()` of the value on one line (`pprint`'s `_safe_repr`: dict keys sorted). */
export function pyRepr(value: PyValue): string {
  switch (value.kind) {
    case "int":
      return value.text;
    case "float":
      return pyFloatRepr(value.value);
    case "str":
      return pyStrRepr(value.value);
    case "bool":
      return value.value ? "True" : "False";
    case "none":
      return "None";
    case "list":
      return `[${value.items.map(pyRepr).join(", ")}]`;
    case "dict":
      return `{${sortedEntries(value).map(([key, item]) => `${pyStrRepr(key)}: ${pyRepr(item)}`).join(", ")}}`;
  }
}

/** `pprint.pformat(value, width=80)`. */
export function pformat(value: PyValue, width = 80): string {
  const out: string[] = [];
  format(value, out, 0, 0, 0, width);
  return out.join("");
}

function format(value: PyValue, out: string[], indent: number, allowance: number, level: number, width: number): void {
  const rep = pyRepr(value);
  if (length(rep) <= width - indent - allowance) {
    out.push(rep);
    return;
  }
  if (value.kind === "dict") {
    out.push("{");
    const entries = sortedEntries(value);
    const inner = indent + 1;
    entries.forEach(([key, item], i) => {
      const last = i === entries.length - 1;
      const keyRep = pyStrRepr(key);
      out.push(keyRep, ": ");
      format(item, out, inner + length(keyRep) + 2, last ? allowance + 1 : 1, level + 1, width);
      if (!last) out.push(`,\n${" ".repeat(inner)}`);
    });
    out.push("}");
  } else if (value.kind === "list") {
    out.push("[");
    const inner = indent + 1;
    value.items.forEach((item, i) => {
      const last = i === value.items.length - 1;
      if (i > 0) out.push(`,\n${" ".repeat(inner)}`);
      format(item, out, inner, last ? allowance + 1 : 1, level + 1, width);
    });
    out.push("]");
  } else if (value.kind === "str" && value.value !== "") {
    out.push(formatStr(value.value, indent, allowance, level + 1, width));
  } else {
    out.push(rep);
  }
}

/** pprint's `_pprint_str`: a long string as adjacent literals, split at line ends and then at spaces. */
function formatStr(text: string, indent: number, allowance: number, level: number, width: number): string {
  const chunks: string[] = [];
  const lines = text.match(/[^\n\r\v\f\x1c-\x1e\x85\u2028\u2029]*(?:\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029])?/g)!.filter((line) => line !== "");
  if (level === 1) {
    indent += 1;
    allowance += 1;
  }
  const maxWidth = width - indent;
  let maxWidth1 = maxWidth;
  let rep = "";
  lines.forEach((line, i) => {
    rep = pyStrRepr(line);
    const lastLine = i === lines.length - 1;
    if (lastLine) maxWidth1 -= allowance;
    if (length(rep) <= maxWidth1) {
      chunks.push(rep);
      return;
    }
    const parts = line.match(/\S*\s*/g)!;
    parts.pop();
    let maxWidth2 = maxWidth;
    let current = "";
    parts.forEach((part, j) => {
      const candidate = current + part;
      if (j === parts.length - 1 && lastLine) maxWidth2 -= allowance;
      if (length(pyStrRepr(candidate)) > maxWidth2) {
        if (current) chunks.push(pyStrRepr(current));
        current = part;
      } else current = candidate;
    });
    if (current) chunks.push(pyStrRepr(current));
  });
  if (chunks.length === 1) return rep;
  const joined = chunks.join(`\n${" ".repeat(indent)}`);
  return level === 1 ? `(${joined})` : joined;
}

function sortedEntries(value: Extract<PyValue, { kind: "dict" }>): Array<[string, PyValue]> {
  return [...value.entries].sort(([a], [b]) => comparePython(a, b));
}

/** Python compares str by code point; JavaScript's `<` by UTF-16 unit. */
function comparePython(a: string, b: string): number {
  const x = [...a].map((c) => c.codePointAt(0)!);
  const y = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/** Length in code points, as Python's `len`. */
function length(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, "0");
}
