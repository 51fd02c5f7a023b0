/**
 * A self-contained HTML report (`--html PATH`, pytest-html's flag): one file
 * with its CSS and script inline, nothing fetched (a Content-Security-Policy
 * forbids any network use). It shows the summary counts, each test with its
 * outcome, duration, failure text and captured output, a filter by outcome
 * and by text, and sorting by duration.
 *
 * It renders a {@link JsonReport}: the JSON reporter collects the session,
 * this only formats it. Every piece of text from the run (test ids, output,
 * tracebacks) is untrusted and goes through {@link escapeHtml}; no run data
 * is ever placed inside the `<script>` or `<style>` elements. The rows are
 * plain HTML, so the report reads without scripts too; the script only
 * filters and reorders them.
 */
import type { ItemOutcome } from "../protocol.js";
import { htmlReportScript, htmlReportStyle } from "./html-assets.js";
import type { JsonPhase, JsonReport, JsonTest } from "./json.js";

/** Options of {@link htmlReport}. */
export interface HtmlReportOptions {
  /** The page's title and heading. Default `Test report`. */
  title?: string;
  /** A line under the heading, such as the tool and engine versions. */
  subtitle?: string;
}

/** Outcomes in the order the summary and the filter list them. */
const OUTCOMES: readonly ItemOutcome[] = ["failed", "error", "passed", "skipped", "xfailed", "xpassed"];

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escape text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/** A duration for people: `350 µs`, `12 ms`, `1.25 s`, `2 min 5 s`. */
export function formatDuration(seconds: number): string {
  if (seconds < 0.001) return `${Math.round(seconds * 1_000_000)} µs`;
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(2)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/** One row of the report: a test, or a file that failed to collect or skipped itself. */
interface Row {
  id: string;
  outcome: ItemOutcome;
  duration: number;
  /** Already-escaped HTML of the row's details. */
  details: string;
  /** Text the filter box searches besides the id (failure message, worker). */
  searchText: string;
}

function pre(label: string, text: string, className = ""): string {
  if (text === "") return "";
  return `<section><h4>${escapeHtml(label)}</h4><pre class="${className}">${escapeHtml(text)}</pre></section>`;
}

/** What one phase adds to a test's details: failure text, skip or xfail reason, captured output. */
function phaseDetails(name: string, phase: JsonPhase): string {
  let html = "";
  if (phase.longrepr && phase.outcome === "failed") html += pre(name === "call" ? "Failure" : `Error in ${name}`, phase.longrepr, "longrepr");
  if (phase.skip) html += pre("Skipped", `${phase.skip.path}:${phase.skip.lineno}: ${phase.skip.reason.replace(/^Skipped: /, "")}`);
  if (phase.wasxfail !== null && name === "call") html += pre("Expected to fail", phase.wasxfail.replace(/^reason: /, "") || "(no reason given)");
  html += pre(`Captured stdout ${name}`, phase.stdout);
  html += pre(`Captured stderr ${name}`, phase.stderr);
  html += pre(`Captured log ${name}`, phase.log);
  return html;
}

function testRow(test: JsonTest): Row {
  let details = "";
  const messages: string[] = [];
  for (const [name, phase] of Object.entries(test.phases) as Array<[string, JsonPhase]>) {
    details += phaseDetails(name, phase);
    if (phase.message) messages.push(phase.message);
  }
  for (const subtest of test.subtests ?? []) {
    details += `<section class="subtest"><h4>Subtest ${escapeHtml(subtest.description)}: ${escapeHtml(subtest.result)}</h4>${phaseDetails("call", subtest)}</section>`;
  }
  if (test.properties.length > 0) {
    const items = test.properties.map(([name, value]) => `<li><code>${escapeHtml(name)}</code> = <code>${escapeHtml(value)}</code></li>`).join("");
    details += `<section><h4>Properties</h4><ul>${items}</ul></section>`;
  }
  const where = `${test.location.path}${test.location.line === null ? "" : `:${test.location.line + 1}`}`;
  const phases = (Object.entries(test.phases) as Array<[string, JsonPhase]>).map(([name, phase]) => `${name} ${formatDuration(phase.duration)}`);
  details += `<p class="meta">${escapeHtml([where, ...phases, ...(test.worker ? [`worker ${test.worker}`] : [])].join(" · "))}</p>`;
  return { id: test.nodeid, outcome: test.outcome, duration: test.duration, details, searchText: messages.join("\n") };
}

function rows(report: JsonReport): Row[] {
  const result: Row[] = report.collectErrors.map((error) => ({
    id: error.nodeid,
    outcome: "error",
    duration: 0,
    details: pre("Collection error", error.longrepr, "longrepr"),
    searchText: error.message,
  }));
  for (const skip of report.collectSkipped) {
    const reason = skip.reason.replace(/^Skipped(: )?/, "");
    result.push({ id: skip.nodeid, outcome: "skipped", duration: 0, details: pre("Skipped while collecting", `${skip.path}:${skip.lineno}: ${reason}`), searchText: reason });
  }
  return [...result, ...report.tests.map(testRow)];
}

function rowHtml(row: Row, index: number): string {
  const open = row.outcome === "failed" || row.outcome === "error" ? " open" : "";
  return (
    `<details class="test ${row.outcome}" data-outcome="${row.outcome}" data-duration="${row.duration}" data-index="${index}"${open}>` +
    `<summary><span class="badge">${row.outcome}</span><span class="id">${escapeHtml(row.id)}</span>` +
    `<span class="duration">${formatDuration(row.duration)}</span></summary>` +
    `<div class="body">${row.details}<div hidden class="search">${escapeHtml(row.searchText)}</div></div></details>`
  );
}

function summaryHtml(report: JsonReport, counts: Record<ItemOutcome, number>): string {
  const boxes = OUTCOMES.map(
    (outcome) =>
      `<label class="count ${outcome}"><input type="checkbox" name="outcome" value="${outcome}" checked>` +
      `<span class="number">${counts[outcome]}</span> ${outcome}</label>`,
  ).join("");
  const facts = [
    `${report.summary.total} test${report.summary.total === 1 ? "" : "s"} in ${formatDuration(report.duration)}`,
    `exit code ${report.exitCode}`,
    ...(report.summary.deselected > 0 ? [`${report.summary.deselected} deselected`] : []),
    ...(report.summary.warnings > 0 ? [`${report.summary.warnings} warning${report.summary.warnings === 1 ? "" : "s"}`] : []),
    ...(report.seed === null ? [] : [`seed ${report.seed}`]),
    `started ${report.created}`,
    `rootdir ${report.root}`,
  ];
  return `<p class="facts">${facts.map(escapeHtml).join(" · ")}</p><fieldset class="filters"><legend>Show</legend>${boxes}</fieldset>`;
}

function warningsHtml(report: JsonReport): string {
  if (report.warnings.length === 0) return "";
  const items = report.warnings
    .map((w) => `<li><code>${escapeHtml(w.nodeid || "(collection)")}</code><pre>${escapeHtml(`${w.filename}:${w.lineno}: ${w.category}: ${w.message}`)}</pre></li>`)
    .join("");
  return `<details class="warnings"><summary>Warnings (${report.warnings.length})</summary><ul>${items}</ul></details>`;
}

/** The whole report page. */
export function htmlReport(report: JsonReport, options: HtmlReportOptions = {}): string {
  const title = options.title ?? "Test report";
  const all = rows(report);
  const counts = Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as Record<ItemOutcome, number>;
  for (const row of all) counts[row.outcome] += 1;
  // No network, no plugins, no frames: the file must work alone and cannot phone home.
  const csp = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${htmlReportStyle}</style>`,
    "</head>",
    "<body>",
    `<header><h1>${escapeHtml(title)}</h1>${options.subtitle ? `<p class="subtitle">${escapeHtml(options.subtitle)}</p>` : ""}`,
    summaryHtml(report, counts),
    '<div class="controls"><label>Filter <input type="search" id="filter" placeholder="test id or message" autocomplete="off"></label>',
    '<label>Sort <select id="sort"><option value="index">run order</option><option value="slowest">slowest first</option>' +
      '<option value="fastest">fastest first</option><option value="name">test id</option></select></label>',
    '<button type="button" id="expand">Expand all</button><button type="button" id="collapse">Collapse all</button>',
    '<span id="shown" aria-live="polite"></span></div>',
    "</header>",
    "<main>",
    warningsHtml(report),
    `<div id="tests">${all.map(rowHtml).join("\n")}</div>`,
    all.length === 0 ? '<p class="empty">No tests ran.</p>' : "",
    "</main>",
    `<script>${htmlReportScript}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
