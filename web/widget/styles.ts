/**
 * The widget's styles, added once to the page. Every rule is scoped under
 * the `fastest-widget` class prefix so the host page's own styles are left
 * alone; colours follow the page's text colour and the reader's light or
 * dark preference, and can be overridden with the `--fastest-*` variables.
 */
const css = `
.fastest-widget {
  --fastest-pass: #1a7f37;
  --fastest-fail: #c62828;
  --fastest-skip: #6e6e6e;
  --fastest-accent: #0b5cad;
  --fastest-line: color-mix(in srgb, currentColor 22%, transparent);
  --fastest-tint: color-mix(in srgb, currentColor 5%, transparent);
  margin: 1em 0;
  border: 1px solid var(--fastest-line);
  border-radius: 6px;
  max-width: 100%;
  min-width: 0;
  overflow: hidden;
}
@media (prefers-color-scheme: dark) {
  .fastest-widget {
    --fastest-pass: #4cc26b;
    --fastest-fail: #ff7b72;
    --fastest-skip: #a8a8a8;
    --fastest-accent: #6cb6ff;
  }
}
.fastest-widget > pre, .fastest-widget__setup > pre {
  margin: 0;
  border: 0;
  border-radius: 0;
  overflow-x: auto;
}
.fastest-widget__bar {
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: 0.5em 1em;
  padding: 0.5em 0.75em;
  border-top: 1px solid var(--fastest-line);
  background: var(--fastest-tint);
  font: 0.9rem/1.4 system-ui, sans-serif;
}
.fastest-widget__run {
  font: inherit;
  font-weight: 600;
  padding: 0.3em 0.9em;
  border: 1px solid var(--fastest-accent);
  border-radius: 4px;
  background: var(--fastest-accent);
  color: #fff;
  cursor: pointer;
}
@media (prefers-color-scheme: dark) {
  .fastest-widget__run { color: #0d1117; }
}
.fastest-widget__run[aria-disabled="true"] { opacity: 0.6; cursor: progress; }
.fastest-widget__run:focus-visible, .fastest-widget__open:focus-visible {
  outline: 3px solid var(--fastest-accent);
  outline-offset: 2px;
}
.fastest-widget__state { flex: 1 1 12em; min-width: 0; }
.fastest-widget[data-state="passed"] .fastest-widget__state { color: var(--fastest-pass); font-weight: 600; }
.fastest-widget[data-state="failed"] .fastest-widget__state { color: var(--fastest-fail); font-weight: 600; }
.fastest-widget__open { color: var(--fastest-accent); white-space: nowrap; }
.fastest-widget__results:empty { display: none; }
.fastest-widget__results {
  border-top: 1px solid var(--fastest-line);
  padding: 0.5em 0.75em;
  font: 0.9rem/1.45 system-ui, sans-serif;
}
.fastest-widget__list { list-style: none; margin: 0; padding: 0; }
.fastest-widget__item { padding: 0.35em 0; border-bottom: 1px dashed var(--fastest-line); min-width: 0; }
.fastest-widget__item:last-child { border-bottom: 0; }
.fastest-widget__head { display: flex; flex-wrap: wrap; gap: 0.25em 0.6em; align-items: baseline; }
.fastest-widget__badge {
  display: inline-block;
  min-width: 4.5em;
  font-weight: 700;
  text-transform: uppercase;
  font-size: 0.75em;
  letter-spacing: 0.04em;
}
[data-example-state="passed"] > .fastest-widget__head .fastest-widget__badge,
[data-outcome="passed"] > .fastest-widget__head .fastest-widget__badge,
[data-outcome="xfailed"] > .fastest-widget__head .fastest-widget__badge { color: var(--fastest-pass); }
[data-example-state="failed"] > .fastest-widget__head .fastest-widget__badge,
[data-outcome="failed"] > .fastest-widget__head .fastest-widget__badge,
[data-outcome="error"] > .fastest-widget__head .fastest-widget__badge,
[data-outcome="xpassed"] > .fastest-widget__head .fastest-widget__badge { color: var(--fastest-fail); }
[data-example-state="skipped"] > .fastest-widget__head .fastest-widget__badge,
[data-outcome="skipped"] > .fastest-widget__head .fastest-widget__badge { color: var(--fastest-skip); }
.fastest-widget__code, .fastest-widget__text {
  font: 0.85rem/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  white-space: pre-wrap;
  overflow-wrap: anywhere;
  margin: 0;
  padding: 0;
  border: 0;
  background: none;
  color: inherit;
}
.fastest-widget__compare { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.2em 0.75em; margin: 0.4em 0 0.2em; }
.fastest-widget__compare dt { font-weight: 600; }
.fastest-widget__compare dd { margin: 0; min-width: 0; }
.fastest-widget__text { padding: 0.4em 0.5em; background: var(--fastest-tint); border-radius: 4px; overflow-x: auto; }
.fastest-widget__setup { margin: 1em 0; border: 1px dashed var(--fastest-line); border-radius: 6px; overflow: hidden; }
.fastest-widget__setup-label { padding: 0.35em 0.75em; font: 0.85rem/1.4 system-ui, sans-serif; background: var(--fastest-tint); }
@media (max-width: 480px) {
  .fastest-widget__compare { grid-template-columns: minmax(0, 1fr); }
}
`;

const styleId = "fastest-widget-styles";

/** Add the widget styles to `doc` once (before the page's own styles, so the page can override them). */
export function installStyles(doc: Document): void {
  if (doc.getElementById(styleId)) return;
  const style = doc.createElement("style");
  style.id = styleId;
  style.textContent = css;
  doc.head.prepend(style);
}
