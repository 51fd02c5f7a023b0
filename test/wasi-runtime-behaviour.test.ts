/**
 * How the WASI engine's interpreter behaves while a test runs:
 * `time.sleep` sleeps (no CPU spent), Ctrl-C interrupts the test in progress
 * as it does under pytest (a real KeyboardInterrupt where the test was, or,
 * for code that never calls the system, its worker stopped), timeouts get a
 * traceback, and `--max-memory` caps the interpreter's memory (MemoryError).
 * Skipped with the reason when `npm run build:wasi` has not been run (CI runs it).
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { isMainThread, Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { inlineFiles } from "./helpers/inline-files.js";
import { repoRoot, runCli, testCacheDir } from "./helpers/run-cli.js";
import { wasiBuildDir } from "../node-host/engine-assets.js";
import { WasiPython } from "../wasm-python/wasi/runtime.js";

const wasiBuilt = existsSync(path.join(wasiBuildDir, "manifest.json"));
if (!wasiBuilt) console.warn(`wasi-runtime-behaviour: skipped: ${wasiBuildDir} is not built (run \`npm run build:wasi\`)`);
const bin = path.join(repoRoot, "node-host", "bin", "fastest.js");
const cliEnv = { PATH: process.env["PATH"] ?? "", HOME: os.homedir(), FASTEST_CACHE_DIR: testCacheDir, COLUMNS: "80", NO_COLOR: "1" };

/** Boot a bare interpreter from the build (no harness), its output collected. */
async function bootPython(options: { interrupt?: Int32Array; maxMemoryBytes?: number } = {}): Promise<{ python: WasiPython; output: () => string }> {
  const module = await WebAssembly.compile(readFileSync(path.join(wasiBuildDir, "python.wasm")));
  const stdlib = new Uint8Array(readFileSync(path.join(wasiBuildDir, "python311.zip")));
  let text = "";
  const decoder = new TextDecoder();
  const write = (bytes: Uint8Array) => (text += decoder.decode(bytes, { stream: true }));
  const python = WasiPython.boot({ module, stdlib }, {
    stdout: write,
    stderr: write,
    ...(options.interrupt ? { interrupt: { buffer: options.interrupt } } : {}),
    ...(options.maxMemoryBytes ? { maxMemoryBytes: options.maxMemoryBytes } : {}),
  });
  return { python, output: () => text };
}

/**
 * Whether a thread spends its time sleeping or running is read from its
 * state in /proc ("R": running or waiting for a core; "S"/"D": blocked),
 * sampled from another thread: unlike CPU time, a spinning thread shows
 * "R" however loaded the machine is.
 */
