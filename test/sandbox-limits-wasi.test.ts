/**
 * The sandbox limits of test/sandbox-limits.test.ts on the CPython-WASI
 * engine (`--engine wasi`, Python 3.11): threads, processes, signal timers,
 * the network and the modules its build lacks fail with one message naming
 * the limit and the way out, keeping the exception type CPython code catches
 * on that platform (functions WASI's `os` lacks stay missing: an
 * `AttributeError` naming the limit); where only this engine lacks
 * something (sqlite3, ssl, ctypes...), the message says to run on the
 * default engine. `--sandbox-skip-unsupported` reports such tests as
 * skipped, as pytest reports a skip mark. Skipped, saying why, when
 * `npm run build:wasi` has not run (CI runs it).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sandboxTarget } from "../node-host/dependencies.js";
import { wasiBuildDir } from "../node-host/engine-assets.js";
import { normalize } from "./helpers/compare.js";
import { inlineFiles } from "./helpers/inline-files.js";
import { runCli, runPytest } from "./helpers/run-cli.js";

const built = existsSync(path.join(wasiBuildDir, "manifest.json"));
if (!built) console.warn(`sandbox-limits-wasi: skipped: ${wasiBuildDir} is not built (run \`npm run build:wasi\`)`);

const wayOut = "Run it outside the sandbox with plain pytest, or pass --sandbox-skip-unsupported to report such tests as skipped.";
const threads = "threads cannot run inside the WebAssembly sandbox";
const processes = "processes cannot be started inside the WebAssembly sandbox (there is no host process to run)";
const multiprocessing = "multiprocessing cannot start processes or share locks inside the WebAssembly sandbox";
const timers = "the WebAssembly sandbox has no signal timers (signal.alarm, signal.setitimer): use --timeout or @pytest.mark.timeout for time limits";
const network = "the sandbox has no network access";
const sandboxPython = "/fastest-sandbox/bin/python3";
/** The skip reason of a standard module the WASI build lacks and Pyodide has. */
const notInBuild = (module: string) => `${module} is not in the WASI engine's build (run on the default engine: leave out --engine wasi)`;
/** WASI's ENOTSUP (Pyodide's is 138). */
const enotsup = "[Errno 58]";

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

const missingModule = (name: string, imported: string, module: string): LimitCase => ({
  name,
  code: `import ${imported}`,
  type: "ModuleNotFoundError",
  message: `fastest: no module named '${module}' here; ${notInBuild(name)}. ${wayOut}`,
  limit: notInBuild(name),
});

