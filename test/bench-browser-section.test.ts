/**
 * docs/BENCHMARKS.md has two writers: `npm run bench` (the whole file) and
 * the browser bench (its "Browser" section). Each keeps the other's part.
 * Also what the browser bench reads from the playground's status line.
 */
import { describe, expect, it } from "vitest";
import { bootMsFromStatus, snapshotFromStatus } from "../bench/browser-probe.js";
import { BROWSER_SECTION_BEGIN, BROWSER_SECTION_END, extractBrowserSection, replaceBrowserSection, wrapBrowserSection } from "../bench/browser-section.js";

const report = "# Benchmarks\n\n## Machine\n\n- CPU: x\n\n## Results\n\n| a | b |\n";

describe("the browser section of BENCHMARKS.md", () => {
  it("is appended to a report that has none, and found again", () => {
    const section = wrapBrowserSection("## Browser\n\n| visit | median |\n|---|---|\n| first | 2.1 s |\n");
    const written = replaceBrowserSection(report, section);
    expect(written.startsWith(report.trimEnd())).toBe(true);
    expect(written.endsWith(`${BROWSER_SECTION_END}\n`)).toBe(true);
    expect(extractBrowserSection(written)).toBe(section);
    expect(extractBrowserSection(report)).toBeNull();
  });

  it("replaces only itself, leaving what comes before and after as it was", () => {
    const old = wrapBrowserSection("## Browser\n\nold figures");
    const file = `${report}\n${old}\n\n## Later\n\ntext after\n`;
    // `$&` and `$1` would be replacement patterns for String.replace with a string.
    const fresh = wrapBrowserSection("## Browser\n\nnew figures $& $1");
    const written = replaceBrowserSection(file, fresh);
    expect(written).toBe(`${report}\n${fresh}\n\n## Later\n\ntext after\n`);
  });

  it("is carried from an old file into a freshly generated report", () => {
    const kept = extractBrowserSection(replaceBrowserSection("# old report\n", wrapBrowserSection("## Browser\n\nkept")));
    expect(kept).not.toBeNull();
    expect(replaceBrowserSection(report, kept!)).toContain("## Browser\n\nkept");
  });

  it("needs both markers: a begin marker alone is not a section", () => {
    expect(extractBrowserSection(`${report}${BROWSER_SECTION_BEGIN}\n## Browser\n`)).toBeNull();
  });
});

describe("what the browser bench reads from the playground's status line", () => {
  it("finds the boot time and where the snapshot came from", () => {
    const first = "Python 3.14.2 ready in 9422 ms (first visit: snapshot made now). 1 failed, 3 passed in 0.12s";
    const second = "Python 3.14.2 ready in 312 ms (snapshot from this browser's cache). 1 failed, 3 passed in 0.12s";
    expect([bootMsFromStatus(first), snapshotFromStatus(first)]).toEqual([9422, "made"]);
    expect([bootMsFromStatus(second), snapshotFromStatus(second)]).toEqual([312, "cache"]);
    expect([bootMsFromStatus("Booting Python…"), snapshotFromStatus("Booting Python…")]).toEqual([null, null]);
  });
});
