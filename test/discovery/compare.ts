/**
 * Static discovery against real pytest on one folder: pytest collects it
 * with collect_oracle.py, static discovery reads the same files, and every
 * file static discovery calls complete must list the same items.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { CollectedItem } from "../../core/protocol.js";
import { findTestFiles } from "../../node-host/project.js";
import { resolveRunConfig } from "../../node-host/run-config.js";
import { discoverStatically } from "../../node-host/static-discovery.js";

const ORACLE_DIR = path.resolve(import.meta.dirname);

export interface OracleItem {
  nodeid: string;
  location: [string, number | null, string];
  markers: string[];
  marks: Array<{ name: string; kwargs: Record<string, unknown> }>;
  keywords: string[];
  nodes: Array<{ type: string; name: string }>;
}

/** What real pytest collects under `dir` with `args`. */
export function pytestCollection(dir: string, args: string[] = []): { items: OracleItem[]; problems: string[] } {
  const scratch = mkdtempSync(path.join(tmpdir(), "fastest-static-oracle-"));
  const copy = path.join(scratch, path.basename(dir));
  cpSync(dir, copy, { recursive: true, filter: (src) => !src.includes("__pycache__") });
  const out = path.join(scratch, "oracle.json");
  try {
    execFileSync("python3", ["-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "-p", "collect_oracle", ...args], {
      cwd: copy,
      env: { ...process.env, PYTHONPATH: ORACLE_DIR, COLLECT_ORACLE_FILE: out, PYTEST_DISABLE_PLUGIN_AUTOLOAD: "1", PYTHONDONTWRITEBYTECODE: "1" },
      stdio: "pipe",
    });
  } catch {
    // Collection errors exit non-zero; the oracle file still says what was collected.
  }
  try {
    const result = JSON.parse(readFileSync(out, "utf8")) as { items: OracleItem[]; problems: string[] };
    return result;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** One item as compared: what pytest reports the same way fastest does. */
export function comparable(item: CollectedItem | OracleItem): unknown {
  return {
    nodeid: item.nodeid,
    location: item.location,
    markers: item.markers,
    marks: item.marks,
    keywords: [...new Set(item.keywords)].sort(),
    nodes: (item.nodes ?? []).map((n) => ({ type: n.type, name: n.name })),
  };
}

export interface FolderComparison {
  /** Test files, rootdir-relative. */
  files: string[];
  complete: string[];
  /** Reasons of the dynamic files. */
  dynamic: Record<string, string>;
  /** Per complete file: static items and pytest's, comparable. */
  pairs: Record<string, { ours: unknown[]; theirs: unknown[] }>;
}

/** Compare static discovery with pytest on one folder (run from that folder, as the parity groups are). */
export async function compareFolder(dir: string, args: string[] = []): Promise<FolderComparison> {
  const config = resolveRunConfig([...args], dir, {}, false);
  const testFiles = findTestFiles(config.paths, config.harness.pythonFiles, undefined, config.control.ignore);
  const found = await discoverStatically(config, testFiles, { cache: false });
  const oracle = pytestCollection(dir, args);
  const fileOf = (nodeid: string) => nodeid.split("::")[0]!;
  const result: FolderComparison = { files: found.files.map((f) => f.path), complete: [], dynamic: {}, pairs: {} };
  for (const file of found.files) {
    if (!file.complete) {
      result.dynamic[file.path] = file.reason ?? "";
      continue;
    }
    result.complete.push(file.path);
    const theirs = oracle.items.filter((i) => fileOf(i.nodeid) === file.path).map(comparable);
    const failed = oracle.problems.filter((p) => p === file.path || p.startsWith(`${file.path}::`) || file.path.startsWith(`${p}/`) || p === "");
    result.pairs[file.path] = { ours: file.items.map(comparable), theirs: failed.length > 0 ? [...theirs, { collectionProblem: failed }] : theirs };
  }
  return result;
}
