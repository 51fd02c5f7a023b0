/**
 * What the results tree shows, as plain data: each test's state across runs
 * (a full run replaces everything, a run of a few tests updates only those),
 * grouping by file and class, and the comparison of a re-run with the
 * results recorded in a share link. No DOM: unit-tested in Node.
 */
import type { CollectError, ItemOutcome, ItemResult } from "../runtime/api.js";

/** A test's state in the tree: a final outcome, or where it stands in the current run. */
export type TestState = ItemOutcome | "pending" | "running" | "not-run";

/** One row of the tree. */
export interface TestEntry {
  nodeid: string;
  state: TestState;
  /** The finished result, when there is one. */
  result: ItemResult | null;
  /** The result came from a share link, not from a run in this page. */
  recorded: boolean;
}

/** A test recorded in a share link. */
export interface RecordedResult {
  nodeid: string;
  outcome: ItemOutcome;
  longrepr: string;
  /** Seconds. */
  duration: number;
  message: string;
  timedOut: boolean;
}

/** Icon and words for each state: outcomes are never told by colour alone. */
export const STATE_LABELS: Record<TestState, { icon: string; text: string }> = {
  passed: { icon: "✓", text: "passed" },
  failed: { icon: "✗", text: "failed" },
  error: { icon: "⚠", text: "error" },
  skipped: { icon: "↷", text: "skipped" },
  xfailed: { icon: "◌", text: "xfailed" },
  xpassed: { icon: "✦", text: "xpassed" },
  pending: { icon: "…", text: "pending" },
  running: { icon: "▶", text: "running" },
  "not-run": { icon: "–", text: "not run" },
};

/** The tests of one run or link, in collection order, plus the files that failed to collect. */
export class ResultsModel {
  private entries = new Map<string, TestEntry>();
  errors: CollectError[] = [];

  /** Entries in collection order. */
  list(): TestEntry[] {
    return [...this.entries.values()];
  }

  get(nodeid: string): TestEntry | undefined {
    return this.entries.get(nodeid);
  }

  /** Forget everything (a new workspace). */
  clear(): void {
    this.entries.clear();
    this.errors = [];
  }

  /** Show the results a share link carries, marked as recorded. */
  loadRecorded(results: readonly RecordedResult[], errors: readonly CollectError[]): void {
    this.clear();
    this.errors = [...errors];
    for (const recorded of results) {
      const result: ItemResult = {
        nodeid: recorded.nodeid,
        location: [fileOf(recorded.nodeid), null, recorded.nodeid],
        outcome: recorded.outcome,
        duration: recorded.duration,
        longrepr: recorded.longrepr,
        message: recorded.message,
        sections: [],
        reports: [],
        timedOut: recorded.timedOut,
      };
      this.entries.set(recorded.nodeid, { nodeid: recorded.nodeid, state: recorded.outcome, result, recorded: true });
    }
  }

  /**
   * A run collected its tests. A full run (`partial` false) replaces the tree;
   * a run of selected tests keeps the other rows as they were.
   */
  collected(nodeids: readonly string[], errors: readonly CollectError[], partial: boolean): void {
    if (!partial) {
      this.entries.clear();
      this.errors = [...errors];
    } else {
      // A collection error in a file being re-run replaces the old one for that file.
      const files = new Set(nodeids.map(fileOf));
      for (const error of errors) files.add(fileOf(error.nodeid));
      this.errors = [...this.errors.filter((error) => !files.has(fileOf(error.nodeid))), ...errors];
    }
    for (const nodeid of nodeids) {
      const old = this.entries.get(nodeid);
      const entry: TestEntry = { nodeid, state: "pending", result: null, recorded: false };
      if (old) Object.assign(old, entry);
      else this.entries.set(nodeid, entry);
    }
  }

  started(nodeid: string): void {
    const entry = this.entries.get(nodeid);
    if (entry) entry.state = "running";
    else this.entries.set(nodeid, { nodeid, state: "running", result: null, recorded: false });
  }

  finished(result: ItemResult): void {
    const entry = this.entries.get(result.nodeid);
    if (entry) Object.assign(entry, { state: result.outcome, result, recorded: false });
    else this.entries.set(result.nodeid, { nodeid: result.nodeid, state: result.outcome, result, recorded: false });
  }

