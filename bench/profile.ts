/**
 * Where the time goes: one extra run (not counted in the timed tables) of
 * fastest with `--json` and of pytest with `--junitxml` per suite that runs
 * tests, each split into start-up (process start to the session clock), the
 * session's fixed work (fastest: booting workers, collecting, reporting;
 * pytest: collecting, reporting) and the tests themselves.
 */
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { runOnce } from "./measure.js";
import type { Peer } from "./peers.js";
import type { Suite } from "./suites.js";

export interface Split {
  wall: number;
  /** Process start until the session clock starts. */
  startup: number;
  /** The session minus its tests (for several workers, minus the busiest worker's tests). */
  fixed: number;
  /** Tests' own time (setup, call, teardown); for several workers, the busiest worker's share. */
  tests: number;
  /** All tests' time added up, whichever worker ran them. */
  allTests: number;
  workers: number;
}

export interface Breakdown {
  suite: Suite;
  fastest: Split | string;
  pytest: Split | string;
}

function split(wall: number, session: number, perWorker: Map<string, number>): Split {
  const busiest = Math.max(0, ...perWorker.values());
  const allTests = [...perWorker.values()].reduce((sum, value) => sum + value, 0);
  return { wall, startup: wall - session, fixed: session - busiest, tests: busiest, allTests, workers: perWorker.size };
}

interface JsonReport {
  duration: number;
  tests: Array<{ duration: number; worker?: string }>;
}

function profileFastest(peer: Peer, suite: Suite, file: string): Split | string {
  rmSync(file, { force: true });
  const result = runOnce(peer.command(suite, ["--json", file]), null);
  if (!result.ok) return result.error;
  const report = JSON.parse(readFileSync(file, "utf8")) as JsonReport;
  const perWorker = new Map<string, number>();
  for (const test of report.tests) perWorker.set(test.worker ?? "gw0", (perWorker.get(test.worker ?? "gw0") ?? 0) + test.duration);
  return split(result.seconds, report.duration, perWorker);
}

function profilePytest(peer: Peer, suite: Suite, file: string): Split | string {
  rmSync(file, { force: true });
  const result = runOnce(peer.command(suite, ["--junitxml", file]), null);
  if (!result.ok) return result.error;
  const xml = readFileSync(file, "utf8");
  const session = Number(/<testsuite\b[^>]*\btime="([\d.]+)"/.exec(xml)?.[1]);
  const tests = [...xml.matchAll(/<testcase\b[^>]*\btime="([\d.]+)"/g)].reduce((sum, match) => sum + Number(match[1]), 0);
  if (!Number.isFinite(session)) return "no testsuite time in pytest's JUnit XML";
  return split(result.seconds, session, new Map([["main", tests]]));
}

/** A report that cannot be read is a failed profile, not a failed bench. */
function guarded(profile: () => Split | string): Split | string {
  try {
    return profile();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Profiles every suite that runs tests (not `--collect-only`) with the given fastest and pytest peers. */
export function profileSuites(suites: readonly Suite[], fastest: Peer | undefined, pytest: Peer | undefined, workDir: string): Breakdown[] {
  if (!fastest || !pytest || fastest.unavailable) return [];
  return suites
    .filter((suite) => suite.expect.summary === "passed" && suite.peers.includes("fastest") && suite.peers.includes("pytest"))
    .map((suite) => ({
      suite,
      fastest: guarded(() => profileFastest(fastest, suite, path.join(workDir, "profile-fastest.json"))),
      pytest: guarded(() => profilePytest(pytest, suite, path.join(workDir, "profile-pytest.xml"))),
    }));
}

/** Below this much test time in pytest, the tests' time ratio is timer noise: shown as "—". */
const MIN_COMPARABLE_SECONDS = 0.05;

const s = (value: number): string => `${value.toFixed(3)} s`;

function cells(split: Split | string): string[] {
  if (typeof split === "string") return [`failed: ${split.replaceAll("|", "\\|")}`, "", "", ""];
  return [s(split.wall), s(split.startup), s(split.fixed), `${s(split.tests)}${split.workers > 1 ? ` (busiest of ${split.workers})` : ""}`];
}

export function breakdownTable(breakdowns: readonly Breakdown[]): string {
  if (breakdowns.length === 0) return "Not measured: no suite that runs tests was selected with both fastest and pytest.";
  const rows = breakdowns.map(({ suite, fastest, pytest }) => {
    const comparable = typeof fastest !== "string" && typeof pytest !== "string" && pytest.allTests >= MIN_COMPARABLE_SECONDS;
    const ratio = comparable ? `${(fastest.allTests / pytest.allTests).toFixed(1)}x` : "—";
    return `| ${suite.name} | ${cells(fastest).join(" | ")} | ${cells(pytest).join(" | ")} | ${ratio} |`;
  });
  return [
    "| suite | fastest wall | start-up | boot, collect, report | tests | pytest wall | start-up | collect, report | tests | all tests' time, fastest / pytest |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows,
  ].join("\n");
}
