/**
 * The live progress bar: its rendering and its escapes against a small
 * terminal model with a fake clock (what stays on the screen must be the
 * report alone), when the CLI shows it, and one run on a pseudo-terminal.
 */
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { PhaseReport } from "../core/protocol.js";
import { ProgressBar } from "../core/reporters/progress-bar.js";
import { showsProgress, type Terminal } from "../node-host/progress.js";
import { resolveRunConfig } from "../node-host/run-config.js";
import { normalize } from "./helpers/compare.js";
import { inlineFiles } from "./helpers/inline-files.js";
import { runOnTerminal } from "./helpers/pty.js";
import { repoRoot, testCacheDir } from "./helpers/run-cli.js";

/** A terminal screen that understands what the bar writes: text, CR, LF, ESC[J, ESC[nA, ESC[nC, colors. */
class Screen {
  rows: string[][] = [[]];
  row = 0;
  col = 0;
  write(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const char = text[i]!;
      if (char === "\x1b") {
        const match = /^\x1b\[(\d*)([A-Za-z])/.exec(text.slice(i))!;
        const n = Number(match[1] || "1");
        if (match[2] === "J") {
          this.rows[this.row] = this.rows[this.row]!.slice(0, this.col);
          this.rows.length = this.row + 1;
        } else if (match[2] === "A") this.row = Math.max(0, this.row - n);
        else if (match[2] === "C") this.col += n;
        i += match[0].length - 1;
      } else if (char === "\r") this.col = 0;
      else if (char === "\n") {
        this.row += 1;
        this.col = 0;
        this.rows[this.row] ??= [];
      } else {
        const line = this.rows[this.row]!;
        while (line.length < this.col) line.push(" ");
        line[this.col] = char;
        this.col += 1;
      }
    }
  }
  text(): string {
    return this.rows.map((r) => r.join("").trimEnd()).join("\n").trimEnd();
  }
  line(row: number): string {
    return (this.rows[row] ?? []).join("");
  }
}

const report = (outcome: PhaseReport["outcome"]): PhaseReport[] => [
  { when: "call", outcome, duration: 0, longrepr: null, message: null, skip: null, wasxfail: null, sections: [] },
];

function fixture(options: { color?: boolean; columns?: number } = {}) {
  let now = 0;
  const screen = new Screen();
  let written = "";
  const bar = new ProgressBar({
    write: (text) => {
      written += text;
      screen.write(text);
    },
    columns: options.columns ?? 80,
    color: options.color ?? false,
    now: () => now,
  });
  return { bar, screen, written: () => written, at: (ms: number) => (now = ms) };
}

