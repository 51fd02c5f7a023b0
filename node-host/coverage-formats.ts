/**
 * The coverage reports: coverage.py's terminal table, LCOV (what editors
 * and Codecov read) and Cobertura XML (coverage.py's `xml` report, which
 * Codecov, GitLab and Jenkins read).
 */
import { addNumbers, arcKey, displayPercent, missingText, noNumbers, numbersOf, percentCovered, type MergedCoverage } from "./coverage-data.js";

export interface TableOptions {
  /** The `Missing` column (`term-missing`). */
  missing: boolean;
  /** Leave out files with nothing missed (`:skip-covered`). */
  skipCovered: boolean;
}

/** coverage.py's `report` table (`Name  Stmts  Miss [Branch BrPart]  Cover [Missing]`). */
export function coverageTable(coverage: MergedCoverage, options: TableOptions): string[] {
  const { branch } = coverage;
  const rows = coverage.files.map((file) => ({ file, n: numbersOf(file) }));
  const total = rows.reduce((sum, row) => addNumbers(sum, row.n), noNumbers);
  const shown = options.skipCovered ? rows.filter((row) => percentCovered(row.n) < 100) : rows;
  const width = Math.max(4, 5, ...shown.map((row) => row.file.path.length));
  const num = (value: number) => String(value).padStart(6);
  const line = (name: string, n: typeof total, missing: string | null) => {
    let text = `${name.padEnd(width)}  ${num(n.statements)} ${num(n.missing)}`;
    if (branch) text += ` ${num(n.branches)} ${num(n.partialBranches)}`;
    text += ` ${displayPercent(percentCovered(n)).padStart(6)}`;
    if (missing !== null) text += `   ${missing}`;
    return text.trimEnd();
  };
  let header = `${"Name".padEnd(width)}   Stmts   Miss`;
  if (branch) header += " Branch BrPart";
  header += "  Cover";
  if (options.missing) header += "   Missing";
  const rule = "-".repeat(header.length);
  const lines = [header, rule];
  for (const { file, n } of shown) lines.push(line(file.path, n, options.missing ? missingText(file, branch) : null));
  if (rows.length > 1 || shown.length !== rows.length) lines.push(rule, line("TOTAL", total, options.missing ? "" : null));
  const skipped = rows.length - shown.length;
  if (skipped > 0) lines.push("", `${skipped} file${skipped === 1 ? "" : "s"} skipped due to complete coverage.`);
  return lines;
}

/** LCOV tracefile: per file `SF`, `DA` per statement, `LF`/`LH`, `BRDA` per branch exit, `BRF`/`BRH`. */
export function lcovReport(coverage: MergedCoverage): string {
  const out: string[] = [];
  for (const file of coverage.files) {
    const n = numbersOf(file);
    out.push("TN:", `SF:${file.path}`);
    for (const line of file.statements) out.push(`DA:${line},${file.executed.has(line) ? 1 : 0}`);
    out.push(`LF:${n.statements}`, `LH:${n.statements - n.missing}`);
    if (coverage.branch) {
      for (const [from, ends] of file.branches) {
        ends.forEach((to, index) => {
          // `-`: the branch line never ran, so none of its exits had a chance.
          const taken = !file.executed.has(from) ? "-" : file.executedArcs.has(arcKey(from, to)) ? "1" : "0";
          out.push(`BRDA:${from},0,${index},${taken}`);
        });
      }
      out.push(`BRF:${n.branches}`, `BRH:${n.branches - n.missingBranches}`);
    }
    out.push("end_of_record");
  }
  return out.join("\n") + "\n";
}

const rate = (covered: number, valid: number) => (valid === 0 ? "1" : String(Math.round((covered / valid) * 10000) / 10000));

function xmlEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export interface CoberturaOptions {
  /** Absolute path of the folder the file names are relative to (the rootdir): `<source>`. */
  source: string;
  version: string;
  timestamp: number;
}

/**
 * Cobertura XML as coverage.py writes it (coverage-04.dtd): one `<package>`
 * per folder, one `<class>` per file, a `<line>` per statement; branch lines
 * carry `branch="true"` and `condition-coverage="50% (1/2)"`.
 */
export function coberturaReport(coverage: MergedCoverage, options: CoberturaOptions): string {
  const packages = new Map<string, typeof coverage.files>();
  for (const file of coverage.files) {
    const slash = file.path.lastIndexOf("/");
    const name = slash < 0 ? "." : file.path.slice(0, slash).replace(/\//g, ".");
    packages.set(name, [...(packages.get(name) ?? []), file]);
  }
  const totals = coverage.files.reduce((sum, file) => addNumbers(sum, numbersOf(file)), noNumbers);
  const branchRate = (n: typeof totals) => (coverage.branch ? rate(n.branches - n.missingBranches, n.branches) : "0");
  const body: string[] = [];
  for (const [name, files] of [...packages].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const n = files.reduce((sum, file) => addNumbers(sum, numbersOf(file)), noNumbers);
    body.push(`\t\t<package name="${xmlEscape(name)}" line-rate="${rate(n.statements - n.missing, n.statements)}" branch-rate="${branchRate(n)}" complexity="0">`, "\t\t\t<classes>");
    for (const file of files) {
      const f = numbersOf(file);
      const className = file.path.slice(file.path.lastIndexOf("/") + 1);
      body.push(
        `\t\t\t\t<class name="${xmlEscape(className)}" filename="${xmlEscape(file.path)}" complexity="0" line-rate="${rate(f.statements - f.missing, f.statements)}" branch-rate="${branchRate(f)}">`,
        "\t\t\t\t\t<methods/>",
        "\t\t\t\t\t<lines>",
      );
      for (const line of file.statements) {
        let attrs = `number="${line}" hits="${file.executed.has(line) ? 1 : 0}"`;
        const ends = coverage.branch ? file.branches.get(line) : undefined;
        if (ends) {
          const missed = ends.filter((to) => !file.executedArcs.has(arcKey(line, to)));
          const taken = ends.length - missed.length;
          attrs += ` branch="true" condition-coverage="${Math.round((100 * taken) / ends.length)}% (${taken}/${ends.length})"`;
          if (missed.length > 0) attrs += ` missing-branches="${missed.map((to) => (to < 0 ? "exit" : String(to))).join(",")}"`;
        }
        body.push(`\t\t\t\t\t\t<line ${attrs}/>`);
      }
      body.push("\t\t\t\t\t</lines>", "\t\t\t\t</class>");
    }
    body.push("\t\t\t</classes>", "\t\t</package>");
  }
  const head =
    `<coverage version="${xmlEscape(options.version)}" timestamp="${options.timestamp}"` +
    ` lines-valid="${totals.statements}" lines-covered="${totals.statements - totals.missing}" line-rate="${rate(totals.statements - totals.missing, totals.statements)}"` +
    ` branches-covered="${coverage.branch ? totals.branches - totals.missingBranches : 0}" branches-valid="${coverage.branch ? totals.branches : 0}" branch-rate="${branchRate(totals)}" complexity="0">`;
  return [
    '<?xml version="1.0" ?>',
    head,
    `\t<!-- Generated by fastest ${xmlEscape(options.version)} -->`,
    "\t<!-- Based on https://raw.githubusercontent.com/cobertura/web/master/htdocs/xml/coverage-04.dtd -->",
    "\t<sources>",
    `\t\t<source>${xmlEscape(options.source)}</source>`,
    "\t</sources>",
    "\t<packages>",
    ...body,
    "\t</packages>",
    "</coverage>",
    "",
  ].join("\n");
}
