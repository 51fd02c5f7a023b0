import { expect } from "vitest";
import { inlineFiles } from "./inline-files.js";
import { runCli, runPytest, type CliResult } from "./run-cli.js";

/** A report with the lines that must differ (platform, seed, workers, timing, addresses) taken out. */
export const normalize = (stdout: string): string =>
  stdout
    .split("\n")
    .filter((line) => !/^(platform |seed: |workers: |plugins: |benchmark: )/.test(line))
    .join("\n")
    .replace(/ in \d+\.\d+s( \(\d+:\d+:\d+\))?( =+)?$/gm, " in Ns")
    .replace(/^=+ (.*) in Ns$/gm, "$1")
    .replace(/cache from \d+:\d+:\d+ ago/g, "cache from N ago")
    .replace(/0x[0-9a-f]+/g, "0xADDR")
    // Caret lines under a source line come from the interpreter's column
    // positions, which differ between the host's Python and the sandbox's 3.14.
    .replace(/^ *\^+\n/gm, "");

/**
 * Run both on the same tree (a folder or inline files; one worker unless
 * told otherwise); the reports and exit codes must be equal.
 */
export function expectSameReport(files: Record<string, string> | string, args: string[], workers = 1): CliResult {
  const dir = typeof files === "string" ? files : inlineFiles(files);
  const ours = runCli(["-n", String(workers), ...args], dir);
  const theirs = runPytest(args, dir);
  expect(ours.stderr).not.toMatch(/Traceback|Error:/);
  expect(normalize(ours.stdout)).toBe(normalize(theirs.stdout));
  expect(ours.status).toBe(theirs.status);
  return ours;
}
