import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bystanderOutcomes, bystanders, expectCompleteRun, hostCanary, runInSandbox, type SandboxRun } from "./sandbox-run.js";

/**
 * Processes, files, environment and signals: the test code tries to reach
 * the host's; the host side checks that nothing ran, leaked or changed.
 */
describe("no host processes, files, environment or signals", () => {
  const host = hostCanary();
  const shellMarker = host.marker("shell-ran");
  const writeTarget = host.marker("written-by-test.txt");
  const envSecret = `env-secret-${process.pid}-${Date.now()}`;
  let sleeper: ChildProcess;
  let run: SandboxRun;
  let projectFile: string;

  beforeAll(() => {
    // A host process for the tests to try to kill.
    sleeper = spawn("sleep", ["600"], { stdio: "ignore" });
    const touch = `touch ${shellMarker}`;
    run = runInSandbox(
      {
        ...bystanders,
        "data.txt": "original",
        "test_host.py": `
          import ctypes
          import os
          import signal
          import sys
          import pytest

          TOUCH = ${JSON.stringify(touch)}
          SHELL_MARKER = ${JSON.stringify(shellMarker)}
          SECRET = ${JSON.stringify(host.secretFile)}
          HOST_DIR = ${JSON.stringify(host.dir)}
          WRITE_TARGET = ${JSON.stringify(writeTarget)}
          SLEEPER = ${sleeper.pid}

          def test_plain_before():
              pass

          def test_os_system():
              with pytest.raises(OSError, match="processes cannot be started inside the WebAssembly sandbox"):
                  os.system(TOUCH)

          def test_posix_system():
              import posix
              with pytest.raises(OSError):
                  posix.system(TOUCH)

          def test_os_popen():
              with pytest.raises(OSError):
                  os.popen(TOUCH).read()

          def test_fork_and_exec():
              with pytest.raises(OSError):
                  os.fork()
              with pytest.raises(OSError):
                  os.execv("/bin/sh", ["sh", "-c", TOUCH])
              assert not hasattr(os, "posix_spawn")

          def test_subprocess():
              import subprocess
              with pytest.raises(OSError):
                  subprocess.run(["sh", "-c", TOUCH])
              with pytest.raises(OSError):
                  subprocess.Popen(TOUCH, shell=True)

          def test_ctypes_libc_system():
              libc = ctypes.CDLL(None)
              assert libc.system(TOUCH.encode()) != 0

          def test_proc_files():
              for name in ("/proc/self/environ", "/proc/self/cmdline", "/proc/self/maps", "/proc/1/environ", "/etc/passwd"):
                  with pytest.raises(OSError):
                      open(name).read()

          def test_host_file_by_absolute_path():
              with pytest.raises(OSError):
                  open(SECRET).read()
              assert not os.path.exists(HOST_DIR)

          def test_host_file_by_relative_path():
              up = os.path.relpath(SECRET, os.getcwd())
              assert up.startswith("..")
              with pytest.raises(OSError):
                  open(up).read()

          def test_symlinks_out_of_the_project_are_not_followed():
              assert not os.path.exists("leak.txt")
              assert not os.path.exists("leak_dir")

          def test_write_outside_the_project_stays_in_memory():
              os.makedirs(os.path.dirname(WRITE_TARGET), exist_ok=True)
              with open(WRITE_TARGET, "w") as f:
                  f.write("escaped?")
              assert open(WRITE_TARGET).read() == "escaped?"

          def test_write_inside_the_project_stays_in_memory():
              with open("data.txt", "w") as f:
                  f.write("changed by a test")
              os.remove("test_bystander.py")

          def test_environment_is_the_sandbox_one():
              assert os.environ["HOME"] == "/home/sandbox"
              assert "FASTEST_HOST_SECRET" not in os.environ
              assert "PATH" not in os.environ

          def test_signal_to_a_host_process():
              with pytest.raises(OSError):
                  os.kill(SLEEPER, signal.SIGKILL)

          def test_signal_to_pid_1():
              with pytest.raises(OSError):
                  os.kill(1, signal.SIGTERM)

          def test_signal_handlers_and_raise():
              assert not hasattr(signal, "alarm")
              signal.signal(signal.SIGINT, signal.SIG_IGN)
              signal.signal(signal.SIGUSR1, lambda *a: None)
              signal.raise_signal(signal.SIGUSR1)

          def test_threads_cannot_start():
              import threading
              with pytest.raises(RuntimeError):
                  threading.Thread(target=lambda: None).start()

          def test_kill_own_process():
              os.kill(os.getpid(), signal.SIGKILL)

          def test_plain_after():
              pass
        `,
      },
      [],
      {
        env: { FASTEST_HOST_SECRET: envSecret },
        prepare: (project) => {
          symlinkSync(host.secretFile, path.join(project, "leak.txt"));
          symlinkSync(host.dir, path.join(project, "leak_dir"));
        },
      },
    );
    projectFile = path.join(run.project, "data.txt");
  }, 180_000);

  afterAll(() => {
    sleeper.kill();
  });

  it("fails each attempt inside the sandbox; the other tests keep their outcomes", () => {
    const expected: Record<string, string> = { ...bystanderOutcomes };
    for (const id of Object.keys(run.outcomes)) if (id.startsWith("test_host.py::")) expected[id] = "passed";
    // Killing its own process takes the worker down: an error for that test, a new worker for the next.
    expected["test_host.py::test_kill_own_process"] = "error";
    expect(Object.keys(expected).filter((id) => id.startsWith("test_host.py::")).length).toBe(20);
    expectCompleteRun(run, expected);
  });

  it("runs no host process and changes no host file", () => {
    expect(existsSync(shellMarker)).toBe(false);
    expect(existsSync(writeTarget)).toBe(false);
    expect(readFileSync(host.secretFile, "utf8")).toBe(host.secret);
    expect(readFileSync(projectFile, "utf8")).toBe("original");
    expect(existsSync(path.join(run.project, "test_bystander.py"))).toBe(true);
  });

  it("cannot signal host processes", () => {
    expect(sleeper.exitCode).toBe(null);
    expect(sleeper.signalCode).toBe(null);
  });

  it("shows no host file content or environment secret anywhere", () => {
    expect(run.everything).not.toContain(host.secret);
    expect(run.everything).not.toContain(envSecret);
  });
});

