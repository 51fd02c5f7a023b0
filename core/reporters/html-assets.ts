/**
 * The CSS and script inlined into the HTML report (`html.ts`). Fixed text:
 * nothing from a run is ever spliced in here.
 */

/** Styles: light by default, dark when the reader's system asks for it. */
export const htmlReportStyle = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --panel: #f6f8fa;
  --passed: #1a7f37; --failed: #cf222e; --error: #bc4c00; --skipped: #6e7781; --xfailed: #8250df; --xpassed: #9a6700; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --panel: #151b23;
    --passed: #3fb950; --failed: #f85149; --error: #f0883e; --skipped: #9198a1; --xfailed: #bc8cff; --xpassed: #d29922; }
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
header { position: sticky; top: 0; z-index: 1; background: var(--bg); border-bottom: 1px solid var(--line); padding: 12px 20px; }
h1 { margin: 0 0 4px; font-size: 20px; }
h4 { margin: 10px 0 4px; font-size: 13px; color: var(--muted); font-weight: 600; }
main { padding: 12px 20px 40px; }
.subtitle, .facts, .meta { color: var(--muted); margin: 2px 0; }
.filters { border: 0; padding: 0; margin: 8px 0; display: flex; flex-wrap: wrap; gap: 6px; }
.filters legend { float: left; margin-right: 8px; padding-top: 4px; color: var(--muted); }
.count { border: 1px solid var(--line); border-radius: 16px; padding: 2px 10px 2px 6px; cursor: pointer; user-select: none; }
.count .number { font-weight: 700; }
.controls { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; }
.controls input[type=search] { width: min(28em, 60vw); }
input, select, button { font: inherit; color: inherit; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 3px 8px; }
button { cursor: pointer; }
#shown { color: var(--muted); }
details.test { border: 1px solid var(--line); border-left-width: 5px; border-radius: 6px; margin: 6px 0; background: var(--bg); }
details.test > summary { display: flex; gap: 10px; align-items: baseline; padding: 6px 10px; cursor: pointer; }
details.test > summary .id { flex: 1; overflow-wrap: anywhere; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; }
details.test > summary .duration { color: var(--muted); white-space: nowrap; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; min-width: 5.5em; text-align: center; border-radius: 10px; padding: 0 6px; font-size: 12px; font-weight: 600; color: var(--bg); }
.body { padding: 0 12px 10px; border-top: 1px solid var(--line); }
pre { margin: 0; padding: 8px 10px; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; overflow-x: auto;
  white-space: pre-wrap; overflow-wrap: anywhere; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
pre.longrepr { border-left: 3px solid var(--failed); }
.warnings { margin: 6px 0 12px; }
.empty { color: var(--muted); }
${["passed", "failed", "error", "skipped", "xfailed", "xpassed"]
  .map((o) => `.test.${o} { border-left-color: var(--${o}); } .test.${o} .badge, .count.${o} .number { background: none; color: var(--${o}); }`)
  .join("\n")}
.badge { border: 1px solid currentColor; }
`;

/**
 * The report's behaviour: outcome checkboxes and the text box hide rows
 * (words must all appear in the test id or its failure message, ignoring
 * case); the sort menu reorders them; the URL's `#` keeps the choice so a
 * reload or a shared link shows the same view.
 */
export const htmlReportScript = `
(() => {
  "use strict";
  const list = document.getElementById("tests");
  const rows = Array.from(list.querySelectorAll("details.test"));
  const filter = document.getElementById("filter");
  const sort = document.getElementById("sort");
  const shown = document.getElementById("shown");
  const boxes = Array.from(document.querySelectorAll('input[name="outcome"]'));
  const haystacks = new Map(rows.map((row) =>
    [row, (row.querySelector(".id").textContent + "\\n" + row.querySelector(".search").textContent).toLowerCase()]));
  function apply() {
    const wanted = new Set(boxes.filter((box) => box.checked).map((box) => box.value));
    const words = filter.value.toLowerCase().split(/\\s+/).filter(Boolean);
    let visible = 0;
    for (const row of rows) {
      const show = wanted.has(row.dataset.outcome) && words.every((word) => haystacks.get(row).includes(word));
      row.hidden = !show;
      if (show) visible += 1;
    }
    shown.textContent = visible + " of " + rows.length + " shown";
    const state = new URLSearchParams();
    if (filter.value) state.set("filter", filter.value);
    if (sort.value !== "index") state.set("sort", sort.value);
    const hiddenOutcomes = boxes.filter((box) => !box.checked).map((box) => box.value);
    if (hiddenOutcomes.length > 0) state.set("hide", hiddenOutcomes.join(","));
    const hash = state.toString();
    if (location.hash.slice(1) !== hash) history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
  }
  function reorder() {
    const by = {
      index: (a, b) => a.dataset.index - b.dataset.index,
      slowest: (a, b) => b.dataset.duration - a.dataset.duration || a.dataset.index - b.dataset.index,
      fastest: (a, b) => a.dataset.duration - b.dataset.duration || a.dataset.index - b.dataset.index,
      name: (a, b) => haystacks.get(a) < haystacks.get(b) ? -1 : haystacks.get(a) > haystacks.get(b) ? 1 : 0,
    }[sort.value] || ((a, b) => a.dataset.index - b.dataset.index);
    for (const row of rows.slice().sort(by)) list.appendChild(row);
    apply();
  }
  const saved = new URLSearchParams(location.hash.slice(1));
  if (saved.has("filter")) filter.value = saved.get("filter");
  if (saved.has("sort") && Array.from(sort.options).some((o) => o.value === saved.get("sort"))) sort.value = saved.get("sort");
  const hide = (saved.get("hide") || "").split(",");
  for (const box of boxes) if (hide.includes(box.value)) box.checked = false;
  filter.addEventListener("input", apply);
  sort.addEventListener("change", reorder);
  for (const box of boxes) box.addEventListener("change", apply);
  document.getElementById("expand").addEventListener("click", () => { for (const row of rows) if (!row.hidden) row.open = true; });
  document.getElementById("collapse").addEventListener("click", () => { for (const row of rows) row.open = false; });
  reorder();
})();
`;
