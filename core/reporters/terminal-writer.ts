/**
 * A small terminal writer with pytest's `TerminalWriter` semantics: ANSI
 * markup, full-width separator lines and tracking of the current line's
 * display width (used to right-align progress markers).
 */

/** Markup names understood by {@link TerminalWriter.markup}. */
export type MarkupName = "red" | "green" | "yellow" | "cyan" | "bold";

/** Markup flags, applied in the order the keys were inserted (as pytest does). */
export type Markup = Partial<Record<MarkupName, boolean>>;

const ESCAPE_CODES: Record<MarkupName, number> = { red: 31, green: 32, yellow: 33, cyan: 36, bold: 1 };

// East Asian wide and fullwidth ranges (a close approximation of
// `unicodedata.east_asian_width(c) in ("F", "W")`).
const WIDE_RANGES: Array<[number, number]> = [
  [0x1100, 0x115f], [0x231a, 0x231b], [0x2329, 0x232a], [0x2e80, 0x303e], [0x3041, 0x33ff],
  [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf], [0xa960, 0xa97f], [0xac00, 0xd7a3],
  [0xf900, 0xfaff], [0xfe10, 0xfe19], [0xfe30, 0xfe6f], [0xff00, 0xff60], [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f], [0x1f900, 0x1f9ff], [0x20000, 0x3fffd],
];
const COMBINING = /^[\p{Mn}\p{Me}]$/u;

function charWidth(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  if (code >= 0x20 && code < 0x7f) return 1;
  if (code === 0 || (code >= 0x200b && code <= 0x200f) || (code >= 0x2028 && code <= 0x202e) || (code >= 0x2060 && code <= 0x2063)) {
    return 0;
  }
  if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return -1;
  if (COMBINING.test(char)) return 0;
  return WIDE_RANGES.some(([low, high]) => code >= low && code <= high) ? 2 : 1;
}

/**
 * Display width of `text` in terminal columns, or -1 when it holds a
 * control character (pytest's `wcswidth`, including that quirk).
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text.normalize("NFC")) {
    const w = charWidth(char);
    if (w < 0) return -1;
    width += w;
  }
  return width;
}

/** Length in code points, like Python's `len(str)`. */
export function codePointLength(text: string): number {
  let length = 0;
  for (const _char of text) length += 1;
  return length;
}

/** Writes text to a sink, pytest-style. */
export class TerminalWriter {
  private currentLine = "";

  /**
   * @param sink receives every chunk of output, already marked up.
   * @param fullwidth terminal width in columns.
   * @param hasMarkup whether ANSI escapes are emitted.
   */
  constructor(
    private readonly sink: (text: string) => void,
    readonly fullwidth: number,
    readonly hasMarkup: boolean,
  ) {}

  /** Width of what has been written since the last newline. */
  get widthOfCurrentLine(): number {
    return displayWidth(this.currentLine);
  }

  /** Wrap `text` in the escapes for `markup` (nothing when markup is off). */
  markup(text: string, markup: Markup = {}): string {
    if (!this.hasMarkup) return text;
    const codes = (Object.keys(markup) as MarkupName[]).filter((name) => markup[name]).map((name) => ESCAPE_CODES[name]);
    if (codes.length === 0) return text;
    return codes.map((code) => `\x1b[${code}m`).join("") + text + "\x1b[0m";
  }

  write(text: string, markup: Markup = {}): void {
    if (!text) return;
    const newline = text.lastIndexOf("\n");
    this.currentLine = newline >= 0 ? text.slice(newline + 1) : this.currentLine + text;
    this.sink(this.markup(text, markup));
  }

  line(text = "", markup: Markup = {}): void {
    this.write(text, markup);
    this.write("\n");
  }

  /** A separator line such as `==== title ====`, as long as fits in the width. */
  sep(sepChar: string, title?: string, markup: Markup = {}, fullwidth = this.fullwidth): void {
    let line: string;
    if (title !== undefined) {
      const n = Math.max(Math.floor((fullwidth - codePointLength(title) - 2) / (2 * sepChar.length)), 1);
      const fill = sepChar.repeat(n);
      line = `${fill} ${title} ${fill}`;
    } else {
      line = sepChar.repeat(Math.floor(fullwidth / sepChar.length));
    }
    const tail = sepChar.trimEnd();
    if (codePointLength(line) + tail.length <= fullwidth) line += tail;
    this.line(line, markup);
  }
}

/**
 * Greedy word wrap with Python `textwrap.wrap` defaults as pytest uses them
 * (whitespace kept inside lines, dropped at line starts after the first,
 * over-long words broken). Breaks only at whitespace and after a hyphen
 * inside a word.
 */
export function wrapText(text: string, width: number): string[] {
  const chunks = text.split(/(\s+|(?<=\w-)(?=\w))/).filter((chunk) => chunk !== "");
  const lines: string[] = [];
  const isSpace = (chunk: string): boolean => chunk.trim() === "";
  while (chunks.length > 0) {
    if (lines.length > 0 && isSpace(chunks[0] ?? "")) chunks.shift();
    const line: string[] = [];
    let length = 0;
    while (chunks.length > 0 && length + codePointLength(chunks[0] ?? "") <= width) {
      const chunk = chunks.shift() ?? "";
      line.push(chunk);
      length += codePointLength(chunk);
    }
    const next = chunks[0];
    if (next !== undefined && codePointLength(next) > width) {
      const room = Math.max(width - length, 1);
      const chars = [...next];
      line.push(chars.slice(0, room).join(""));
      chunks[0] = chars.slice(room).join("");
    }
    if (line.length > 0 && isSpace(line[line.length - 1] ?? "")) line.pop();
    if (line.length > 0) lines.push(line.join(""));
  }
  return lines;
}