describe("ProgressBar", () => {
  it("stays hidden for the first 2 s, then shows under the report's line and keeps the cursor there", () => {
    const { bar, screen, written, at } = fixture();
    bar.output("collected 4 items\n\ntest_a.py ");
    bar.collected(4);
    at(1999);
    bar.tick();
    expect(written()).toBe("collected 4 items\n\ntest_a.py ");
    at(2000);
    bar.tick();
    expect(screen.line(3)).toBe("[░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░] 0/4 tests · 2.0 s");
    // The cursor is back at the end of `test_a.py `: the next dot lands there.
    expect([screen.row, screen.col]).toEqual([2, "test_a.py ".length]);
    bar.output(".");
    bar.itemDone(report("passed"));
    bar.output("F");
    bar.itemDone(report("failed"));
    at(3000);
    bar.tick();
    expect(screen.line(2)).toBe("test_a.py .F");
    expect(screen.line(3)).toBe("[███████████████░░░░░░░░░░░░░░░] 2/4 tests · 1 failed · 3.0 s · ~3.0 s left");
  });

  it("leaves only the report on the screen: the bar is erased before each new line and at the end", () => {
    const { bar, screen, at } = fixture();
    const lines = ["collected 3 items\n", "\n", "a.py ", ".", "\n", "b.py ", "..", " [100%]\n", "==== 3 passed ====\n"];
    bar.collected(3);
    at(5000);
    for (const [i, text] of lines.entries()) {
      bar.output(text);
      if (text === "." || text === "..") for (let k = 0; k < text.length; k++) bar.itemDone(report("passed"));
      at(5000 + i * 300);
      bar.tick();
    }
    bar.stop();
    expect(screen.text()).toBe(lines.join("").trimEnd());
  });

  it("a run that ends by -x or Ctrl-C: stop() removes the bar", () => {
    const { bar, screen, at } = fixture();
    bar.output("t.py F");
    bar.collected(10);
    at(2500);
    bar.tick();
    expect(screen.text()).toContain("0/10 tests");
    bar.stop();
    bar.tick();
    expect(screen.text()).toBe("t.py F");
  });

  it("colors change the escapes only, never the text", () => {
    const run = (color: boolean) => {
      const { bar, written, at } = fixture({ color });
      bar.collected(2);
      at(2100);
      bar.tick();
      bar.itemDone(report("failed"));
      at(2200);
      bar.tick();
      return written();
    };
    const colored = run(true);
    expect(colored).toContain("\x1b[31m");
    expect(colored.replace(/\x1b\[\d+m/g, "")).toBe(run(false));
  });

  it("fits narrow terminals", () => {
    const { bar, at } = fixture({ columns: 30 });
    bar.collected(2000);
    at(65_000);
    expect(bar.render().length).toBeLessThanOrEqual(29);
    expect(bar.render()).toMatch(/^0\/2000 tests/);
  });
});

describe("when the CLI shows the bar", () => {
  const dir = inlineFiles({ "test_a.py": "def test_a():\n    pass\n" });
  const tty: Terminal = { stdoutIsTTY: true, stderrIsTTY: true, env: { TERM: "xterm" } };
  const shows = (args: string[], terminal = tty) => showsProgress(resolveRunConfig(args, dir, {}, terminal.stdoutIsTTY), terminal);

  it("on a terminal, with or without -v", () => {
    expect(shows([])).toBe(true);
    expect(shows(["-v"])).toBe(true);
  });

  it("never on a pipe, on TERM=dumb, with FASTEST_PROGRESS=0, -q, -s, --collect-only, --setup-show or --fixtures", () => {
    expect(shows([], { ...tty, stdoutIsTTY: false })).toBe(false);
    expect(shows([], { ...tty, env: { TERM: "dumb" } })).toBe(false);
    expect(shows([], { ...tty, env: { TERM: "xterm", FASTEST_PROGRESS: "0" } })).toBe(false);
    for (const args of [["-q"], ["-s"], ["--co"], ["--setup-show"], ["--fixtures"]]) expect({ args, shown: shows(args) }).toEqual({ args, shown: false });
  });

  it("a run of over 2 s on a pseudo-terminal draws it and leaves the same screen as a piped run's output", () => {
    const suite = inlineFiles({
      "test_slow.py": "import time, pytest\n\n@pytest.mark.parametrize('i', range(30))\ndef test_s(i):\n    time.sleep(0.1)\n    assert i != 3\n",
    });
    const env = { PATH: process.env["PATH"] ?? "", HOME: os.homedir(), FASTEST_CACHE_DIR: testCacheDir, COLUMNS: "80", TERM: "xterm" };
    const args = [path.join(repoRoot, "node-host", "bin", "fastest.js"), "-n", "1", "--seed", "3", "--color=no"];
    const onTerminal = runOnTerminal([process.execPath, ...args], { cwd: suite, env, stderr: "ignore" });
    const piped = spawnSync(process.execPath, args, { cwd: suite, env, encoding: "utf8", timeout: 120_000 }).stdout;
    expect(onTerminal).toMatch(/\/30 tests · 1 failed/);
    expect(piped).not.toContain("\x1b");
    const screen = new Screen();
    screen.write(onTerminal);
    expect(normalize(screen.text())).toBe(normalize(piped.trimEnd()));
  });
});
