import { createHash } from "node:crypto";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inlineFiles } from "../helpers/inline-files.js";
import { runCli } from "../helpers/run-cli.js";
import { bystanderOutcomes, bystanders, expectCompleteRun, failureText, runInSandbox } from "./sandbox-run.js";

/**
 * Tests that misbehave rather than escape: they exit the interpreter, raise
 * what test code should not, close the streams the harness captures, or
 * tear the harness's tools away. Each is reported against the test that did
 * it; every other test keeps its outcome and the run finishes normally.
 */
describe("tests that exit, interrupt or raise BaseException", () => {
  const run = runInSandbox({
    ...bystanders,
    "test_exits.py": `
      import os
      import sys
      import pytest

      def test_plain_before():
          pass

      def test_sys_exit():
          sys.exit(3)

      def test_raise_system_exit():
          raise SystemExit("bye")

      def test_keyboard_interrupt():
          raise KeyboardInterrupt

      class Custom(BaseException):
          pass

      def test_base_exception():
          raise Custom("not an Exception")

      def test_generator_exit():
          raise GeneratorExit

      @pytest.fixture
      def exits_in_setup():
          sys.exit(4)

      def test_fixture_setup_exits(exits_in_setup):
          pass

      @pytest.fixture
      def exits_in_teardown():
          yield
          raise KeyboardInterrupt

      def test_fixture_teardown_interrupts(exits_in_teardown):
          pass

      def test_os_exit():
          os._exit(0)

      @pytest.fixture
      def os_exits_in_setup():
          os._exit(7)

      def test_fixture_os_exits(os_exits_in_setup):
          pass

      def test_abort():
          os.abort()

      def test_plain_after():
          pass
    `,
  });

  it("reports each against its own test; the rest of the run is unchanged", () => {
    expectCompleteRun(run, {
      ...bystanderOutcomes,
      "test_exits.py::test_plain_before": "passed",
      "test_exits.py::test_sys_exit": "failed",
      "test_exits.py::test_raise_system_exit": "failed",
      "test_exits.py::test_keyboard_interrupt": "failed",
      "test_exits.py::test_base_exception": "failed",
      "test_exits.py::test_generator_exit": "failed",
      "test_exits.py::test_fixture_setup_exits": "error",
      "test_exits.py::test_fixture_teardown_interrupts": "error",
      "test_exits.py::test_os_exit": "error",
      "test_exits.py::test_fixture_os_exits": "error",
      "test_exits.py::test_abort": "error",
      "test_exits.py::test_plain_after": "passed",
    });
    expect(run.status).toBe(1);
    expect(failureText(run, "test_exits.py::test_sys_exit")).toContain("SystemExit: 3");
    expect(failureText(run, "test_exits.py::test_keyboard_interrupt")).toContain("KeyboardInterrupt");
    expect(failureText(run, "test_exits.py::test_os_exit")).toContain("worker crashed: Program terminated with exit(0)");
    expect(failureText(run, "test_exits.py::test_fixture_os_exits")).toContain("worker crashed: Program terminated with exit(7)");
    expect(failureText(run, "test_exits.py::test_abort")).toContain("worker crashed: Aborted(): the interpreter aborted");
  });
});

