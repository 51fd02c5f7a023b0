import { spawn, spawnSync } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inlineFiles } from "../helpers/inline-files.js";
import { repoRoot, runCli, testCacheDir } from "../helpers/run-cli.js";
import { hostCanary } from "./sandbox-run.js";

/**
 * The second wall: in Node, the workers run in a child process under Node's
 * permission model (node-host/sandbox-process.ts). These tests check the
 * wall from the host side: the flags the process really runs with, what
 * JavaScript inside it can and cannot do, and that runs behave the same
 * with and without it.
 */

const { sandboxNodeFlags } = (await import(path.join(repoRoot, "dist/node-host/sandbox-process.js"))) as typeof import("../../node-host/sandbox-process.js");
const { pyodideDir } = (await import(path.join(repoRoot, "dist/node-host/assets.js"))) as typeof import("../../node-host/assets.js");

/** Run `code` (an ES module) in a Node process under the sandbox's flags; its stdout, parsed as JSON. */
function underTheWall(code: string, snapshotPath: string): Record<string, string> {
  const result = spawnSync(process.execPath, [...sandboxNodeFlags(snapshotPath), "--input-type=module", "-e", code], {
    encoding: "utf8",
    env: {},
    timeout: 60_000,
  });
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout) as Record<string, string>;
}

/** How an attempt ended: `ok`, or the error's code (or name). */
const attempt = `
const outcome = (f) => { try { f(); return "ok"; } catch (e) { return e.code ?? e.name; } };
`;

describe("the sandbox process's permissions", () => {
  const canary = hostCanary();
  const snapshot = path.join(canary.dir, "pretend.snapshot");
  writeFileSync(snapshot, "snapshot bytes");

  it("reads its own assets and the snapshot, and nothing else of the host", () => {
    const results = underTheWall(
      `${attempt}
import fs from "node:fs";
console.log(JSON.stringify({
  pyodide: outcome(() => fs.readFileSync(${JSON.stringify(path.join(pyodideDir, "pyodide.asm.wasm"))})),
  snapshot: outcome(() => fs.readFileSync(${JSON.stringify(snapshot)})),
  secret: outcome(() => fs.readFileSync(${JSON.stringify(canary.secretFile)})),
  passwd: outcome(() => fs.readFileSync("/etc/passwd")),
  sourceTree: outcome(() => fs.readFileSync(${JSON.stringify(path.join(repoRoot, "node-host", "run.ts"))})),
  listHome: outcome(() => fs.readdirSync(${JSON.stringify(os.homedir())})),
}));`,
      snapshot,
    );
    expect(results).toEqual({
      pyodide: "ok",
      snapshot: "ok",
      secret: "ERR_ACCESS_DENIED",
      passwd: "ERR_ACCESS_DENIED",
      sourceTree: "ERR_ACCESS_DENIED",
      listHome: "ERR_ACCESS_DENIED",
    });
  });

  it("writes nothing, starts no process, loads no addon, builds no code from strings and sees no host environment", () => {
    const marker = canary.marker("written-by-sandbox");
    const results = underTheWall(
      `${attempt}
import fs from "node:fs";
import cp from "node:child_process";
console.log(JSON.stringify({
  write: outcome(() => fs.writeFileSync(${JSON.stringify(marker)}, "x")),
  writeSnapshot: outcome(() => fs.appendFileSync(${JSON.stringify(snapshot)}, "x")),
  spawn: outcome(() => cp.spawnSync("/bin/sh", ["-c", "touch ${marker}"])),
  exec: outcome(() => cp.execSync("true")),
  binding: outcome(() => process.binding("fs")),
  addon: outcome(() => process.dlopen({ exports: {} }, ${JSON.stringify(snapshot)})),
  newFunction: outcome(() => new Function("return 1")()),
  env: Object.keys(process.env).length === 0 ? "empty" : Object.keys(process.env).join(","),
}));`,
      snapshot,
    );
    expect(results).toEqual({
      write: "ERR_ACCESS_DENIED",
      writeSnapshot: "ERR_ACCESS_DENIED",
      spawn: "ERR_ACCESS_DENIED",
      exec: "ERR_ACCESS_DENIED",
      binding: "ERR_ACCESS_DENIED",
      addon: "ERR_DLOPEN_DISABLED",
      newFunction: "EvalError",
      env: "empty",
    });
    expect(readdirSync(canary.dir).sort()).toEqual(["pretend.snapshot", "secret.txt"]);
  });
});

