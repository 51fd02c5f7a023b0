/**
 * With `-s`, what a test prints shows while the test still runs, as under
 * pytest: the worker batches a run's events, but output that escapes
 * capture goes out at once, so the last lines before a long computation or
 * sleep are not held back until the next event. Each test prints two lines
 * in quick succession (the second used to wait in the batch) and then never
 * returns; both lines must arrive while it runs.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { wasiBuildDir } from "../node-host/engine-assets.js";
import { inlineFiles } from "./helpers/inline-files.js";
import { repoRoot, testCacheDir } from "./helpers/run-cli.js";

const bin = path.join(repoRoot, "node-host", "bin", "fastest.js");
const wasiBuilt = existsSync(path.join(wasiBuildDir, "manifest.json"));

const endless = {
  "test_endless.py": [
    "import time",
    "",
    "def test_busy():",
    "    print('first line', flush=True)",
    "    print('second line', flush=True)",
    "    n = 0",
    "    while True:",
    "        n += 1",
    "",
    "def test_sleepy():",
    "    print('third line', flush=True)",
    "    print('fourth line', flush=True)",
    "    while True:",
    "        time.sleep(0.05)",
    "",
  ].join("\n"),
};

/** Run the CLI until `wanted` has been printed (or 90 s passed), then stop it as Ctrl-C does; what it printed by then. */
async function printedWhileRunning(args: string[], cwd: string, wanted: string): Promise<string> {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd,
    env: { PATH: process.env["PATH"] ?? "", HOME: os.homedir(), FASTEST_CACHE_DIR: testCacheDir, COLUMNS: "80", NO_COLOR: "1" },
  });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  for (let i = 0; i < 1800 && !stdout.includes(wanted); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  const printed = stdout;
  child.kill("SIGINT");
  const stopped = await Promise.race([exited.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 30_000))]);
  if (!stopped) child.kill("SIGKILL");
  return printed;
}

describe.each([
  { engine: "pyodide", skip: false },
  { engine: "wasi", skip: !wasiBuilt },
])("-s output on the $engine engine", ({ engine, skip }) => {
  it.skipIf(skip)("shows the last lines a test printed before it went quiet in a busy loop", async () => {
    const dir = inlineFiles(endless);
    const stdout = await printedWhileRunning(["--engine", engine, "-s", "-n", "1", "-p", "no:cacheprovider", "test_endless.py::test_busy"], dir, "second line");
    expect(stdout).toContain("first line");
    expect(stdout).toContain("second line");
  }, 120_000);

  it.skipIf(skip)("shows the last lines a test printed before a long sleep", async () => {
    const dir = inlineFiles(endless);
    const stdout = await printedWhileRunning(["--engine", engine, "-s", "-n", "1", "-p", "no:cacheprovider", "test_endless.py::test_sleepy"], dir, "fourth line");
    expect(stdout).toContain("third line");
    expect(stdout).toContain("fourth line");
  }, 120_000);
});
