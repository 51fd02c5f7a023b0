import type { PyodideAPI } from "pyodide";

/**
 * Cut Python's ways into the host's JavaScript. The interpreter was booted
 * with an empty, prototype-less `jsglobals`; here the `js` and `pyodide_js`
 * modules go too, with every reference Python kept to them, so `import js`
 * fails and Pyodide's API is out of reach; mounting is disabled besides. The
 * remaining path, calling a Function constructor through some JS proxy, is
 * closed by running workers with code generation from strings disallowed
 * (see node-host/sandbox-flags). Network entry points raise a clear
 * "network access is disabled" error. The environment is reset to exactly
 * `environment`. Returns the modules the lockdown had to import (see
 * EngineInfo.bootImports).
 */
export function lockDown(pyodide: PyodideAPI, environment: Readonly<Record<string, string>>): string[] {
  for (const name of ["js", "pyodide_js"]) {
    try {
      pyodide.unregisterJsModule(name);
    } catch {
      // Not registered in this build: nothing to remove.
    }
  }
  // The Python half: wasm-python/python/fastest_harness/lockdown.py.
  const imported = pyodide.runPython(
    `import fastest_harness.lockdown, json\njson.dumps(fastest_harness.lockdown.apply(${JSON.stringify(environment)}))`,
  ) as string;
  disableMounts(pyodide);
  return JSON.parse(imported) as string[];
}

/**
 * Nothing is mounted after boot: take away the file systems that reach the
 * host (NODEFS and friends) and `FS.mount` itself, and Pyodide's API calls
 * that mount or load from the host. Python should not reach these objects
 * at all (fastest_harness/lockdown.py); this holds if it ever does.
 */
function disableMounts(pyodide: PyodideAPI): void {
  const refuse = (what: string) => () => {
    throw new Error(`${what} is disabled in the fastest sandbox`);
  };
  const fs = pyodide.FS as unknown as { mount: unknown; filesystems: Record<string, unknown> };
  for (const name of Object.keys(fs.filesystems)) if (name !== "MEMFS") delete fs.filesystems[name];
  fs.mount = refuse("mounting a file system");
  const api = pyodide as unknown as Record<string, unknown>;
  for (const name of ["mountNodeFS", "mountNativeFS", "loadPackage", "loadPackagesFromImports", "registerJsModule"]) {
    if (name in api) api[name] = refuse(`pyodide.${name}`);
  }
}
