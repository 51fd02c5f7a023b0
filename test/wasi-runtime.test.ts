import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeSnapshot, encodeSnapshot } from "../wasm-python/wasi/snapshot-codec.js";
import { type WasiArtifacts, WasiPython, WasiPythonExit, type WasiSnapshot } from "../wasm-python/wasi/runtime.js";
import { repoRoot } from "./helpers/run-cli.js";

/**
 * The CPython-WASI runtime on its own (wasm-python/wasi/runtime.ts): boot,
 * output, the result channel, snapshots, the sandbox's file tree. Needs the
 * artifacts of `npm run build:wasi` (CI builds them before the tests).
 */
const buildDir = path.join(repoRoot, "build", "wasi");
const built = existsSync(path.join(buildDir, "python.wasm")) && existsSync(path.join(buildDir, "python311.zip"));
const decoder = new TextDecoder();

/** An interpreter whose output is collected as text. */
function collecting(): { out: () => string; err: () => string; messages: Uint8Array[]; io: Parameters<typeof WasiPython.restore>[2] } {
  let out = "";
  let err = "";
  const messages: Uint8Array[] = [];
  return {
    out: () => out,
    err: () => err,
    messages,
    io: {
      stdout: (data) => (out += decoder.decode(data)),
      stderr: (data) => (err += decoder.decode(data)),
      onMessage: (data) => messages.push(data.slice()),
    },
  };
}

const title = built ? "wasi runtime" : "wasi runtime (skipped: the artifacts are not built; run `npm run build:wasi`)";

