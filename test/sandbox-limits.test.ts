import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { normalize } from "./helpers/compare.js";
import { inlineFiles } from "./helpers/inline-files.js";
import { runCli, runPytest } from "./helpers/run-cli.js";

/**
 * What the WebAssembly sandbox cannot do (threads, processes, signal timers,
 * the network, compiled modules it lacks) fails with one message naming the
 * limit and the way out, keeping the exception type CPython code catches;
 * `--sandbox-skip-unsupported` reports such tests as skipped instead, exactly
 * as pytest reports a skipped test.
 */

const wayOut = "Run it outside the sandbox with plain pytest, or pass --sandbox-skip-unsupported to report such tests as skipped.";
const threads = "threads cannot run inside the WebAssembly sandbox";
const processes = "processes cannot be started inside the WebAssembly sandbox (there is no host process to run)";
const multiprocessing = "multiprocessing cannot start processes or share locks inside the WebAssembly sandbox";
const timers = "the WebAssembly sandbox has no signal timers (signal.alarm, signal.setitimer): use --timeout or @pytest.mark.timeout for time limits";
const network = "the sandbox has no network access";
/** `sys.executable` in the sandbox: a path that exists neither there nor on the host. */
const sandboxPython = "/fastest-sandbox/bin/python3";

interface LimitCase {
  name: string;
  /** Python statement that needs what the sandbox lacks. */
  code: string;
  /** The exception type it raises, as CPython code would catch it. */
  type: string;
  /** The start of the message after the type. */
  message: string;
  /** The skip reason under --sandbox-skip-unsupported (after "fastest sandbox: "). */
  limit: string;
}

const cases: LimitCase[] = [
  { name: "thread", code: "threading.Thread(target=print).start()", type: "RuntimeError", message: `fastest: this test started a thread; ${threads}. ${wayOut}`, limit: threads },
  { name: "timer", code: "threading.Timer(5, print).start()", type: "RuntimeError", message: "fastest: this test started a thread", limit: threads },
  { name: "thread_pool", code: "concurrent.futures.ThreadPoolExecutor().submit(print).result()", type: "RuntimeError", message: "fastest: this test started a thread", limit: threads },
  { name: "to_thread", code: "asyncio.run(asyncio.to_thread(print))", type: "RuntimeError", message: "fastest: this test started a thread", limit: threads },
  { name: "watchdog", code: "faulthandler.dump_traceback_later(5)", type: "RuntimeError", message: "fastest: this test started a thread (faulthandler.dump_traceback_later's watchdog)", limit: threads },
  { name: "python_subprocess", code: "subprocess.run([sys.executable, '-c', 'print(1)'], check=True)", type: "OSError", message: `[Errno 138] fastest: this test started a subprocess running sys.executable (${sandboxPython} names the sandbox's own Python, which has no program file to start); ${processes}. ${wayOut}`, limit: processes },
  { name: "shell", code: "subprocess.check_output('echo hi', shell=True)", type: "OSError", message: "[Errno 138] fastest: this test started a subprocess", limit: processes },
  { name: "os_system", code: "os.system('echo hi')", type: "OSError", message: "[Errno 138] fastest: this test ran os.system", limit: processes },
  { name: "os_popen", code: "os.popen('echo hi').read()", type: "OSError", message: "[Errno 138] fastest: this test started a subprocess", limit: processes },
  { name: "fork", code: "os.fork()", type: "OSError", message: "[Errno 138] fastest: this test called os.fork", limit: processes },
  { name: "mp_process", code: "multiprocessing.Process(target=print).start()", type: "OSError", message: "[Errno 138] fastest: this test started a multiprocessing.Process", limit: processes },
  { name: "mp_pool", code: "multiprocessing.Pool(2)", type: "ModuleNotFoundError", message: `fastest: no module named '_multiprocessing' here; ${multiprocessing}. ${wayOut}`, limit: multiprocessing },
  { name: "process_pool", code: "concurrent.futures.ProcessPoolExecutor()", type: "NotImplementedError", message: "fastest: this test started a ProcessPoolExecutor", limit: processes },
  { name: "asyncio_subprocess", code: "asyncio.run(asyncio.create_subprocess_exec('echo'))", type: "OSError", message: "[Errno 138] fastest: this test started an asyncio subprocess", limit: processes },
  { name: "alarm", code: "signal.alarm(1)", type: "AttributeError", message: `module 'signal' has no attribute 'alarm' (fastest: this test used signal.alarm; ${timers}. ${wayOut})`, limit: timers },
  { name: "curses", code: "import curses", type: "ModuleNotFoundError", message: "fastest: no module named 'curses' here; the WebAssembly sandbox's Python has no curses module", limit: "the WebAssembly sandbox's Python has no curses module (it needs a terminal library)" },
  { name: "network", code: "socket.create_connection(('example.com', 80))", type: "PermissionError", message: "[Errno 2] network access is disabled in the fastest sandbox", limit: network },
];

