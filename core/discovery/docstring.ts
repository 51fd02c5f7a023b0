/**
 * `inspect.cleandoc` as Python 3.13+ applies it to docstrings (the compiler
 * has already turned whitespace-only lines into empty ones): tabs expanded,
 * the common indentation of the lines after the first removed, blank lines
 * at both ends dropped.
 */
export function cleandoc(doc: string): string {
  const lines = doc.split("\n").map(expandTabs);
  let margin = Infinity;
  for (const line of lines.slice(1)) {
    const content = line.replace(/^ +/, "").length;
    if (content > 0) margin = Math.min(margin, line.length - content);
  }
  if (lines.length > 0) lines[0] = lines[0]!.replace(/^ +/, "");
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    lines[i] = line.trim() === "" ? "" : margin < Infinity ? line.slice(margin) : line;
  }
  while (lines.length > 0 && !lines.at(-1)) lines.pop();
  while (lines.length > 0 && !lines[0]) lines.shift();
  return lines.join("\n");
}

/** Python's `str.expandtabs()` (tab stops every 8 columns). */
function expandTabs(line: string): string {
  if (!line.includes("\t")) return line;
  let out = "";
  for (const ch of line) {
    if (ch === "\t") out += " ".repeat(8 - (out.length % 8));
    else out += ch;
  }
  return out;
}
