/**
 * The benchmark suites by name: what each one holds, which peers race on it
 * and what a good run prints. Every generated test passes under real pytest.
 */
import path from "node:path";
import { generateBasicSuite } from "./suite-basic.js";
import { calibrateSpin, generateCpuSuite } from "./suite-cpu.js";
import { generateCollectSuite } from "./suite-collect.js";
import type { GeneratedSuite } from "./suite-files.js";
import { generateRealisticSuite } from "./suite-realistic.js";

export const SUITE_NAMES = ["small", "medium", "large", "cpu", "realistic", "collect", "memory"] as const;
export type SuiteName = (typeof SUITE_NAMES)[number];

/** The summary a run must end with: `N passed`, or `N tests collected` for `--collect-only`. */
export interface Expectation {
  summary: "passed" | "collected";
  count: number;
}

export interface Suite {
  name: SuiteName;
  dir: string;
  description: string;
  expect: Expectation;
  /** Arguments every peer adds before the suite path (e.g. `--collect-only`). */
  args: string[];
  /** Ids of the peers that race on this suite, in table order. */
  peers: readonly string[];
  /** Table labels that differ from the peer's own. */
  labels: Readonly<Record<string, string>>;
}

const EVERY_RUNNER = ["fastest", "fastest-in-process", "fastest-wasi", "pytest", "pytest-n2", "pytest-pyodide"];

export interface SuiteContext {
  /** Native python3, for calibrating the cpu suite. */
  python: string;
}

function runSuite(name: SuiteName, dir: string, generated: GeneratedSuite, peers = EVERY_RUNNER): Suite {
  return { name, dir, description: generated.description, expect: { summary: "passed", count: generated.tests }, args: [], peers, labels: {} };
}

/** The large suite's shape, reused by the memory and watch measurements. */
export const LARGE_SPEC = { files: 50, testsPerFile: 40, rich: true };

/** Writes the suite `name` from scratch under `workDir/<name>`. */
export function generateSuite(workDir: string, name: SuiteName, context: SuiteContext): Suite {
  const dir = path.join(workDir, name);
  switch (name) {
    case "small":
      return runSuite(name, dir, generateBasicSuite(dir, name, { files: 1, testsPerFile: 10, rich: false }));
    case "medium":
      return runSuite(name, dir, generateBasicSuite(dir, name, { files: 10, testsPerFile: 20, rich: false }));
    case "large":
      return runSuite(name, dir, generateBasicSuite(dir, name, LARGE_SPEC));
    case "cpu":
      return runSuite(name, dir, generateCpuSuite(dir, calibrateSpin(context.python)), ["fastest", "fastest-n1", "fastest-wasi", "pytest", "pytest-n2", "pytest-pyodide"]);
    case "realistic":
      return runSuite(name, dir, generateRealisticSuite(dir));
    case "collect": {
      const generated = generateCollectSuite(dir);
      return {
        name,
        dir,
        description: generated.description,
        expect: { summary: "collected", count: generated.tests },
        args: ["--collect-only"],
        peers: ["fastest-cold", "fastest", "fastest-wasi", "pytest", "pytest-pyodide"],
        labels: { fastest: "fastest, warm cache", "fastest-wasi": "fastest, WASI engine, warm cache" },
      };
    }
    case "memory": {
      const generated = generateBasicSuite(dir, name, LARGE_SPEC);
      return {
        ...runSuite(name, dir, generated, ["fastest-host", "fastest-n1", "fastest-n2", "fastest-wasi-host", "fastest-wasi-n1", "fastest-wasi-n2"]),
        description: `peak RSS of fastest on the large suite's ${generated.tests} tests with one and two workers, and of its host part alone, on each engine`,
      };
    }
  }
}
