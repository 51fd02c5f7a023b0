/**
 * The "Browser" section of docs/BENCHMARKS.md. `node dist/bench/browser.js`
 * writes it; `npm run bench` regenerates the rest of the file and carries
 * this section over unchanged, so neither bench wipes the other's figures.
 */

/** First line of the section: marks where it begins and what writes it. */
export const BROWSER_SECTION_BEGIN = "<!-- browser section: written by `node dist/bench/browser.js`; `npm run bench` keeps it as it is -->";
/** Last line of the section. */
export const BROWSER_SECTION_END = "<!-- end of browser section -->";

/** The section (markers included) found in `markdown`, or null when it has none. */
export function extractBrowserSection(markdown: string): string | null {
  const begin = markdown.indexOf(BROWSER_SECTION_BEGIN);
  if (begin < 0) return null;
  const end = markdown.indexOf(BROWSER_SECTION_END, begin);
  if (end < 0) return null;
  return markdown.slice(begin, end + BROWSER_SECTION_END.length);
}

/** Wrap a section body (starting with its `## ` heading) in the markers. */
export function wrapBrowserSection(body: string): string {
  return `${BROWSER_SECTION_BEGIN}\n${body.trim()}\n${BROWSER_SECTION_END}`;
}

/**
 * `markdown` with its browser section replaced by `section` (markers
 * included), or with `section` appended at the end when it had none.
 */
export function replaceBrowserSection(markdown: string, section: string): string {
  const old = extractBrowserSection(markdown);
  if (old !== null) return markdown.replace(old, () => section);
  return `${markdown.trimEnd()}\n\n${section}\n`;
}
