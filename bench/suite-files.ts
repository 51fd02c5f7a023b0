/** Writing a generated suite to disk. */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/** What a generator reports about the suite it wrote. */
export interface GeneratedSuite {
  /** Test items pytest collects from it; in a run, every one of them passes. */
  tests: number;
  /** One line for the results table, e.g. "2000 tests in 50 files, with fixtures and parametrize". */
  description: string;
}

/** Empties `dir` (a generated suite is always written from scratch). */
export function freshDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}

/** Writes `files` (relative POSIX path to text) under `dir`, making folders as needed. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [relative, text] of Object.entries(files)) {
    const target = path.join(dir, ...relative.split("/"));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
}

/** Zero-padded index, e.g. `pad(7, 500)` is "007". */
export function pad(index: number, count: number): string {
  return String(index).padStart(String(count - 1).length, "0");
}
