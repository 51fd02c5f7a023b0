/**
 * `fastest --watch` in a child process, its output read marker by marker:
 * shared by the watch-mode tests (test/watch.test.ts, test/watch-wasi.test.ts).
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { repoRoot, testCacheDir } from "./run-cli.js";

const bin = path.join(repoRoot, "node-host", "bin", "fastest.js");
/** Printed once a run's report is complete. */
export const runDone = /Waiting for changes\. [^\n]*\n/;

/** `fastest --watch` running in a child process, its output read marker by marker. */
export class WatchProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private output = "";
  private read = 0;
  private waiters: Array<() => void> = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  /** `tty`: run it on a pseudo-terminal (through util-linux's `script`), so that keys are read in raw mode. */
  constructor(cwd: string, options: { tty?: boolean; args?: string[] } = {}) {
    const command = [process.execPath, bin, "--watch", ...(options.args ?? [])];
    const env = { PATH: process.env["PATH"] ?? "", HOME: os.homedir(), FASTEST_CACHE_DIR: testCacheDir, COLUMNS: "80", NO_COLOR: "1" };
    this.child = options.tty
      ? spawn("script", ["-qfec", command.map((part) => `'${part}'`).join(" "), "/dev/null"], { cwd, env })
      : spawn(command[0]!, command.slice(1), { cwd, env });
    const collect = (chunk: Buffer) => {
      this.output += chunk.toString("utf8");
      for (const wake of this.waiters.splice(0)) wake();
    };
    this.child.stdout.on("data", collect);
    this.child.stderr.on("data", collect);
    this.exited = new Promise((resolve) => this.child.once("exit", (code, signal) => resolve({ code, signal })));
  }

  /** The output from the last marker through the next match of `pattern` (which becomes the marker). */
  async next(pattern: RegExp = runDone, timeoutMs = 90_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rest = this.output.slice(this.read);
      const match = pattern.exec(rest);
      if (match) {
        this.read += match.index + match[0].length;
        return rest.slice(0, match.index + match[0].length);
      }
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(`timed out waiting for ${pattern} in fastest --watch output:\n${this.output}`);
      }
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 1000);
      });
    }
  }

  /** Type a command line (`a`, `f`, `q`, or "" for Enter). */
  send(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  /** Press keys, without Enter. */
  press(keys: string): void {
    this.child.stdin.write(keys);
  }

  interrupt(): void {
    this.child.kill("SIGINT");
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill("SIGKILL");
  }
}
