import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { bystanderOutcomes, bystanders, expectCompleteRun, hostCanary, runInSandbox } from "./sandbox-run.js";

/**
 * Every way from Python into the host's JavaScript we know of: the JS
 * modules, proxies' constructor chains, the stack-trace API, and the
 * Emscripten runtime functions `ctypes` can call. Each test asserts its
 * attempt failed; the host side checks that nothing ran or leaked.
 */
describe("Python cannot reach host JavaScript", () => {
  const host = hostCanary();
  const marker = host.marker("js-ran");
  // Each payload would create the marker file (or exit the process) if it ever ran in the host's JS.
  const payload = `try{process.getBuiltinModule?.('fs')?.writeFileSync(${JSON.stringify(marker)},'x')}catch{};globalThis.process?.exit?.(42)`;
  const run = runInSandbox({
    ...bystanders,
    "test_ffi.py": `
      import ctypes
      import gc
      import os
      import sys
      import pytest
      from pyodide.ffi import JsProxy, create_proxy, to_js

      PAYLOAD = ${JSON.stringify(payload)}
      SECRET = ${JSON.stringify(host.secretFile)}
      libc = ctypes.CDLL(None)
      # Asks Emscripten to copy a host file into the sandbox; it would arrive once the event loop turns.
      libc.emscripten_async_wget(SECRET.encode(), b"/tmp/copied-at-import.txt", None, None)

      def test_plain_before():
          assert True

      def test_import_js():
          with pytest.raises(ImportError):
              import js

      def test_import_pyodide_js():
          with pytest.raises(ImportError):
              import pyodide_js

      def test_run_js():
          from pyodide.code import run_js
          with pytest.raises(Exception):
              run_js(PAYLOAD)

      @pytest.mark.parametrize("make", [
          lambda: to_js({}), lambda: to_js([1]), lambda: to_js(b"bytes"),
          lambda: to_js({}).constructor, lambda: create_proxy(lambda: 1),
      ], ids=["object", "array", "buffer", "Object", "pyproxy"])
      def test_function_constructor_chain(make):
          proxy = make()
          with pytest.raises(Exception, match="Code generation from strings disallowed"):
              proxy.constructor.constructor(PAYLOAD)()

      def test_async_and_generator_function_constructors():
          Object = to_js({}).constructor
          fn = to_js({}).constructor.keys
          for ctor in (Object.getPrototypeOf(fn).constructor, fn.constructor):
              with pytest.raises(Exception):
                  ctor(PAYLOAD)()

      def reachable_js_objects():
          """Every JS object Python holds: in sys.modules, in any container or object the GC knows."""
          found = {}
          def keep(value):
              if isinstance(value, JsProxy):
                  found[id(value)] = value
          for value in sys.modules.values():
              keep(value)
          for obj in gc.get_objects():
              if isinstance(obj, dict):
                  for value in list(obj.values()):
                      keep(value)
              elif isinstance(obj, (list, tuple, set, frozenset)):
                  for value in list(obj):
                      keep(value)
              else:
                  keep(obj)
                  attributes = getattr(obj, "__dict__", None)
                  if isinstance(attributes, dict):
                      for value in list(attributes.values()):
                          keep(value)
          return list(found.values())

      def test_every_reachable_js_object():
          found = reachable_js_objects()
          assert found, "expected some JS objects (e.g. pyodide.webloop's timer) to try"
          for obj in found:
              with pytest.raises(Exception):
                  obj.constructor.constructor(PAYLOAD)()

      def test_pyodide_api_and_file_system_are_out_of_reach():
          # Through Pyodide's API (left behind by the js/pyodide_js modules) a test could mount the host's disk.
          for obj in reachable_js_objects():
              keys = set(obj.object_keys()) if hasattr(obj, "object_keys") else set()
              assert not keys & {"FS", "_module", "_api", "config", "mountNodeFS", "loadPackage"}, keys
          assert not [name for name in sys.modules if name.startswith(("js.", "pyodide_js"))]

      def test_timer_with_a_string_does_not_run_it():
          from pyodide.webloop import scheduleCallback
          with pytest.raises(Exception):
              scheduleCallback(PAYLOAD, 10)

      def test_stack_trace_api_exposes_no_js_function_or_receiver():
          try:
              to_js([]).constructor.constructor("1")
          except Exception as exc:
              eval_error = exc.js_error.constructor
          Error = to_js({}).constructor.getPrototypeOf(eval_error)
          seen = []
          def prepare(error, callsites):
              for site in callsites:
                  seen.append((site.getThis(), site.getFunction()))
              return "stack"
          Error.prepareStackTrace = create_proxy(prepare)
          try:
              with pytest.raises(Exception):
                  to_js([]).constructor.constructor("2")
          finally:
              Error.prepareStackTrace = None
          assert seen
          for this, function in seen:
              # Only WebAssembly frames have a receiver: the interpreter's own instance.
              assert this is None or str(this) == "[object WebAssembly.Instance]"
              assert function is None or str(function).isdigit()

      def test_emscripten_run_script():
          for name in ("emscripten_run_script", "emscripten_run_script_int", "emscripten_async_run_script"):
              getattr(libc, name)(PAYLOAD.encode(), *([0] if name.startswith("emscripten_async") else []))

      def test_emscripten_fetch_of_a_host_file():
          libc.emscripten_async_wget(SECRET.encode(), b"/tmp/copied.txt", None, None)
          assert not os.path.exists("/tmp/copied.txt")

      def test_host_file_fetched_at_import_never_arrives():
          assert not os.path.exists("/tmp/copied-at-import.txt")

      def test_dlopen_of_a_host_file():
          with pytest.raises(OSError, match="could not load dynamic lib"):
              ctypes.CDLL(SECRET)

      def test_emscripten_worker_and_websocket():
          assert libc.emscripten_create_worker(b"data:text/javascript,1") == -1
          assert libc.emscripten_websocket_new(b"\\0" * 16) == -1

      def test_plain_after():
          assert True
    `,
  });

  it("contains every attempt and leaves the other tests as they were", () => {
    const expected: Record<string, string> = { ...bystanderOutcomes };
    for (const id of Object.keys(run.outcomes)) if (id.startsWith("test_ffi.py::")) expected[id] = "passed";
    expect(Object.keys(expected).filter((id) => id.startsWith("test_ffi.py::")).length).toBe(20);
    expectCompleteRun(run, expected);
    expect(run.status).toBe(1);
  });

  it("leaves the host untouched", () => {
    expect(existsSync(marker)).toBe(false);
    expect(readFileSync(host.secretFile, "utf8")).toBe(host.secret);
    expect(run.everything).not.toContain(host.secret);
  });
});