describe("a run's workers live in the sandbox process", () => {
  it("the CLI's child runs under the permission model, without the host's environment", async () => {
    const project = inlineFiles({
      "test_wait.py": `
import time
def test_wait():
    time.sleep(3)
`,
    });
    const cli = spawn(process.execPath, [path.join(repoRoot, "node-host/bin/fastest.js"), "-q", "-p", "no:cacheprovider"], {
      cwd: project,
      env: { PATH: process.env["PATH"] ?? "", HOME: os.homedir(), FASTEST_CACHE_DIR: testCacheDir, NO_COLOR: "1", HOST_SECRET: "do-not-leak" },
    });
    let stdout = "";
    cli.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => cli.once("exit", resolve));
    // The child appears once the CLI has planned the run.
    let child: number | undefined;
    for (let i = 0; i < 100 && child === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      child = childrenOf(cli.pid!).find((pid) => commandLine(pid).some((arg) => arg.endsWith("sandbox-main.js")));
    }
    expect(child, "no sandbox process under the CLI").toBeDefined();
    const args = commandLine(child!);
    expect(args).toContain("--experimental-permission");
    expect(args).toContain("--disallow-code-generation-from-strings");
    expect(args).not.toContain("--allow-child-process");
    expect(args.filter((arg) => arg.startsWith("--allow-fs-write"))).toEqual([]);
    const readable = args.filter((arg) => arg.startsWith("--allow-fs-read=")).map((arg) => arg.slice("--allow-fs-read=".length));
    for (const entry of readable) {
      expect(entry.startsWith(repoRoot) || entry.startsWith(testCacheDir), `read access to ${entry}`).toBe(true);
      expect(entry.startsWith(project), `read access to the project (${entry})`).toBe(false);
    }
    // Only the variables through which Node opens the IPC channel to the CLI.
    const environment = readFileSync(`/proc/${child}/environ`, "utf8").split("\0").filter(Boolean);
    expect(environment.map((entry) => entry.split("=")[0]).sort()).toEqual(["NODE_CHANNEL_FD", "NODE_CHANNEL_SERIALIZATION_MODE"]);
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/1 passed/);
  });

  it("watch mode's workers live there too", async () => {
    const project = inlineFiles({ "test_one.py": "def test_one():\n    pass\n" });
    const cli = spawn(process.execPath, [path.join(repoRoot, "node-host/bin/fastest.js"), "--watch", "-q", "-p", "no:cacheprovider"], {
      cwd: project,
      env: { PATH: process.env["PATH"] ?? "", HOME: os.homedir(), FASTEST_CACHE_DIR: testCacheDir, NO_COLOR: "1" },
    });
    let stdout = "";
    cli.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => cli.once("exit", resolve));
    for (let i = 0; i < 400 && !/1 passed/.test(stdout); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stdout).toMatch(/1 passed/);
    const children = childrenOf(cli.pid!).map(commandLine);
    const sandbox = children.filter((args) => args.some((arg) => arg.endsWith("sandbox-main.js")));
    expect(sandbox).toHaveLength(1);
    expect(sandbox[0]).toContain("--experimental-permission");
    cli.kill("SIGINT");
    expect(await exited).toBe(2);
  });

  it("outcomes, output and Python's errors are the same with and without the wall", () => {
    const project = inlineFiles({
      "test_same.py": `
import os, pytest
def test_passes():
    assert os.getcwd()
def test_fails():
    assert 1 == 2
def test_missing_file():
    open("/etc/passwd")
def test_host_path():
    os.listdir(${JSON.stringify(os.homedir())})
def test_prints(capsys):
    print("hello")
    assert capsys.readouterr().out == "hello\\n"
@pytest.mark.parametrize("n", range(3))
def test_param(n):
    assert n < 2
`,
    });
    const walled = runCli(["-q", "-s", "-p", "no:cacheprovider", "-n", "2"], project);
    const open = runCli(["-q", "-s", "-p", "no:cacheprovider", "-n", "2", "--no-permission-model"], project);
    const strip = (text: string) => text.replace(/ in [\d.]+s/, "");
    expect(strip(walled.stdout)).toBe(strip(open.stdout));
    expect(walled.status).toBe(1);
    expect(walled.stdout).toMatch(/FileNotFoundError: \[Errno 44\] No such file or directory: '\/etc\/passwd'/);
    expect(walled.stdout).toMatch(/4 failed, 4 passed/);
  });

  it("a sandbox process killed from the host side ends the run with a clear internal error, not a hang", async () => {
    const project = inlineFiles({
      "test_wait.py": `
import time
def test_wait():
    print("test started", flush=True)
    time.sleep(30)
`,
    });
    const cli = spawn(process.execPath, [path.join(repoRoot, "node-host/bin/fastest.js"), "-q", "-s", "-p", "no:cacheprovider"], {
      cwd: project,
      env: { PATH: process.env["PATH"] ?? "", HOME: os.homedir(), FASTEST_CACHE_DIR: testCacheDir, NO_COLOR: "1" },
    });
    let output = "";
    cli.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    cli.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => cli.once("exit", resolve));
    let killed = false;
    for (let i = 0; i < 200 && !killed; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (!output.includes("test started")) continue;
      const child = childrenOf(cli.pid!).find((pid) => commandLine(pid).some((arg) => arg.endsWith("sandbox-main.js")));
      if (child !== undefined) {
        process.kill(child, "SIGKILL");
        killed = true;
      }
    }
    expect(killed).toBe(true);
    expect(await exited).toBe(3);
    expect(output).toMatch(/internal error: the sandbox process ended unexpectedly \(signal SIGKILL\)/);
  });
});

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Field 4 (after the parenthesised command name) is the parent pid.
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parent === pid) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  } catch {
    return [];
  }
}

