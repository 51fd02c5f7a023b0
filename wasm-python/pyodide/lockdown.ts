import type { PyodideAPI } from "pyodide";

/**
 * Cut Python's ways into the host's JavaScript. The interpreter was booted
 * with an empty, prototype-less `jsglobals`; here the `js` and `pyodide_js`
 * modules go too, so `import js` fails. The remaining path, calling a
 * Function constructor through some JS proxy, is closed by running workers
 * with code generation from strings disallowed (see node-host/sandbox-flags).
 * Network entry points raise a clear "network access is disabled" error.
 * The environment is reset to exactly `environment`.
 */
export function lockDown(pyodide: PyodideAPI, environment: Readonly<Record<string, string>>): void {
  for (const name of ["js", "pyodide_js"]) {
    try {
      pyodide.unregisterJsModule(name);
    } catch {
      // Not registered in this build: nothing to remove.
    }
  }
  pyodide.runPython(
    [
      "import sys",
      "for _name in ('js', 'pyodide_js'):",
      "    sys.modules.pop(_name, None)",
      "del _name",
      // Emscripten adds variables of its own (one names the host's script).
      // Sockets are refused below Python too (module.ts); this gives the error a clear message.
      "import fastest_harness.nonetwork",
      "fastest_harness.nonetwork.install()",
      // Lets the harness tell the host's interrupts from a test's own `raise KeyboardInterrupt`.
      "import fastest_harness.sigint",
      "fastest_harness.sigint.install()",
      "import os",
      `os.environ.clear()`,
      `os.environ.update(${JSON.stringify(environment)})`,
    ].join("\n"),
  );
}