  /** Drop the rows of tests that no longer exist (a run of them found nothing to collect). */
  remove(nodeids: readonly string[]): void {
    for (const nodeid of nodeids) this.entries.delete(nodeid);
  }

  /** The run ended (or was stopped): rows still waiting did not run. */
  settle(): void {
    for (const entry of this.entries.values()) {
      if (entry.state === "pending" || entry.state === "running") entry.state = "not-run";
    }
  }

  /** Node ids whose last result was a failure or an error, and files that failed to collect: what "Run failed" runs (as pytest's `--lf`). */
  failedIds(): string[] {
    const tests = this.list()
      .filter((entry) => entry.state === "failed" || entry.state === "error")
      .map((entry) => entry.nodeid);
    return [...new Set([...tests, ...this.errors.map((error) => error.nodeid)])];
  }
}

/** The file part of a node id: `pkg/test_a.py::T::test[x]` → `pkg/test_a.py`. */
export function fileOf(nodeid: string): string {
  return nodeid.split("::")[0] ?? nodeid;
}

/** The parts after the file: `["T", "test[x]"]`. Brackets of a parameter id may hold `::`; they stay with the test name. */
export function namePartsOf(nodeid: string): string[] {
  const bracket = nodeid.indexOf("[");
  const head = bracket < 0 ? nodeid : nodeid.slice(0, bracket);
  const tail = bracket < 0 ? "" : nodeid.slice(bracket);
  const parts = head.split("::").slice(1);
  if (parts.length === 0) return [tail || nodeid];
  parts[parts.length - 1] += tail;
  return parts;
}

/** A group of the tree: a file or a class, holding tests and nested groups, in first-seen order. */
export interface TreeGroup {
  /** `test_a.py` or `test_a.py::TestX`. */
  id: string;
  label: string;
  tests: TestEntry[];
  groups: TreeGroup[];
}

/** Group entries by file, then by class (the node id parts between file and test). */
export function groupEntries(entries: readonly TestEntry[]): TreeGroup[] {
  const roots: TreeGroup[] = [];
  const byId = new Map<string, TreeGroup>();
  const groupFor = (id: string, label: string, siblings: TreeGroup[]): TreeGroup => {
    let group = byId.get(id);
    if (!group) {
      group = { id, label, tests: [], groups: [] };
      byId.set(id, group);
      siblings.push(group);
    }
    return group;
  };
  for (const entry of entries) {
    const file = fileOf(entry.nodeid);
    let group = groupFor(file, file, roots);
    const parts = namePartsOf(entry.nodeid);
    let id = file;
    for (const part of parts.slice(0, -1)) {
      id += `::${part}`;
      group = groupFor(id, part, group.groups);
    }
    group.tests.push(entry);
  }
  return roots;
}

/** How a re-run compares with the recorded results of a share link. */
export interface Reproduction {
  reproduced: boolean;
  /** Tests whose outcome differs (or that exist on one side only): `[nodeid, recorded, now]`. */
  differences: Array<[string, ItemOutcome | "missing", ItemOutcome | "missing"]>;
}

/** Compare per-test outcomes: the link reproduced when every recorded test has the same outcome now and no test was added or lost. */
export function compareWithRecorded(recorded: readonly RecordedResult[], now: readonly ItemResult[]): Reproduction {
  const current = new Map(now.map((result) => [result.nodeid, result.outcome]));
  const differences: Reproduction["differences"] = [];
  for (const item of recorded) {
    const outcome = current.get(item.nodeid) ?? "missing";
    if (outcome !== item.outcome) differences.push([item.nodeid, item.outcome, outcome]);
    current.delete(item.nodeid);
  }
  for (const [nodeid, outcome] of current) differences.push([nodeid, "missing", outcome]);
  return { reproduced: differences.length === 0, differences };
}

/** Counts by state, as pytest's summary orders them: `1 failed, 2 passed`. */
export function countLine(entries: readonly TestEntry[]): string {
  const order: TestState[] = ["failed", "passed", "skipped", "xfailed", "xpassed", "error", "not-run"];
  const counts = new Map<TestState, number>();
  for (const entry of entries) counts.set(entry.state, (counts.get(entry.state) ?? 0) + 1);
  return order
    .filter((state) => counts.get(state))
    .map((state) => `${counts.get(state)} ${state === "error" && counts.get(state)! > 1 ? "errors" : STATE_LABELS[state].text}`)
    .join(", ");
}