function threadState(statPath: string): string | undefined {
  try {
    const stat = readFileSync(statPath, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  } catch {
    return undefined; // (the thread ended meanwhile)
  }
}

/** Sample `statPath`'s state every 20 ms from a worker thread (this one may be blocked) until `stop()`. */
async function sampleThread(statPath: string): Promise<{ stop(): Promise<{ running: number; total: number }> }> {
  const counts = new Int32Array(new SharedArrayBuffer(12)); // running, total, stop
  const sampler = new Worker(
    `const { workerData: [counts, path] } = require("node:worker_threads");
     const fs = require("node:fs");
     const tick = () => {
       if (Atomics.load(counts, 2)) return;
       const stat = fs.readFileSync(path, "utf8");
       if (stat.slice(stat.lastIndexOf(")") + 2)[0] === "R") Atomics.add(counts, 0, 1);
       Atomics.add(counts, 1, 1);
       setTimeout(tick, 20);
     };
     tick();`,
    { eval: true, workerData: [counts, statPath] },
  );
  while (Atomics.load(counts, 1) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  return {
    async stop() {
      Atomics.store(counts, 2, 1);
      await sampler.terminate();
      return { running: counts[0]!, total: counts[1]! };
    },
  };
}

/** The processes whose parent is `pid`. */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Field 4 (after the parenthesised command name) is the parent pid.
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

/** In how many of `samples` looks (20 ms apart) some thread of process `pid` was running. */
async function busySamples(pid: number, samples: number): Promise<number> {
  let busy = 0;
  for (let i = 0; i < samples; i++) {
    const states = readdirSync(`/proc/${pid}/task`).map((tid) => threadState(`/proc/${pid}/task/${tid}/stat`));
    if (states.includes("R")) busy += 1;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return busy;
}

/**
 * Run the CLI, wait until the test prints `sleeping`, send it SIGINT (as
 * Ctrl-C does) and return what it printed and its exit code. The test
 * prints `started`, sleeps 0.1 s, then prints `sleeping` (output that
 * escapes capture reaches the host at once: test/live-output.test.ts).
 */
async function interruptWhenSleeping(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  whileSleeping?: (pid: number) => Promise<void>,
): Promise<{ status: number | null; stdout: string }> {
  const child = spawn(command, args, { cwd, env });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  for (let i = 0; i < 2400 && !stdout.includes("sleeping"); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  if (!stdout.includes("sleeping")) {
    // Leave no endless test running behind a failed expectation.
    child.kill("SIGKILL");
    await exited;
  }
  expect(stdout, "the test never started").toContain("sleeping");
  await whileSleeping?.(child.pid!);
  child.kill("SIGINT");
  return { status: await exited, stdout };
}

const interruptible = `
import time

def test_first():
    pass

def test_interrupted():
    print("started", flush=True)
    time.sleep(0.1)
    print("sleeping", flush=True)
    try:
        time.sleep(60)
    finally:
        print("cleanup ran", flush=True)

def test_never_reached():
    pass
`;

describe.skipIf(!wasiBuilt)("the WASI engine at run time", () => {
  it("sleeps in time.sleep: the thread blocks instead of spinning, and spends next to no CPU", async () => {
    expect(isMainThread).toBe(true); // (vitest's forks pool: this thread's id is the process id)
    const { python, output } = await bootPython();
    const sampler = await sampleThread(`/proc/${process.pid}/task/${process.pid}/stat`);
    const before = process.cpuUsage();
    expect(python.run("import time\nstart = time.monotonic()\ntime.sleep(1.5)\nprint('slept', time.monotonic() - start >= 1.5)")).toBe(0);
    const spent = process.cpuUsage(before);
    const { running, total } = await sampler.stop();
    expect(output()).toContain("slept True");
    // Spinning, as the shim did, keeps the thread running (state R) throughout, and costs the whole 1.5 s when it has a core.
    expect(total).toBeGreaterThan(10);
    expect(running / total).toBeLessThan(0.5);
    expect((spent.user + spent.system) / 1e6).toBeLessThan(0.75);
    python.dispose();
  }, 60_000);

  it("raises KeyboardInterrupt in a sleeping interpreter as soon as it is asked to", async () => {
    const interrupt = new Int32Array(new SharedArrayBuffer(4));
    const { python, output } = await bootPython({ interrupt });
    // Set from this thread, before the sleep: the first system call takes it.
    Atomics.store(interrupt, 0, 2);
    const code = ["import time", "try:", "    time.sleep(60)", "except KeyboardInterrupt:", "    import traceback", "    traceback.print_exc()", "print('went on')"];
    expect(python.run(code.join("\n"))).toBe(0);
    expect(output()).toMatch(/File "<string>", line 3, in <module>\nKeyboardInterrupt/);
    expect(output()).toContain("went on");
    expect(Atomics.load(interrupt, 0)).toBe(0);
    python.dispose();
  }, 60_000);

  it("Ctrl-C interrupts the sleeping test where it is, as under pytest; meanwhile the sleep keeps no thread running", async () => {
    const dir = inlineFiles({ "test_interrupt.py": interruptible });
    let busy = -1;
    const samples = 50;
    const fastest = await interruptWhenSleeping(process.execPath, [bin, "--engine", "wasi", "-n", "1", "-s", "-p", "no:cacheprovider"], dir, cliEnv, async (cli) => {
      // While the test sleeps, no thread of the sandbox process (where the worker threads run) is running.
      const sandbox = childrenOf(cli).find((pid) => readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("sandbox-main.js"));
      expect(sandbox, "no sandbox process under the CLI").toBeDefined();
      busy = await busySamples(sandbox!, samples);
    });
    expect(busy).toBeGreaterThanOrEqual(0);
    expect(busy).toBeLessThan(samples / 2);
    const pytest = await interruptWhenSleeping("python3", ["-m", "pytest", "-s", "-p", "no:cacheprovider"], dir, {
      ...process.env, PYTEST_DISABLE_PLUGIN_AUTOLOAD: "1", COLUMNS: "80", NO_COLOR: "1",
    });
    for (const run of [fastest, pytest]) {
      expect(run.status).toBe(2);
      expect(run.stdout).toMatch(/!{30} KeyboardInterrupt !{31}/);
      // A real KeyboardInterrupt inside the test: its finally block ran.
      expect(run.stdout).toContain("cleanup ran");
      expect(run.stdout).toMatch(/=+ 1 passed in [\d.]+s =+/);
    }
    // pytest names the line the interrupt stopped: the sleep's.
    const where = /^(.+\.py:\d+): KeyboardInterrupt$/m.exec(pytest.stdout)?.[1];
    expect(where).toBe(`${dir}/test_interrupt.py:11`);
    expect(fastest.stdout).toContain(`${where}: KeyboardInterrupt\n(to show a full traceback on KeyboardInterrupt use --full-trace)`);
  }, 300_000);

  it("Ctrl-C stops a test that never calls the system by stopping its worker", async () => {
    const dir = inlineFiles({
      "test_spin.py": `
import time

def test_first():
    pass

def test_spins():
    print("started", flush=True)
    time.sleep(0.1)
    print("sleeping", flush=True)
    try:
        while True:
            pass
    finally:
        print("cleanup ran", flush=True)

def test_never_reached():
    pass
`,
    });
    const run = await interruptWhenSleeping(process.execPath, [bin, "--engine", "wasi", "-n", "1", "-s", "-p", "no:cacheprovider"], dir, { ...cliEnv, FASTEST_TIMEOUT_GRACE: "1" });
    expect(run.status).toBe(2);
    expect(run.stdout).toMatch(/!{30} KeyboardInterrupt !{31}/);
    // Stopped, not interrupted: no Python ran after the loop, and there is no traceback to name a line from.
    expect(run.stdout).not.toContain("cleanup ran");
    expect(run.stdout).not.toMatch(/: KeyboardInterrupt$/m);
    expect(run.stdout).toMatch(/=+ 1 passed in [\d.]+s =+/);
    expect(run.stdout).not.toMatch(/internal error|worker crashed/);
  }, 300_000);

  it("a timeout interrupts a sleeping test in place, with its traceback", () => {
    const dir = inlineFiles({
      "test_slow.py": `
import time
import pytest

@pytest.mark.timeout(1)
def test_sleeps():
    time.sleep(60)

def test_after():
    pass
`,
    });
    const result = runCli(["--engine", "wasi", "-n", "1"], dir);
    expect(result.stdout).toContain("E       Failed: Timeout (>1.0s) from pytest-timeout.");
    expect(result.stdout).toMatch(/^>\s+time\.sleep\(60\)$/m);
    expect(result.stdout).not.toContain("no traceback");
    expect(result.stdout).toMatch(/1 failed, 1 passed/);
    expect(result.status).toBe(1);
  }, 300_000);

  it("--max-memory caps the interpreter: allocations past it raise MemoryError, the run goes on", () => {
    const dir = inlineFiles({
      "test_memory.py": `
def test_fits():
    assert len(bytearray(32 * 2 ** 20)) == 32 * 2 ** 20

def test_too_big():
    bytearray(200 * 2 ** 20)

def test_bomb():
    hoard = []
    while True:
        hoard.append(bytearray(8 * 2 ** 20))

def test_memory_is_back_after_the_bomb():
    assert len(bytearray(32 * 2 ** 20)) == 32 * 2 ** 20
`,
    });
    const result = runCli(["--engine", "wasi", "-n", "1", "--max-memory", "128", "-rA"], dir);
    // (stderr may say the snapshot is being prepared, when the harness changed since the last run)
    expect(result.stderr).not.toMatch(/error|refused|not available/i);
    expect(result.stdout).toMatch(/PASSED test_memory\.py::test_fits/);
    expect(result.stdout).toMatch(/FAILED test_memory\.py::test_too_big - MemoryError/);
    expect(result.stdout).toMatch(/FAILED test_memory\.py::test_bomb - MemoryError/);
    expect(result.stdout).toMatch(/PASSED test_memory\.py::test_memory_is_back_after_the_bomb/);
    expect(result.status).toBe(1);
  }, 300_000);

  it("--max-memory stops an interpreter's own growth: a bare instance raises MemoryError at the cap", async () => {
    const { python, output } = await bootPython({ maxMemoryBytes: 128 * 2 ** 20 });
    const code = ["hoard = []", "try:", "    while True:", "        hoard.append(bytearray(2 ** 20))", "except MemoryError:", "    print('held', len(hoard))"];
    expect(python.run(code.join("\n"))).toBe(0);
    const held = Number(/held (\d+)/.exec(output())?.[1]);
    expect(held).toBeGreaterThan(64);
    expect(held).toBeLessThan(128);
    expect(python.memoryBytes).toBeLessThanOrEqual(128 * 2 ** 20);
    python.dispose();
  }, 60_000);
});

// (the line under "!!! KeyboardInterrupt !!!" comes from the traceback, whichever the engine)
describe("Ctrl-C on the default engine (Pyodide)", () => {
  it("names the line Ctrl-C stopped, as pytest does", async () => {
    const dir = inlineFiles({
      "test_count.py": `
def test_counts():
    print("started", flush=True)
    n = 0
    while n < 10 ** 5:
        n += 1
    print("sleeping", flush=True)
    while True:
        n += 1
`,
    });
    const fastest = await interruptWhenSleeping(process.execPath, [bin, "-n", "1", "-s", "-p", "no:cacheprovider"], dir, cliEnv);
    const pytest = await interruptWhenSleeping("python3", ["-m", "pytest", "-s", "-p", "no:cacheprovider"], dir, {
      ...process.env, PYTEST_DISABLE_PLUGIN_AUTOLOAD: "1", COLUMNS: "80", NO_COLOR: "1",
    });
    // (either loop line: the interrupt lands between two bytecodes of the loop)
    const line = (stdout: string) => /^(.+\.py):(\d+): KeyboardInterrupt$/m.exec(stdout)?.slice(1);
    for (const run of [fastest, pytest]) {
      expect(run.status).toBe(2);
      expect(line(run.stdout)?.[0]).toBe(`${dir}/test_count.py`);
      expect(["7", "8"]).toContain(line(run.stdout)?.[1]);
      expect(run.stdout).toMatch(/=+ no tests ran in [\d.]+s =+/);
    }
  }, 300_000);
});