describe("tests that break the harness's streams and tools", () => {
  const flood = 300;
  const run = runInSandbox({
    ...bystanders,
    "test_tamper.py": `
      import builtins
      import json
      import os
      import sys
      import time

      def test_plain_before():
          print("before")

      def test_close_stdout():
          sys.stdout.close()
          sys.stderr.close()

      def test_close_real_stdout():
          sys.__stdout__.close()

      def test_detach_stdout():
          sys.stdout.detach()

      def test_close_file_descriptors():
          os.close(1)
          os.close(2)

      def test_replace_streams_with_none():
          sys.stdout = None
          sys.stderr = None

      def test_output_flood():
          line = "x" * 1_000_000 + "\\n"
          for _ in range(${flood}):
              sys.stdout.write(line)
          assert False, "flooded"

      def test_break_json_and_clock():
          json.dumps = None
          json.loads = None
          time.perf_counter = None

      def test_break_builtins():
          builtins.print = None
          builtins.repr = None
          sys.excepthook = None

      def test_delete_pytest_module():
          del sys.modules["pytest"]

      def test_overwrite_pytest_functions():
          import pytest
          pytest.raises = None
          pytest.fail = None

      def test_plain_after():
          import pytest
          with pytest.raises(ZeroDivisionError):
              1 / 0
          print("after")
    `,
    "test_later.py": `
      import json
      import pytest

      def test_later_file_still_has_pytest():
          with pytest.raises(ValueError):
              raise ValueError
          assert json.dumps([1]) == "[1]"
          print("later")
    `,
  });

  it("keeps every other test's outcome and output", () => {
    const expected: Record<string, string> = { ...bystanderOutcomes, "test_later.py::test_later_file_still_has_pytest": "passed" };
    for (const id of Object.keys(run.outcomes)) if (id.startsWith("test_tamper.py::")) expected[id] = "passed";
    expected["test_tamper.py::test_output_flood"] = "failed";
    expect(Object.keys(expected).filter((id) => id.startsWith("test_tamper.py::")).length).toBe(12);
    expectCompleteRun(run, expected);
    const stdout = (id: string) => run.tests.find((t) => t.nodeid === id)!.phases["call"]!.stdout;
    expect(stdout("test_tamper.py::test_plain_before")).toBe("before\n");
    expect(stdout("test_tamper.py::test_plain_after")).toBe("after\n");
    expect(stdout("test_later.py::test_later_file_still_has_pytest")).toBe("later\n");
  });

  it("caps a flood of output and says it was cut", () => {
    const captured = run.tests.find((t) => t.nodeid === "test_tamper.py::test_output_flood")!.phases["call"]!.stdout;
    expect(captured.length).toBeLessThan(5 * 1024 * 1024);
    expect(captured).toMatch(/\[fastest: output cut here; \d+ more bytes were written: only the first 4 MiB per test phase and stream are kept\]/);
    // The terminal report shows the cut output once, not 300 MB.
    expect(run.stdout.length).toBeLessThan(10 * 1024 * 1024);
    expect(failureText(run, "test_tamper.py::test_output_flood")).toContain("flooded");
  });
});

describe("runaway tests (--timeout 2 --max-memory 256)", () => {
  const run = runInSandbox(
    {
      ...bystanders,
      "test_runaway.py": `
        import sys

        def test_plain_before():
            pass

        def test_ignores_interrupts():
            import signal
            signal.signal(signal.SIGINT, signal.SIG_IGN)

        def test_infinite_loop():
            while True:
                pass

        def test_deep_recursion():
            def down(n):
                return down(n + 1)
            down(0)

        def test_deep_recursion_past_the_limit():
            sys.setrecursionlimit(10 ** 6)
            def down(n):
                return down(n + 1) + 1
            down(0)

        def test_huge_allocation():
            bytearray(600 * 2 ** 20)

        def test_memory_bomb():
            hoard = []
            while True:
                hoard.append(bytearray(16 * 2 ** 20))

        def test_memory_is_back_after_the_bomb():
            assert len(bytearray(16 * 2 ** 20)) == 16 * 2 ** 20

        def test_huge_string():
            "x" * (2 ** 40)

        def test_threads():
            import threading
            threading.Thread(target=print).start()

        def test_plain_after():
            pass
      `,
    },
    ["--timeout", "2", "--max-memory", "256"],
    { env: { FASTEST_TIMEOUT_GRACE: "2" } },
  );

  it("fails or times out each one and goes on", () => {
    expectCompleteRun(run, {
      ...bystanderOutcomes,
      "test_runaway.py::test_plain_before": "passed",
      "test_runaway.py::test_ignores_interrupts": "passed",
      "test_runaway.py::test_infinite_loop": "failed",
      "test_runaway.py::test_deep_recursion": "failed",
      // Either RecursionError or, when the C stack is slower to run out than the timeout, a timeout.
      "test_runaway.py::test_deep_recursion_past_the_limit": "failed",
      "test_runaway.py::test_huge_allocation": "failed",
      "test_runaway.py::test_memory_bomb": "failed",
      "test_runaway.py::test_memory_is_back_after_the_bomb": "passed",
      "test_runaway.py::test_huge_string": "failed",
      "test_runaway.py::test_threads": "failed",
      "test_runaway.py::test_plain_after": "passed",
    });
    expect(failureText(run, "test_runaway.py::test_infinite_loop")).toContain("Failed: Timeout (>2.0s) from pytest-timeout.");
    // Interrupted where it was (the harness put its SIGINT handler back), not killed.
    expect(failureText(run, "test_runaway.py::test_infinite_loop")).toMatch(/^>\s+pass$/m);
    expect(failureText(run, "test_runaway.py::test_deep_recursion")).toContain("RecursionError");
    expect(failureText(run, "test_runaway.py::test_huge_allocation")).toContain("MemoryError");
    expect(failureText(run, "test_runaway.py::test_memory_bomb")).toContain("MemoryError");
    expect(failureText(run, "test_runaway.py::test_threads")).toContain("RuntimeError: fastest: this test started a thread; threads cannot run inside the WebAssembly sandbox");
  });
});

