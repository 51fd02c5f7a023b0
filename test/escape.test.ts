import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inlineFiles } from "./helpers/inline-files.js";
import { readJUnit } from "./helpers/junit.js";
import { runCli } from "./helpers/run-cli.js";

/**
 * The escapes DESIGN.md lists, each attempted from a test inside the
 * sandbox. Every test asserts that its attempt failed; the host side then
 * checks that nothing reached it.
 */
describe("baseline lockdown", () => {
  const host = mkdtempSync(path.join(os.tmpdir(), "fastest-host-"));
  const secretFile = path.join(host, "secret.txt");
  writeFileSync(secretFile, "host secret");
  const shellMarker = path.join(host, "shell-ran");
  const writeTarget = path.join(host, "written-by-test.txt");
  const project = inlineFiles({
    "test_escapes.py": `
      import gc
      import os
      import pytest

      SECRET = ${JSON.stringify(secretFile)}
      SHELL_MARKER = ${JSON.stringify(shellMarker)}
      WRITE_TARGET = ${JSON.stringify(writeTarget)}

      def test_import_js_is_gone():
          with pytest.raises(ImportError):
              import js

      def test_import_pyodide_js_is_gone():
          with pytest.raises(ImportError):
              import pyodide_js

      def test_run_js_cannot_run():
          from pyodide.code import run_js
          with pytest.raises(Exception):
              run_js("globalThis.process.exit(7)")

      def test_function_constructor_through_a_proxy_is_refused():
          from pyodide.ffi import to_js
          proxy = to_js([1, 2, 3])
          with pytest.raises(Exception, match="Code generation from strings disallowed"):
              proxy.constructor.constructor("return globalThis.process")()

      def test_no_js_proxy_is_reachable_through_gc():
          from pyodide.ffi import JsProxy
          for obj in gc.get_objects():
              if isinstance(obj, JsProxy):
                  with pytest.raises(Exception):
                      obj.constructor.constructor("return globalThis.process")()

      def test_os_system_does_not_run_a_shell():
          with pytest.raises(OSError):
              os.system("touch " + SHELL_MARKER)

      def test_subprocess_cannot_spawn():
          import subprocess
          with pytest.raises(OSError):
              subprocess.run(["touch", SHELL_MARKER])

      def test_host_files_are_not_readable():
          with pytest.raises(OSError):
              open(SECRET).read()

      def test_writes_to_host_paths_stay_in_memory():
          try:
              os.makedirs(os.path.dirname(WRITE_TARGET), exist_ok=True)
              with open(WRITE_TARGET, "w") as f:
                  f.write("escaped?")
          except OSError:
              pass
    `,
  });
  const xml = path.join(host, "report.xml");
  const result = runCli(["--junitxml", xml, "."], project);

  it("blocks every attempt (each test passes)", () => {
    expect(result.stderr).not.toMatch(/Traceback|Error:/);
    const cases = readJUnit(xml);
    expect(cases.length).toBe(9);
    expect(cases.filter((c) => c.result !== "passed")).toEqual([]);
    expect(result.status).toBe(0);
  });

  it("leaves the host untouched", () => {
    expect(existsSync(shellMarker)).toBe(false);
    expect(existsSync(writeTarget)).toBe(false);
    expect(readFileSync(secretFile, "utf8")).toBe("host secret");
  });
});