describe.skipIf(!built)(title, () => {
  let artifacts: WasiArtifacts;
  let snapshot: WasiSnapshot;

  beforeAll(() => {
    const manifest = JSON.parse(readFileSync(path.join(buildDir, "manifest.json"), "utf8")) as {
      files: { "python.wasm": { sha256: string } };
    };
    artifacts = {
      module: new WebAssembly.Module(readFileSync(path.join(buildDir, "python.wasm"))),
      stdlib: new Uint8Array(readFileSync(path.join(buildDir, "python311.zip"))),
      buildId: manifest.files["python.wasm"].sha256,
    };
    snapshot = WasiPython.makeSnapshot(artifacts, {
      files: [["/harness/warm.py", new TextEncoder().encode("import json, random\nSTATE = {'boots': 1}\n")]],
      warmup: "import sys\nsys.path.insert(0, '/harness')\nimport warm\ncounter = [0]",
    });
  });

  it("reports a warm-up that raised with its traceback", () => {
    expect(() => WasiPython.makeSnapshot(artifacts, { warmup: "import no_such_module" })).toThrow(
      /warm-up code raised:[\s\S]*ModuleNotFoundError: No module named 'no_such_module'/,
    );
  });

  it("boots CPython 3.11 and captures stdout and stderr, with the traceback of an exception", () => {
    const c = collecting();
    const py = WasiPython.boot(artifacts, c.io);
    expect(py.run("import sys\nprint('out', sys.version_info[:2])\nprint('err', file=sys.stderr)")).toBe(0);
    expect(c.out()).toBe("out (3, 11)\n");
    expect(c.err()).toBe("err\n");
    expect(py.run("def f():\n    raise ValueError('boom')\nf()")).toBe(-1);
    expect(c.err()).toContain("Traceback (most recent call last):");
    expect(c.err()).toContain("ValueError: boom");
    // An exception leaves the interpreter usable.
    expect(py.run("print(6 * 7)")).toBe(0);
    expect(c.out()).toContain("42\n");
    expect(py.state).toBe("ready");
  });

  it("delivers each write to the result channel as one message, and answers reads with what the host sent", () => {
    const c = collecting();
    const py = WasiPython.restore(artifacts, snapshot, {
      ...c.io,
      onMessage: (data) => {
        c.messages.push(data.slice());
        // A request/reply: the answer is queued before Python reads it.
        if (decoder.decode(data).startsWith("ask ")) py.send(new TextEncoder().encode(`answer to ${decoder.decode(data).slice(4)}`));
      },
    });
    const code = [
      "import os",
      "os.write(4, b'first')",
      "os.write(4, 'd\\u00e9j\\u00e0 \\x00 binary'.encode())",
      "os.write(4, b'ask 7')",
      "reply = os.read(4, 100)",
      "os.write(4, b'got ' + reply)",
      "print(repr(os.read(4, 10)))",
    ].join("\n");
    expect(py.run(code)).toBe(0);
    expect(c.messages.map((m) => decoder.decode(m))).toEqual(["first", "déjà \0 binary", "ask 7", "got answer to 7"]);
    expect(c.out()).toBe("b''\n");
  });

  it("restores the snapshot's state into independent instances", () => {
    const a = collecting();
    const b = collecting();
    const first = WasiPython.restore(artifacts, snapshot, a.io);
    const second = WasiPython.restore(artifacts, decodeSnapshot(encodeSnapshot(snapshot)), b.io);
    const probe = "print(warm.STATE, counter, 'json' in sys.modules, hash('fastest'), open('/harness/warm.py').read().count('\\n'))";
    expect(first.run(probe)).toBe(0);
    expect(second.run(probe)).toBe(0);
    expect(a.out()).toBe(b.out());
    expect(a.out()).toMatch(/^\{'boots': 1\} \[0\] True -?\d+ 2\n$/);

    // Changes in one instance (objects, modules, files) do not reach the other.
    first.run(
      "warm.STATE['boots'] = 99\ncounter.append(1)\nimport decimal\nopen('/harness/new.txt', 'w').write('x')\nwith open('/harness/warm.py', 'r+') as f: f.write('#')",
    );
    first.tree.writeFile("/proj/test_a.py", "A = 1\n");
    expect(second.run("import os\nprint(warm.STATE, counter, 'decimal' in sys.modules, os.path.exists('/harness/new.txt'), os.path.exists('/proj'))")).toBe(0);
    expect(b.out().split("\n")[1]).toBe("{'boots': 1} [0] False False False");
    expect(first.tree.readFile("/harness/new.txt")).toEqual(new TextEncoder().encode("x"));
    expect(second.tree.readFile("/harness/new.txt")).toBeUndefined();
    expect(decoder.decode(first.tree.readFile("/harness/warm.py"))).toMatch(/^#mport json/);
    expect(decoder.decode(second.tree.readFile("/harness/warm.py"))).toMatch(/^import json/);
    // The standard library archive is shared between instances, and read-only.
    const zipStart = artifacts.stdlib.slice(0, 8);
    expect(first.run("f = open('/lib/python311.zip', 'r+b', buffering=0)\nf.write(b'overwrite')")).toBe(-1);
    expect(a.err()).toContain("OSError: [Errno 8] Bad file descriptor");
    expect(first.run("open('/lib/python311.zip', 'wb')")).toBe(-1);
    expect(a.err()).toContain("PermissionError");
    expect(artifacts.stdlib.slice(0, 8)).toEqual(zipStart);

    // `random` is reseeded on restore; the hash secret is the snapshot's.
    const draws = [first, second].map((py, i) => {
      const c = [a, b][i]!;
      const before = c.out().length;
      py.run("import random\nprint(random.random(), hash('fastest'))");
      return c.out().slice(before).trim().split(" ");
    });
    expect(draws[0]![0]).not.toBe(draws[1]![0]);
    expect(draws[0]![1]).toBe(draws[1]![1]);
  });

  it("refuses a snapshot of another build, with what to do", () => {
    expect(() => WasiPython.restore({ ...artifacts, buildId: "other" }, snapshot)).toThrow(/made by python\.wasm .*: make a new snapshot/);
    expect(() => decodeSnapshot(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow(/bad magic/);
  });

  it("shows Python only the files written into its tree: no host file, no process, no socket, no thread", () => {
    const c = collecting();
    const py = WasiPython.restore(artifacts, snapshot, c.io);
    py.tree.writeFile("/work/proj/test_x.py", "def test(): pass\n");
    const code = `
import os, socket, subprocess, threading
def attempt(label, action):
    try:
        action()
        print(label, 'allowed')
    except BaseException as e:
        print(label, type(e).__name__)
print(sorted(os.listdir('/')), os.listdir('/work/proj'))
attempt('passwd', lambda: open('/etc/passwd'))
attempt('dotdot', lambda: open('/work/../../etc/passwd'))
attempt('proc', lambda: os.listdir('/proc'))
attempt('socket', lambda: socket.socket())
attempt('subprocess', lambda: subprocess.run(['ls']))
attempt('thread', lambda: threading.Thread(target=print).start())
print(hasattr(os, 'system'), hasattr(os, 'fork'))
`;
    expect(py.run(code)).toBe(0);
    expect(c.out().trim().split("\n")).toEqual([
      "['harness', 'lib', 'tmp', 'work'] ['test_x.py']",
      "passwd FileNotFoundError",
      "dotdot PermissionError",
      "proc FileNotFoundError",
      "socket OSError",
      "subprocess OSError",
      "thread RuntimeError",
      "False False",
    ]);
  });

  it("marks an instance that Python exited or that trapped as finished", () => {
    const exited = WasiPython.restore(artifacts, snapshot);
    expect(() => exited.run("raise SystemExit(3)")).toThrow(WasiPythonExit);
    expect(exited.state).toBe("exited");
    expect(() => exited.run("print(1)")).toThrow(/has exited: restore a new instance/);

    // Unbounded C recursion overflows the stack (V8's or the WebAssembly one): not a Python error.
    const trapped = WasiPython.restore(artifacts, snapshot);
    expect(() => trapped.run("import sys, json\nsys.setrecursionlimit(10**7)\njson.loads('[' * 1000000 + ']' * 1000000)")).toThrow(
      /call stack|out of bounds|unreachable/,
    );
    expect(trapped.state).toBe("crashed");
    const c = collecting();
    const fresh = WasiPython.restore(artifacts, snapshot, c.io);
    expect(fresh.run("print(warm.STATE)")).toBe(0);
    expect(c.out()).toBe("{'boots': 1}\n");
  });

  it("restores a working instance after a worker stuck in a runaway loop is terminated", async () => {
    const runtimeUrl = pathToFileURL(path.join(repoRoot, "dist", "wasm-python", "wasi", "runtime.js")).href;
    const source = `
      const { parentPort, workerData } = require("node:worker_threads");
      import(${JSON.stringify(runtimeUrl)}).then(({ WasiPython }) => {
        const py = WasiPython.restore(workerData.artifacts, workerData.snapshot, {
          onMessage: (data) => parentPort.postMessage(new TextDecoder().decode(data)),
        });
        py.run("import os\\nos.write(4, b'looping')\\nwhile True:\\n    counter[0] += 1");
        parentPort.postMessage("returned");
      });`;
    const worker = new Worker(source, { eval: true, workerData: { artifacts, snapshot } });
    const first = await new Promise<string>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    expect(first).toBe("looping");
    // The loop never returns: the instance goes with its thread.
    await worker.terminate();

    const c = collecting();
    const py = WasiPython.restore(artifacts, snapshot, c.io);
    expect(py.run("print(counter, warm.STATE)")).toBe(0);
    expect(c.out()).toBe("[0] {'boots': 1}\n");
  });
});