/**
 * The `cache` fixture is the one channel through which the host writes what
 * test code chose: its keys must not lead out of `.fastest_cache/v/`, and a
 * project that ships links there must not turn it into a host read or write.
 */
describe("the cache fixture stays inside .fastest_cache", () => {
  const host = hostCanary();
  const traversal = path.relative("/", host.marker("written-through-key")).split(path.sep).join("/");
  const run = runInSandbox(
    {
      "test_cache.py": `
        def test_keys_that_leave_the_cache(cache, request):
            cache.set("../../../../../../../../../../${traversal}", "escaped")
            cache.set("/${traversal}-absolute", "escaped")
            # Past the fixture's API: the list of writes the host acts on.
            request.config.cache.written["../../../../../../../../../../${traversal}-raw"] = "escaped"

        def test_links_shipped_with_the_project(cache):
            assert cache.get("leak", None) is None
            assert cache.get("linked/secret.txt", None) is None
            cache.set("linked/written-through-link", "escaped")

        def test_ordinary_keys_still_work(cache):
            cache.set("mine/value", {"n": 1})
      `,
    },
    [],
    {
      cacheProvider: true,
      prepare: (project) => {
        mkdirSync(path.join(project, ".fastest_cache", "v"), { recursive: true });
        writeFileSync(path.join(host.dir, "value.json"), JSON.stringify(host.secret));
        symlinkSync(path.join(host.dir, "value.json"), path.join(project, ".fastest_cache", "v", "leak"));
        symlinkSync(host.dir, path.join(project, ".fastest_cache", "v", "linked"));
      },
    },
  );

  it("writes nothing outside it, reads nothing through links, and keeps ordinary keys", () => {
    expectCompleteRun(run, {
      "test_cache.py::test_keys_that_leave_the_cache": "passed",
      "test_cache.py::test_links_shipped_with_the_project": "passed",
      "test_cache.py::test_ordinary_keys_still_work": "passed",
    });
    expect(readdirSync(host.dir).sort()).toEqual(["secret.txt", "value.json"]);
    expect(existsSync(`/${traversal}`)).toBe(false);
    expect(run.everything).not.toContain(host.secret);
    expect(JSON.parse(readFileSync(path.join(run.project, ".fastest_cache", "v", "mine", "value"), "utf8"))).toEqual({ n: 1 });
  });
});
