/** The host Python the pytest peers run on, and how xdist is made available to it. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";

/** Env var through which the bench hands site-packages to pytest-in-pyodide (saves a python3 spawn per run). */
export const SITE_PACKAGES_ENV = "BENCH_PYTEST_SITE_PACKAGES";

/** Debian's `python3-pytest-xdist` puts xdist and execnet here, for /usr/bin/python3. */
const DEBIAN_DIST_PACKAGES = "/usr/lib/python3/dist-packages";
const XDIST_HINT = "apt-get install python3-pytest-xdist";

export interface PythonInfo {
  /** The real interpreter behind `python3` (a pyenv shim adds ~0.1 s per spawn). */
  executable: string;
  version: string;
  pytestVersion: string;
  sitePackages: string;
}

function pythonEval(python: string, code: string, env: NodeJS.ProcessEnv = process.env): { ok: boolean; out: string; err: string } {
  const result = spawnSync(python, ["-c", code], { encoding: "utf8", env });
  return { ok: result.status === 0, out: result.stdout?.trim() ?? "", err: (result.stderr ?? String(result.error ?? "")).trim() };
}

/** Finds `python3` with pytest; throws with what to install if it is missing. */
export function probePython(python = "python3"): PythonInfo {
  const probe = pythonEval(
    python,
    "import sys,os,platform,pytest;print(sys.executable);print(platform.python_version());print(pytest.__version__);print(os.path.dirname(os.path.dirname(pytest.__file__)))",
  );
  const [executable, version, pytestVersion, sitePackages] = probe.out.split("\n");
  if (!probe.ok || !executable || !version || !pytestVersion || !sitePackages) {
    throw new Error(`${python} with pytest is required: ${probe.err.split("\n").pop() || "no output"} (pip install pytest)`);
  }
  return { executable, version, pytestVersion, sitePackages };
}

/** How the `pytest -n 2` peer runs, or why it cannot. */
export type XdistSetup =
  | { kind: "symlinked"; python: string; pythonPath: string; version: string; note: string }
  | { kind: "debian"; python: string; version: string; note: string }
  | { kind: "unavailable"; reason: string };

const XDIST_VERSION = "import xdist;print(xdist.__version__)";

/**
 * Prefers the bench's own pytest with Debian's xdist and execnet symlinked
 * onto PYTHONPATH (no wheels installed); falls back to Debian's own Python
 * and pytest.
 */
export function setupXdist(python: PythonInfo, workDir: string): XdistSetup {
  const sources = ["xdist", "execnet"].map((name) => path.join(DEBIAN_DIST_PACKAGES, name));
  if (sources.every((source) => existsSync(source))) {
    const linkDir = path.join(workDir, "xdist-path");
    rmSync(linkDir, { recursive: true, force: true });
    mkdirSync(linkDir, { recursive: true });
    for (const source of sources) symlinkSync(source, path.join(linkDir, path.basename(source)));
    const probe = pythonEval(python.executable, XDIST_VERSION, { ...process.env, PYTHONPATH: linkDir });
    if (probe.ok) {
      return {
        kind: "symlinked",
        python: python.executable,
        pythonPath: linkDir,
        version: probe.out,
        note: `pytest ${python.pytestVersion} with Debian's xdist ${probe.out} and execnet on PYTHONPATH`,
      };
    }
  }
  const debianPython = "/usr/bin/python3";
  const debian = pythonEval(debianPython, `import pytest;${XDIST_VERSION};print(pytest.__version__)`);
  if (debian.ok) {
    const [xdistVersion = "?", pytestVersion = "?"] = debian.out.split("\n");
    return {
      kind: "debian",
      python: debianPython,
      version: xdistVersion,
      note: `fallback: ${debianPython} with Debian's pytest ${pytestVersion} and xdist ${xdistVersion}`,
    };
  }
  return { kind: "unavailable", reason: `pytest-xdist not found for ${python.executable} nor ${debianPython}: ${XDIST_HINT}` };
}
