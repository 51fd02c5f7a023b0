/**
 * The INI dialect of pytest.ini, tox.ini and setup.cfg: `[section]` headers,
 * `key = value` or `key: value`, indented continuation lines, `#` and `;`
 * comment lines. Returns section name -> key -> value (continuations joined
 * with newlines).
 */
export function parseIni(text: string): Map<string, Record<string, string>> {
  const sections = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  let lastKey: string | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/\s+$/, "");
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";")) return;
    if (/^\s/.test(line) && current && lastKey !== undefined) {
      current[lastKey] = current[lastKey] ? `${current[lastKey]}\n${trimmed}` : trimmed;
      return;
    }
    const header = /^\[([^\]]+)\]$/.exec(trimmed);
    if (header) {
      current = sections.get(header[1]!.trim()) ?? {};
      sections.set(header[1]!.trim(), current);
      lastKey = undefined;
      return;
    }
    const pair = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(trimmed);
    if (!pair || !current) throw new Error(`line ${index + 1}: cannot parse ${JSON.stringify(trimmed)}`);
    lastKey = pair[1]!;
    current[lastKey] = pair[2]!;
  });
  return sections;
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