const cases: LimitCase[] = [
  { name: "thread", code: "threading.Thread(target=print).start()", type: "RuntimeError", message: `fastest: this test started a thread; ${threads}. ${wayOut}`, limit: threads },
  { name: "timer", code: "threading.Timer(5, print).start()", type: "RuntimeError", message: "fastest: this test started a thread", limit: threads },
  { name: "thread_pool", code: "concurrent.futures.ThreadPoolExecutor().submit(print).result()", type: "RuntimeError", message: "fastest: this test started a thread", limit: threads },
  { name: "to_thread", code: "asyncio.run(asyncio.to_thread(print))", type: "RuntimeError", message: "fastest: this test started a thread", limit: threads },
  { name: "watchdog", code: "faulthandler.dump_traceback_later(5)", type: "RuntimeError", message: "fastest: this test started a thread (faulthandler.dump_traceback_later's watchdog)", limit: threads },
  { name: "start_new_thread", code: "_thread.start_new_thread(print, ())", type: "RuntimeError", message: "fastest: this test started a thread", limit: threads },
  {
    name: "python_subprocess",
    code: "subprocess.run([sys.executable, '-c', 'print(1)'], check=True)",
    type: "OSError",
    message: `${enotsup} fastest: this test started a subprocess running sys.executable (${sandboxPython} names the sandbox's own Python, which has no program file to start); ${processes}. ${wayOut}`,
    limit: processes,
  },
  { name: "shell", code: "subprocess.check_output('echo hi', shell=True)", type: "OSError", message: `${enotsup} fastest: this test started a subprocess; ${processes}. ${wayOut}`, limit: processes },
  { name: "os_system", code: "os.system('echo hi')", type: "OSError", message: `${enotsup} fastest: this test ran os.system`, limit: processes },
  { name: "os_popen", code: "os.popen('echo hi').read()", type: "OSError", message: `${enotsup} fastest: this test started a subprocess`, limit: processes },
  // WASI's os has no fork, exec or spawn functions: they stay missing, as on Windows, and saying why.
  { name: "fork", code: "os.fork()", type: "AttributeError", message: `module 'os' has no attribute 'fork' (fastest: this test called os.fork; ${processes}. ${wayOut})`, limit: processes },
  { name: "execv", code: "os.execv('/bin/sh', ['sh'])", type: "AttributeError", message: "module 'os' has no attribute 'execv' (fastest: this test called os.execv;", limit: processes },
  { name: "spawnv", code: "os.spawnv(0, '/bin/sh', ['sh'])", type: "AttributeError", message: "module 'os' has no attribute 'spawnv' (fastest: this test called os.spawnv;", limit: processes },
  // os.py defines execl & co. everywhere; they call the missing os.execv.
  { name: "execlp", code: "os.execlp('sh', 'sh')", type: "OSError", message: `${enotsup} fastest: this test called os.execlp`, limit: processes },
  { name: "mp_process", code: "multiprocessing.Process(target=print).start()", type: "OSError", message: `${enotsup} fastest: this test started a multiprocessing.Process`, limit: processes },
  { name: "mp_pool", code: "multiprocessing.Pool(2)", type: "ModuleNotFoundError", message: `fastest: no module named '_multiprocessing' here; ${multiprocessing}. ${wayOut}`, limit: multiprocessing },
  { name: "process_pool", code: "concurrent.futures.ProcessPoolExecutor()", type: "NotImplementedError", message: `fastest: this test started a ProcessPoolExecutor; ${processes}`, limit: processes },
  { name: "asyncio_subprocess", code: "asyncio.run(asyncio.create_subprocess_exec('echo'))", type: "OSError", message: `${enotsup} fastest: this test started an asyncio subprocess`, limit: processes },
  { name: "alarm", code: "signal.alarm(1)", type: "AttributeError", message: `module 'signal' has no attribute 'alarm' (fastest: this test used signal.alarm; ${timers}. ${wayOut})`, limit: timers },
  { name: "setitimer", code: "signal.setitimer(0, 1)", type: "AttributeError", message: "module 'signal' has no attribute 'setitimer' (fastest: this test used signal.setitimer;", limit: timers },
  { name: "network", code: "socket.create_connection(('example.com', 80))", type: "PermissionError", message: "[Errno 2] network access is disabled in the fastest sandbox", limit: network },
  // WASI's socket module has no name lookups; they fail as on Pyodide.
  { name: "name_lookup", code: "socket.gethostbyname('example.com')", type: "PermissionError", message: "[Errno 2] network access is disabled in the fastest sandbox", limit: network },
  missingModule("sqlite3", "sqlite3", "sqlite3"),
  missingModule("ssl", "ssl", "_ssl"),
  missingModule("ctypes", "ctypes", "ctypes"),
  missingModule("bz2", "bz2", "_bz2"),
  missingModule("lzma", "lzma", "_lzma"),
  missingModule("mmap", "mmap", "mmap"),
  missingModule("fcntl", "fcntl", "fcntl"),
  missingModule("termios", "pty", "termios"),
  // Missing on both engines.
  { name: "curses", code: "import curses", type: "ModuleNotFoundError", message: "fastest: no module named 'curses' here; the WebAssembly sandbox's Python has no curses module", limit: "the WebAssembly sandbox's Python has no curses module (it needs a terminal library)" },
];

// \`plain\` leaves a test as it is: fastest's copy has it where pytest's has a skip mark, so lines agree.
const imports =
  "import _thread, asyncio, concurrent.futures, faulthandler, multiprocessing, os, signal, socket, subprocess, sys, threading\nimport pytest\n\ndef plain(function):\n    return function\n";

/** The limit tests; each case's test has one \`decorator\` (a skip mark for pytest, \`@plain\` for fastest). */
function limitTests(decorator: (c: LimitCase) => string): string {
  return imports + cases.map((c) => `\n${decorator(c)}\ndef test_${c.name}():\n    ${c.code}\n`).join("");
}

interface JsonTest {
  nodeid: string;
  outcome: string;
  phases: { call?: { longrepr: string | null; message: string | null } };
}

