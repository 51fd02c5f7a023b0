/**
 * Peer "pytest in pyodide": real pytest, cold, inside a fresh Pyodide.
 *
 * Usage: `node dist/bench/pytest-in-pyodide.js <suite-dir> [pytest args...]`
 *
 * Loads Pyodide from scratch (no snapshot), copies pytest and its pure-Python
 * dependencies from the host's site-packages plus the suite into the
 * in-memory file system, and runs `pytest.main`. The process exits with
 * pytest's exit code and prints pytest's own output, so the bench checks it
 * exactly as it checks native pytest.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeSync } from "node:fs";
import path from "node:path";
import { loadPyodide, type PyodideAPI } from "pyodide";
import { probePython, SITE_PACKAGES_ENV } from "./python-env.js";

/** What `import pytest` needs (pytest 9 imports pygments unconditionally). */
const PYTEST_PACKAGES = ["pytest", "_pytest", "pluggy", "iniconfig", "packaging", "pygments", "py.py"];

const SITE_DIR = "/bench/site-packages";
const SUITE_ROOT = "/bench/suites";

type PyodideFs = PyodideAPI["FS"];

/** Copies a host file or folder tree into Pyodide's FS, skipping bytecode caches. */
function copyTree(fs: PyodideFs, hostPath: string, targetPath: string): number {
  if (statSync(hostPath).isDirectory()) {
    fs.mkdirTree(targetPath);
    let count = 0;
    for (const entry of readdirSync(hostPath)) {
      if (entry === "__pycache__" || entry.endsWith(".pyc")) continue;
      count += copyTree(fs, path.join(hostPath, entry), `${targetPath}/${entry}`);
    }
    return count;
  }
  const bytes = readFileSync(hostPath);
  fs.writeFile(targetPath, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return 1;
}

function writeTo(fd: number): (buffer: Uint8Array) => number {
  return (buffer) => {
    writeSync(fd, buffer);
    return buffer.length;
  };
}

async function main(): Promise<number> {
  const suiteArg = process.argv[2];
  if (!suiteArg || !existsSync(suiteArg)) {
    console.error("usage: node dist/bench/pytest-in-pyodide.js <suite-dir> [pytest args...]");
    return 4;
  }
  const sitePackages = process.env[SITE_PACKAGES_ENV] || probePython().sitePackages;
  const pyodide = await loadPyodide();
  pyodide.setStdout({ write: writeTo(1) });
  pyodide.setStderr({ write: writeTo(2) });

  for (const name of PYTEST_PACKAGES) {
    const hostPath = path.join(sitePackages, name);
    if (!existsSync(hostPath)) throw new Error(`${hostPath} is missing: pytest's dependencies must be installed for python3`);
    copyTree(pyodide.FS, hostPath, `${SITE_DIR}/${name}`);
  }
  const suiteDir = path.resolve(suiteArg);
  const target = `${SUITE_ROOT}/${path.basename(suiteDir)}`;
  copyTree(pyodide.FS, suiteDir, target);

  const run = pyodide.runPython(`
import os, sys
sys.path.insert(0, ${JSON.stringify(SITE_DIR)})
os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
os.chdir(${JSON.stringify(SUITE_ROOT)})
import pytest
int(pytest.main(["-q", "-p", "no:cacheprovider", *${JSON.stringify(process.argv.slice(3))}, ${JSON.stringify(target)}]))
`) as number;
  return run;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`pytest-in-pyodide: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 3;
  },
);
