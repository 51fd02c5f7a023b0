/**
 * Merging the workers' coverage measurements and the figures coverage.py
 * reports from them (statements, misses, branches, partial branches,
 * percentage, the `Missing` column).
 */
import type { CoverageData } from "../core/protocol.js";

/** One file's coverage after merging every worker. */
export interface FileResult {
  path: string;
  statements: number[];
  excluded: number[];
  executed: Set<number>;
  /** Possible arcs by their start line (branch lines only). */
  branches: Map<number, number[]>;
  executedArcs: Set<string>;
}

/** coverage.py's counts for a file or the total. */
export interface Numbers {
  statements: number;
  missing: number;
  branches: number;
  /** Branch lines that ran with some exits not taken. */
  partialBranches: number;
  missingBranches: number;
}

/** All measured files, merged, sorted by path. */
export interface MergedCoverage {
  files: FileResult[];
  branch: boolean;
  warnings: string[];
}

export const arcKey = (from: number, to: number): string => `${from}>${to}`;

/**
 * Merge what each interpreter measured: a line or arc that ran anywhere ran.
 * The static facts (statements, arcs) are the same in every worker.
 */
export function mergeCoverage(parts: readonly CoverageData[], branch: boolean): MergedCoverage {
  const byPath = new Map<string, FileResult>();
  const warnings = new Set<string>();
  for (const part of parts) {
    for (const warning of part.warnings) warnings.add(warning);
    for (const file of part.files) {
      let merged = byPath.get(file.path);
      if (!merged) {
        const branches = new Map<number, number[]>();
        for (const [from, to] of file.arcs ?? []) branches.set(from, [...(branches.get(from) ?? []), to]);
        merged = { path: file.path, statements: file.statements, excluded: file.excluded, executed: new Set(), branches, executedArcs: new Set() };
        byPath.set(file.path, merged);
      }
      for (const line of file.executed) merged.executed.add(line);
      for (const [from, to] of file.executedArcs ?? []) merged.executedArcs.add(arcKey(from, to));
    }
  }
  const files = [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, branch, warnings: [...warnings] };
}

/** A file's counts. */
export function numbersOf(file: FileResult): Numbers {
  const missing = file.statements.filter((line) => !file.executed.has(line)).length;
  let branches = 0;
  let partialBranches = 0;
  let missingBranches = 0;
  for (const [from, ends] of file.branches) {
    branches += ends.length;
    const missed = ends.filter((to) => !file.executedArcs.has(arcKey(from, to))).length;
    missingBranches += missed;
    if (missed > 0 && file.executed.has(from)) partialBranches += 1;
  }
  return { statements: file.statements.length, missing, branches, partialBranches, missingBranches };
}

export function addNumbers(a: Numbers, b: Numbers): Numbers {
  return {
    statements: a.statements + b.statements,
    missing: a.missing + b.missing,
    branches: a.branches + b.branches,
    partialBranches: a.partialBranches + b.partialBranches,
    missingBranches: a.missingBranches + b.missingBranches,
  };
}

export const noNumbers: Numbers = { statements: 0, missing: 0, branches: 0, partialBranches: 0, missingBranches: 0 };

/** Percentage covered: ran statements and taken branches over all of them (100 when there is nothing). */
export function percentCovered(n: Numbers): number {
  const total = n.statements + n.branches;
  if (total === 0) return 100;
  return (100 * (n.statements - n.missing + n.branches - n.missingBranches)) / total;
}

/** The percentage as coverage.py prints it: whole numbers, never 0 or 100 unless exactly so. */
export function displayPercent(pc: number): string {
  if (pc > 0 && pc < 1) return "1%";
  if (pc > 99 && pc < 100) return "99%";
  return `${Math.round(pc)}%`;
}

/**
 * coverage.py's `Missing` column: runs of missed statements (`3-5`, across
 * lines that are no statements) and, with branches, the exits not taken
 * from lines that ran (`7->9`, `7->exit`), in line order.
 */
export function missingText(file: FileResult, branch: boolean): string {
  const entries: Array<{ line: number; text: string }> = [];
  let start: number | null = null;
  let end = 0;
  const flush = () => {
    if (start !== null) entries.push({ line: start, text: start === end ? `${start}` : `${start}-${end}` });
    start = null;
  };
  for (const line of file.statements) {
    if (file.executed.has(line)) flush();
    else {
      if (start === null) start = line;
      end = line;
    }
  }
  flush();
  const missed = new Set(file.statements.filter((line) => !file.executed.has(line)));
  if (branch) {
    for (const [from, ends] of file.branches) {
      if (!file.executed.has(from)) continue;
      for (const to of ends) {
        // An exit to a missed line shows as that line.
        if (to > 0 && missed.has(to)) continue;
        if (!file.executedArcs.has(arcKey(from, to))) entries.push({ line: from, text: `${from}->${to < 0 ? "exit" : to}` });
      }
    }
  }
  // Missed lines first among equals, then arcs by their target, as coverage.py lists them.
  return entries
    .map((entry, i) => ({ ...entry, i }))
    .sort((a, b) => a.line - b.line || a.i - b.i)
    .map((entry) => entry.text)
    .join(", ");
}