// \`plain\` leaves a test as it is: fastest's copy has it where pytest's has a skip mark, so lines agree.
const imports = "import asyncio, concurrent.futures, faulthandler, multiprocessing, os, signal, socket, subprocess, sys, threading\nimport pytest\n\ndef plain(function):\n    return function\n";

/** The limit tests; each case's test has one \`decorator\` (a skip mark for pytest, \`@plain\` for fastest). */
function limitTests(decorator: (c: LimitCase) => string): string {
  return imports + cases.map((c) => `\n${decorator(c)}\ndef test_${c.name}():\n    ${c.code}\n`).join("");
}

interface JsonTest {
  nodeid: string;
  outcome: string;
  phases: { call?: { longrepr: string | null; message: string | null } };
}

function jsonTests(file: string): Map<string, JsonTest> {
  const report = JSON.parse(readFileSync(file, "utf8")) as { tests: JsonTest[] };
  return new Map(report.tests.map((t) => [t.nodeid, t]));
}

describe("sandbox limits", () => {
  it("fail with one message naming the limit and the way out, keeping the exception type", () => {
    const caught = cases
      .map((c) => `\ndef test_${c.name}_caught():\n    with pytest.raises(${c.type}) as info:\n        ${c.code}\n    assert str(info.value).startswith(${JSON.stringify(c.message)})\n`)
      .join("");
    const dir = inlineFiles({
      "test_limits.py": limitTests(() => "@plain") + caught +
        // hasattr checks keep taking their fallback path: the timer functions are still missing.
        "\ndef test_no_alarm():\n    assert not hasattr(signal, 'alarm') and not hasattr(signal, 'setitimer')\n" +
        // A project module named like a missing standard module is imported as usual.
        "\ndef test_own_resource_module():\n    import resource\n    assert resource.OWN\n" +
        // What works differently rather than not at all (docs/COMPATIBILITY.md, "Sandbox limits").
        "\ndef test_sleep_waits():\n    import time\n    start = time.monotonic()\n    time.sleep(0.05)\n    assert time.monotonic() - start >= 0.05\n" +
        "\ndef test_one_cpu():\n    assert os.cpu_count() == 1\n" +
        // sys.executable names no host file (it was fastest's worker script).
        `\ndef test_executable():\n    assert sys.executable == sys._base_executable == ${JSON.stringify(sandboxPython)} and sys.orig_argv == [sys.executable]\n    assert not os.path.exists(sys.executable)\n` +
        // Probing for an optional module is not an import: it finds nothing, quietly.
        "\ndef test_find_spec_of_a_missing_module():\n    import importlib, importlib.util\n    assert importlib.util.find_spec('readline') is None\n    with pytest.raises(ModuleNotFoundError, match='no readline module'):\n        importlib.import_module('readline')\n" +
        "\ndef test_fd_writes_are_not_captured(capfd):\n    os.write(1, b'written to fd 1\\n')\n    print('printed')\n    assert capfd.readouterr().out == 'printed\\n'\n",
      "resource.py": "OWN = True\n",
    });
    const report = path.join(dir, "report.json");
    const ours = runCli(["-n", "1", "-q", "--json", report], dir);
    expect(ours.stderr).not.toMatch(/Traceback/);
    expect(ours.stdout).toMatch(new RegExp(`^${cases.length} failed, ${cases.length + 7} passed in `, "m"));
    // Bytes written to file descriptor 1 reach fastest's own output, uncaptured.
    expect(ours.stdout).toContain("written to fd 1\n");
    const tests = jsonTests(report);
    for (const c of cases) {
      const failed = tests.get(`test_limits.py::test_${c.name}`)!;
      expect(failed.outcome, c.name).toBe("failed");
      expect(failed.phases.call!.message, c.name).toContain(`${c.type}: ${c.message}`);
      expect(tests.get(`test_limits.py::test_${c.name}_caught`)!.outcome, `${c.name}_caught`).toBe("passed");
    }
    // The message is the last line of the traceback, as pytest prints an exception.
    expect(existsSync(sandboxPython)).toBe(false);
    expect(ours.stdout.split("\n")).toContainEqual(expect.stringMatching(/^E +RuntimeError: fastest: this test started a thread; threads cannot run inside the WebAssembly sandbox\. Run it outside the sandbox with plain pytest, or pass --sandbox-skip-unsupported to report such tests as skipped\.$/));
  });

  it("--sandbox-skip-unsupported reports those tests as pytest reports skipped ones", () => {
    const other = `
def test_runs():
    assert sum([1, 2]) == 3

def test_wraps_the_limit():
    try:
        subprocess.run(["git", "status"])
    except OSError as error:
        raise ValueError("git is needed") from error

def test_ordinary_failure():
    assert {"a": 1} == {"a": 2}
`;
    // The wrapped limit skips too; for pytest it gets a skip mark where fastest's copy has \`@plain\`.
    const oursFile = limitTests(() => "@plain").concat(other.replace("\ndef test_wraps", "\n@plain\ndef test_wraps"));
    const reason = (limit: string) => JSON.stringify(`fastest sandbox: ${limit}`);
    const theirsFile = limitTests((c) => `@pytest.mark.skip(reason=${reason(c.limit)})`).concat(
      other.replace("\ndef test_wraps", `\n@pytest.mark.skip(reason=${reason(processes)})\ndef test_wraps`),
    );
    const moduleLevel = (line2: string) => `import threading\n${line2}\n\ndef test_never_runs():\n    pass\n`;
    const dir = inlineFiles({
      "tests/test_limits.py": oursFile,
      // A module that needs a thread at import is skipped whole, at the line that started it.
      "tests/test_server.py": moduleLevel("threading.Thread(target=print).start()"),
    });
    const args = ["-rs", "-v", "tests"];
    const ours = runCli(["-n", "1", "--sandbox-skip-unsupported", ...args], dir);
    writeFileSync(path.join(dir, "tests", "test_limits.py"), theirsFile);
    writeFileSync(
      path.join(dir, "tests", "test_server.py"),
      moduleLevel(`import pytest; pytest.skip(${reason(threads)}, allow_module_level=True)`),
    );
    const theirs = runPytest(args, dir);
    expect(ours.stderr).not.toMatch(/Traceback|Error:/);
    expect(normalize(ours.stdout)).toBe(normalize(theirs.stdout));
    expect(ours.status).toBe(theirs.status);
    expect(ours.stdout).toMatch(new RegExp(` 1 failed, 1 passed, ${cases.length + 2} skipped in `));
  });

  it("sandbox-skip-unsupported = true in [tool.fastest] does the same, and a wrong value is a usage error", () => {
    const files = {
      "test_server.py": "import threading\n\ndef test_serves():\n    threading.Thread(target=print).start()\n",
      "pyproject.toml": "[tool.fastest]\nsandbox-skip-unsupported = true\n",
    };
    const dir = inlineFiles(files);
    const ours = runCli(["-n", "1", "-q", "-rs"], dir);
    expect(ours.stdout).toContain(`SKIPPED [1] test_server.py:3: fastest sandbox: ${threads}`);
    expect(ours.status).toBe(0);
    // In an ini file the value is text; false leaves the option off.
    const off = inlineFiles({ ...files, "pyproject.toml": "", "pytest.ini": "[pytest]\n\n[fastest]\nsandbox_skip_unsupported = false\n" });
    expect(runCli(["-n", "1", "-q"], off).stdout).toMatch(/^1 failed in /m);
    const wrong = inlineFiles({ ...files, "pyproject.toml": "[tool.fastest]\nsandbox-skip-unsupported = 1\n" });
    const refused = runCli(["-n", "1", "-q"], wrong);
    expect(refused.status).toBe(4);
    expect(refused.stderr + refused.stdout).toContain("[tool.fastest] option 'sandbox-skip-unsupported' must be true or false, not 1");
  });

  it("--sandbox-skip-unsupported skips a test importing a dependency's module compiled for another platform", () => {
    const site = ".venv/lib/python3.11/site-packages";
    const dir = inlineFiles({
      "test_fast.py": "def test_speed():\n    import fastpkg._speed\n\ndef test_pure():\n    import fastpkg\n    assert fastpkg.NAME == 'fastpkg'\n",
      [`${site}/fastpkg/__init__.py`]: "NAME = 'fastpkg'\n",
      [`${site}/fastpkg-2.0.dist-info/METADATA`]: "Metadata-Version: 2.1\nName: fastpkg\nVersion: 2.0\n",
      [`${site}/fastpkg-2.0.dist-info/RECORD`]: "fastpkg/__init__.py,,\nfastpkg/_speed.cpython-311-x86_64-linux-gnu.so,,\nfastpkg-2.0.dist-info/METADATA,,\nfastpkg-2.0.dist-info/RECORD,,\n",
      [`${site}/fastpkg/_speed.cpython-311-x86_64-linux-gnu.so`]: new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0]),
    });
    const failing = runCli(["-n", "1", "-q", "--site-packages", site], dir);
    expect(failing.stdout).toContain("ModuleNotFoundError: fastpkg._speed is a compiled extension of fastpkg 2.0");
    expect(failing.stdout).toContain("or run this test outside the sandbox with plain pytest (--sandbox-skip-unsupported reports such tests as skipped)");
    expect(failing.stdout).toMatch(/^1 failed, 1 passed in /m);
    const skipping = runCli(["-n", "1", "-q", "-rs", "--sandbox-skip-unsupported", "--site-packages", site], dir);
    expect(skipping.stdout).toContain(
      "SKIPPED [1] test_fast.py:1: fastest sandbox: fastpkg._speed is compiled for another platform and cannot load in the WebAssembly sandbox",
    );
    expect(skipping.stdout).toMatch(/^1 passed, 1 skipped in /m);
    expect(skipping.status).toBe(0);
  });
});
