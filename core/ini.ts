/**
 * The INI dialect of pytest.ini, tox.ini and setup.cfg, read as pytest's
 * `iniconfig` reads it: `[section]` headers, `key = value` or `key: value`,
 * indented continuation lines (joined with newlines), `#` and `;` comment
 * lines. Returns section name -> key -> value. A line it cannot read, a
 * repeated section or key, or a key before any section throws an `Error`
 * whose message is `line N: <iniconfig's reason>`.
 */
export function parseIni(text: string): Map<string, Record<string, string>> {
  const fail = (index: number, reason: string): never => {
    throw new Error(`line ${index + 1}: ${reason}`);
  };
  // First the lines as tokens (iniconfig's parse_lines), then the sections (parse_ini_data).
  const tokens: Array<{ index: number; section: string | null; name: string | null; value: string | null }> = [];
  let section: string | null = null;
  text.split(/\r\n|\n|\r/).forEach((raw, index) => {
    const first = raw.trimStart()[0];
    if (first === "#" || first === ";") return;
    const line = raw.trimEnd();
    if (line === "") return;
    let continuation: string;
    if (line.startsWith("[")) {
      const header = line.split("#")[0]!.split(";")[0]!.trimEnd();
      if (header.endsWith("]")) {
        section = header.slice(1, -1);
        if (section === "") fail(index, "empty section name");
        tokens.push({ index, section, name: null, value: null });
        return;
      }
      continuation = line.trim(); // an unclosed header reads as a continuation
    } else if (!/^\s/.test(line)) {
      const eq = line.indexOf("=");
      const split = eq >= 0 && !line.slice(0, eq).includes(":") ? eq : line.indexOf(":");
      if (split < 0) fail(index, `unexpected line: ${pyRepr(line)}`);
      tokens.push({ index, section, name: line.slice(0, split).trim(), value: line.slice(split + 1).trim() });
      return;
    } else continuation = line.trim();
    const last = tokens[tokens.length - 1];
    if (!last || last.name === null) fail(index, "unexpected value continuation");
    last!.value = last!.value ? `${last!.value}\n${continuation}` : continuation;
  });
  const sections = new Map<string, Record<string, string>>();
  for (const token of tokens) {
    if (token.section === null) fail(token.index, "no section header defined");
    if (token.name === null) {
      if (sections.has(token.section!)) fail(token.index, `duplicate section ${pyRepr(token.section!)}`);
      sections.set(token.section!, {});
      continue;
    }
    const values = sections.get(token.section!)!;
    if (Object.hasOwn(values, token.name)) fail(token.index, `duplicate name ${pyRepr(token.name)}`);
    values[token.name] = token.value!;
  }
  return sections;
}

/** Python's `repr()` of a string, as iniconfig's messages quote values. */
function pyRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const body = text.replace(/\\/g, "\\\\").replace(/[\x00-\x1f\x7f]/g, (c) => ({ "\t": "\\t", "\n": "\\n", "\r": "\\r" })[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
}

/** An ini value that holds a list: whitespace- or newline-separated. */
export function iniList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  return value.split(/\s+/).filter(Boolean);
}

/**
 * An ini value that holds command-line arguments (`addopts`), split like a
 * POSIX shell line as pytest's `shlex.split` does: quotes group, backslashes escape.
 */
export function iniArgs(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  const args: string[] = [];
  let current: string | null = null;
  let quote: string | null = null;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === "\\" && quote === '"' && i + 1 < value.length && '"\\$`'.includes(value[i + 1]!)) current += value[++i]!;
      else current += ch;
    } else if (/\s/.test(ch)) {
      if (current !== null) args.push(current);
      current = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      current ??= "";
    } else if (ch === "\\" && i + 1 < value.length) {
      current = (current ?? "") + value[++i]!;
    } else current = (current ?? "") + ch;
  }
  if (current !== null) args.push(current);
  return args;
}

/** An ini value that holds one entry per line (`markers`, `filterwarnings`). */
export function iniLines(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  return value.split("\n").map((l) => l.trim()).filter(Boolean);
}
