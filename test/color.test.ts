/**
 * Colored output follows pytest 9: `--color`, `PY_COLORS`, `NO_COLOR`,
 * `FORCE_COLOR`, `TERM=dumb` and whether stdout is a terminal. The decision
 * table is checked against pytest's own code (`should_do_markup` and the
 * `--color` override), then the CLI against real pytest on a pipe and on a
 * pseudo-terminal. Colors may change only the escapes, never the text.
 */
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { useColor } from "../node-host/color.js";
import { normalize } from "./helpers/compare.js";
import { inlineFiles } from "./helpers/inline-files.js";
import { runOnTerminal } from "./helpers/pty.js";
import { repoRoot, testCacheDir } from "./helpers/run-cli.js";

const environments: Array<Record<string, string>> = [
  {},
  { NO_COLOR: "1" },
  { NO_COLOR: "" },
  { FORCE_COLOR: "1" },
  { NO_COLOR: "1", FORCE_COLOR: "1" },
  { PY_COLORS: "1", NO_COLOR: "1" },
  { PY_COLORS: "0", FORCE_COLOR: "1" },
  { PY_COLORS: "yes" },
  { TERM: "dumb" },
  { TERM: "dumb", FORCE_COLOR: "1" },
  { TERM: "xterm-256color" },
];
const options = ["auto", "yes", "no"];

/** pytest's decision for each case, computed by pytest's own functions. */
function pytestDecisions(): boolean[] {
  const cases = environments.flatMap((env) => options.flatMap((option) => [true, false].map((tty) => ({ env, option, tty }))));
  const script = String.raw`
import json, os, sys
from _pytest._io.terminalwriter import should_do_markup
class File:
    def __init__(self, tty): self.tty = tty
    def isatty(self): return self.tty
out = []
for case in json.load(sys.stdin):
    for name in ("NO_COLOR", "FORCE_COLOR", "PY_COLORS", "TERM"):
        os.environ.pop(name, None)
    os.environ.update(case["env"])
    markup = should_do_markup(File(case["tty"]))
    # _pytest.config.create_terminal_writer: --color=yes/no override the environment.
    if case["option"] == "yes": markup = True
    elif case["option"] == "no": markup = False
    out.append(markup)
print(json.dumps(out))
`;
  const result = spawnSync("python3", ["-c", script], { input: JSON.stringify(cases), encoding: "utf8" });
  if (result.status !== 0) throw new Error(`pytest's terminalwriter could not be imported: ${result.stderr}`);
  const decisions = JSON.parse(result.stdout) as boolean[];
  return cases.map((c, i) => {
    expect({ ...c, color: useColor(c.option, c.env, c.tty) }).toEqual({ ...c, color: decisions[i] });
    return decisions[i]!;
  });
}

const files = {
  "test_colors.py": `
    import pytest

    def test_pass():
        pass

    def test_fail():
        assert [1, 2] == [1, 3]

    @pytest.mark.skip(reason="later")
    def test_skip():
        pass
  `,
};

const ESC = "\x1b[";
const strip = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "");

/** A clean environment with only the given color variables (no CI, no inherited NO_COLOR). */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env["PATH"] ?? "", HOME: os.homedir(), FASTEST_CACHE_DIR: testCacheDir, COLUMNS: "80", PYTEST_DISABLE_PLUGIN_AUTOLOAD: "1", FASTEST_PROGRESS: "0", ...extra };
}

const fastest = [path.join(repoRoot, "node-host", "bin", "fastest.js"), "-n", "1"];
const pytest = ["-m", "pytest", "-p", "no:cacheprovider"];

function piped(command: string, args: string[], cwd: string, env: Record<string, string>): string {
  return spawnSync(command, args, { cwd, env: cleanEnv(env), encoding: "utf8", timeout: 120_000 }).stdout;
}

/** Run a command with stdout and stderr on a pseudo-terminal (Python's pty module), returning what it wrote. */
function onTerminal(command: string, args: string[], cwd: string, env: Record<string, string>): string {
  return runOnTerminal([command, ...args], { cwd, env: cleanEnv(env) });
}

describe("colors", () => {
  it("the decision table is pytest 9's (should_do_markup and --color)", () => {
    const decisions = pytestDecisions();
    expect(decisions).toContain(true);
    expect(decisions).toContain(false);
  });

  it.each([
    [{ FORCE_COLOR: "1" }, []],
    [{ NO_COLOR: "1", FORCE_COLOR: "1" }, []],
    [{ PY_COLORS: "1" }, []],
    [{ PY_COLORS: "0", FORCE_COLOR: "1" }, []],
    [{ NO_COLOR: "1" }, ["--color=yes"]],
    [{ FORCE_COLOR: "1" }, ["--color=no"]],
  ] as Array<[Record<string, string>, string[]]>)("on a pipe with %j %j: colored exactly when pytest is, same text", (env, args) => {
    const dir = inlineFiles(files);
    const ours = piped(process.execPath, [...fastest, ...args], dir, env);
    const theirs = piped("python3", [...pytest, ...args], dir, env);
    expect(ours.includes(ESC)).toBe(theirs.includes(ESC));
    expect(normalize(strip(ours))).toBe(normalize(strip(theirs)));
  });

  it("on a terminal: colored unless TERM=dumb, NO_COLOR or --color=no, as pytest; the text never changes", () => {
    const dir = inlineFiles(files);
    const plain = piped(process.execPath, fastest, dir, {});
    for (const [env, args] of [
      [{ TERM: "xterm" }, []],
      [{ TERM: "dumb" }, []],
      [{ TERM: "xterm", NO_COLOR: "1" }, []],
      [{ TERM: "xterm" }, ["--color=no"]],
    ] as Array<[Record<string, string>, string[]]>) {
      const ours = onTerminal(process.execPath, [...fastest, ...args], dir, env);
      const theirs = onTerminal("python3", [...pytest, ...args], dir, env);
      expect({ env, args, colored: ours.includes(ESC) }).toEqual({ env, args, colored: theirs.includes(ESC) });
      expect(normalize(strip(ours))).toBe(normalize(strip(plain)));
    }
  });
});