describe.skipIf(!built)("sandbox limits on the WASI engine", () => {
  it("fail with one message naming the limit and the way out, keeping the exception type", () => {
    const caught = cases
      .map((c) => `\ndef test_${c.name}_caught():\n    with pytest.raises(${c.type}) as info:\n        ${c.code}\n    assert str(info.value).startswith(${JSON.stringify(c.message)})\n`)
      .join("");
    const extra = [
      // Code checking for what the platform lacks keeps taking its fallback path.
      "def test_probes_stay_false():\n    assert not hasattr(os, 'fork') and not hasattr(os, 'execv') and not hasattr(os, 'spawnv')\n    assert not hasattr(signal, 'alarm') and not hasattr(signal, 'setitimer')\n    assert getattr(os, 'fork', None) is None\n",
      // Other missing attributes are plain AttributeErrors.
      "def test_other_missing_attribute():\n    with pytest.raises(AttributeError) as info:\n        os.no_such_function\n    assert str(info.value) == \"module 'os' has no attribute 'no_such_function'\"\n",
      // Probing for an optional module is not an import: it finds nothing, quietly; import fallbacks still work.
      "def test_optional_modules():\n    import importlib.util\n    assert importlib.util.find_spec('sqlite3') is None\n    try:\n        import lzma\n    except ImportError:\n        lzma = None\n    assert lzma is None\n",
      // A project module named like a missing one is imported as usual (sqlite3 itself is missing before it needs _sqlite3).
      "def test_own_module_named_like_a_missing_one():\n    import _sqlite3\n    assert _sqlite3.OWN\n",
      // hashlib works without _hashlib, from CPython's built-in hashes.
      "def test_hashlib():\n    import hashlib\n    assert hashlib.sha256(b'a').hexdigest().startswith('ca978112')\n    assert hashlib.md5(b'a').hexdigest().startswith('0cc175b9')\n    assert hashlib.blake2b(b'a').hexdigest() and hashlib.sha3_256(b'a').hexdigest()\n",
      // What works differently rather than not at all, as on Pyodide (docs/COMPATIBILITY.md, "Sandbox limits").
      "def test_sleep_waits():\n    import time\n    start = time.monotonic()\n    time.sleep(0.05)\n    assert time.monotonic() - start >= 0.05\n",
      "def test_one_cpu():\n    assert os.cpu_count() == 1\n",
      "def test_fd_writes_are_not_captured(capfd):\n    os.write(1, b'written to fd 1\\n')\n    print('printed')\n    assert capfd.readouterr().out == 'printed\\n'\n",
      // WASI's socket module has no gethostname: it is the node name, so socket.getfqdn() works.
      "def test_host_name():\n    import email.utils, platform\n    assert socket.gethostname() == socket.getfqdn() == platform.node()\n    assert email.utils.make_msgid().endswith('@' + platform.node() + '>')\n",
      // sys.executable names no file, in the sandbox or on the host (it was empty).
      `def test_executable():\n    assert sys.executable == sys._base_executable == ${JSON.stringify(sandboxPython)} and sys.orig_argv == [sys.executable]\n    assert not os.path.exists(sys.executable)\n`,
    ];
    const dir = inlineFiles({ "test_limits.py": limitTests(() => "@plain") + caught + extra.map((t) => `\n${t}`).join(""), "_sqlite3.py": "OWN = True\n" });
    const report = path.join(dir, "report.json");
    const ours = runCli(["--engine", "wasi", "-n", "1", "-q", "--json", report], dir);
    expect(ours.stderr).not.toMatch(/Traceback/);
    expect(ours.stdout).toMatch(new RegExp(`^${cases.length} failed, ${cases.length + extra.length} passed in `, "m"));
    const tests = new Map((JSON.parse(readFileSync(report, "utf8")) as { tests: JsonTest[] }).tests.map((t) => [t.nodeid, t]));
    for (const c of cases) {
      const failed = tests.get(`test_limits.py::test_${c.name}`)!;
      expect(failed.outcome, c.name).toBe("failed");
      expect(failed.phases.call!.message, c.name).toContain(`${c.type}: ${c.message}`);
      expect(tests.get(`test_limits.py::test_${c.name}_caught`)!.outcome, `${c.name}_caught`).toBe("passed");
    }
    expect(existsSync(sandboxPython)).toBe(false);
    // Bytes written to file descriptor 1 reach fastest's own output, uncaptured.
    expect(ours.stdout).toContain("written to fd 1\n");
    // The message is the last line of the traceback, as pytest prints an exception.
    expect(ours.stdout.split("\n")).toContainEqual(
      `E       ModuleNotFoundError: fastest: no module named 'sqlite3' here; ${notInBuild("sqlite3")}. ${wayOut}`,
    );
  }, 180_000);

  it("--sandbox-skip-unsupported reports those tests as pytest reports skipped ones", () => {
    const other = "\ndef test_runs():\n    assert sum([1, 2]) == 3\n\ndef test_ordinary_failure():\n    assert {'a': 1} == {'a': 2}\n";
    const reason = (limit: string) => JSON.stringify(`fastest sandbox: ${limit}`);
    const moduleLevel = (line: string) => `${line}\n\ndef test_never_runs():\n    pass\n`;
    const dir = inlineFiles({
      "tests/test_limits.py": limitTests(() => "@plain") + other,
      // A module that needs a module this build lacks is skipped whole, at the line that imports it.
      "tests/test_db.py": moduleLevel("import sqlite3"),
    });
    const args = ["-rs", "-v", "tests"];
    const ours = runCli(["--engine", "wasi", "-n", "1", "--sandbox-skip-unsupported", ...args], dir);
    writeFileSync(path.join(dir, "tests", "test_limits.py"), limitTests((c) => `@pytest.mark.skip(reason=${reason(c.limit)})`) + other);
    writeFileSync(
      path.join(dir, "tests", "test_db.py"),
      moduleLevel(`import pytest; pytest.skip(${reason(notInBuild("sqlite3"))}, allow_module_level=True)`),
    );
    const theirs = runPytest(args, dir);
    expect(ours.stderr).not.toMatch(/Traceback|Error:/);
    expect(ours.stdout).toContain("platform wasi");
    expect(normalize(ours.stdout)).toBe(normalize(theirs.stdout));
    expect(ours.status).toBe(theirs.status);
    expect(ours.stdout).toMatch(new RegExp(` 1 failed, 1 passed, ${cases.length + 1} skipped in `));
  }, 180_000);

  it("a dependency's compiled module, or a Pyodide-built wheel, says to run on the default engine; --sandbox-skip-unsupported skips the test", () => {
    const site = ".venv/lib/python3.11/site-packages";
    const dir = inlineFiles({
      "test_deps.py": "def test_speed():\n    import fastpkg._speed\n\ndef test_pyodide_wheel():\n    import pyodidepkg\n\ndef test_pure():\n    import fastpkg\n",
      [`${site}/fastpkg/__init__.py`]: "NAME = 'fastpkg'\n",
      [`${site}/fastpkg-2.0.dist-info/METADATA`]: "Metadata-Version: 2.1\nName: fastpkg\nVersion: 2.0\n",
      [`${site}/fastpkg-2.0.dist-info/RECORD`]: "fastpkg/__init__.py,,\nfastpkg/_speed.cpython-311-x86_64-linux-gnu.so,,\nfastpkg-2.0.dist-info/METADATA,,\nfastpkg-2.0.dist-info/RECORD,,\n",
      [`${site}/fastpkg/_speed.cpython-311-x86_64-linux-gnu.so`]: new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0]),
    });
    // A Pyodide build (its Python files are enough: the WASI engine refuses it by its tags, as Pyodide would use it).
    const wheel = `pyodidepkg-0.3-cp314-cp314-${sandboxTarget().platforms[0]}.whl`;
    mkdirSync(path.join(dir, "wheels"));
    const zipped = spawnSync("python3", ["-c", "import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], 'w') as z:\n    z.writestr('pyodidepkg/__init__.py', '')\n    z.writestr('pyodidepkg-0.3.dist-info/METADATA', 'Name: pyodidepkg\\nVersion: 0.3\\n')", path.join(dir, "wheels", wheel)]);
    expect(zipped.status).toBe(0);
    const args = ["--engine", "wasi", "-n", "1", "-q", "--site-packages", site, "--wheels", "wheels"];
    const failing = runCli(args, dir);
    const defaultEngine = (name: string) =>
      `The WASI engine loads no compiled modules: run on the default engine (leave out --engine wasi) with a Pyodide build of ${name} (put ${name}-VERSION-cp314-cp314-`;
    expect(failing.stdout).toContain(`E       ModuleNotFoundError: fastpkg._speed is a compiled extension of fastpkg 2.0 built for cpython-311-x86_64-linux-gnu (in ${site}), which cannot load in fastest's WebAssembly sandbox. ${defaultEngine("fastpkg")}`);
    expect(failing.stdout).toContain(`E       ModuleNotFoundError: ${wheel} (in wheels) is built for ${sandboxTarget().platforms[0]}, not for the WASI engine's Python (3.11, pure-Python wheels only), so pyodidepkg cannot be imported. ${defaultEngine("pyodidepkg")}`);
    expect(failing.stdout).toMatch(/^2 failed, 1 passed in /m);
    const skipping = runCli([...args, "-rs", "--sandbox-skip-unsupported"], dir);
    expect(skipping.stdout).toContain("SKIPPED [1] test_deps.py:1: fastest sandbox: fastpkg._speed is compiled for another platform and cannot load in the WebAssembly sandbox");
    expect(skipping.stdout).toContain("SKIPPED [1] test_deps.py:4: fastest sandbox: pyodidepkg is compiled for another platform and cannot load in the WebAssembly sandbox");
    expect(skipping.stdout).toMatch(/^1 passed, 2 skipped in /m);
    expect(skipping.status).toBe(0);
  }, 180_000);
});
