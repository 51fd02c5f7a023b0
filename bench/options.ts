/** `npm run bench` options. */
import { parseArgs } from "node:util";
import { PEER_IDS } from "./peers.js";
import { SUITE_NAMES } from "./suites.js";

/** What can be picked with `--suites`: the raced suites and the watch measurement. */
export const PART_NAMES = [...SUITE_NAMES, "watch"] as const;

export interface Options {
  rounds: number;
  /** pytest in Pyodide takes part in the first this-many rounds only (it is slow and its spread is small). */
  pyodideRounds: number;
  parts: string[];
  peers: string[] | null;
  /** Where the report goes (docs/BENCHMARKS.md unless `--out` says otherwise, e.g. for a quick trial run). */
  out: string | null;
}

export const USAGE = `usage: node dist/bench/run.js [--rounds N] [--pyodide-rounds N] [--suites ${PART_NAMES.join(",")}] [--peers ${PEER_IDS.join(",")}] [--out FILE]`;

function splitList(value: string | undefined, allowed: readonly string[], what: string): string[] | null {
  if (value === undefined) return null;
  const items = value.split(",").map((item) => item.trim()).filter(Boolean);
  const unknown = items.filter((item) => !allowed.includes(item));
  if (unknown.length > 0) throw new Error(`unknown ${what} ${unknown.join(", ")}: choose from ${allowed.join(", ")}`);
  return items;
}

function count(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${flag} must be a positive integer, got ${value}`);
  return parsed;
}

export const DEFAULT_ROUNDS = 5;
export const DEFAULT_PYODIDE_ROUNDS = 3;

export function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: { rounds: { type: "string" }, "pyodide-rounds": { type: "string" }, suites: { type: "string" }, peers: { type: "string" }, out: { type: "string" } },
    strict: true,
  });
  const rounds = count(values.rounds, DEFAULT_ROUNDS, "--rounds");
  return {
    rounds,
    pyodideRounds: Math.min(rounds, count(values["pyodide-rounds"], DEFAULT_PYODIDE_ROUNDS, "--pyodide-rounds")),
    parts: splitList(values.suites, PART_NAMES, "suite") ?? [...PART_NAMES],
    peers: splitList(values.peers, PEER_IDS, "peer"),
    out: values.out ?? null,
  };
}
