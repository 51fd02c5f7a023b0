import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, symlinkSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wasiBuildDir } from "../../node-host/engine-assets.js";
import { bystanderOutcomes, bystanders, expectCompleteRun, hostCanary, runInSandbox, type SandboxRun } from "./sandbox-run.js";

/**
 * The escape and abuse attempts of host.test.ts, network.test.ts and
 * abuse.test.ts, on the CPython-WASI engine (`--engine wasi`): its Python
 * has no JavaScript FFI and sees only an in-memory tree, and its harness
 * talks to the engine through a file descriptor that test code can reach
 * too. Skipped, saying why, when `npm run build:wasi` has not run.
 */
const built = existsSync(path.join(wasiBuildDir, "manifest.json"));
if (!built) console.warn(`security/wasi-sandbox: skipped: ${wasiBuildDir} is not built (run \`npm run build:wasi\`)`);

describe.skipIf(!built)("the WASI engine: no host files, processes, environment or network", () => {
  const host = hostCanary();
  const shellMarker = host.marker("shell-ran");
  const writeTarget = host.marker("written-by-test.txt");
  const envSecret = `env-secret-${process.pid}-${Date.now()}`;
  let sleeper: ChildProcess;
  let run: SandboxRun;

  beforeAll(() => {
    sleeper = spawn("sleep", ["600"], { stdio: "ignore" });
    const touch = `touch ${shellMarker}`;
    run = runInSandbox(
      {
        ...bystanders,
        "data.txt": "original",
        "test_host.py": `
          import os
          import signal
          import sys
          import pytest

          TOUCH = ${JSON.stringify(touch)}
          SECRET = ${JSON.stringify(host.secretFile)}
          HOST_DIR = ${JSON.stringify(host.dir)}
          WRITE_TARGET = ${JSON.stringify(writeTarget)}
          SLEEPER = ${sleeper.pid}

          def test_no_ffi():
              for name in ("js", "pyodide", "ctypes", "_ctypes"):
                  with pytest.raises(ImportError):
                      __import__(name)

          def test_processes():
              import subprocess
              with pytest.raises(OSError):
                  os.system(TOUCH)
              with pytest.raises(OSError):
                  subprocess.run(["sh", "-c", TOUCH])
              with pytest.raises((OSError, AttributeError)):
                  os.fork()
              with pytest.raises((OSError, AttributeError)):
                  os.execv("/bin/sh", ["sh", "-c", TOUCH])

          def test_only_the_sandbox_tree():
              assert sorted(os.listdir("/")) == sorted(set(os.listdir("/")) & {"lib", "tmp", "home", HOST_DIR.split("/")[1], os.getcwd().split("/")[1]})
              for name in ("/etc/passwd", "/proc/self/environ", "/proc/self/maps", "/dev/mem", SECRET):
                  with pytest.raises(OSError):
                      open(name).read()
              assert not os.path.exists(HOST_DIR)

          def test_relative_path_and_links_stay_inside():
              with pytest.raises(OSError):
                  open(os.path.relpath(SECRET, os.getcwd())).read()
              assert not os.path.exists("leak.txt")

          def test_writes_stay_in_memory():
              os.makedirs(os.path.dirname(WRITE_TARGET), exist_ok=True)
              with open(WRITE_TARGET, "w") as f:
                  f.write("escaped?")
              with open("data.txt", "w") as f:
                  f.write("changed by a test")
              assert open(WRITE_TARGET).read() == "escaped?"

          def test_environment():
              assert os.environ["HOME"] == "/home/sandbox"
              assert os.listdir(os.path.expanduser("~")) == []
              assert "FASTEST_HOST_SECRET" not in os.environ
              assert "PATH" not in os.environ

          def test_signals():
              with pytest.raises((OSError, AttributeError)):
                  os.kill(SLEEPER, signal.SIGKILL)

          def test_network():
              import socket
              import urllib.request
              with pytest.raises(OSError, match="network access is disabled"):
                  socket.create_connection(("127.0.0.1", 9), timeout=1)
              with pytest.raises(OSError, match="network access is disabled"):
                  socket.getaddrinfo("example.com", 80)
              with pytest.raises(OSError):
                  urllib.request.urlopen("http://127.0.0.1:9/", timeout=1)
        `,
      },
      ["--engine", "wasi"],
      {
        env: { FASTEST_HOST_SECRET: envSecret },
        prepare: (project) => symlinkSync(host.secretFile, path.join(project, "leak.txt")),
      },
    );
  }, 180_000);

  afterAll(() => {
    sleeper.kill();
  });

  it("fails each attempt inside the sandbox; the other tests keep their outcomes", () => {
    const names = ["no_ffi", "processes", "only_the_sandbox_tree", "relative_path_and_links_stay_inside", "writes_stay_in_memory", "environment", "signals", "network"];
    expectCompleteRun(run, { ...bystanderOutcomes, ...Object.fromEntries(names.map((n) => [`test_host.py::test_${n}`, "passed"])) });
    expect(run.stdout).toContain("platform wasi");
  });

  it("changes nothing on the host and shows none of its secrets", () => {
    expect(existsSync(shellMarker)).toBe(false);
    expect(existsSync(writeTarget)).toBe(false);
    expect(readFileSync(path.join(run.project, "data.txt"), "utf8")).toBe("original");
    expect(run.everything).not.toContain(host.secret);
    expect(run.everything).not.toContain(envSecret);
  });
});

describe.skipIf(!built)("the WASI engine: tests that abuse the harness's channel or kill the interpreter", () => {
  let run: SandboxRun;

  beforeAll(() => {
    run = runInSandbox(
      {
        ...bystanders,
        "test_abuse.py": `
          import os
          import sys

          def test_garbage_on_the_channel():
              os.write(4, b"Enot an event")
              os.write(4, b"Qnot a question")

          def test_forged_end_of_another_test():
              os.write(4, b'E{"type": "itemEnd", "nodeid": "test_bystander.py::test_bystander_fails", "location": ["x", 1, "y"], "reports": [], "properties": []}')

          def test_forged_question_and_error():
              os.write(4, b"Q[0, 0]")
              os.write(4, b"Xa traceback that never happened")

          def test_exit_through_the_interpreter():
              os._exit(3)

          def test_sys_exit():
              sys.exit(2)

          def test_closes_the_channel():
              os.close(4)

          def test_last():
              pass
        `,
      },
      ["--engine", "wasi"],
    );
  }, 180_000);

  it("reports each against its own test; the rest of the run is unchanged", () => {
    expectCompleteRun(run, {
      ...bystanderOutcomes,
      "test_abuse.py::test_garbage_on_the_channel": "passed",
      "test_abuse.py::test_forged_end_of_another_test": "passed",
      "test_abuse.py::test_forged_question_and_error": "passed",
      "test_abuse.py::test_exit_through_the_interpreter": "error",
      "test_abuse.py::test_sys_exit": "failed",
      "test_abuse.py::test_closes_the_channel": "error",
      "test_abuse.py::test_last": "passed",
    });
    expect(run.stdout).toContain("worker crashed: Program terminated with exit(3)");
    expect(run.stdout).toContain("the test closed the harness's channel to the engine (file descriptor 4)");
    expect(run.stderr).toContain("fastest: ignored a message a test wrote to the harness's channel (file descriptor 4)");
  });
});