describe("files that kill the worker while being imported", () => {
  const files = {
    ...bystanders,
    "test_exits_on_import.py": `
      import os
      os._exit(1)

      def test_never_collected():
          pass
    `,
    "test_aborts_on_import.py": `
      import os
      os.abort()
    `,
    "test_fine.py": `
      def test_fine():
          pass
    `,
  };

  for (const workers of ["1", "2"]) {
    it(`are collection errors naming the cause; the other files run (-n ${workers})`, () => {
      const run = runInSandbox(files, ["-n", workers, "--continue-on-collection-errors"]);
      expectCompleteRun(run, { ...bystanderOutcomes, "test_fine.py::test_fine": "passed" });
      expect(run.status).toBe(1);
      expect(run.stdout).toContain("ERROR test_exits_on_import.py - worker crashed: Program terminated with exit(1)");
      expect(run.stdout).toContain("ERROR test_aborts_on_import.py - worker crashed: Aborted()");
      expect(run.stdout).toMatch(/=+ 1 failed, 4 passed, 2 errors in /);
    });
  }

  it("stop the run before any test, as collection errors do without --continue-on-collection-errors", () => {
    const run = runInSandbox(files);
    expect(run.stderr).not.toMatch(/internal error|Traceback/);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain("Interrupted: 2 errors during collection");
  });
});

describe("a session fixture whose teardown kills the worker", () => {
  it("is an error of the session, after every test kept its result", () => {
    const run = runInSandbox({
      "conftest.py": `
        import os
        import pytest

        @pytest.fixture(scope="session")
        def resource():
            yield "ready"
            os._exit(5)
      `,
      "test_session.py": `
        def test_uses(resource):
            assert resource == "ready"

        def test_plain():
            pass
      `,
    });
    expectCompleteRun(run, { "test_session.py::test_uses": "passed", "test_session.py::test_plain": "passed" });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("worker crashed: Program terminated with exit(5)\n(the worker died while tearing down session fixtures)");
    expect(run.stdout).toMatch(/=+ 2 passed, 1 error in /);
  });
});

describe("planting cached code for another project", () => {
  it("is refused by the host: the other project's next run runs its own code", () => {
    const victimSource = "def test_victim():\n    assert True\n";
    const victim = inlineFiles({ "test_victim.py": victimSource });
    const victimPath = path.join(victim, "test_victim.py").split(path.sep).join("/");
    const digest = createHash("sha1").update(victimSource).digest("hex");
    const attack = runInSandbox({
      "test_plant.py": `
        from fastest_harness import importhook

        def test_plant():
            evil = compile("def test_victim():\\n    raise SystemExit('planted')\\n", ${JSON.stringify(victimPath)}, "exec")
            importhook._code_cache[${JSON.stringify(victimPath)}] = (${JSON.stringify(digest)}, evil)
            importhook._new_entries.add(${JSON.stringify(victimPath)})
      `,
    });
    expectCompleteRun(attack, { "test_plant.py::test_plant": "passed" });
    const victimRun = runCli(["-p", "no:cacheprovider", "-q"], victim);
    expect(victimRun.stdout).not.toContain("planted");
    expect(victimRun.stdout).toMatch(/1 passed/);
    expect(victimRun.status).toBe(0);
  });
});

describe("a worker busy outside any test (with --timeout)", () => {
  it("is stopped after FASTEST_BUSY_LIMIT seconds: an import that never ends is a collection error, the run goes on", () => {
    const run = runInSandbox(
      {
        "test_loops_on_import.py": `
          while True:
              pass

          def test_never_collected():
              pass
        `,
        "test_fine.py": `
          def test_fine():
              pass
        `,
      },
      ["--timeout", "2", "--continue-on-collection-errors"],
      { env: { FASTEST_BUSY_LIMIT: "3" } },
    );
    expectCompleteRun(run, { "test_fine.py::test_fine": "passed" });
    expect(run.stdout).toContain("ERROR test_loops_on_import.py - worker crashed: busy for 3s outside any test");
    expect(run.status).toBe(1);
  });
});
