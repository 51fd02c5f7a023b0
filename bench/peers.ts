/** The programs the bench races, each as a command line per suite. */
import { existsSync } from "node:fs";
import path from "node:path";
import type { Command } from "./measure.js";
import { SITE_PACKAGES_ENV, type PythonInfo, type XdistSetup } from "./python-env.js";
import type { Suite } from "./suites.js";

export interface Peer {
  /** Key for `--peers`. */
  id: string;
  /** Label in the results table. */
  label: string;
  /** How it runs, for the notes under the tables. */
  note: string;
  /** Why it cannot run on this machine, if it cannot. */
  unavailable: string | null;
  command(suite: Suite): Command;
}

export const PEER_IDS = ["fastest", "pytest", "pytest-n2", "pytest-pyodide"] as const;

export interface PeerContext {
  root: string;
  /** `FASTEST_CACHE_DIR` for the fastest peer, so the user's cache is untouched. */
  fastestCacheDir: string;
  python: PythonInfo;
  xdist: XdistSetup;
}

/** The environment every peer starts from: the user's, minus pytest's extra options. */
function baseEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.PYTEST_ADDOPTS;
  return env;
}

function suiteArg(context: PeerContext, suite: Suite): string {
  return path.relative(context.root, suite.dir);
}

const PYTEST_ARGS = ["-m", "pytest", "-q", "-p", "no:cacheprovider"];
const NO_AUTOLOAD = { PYTEST_DISABLE_PLUGIN_AUTOLOAD: "1" };

function fastestPeer(context: PeerContext): Peer {
  const bin = path.join(context.root, "node-host", "bin", "fastest.js");
  return {
    id: "fastest",
    label: "fastest",
    note: "`node node-host/bin/fastest.js --sandbox -q <suite>`: a cold CLI process with a warm snapshot cache",
    unavailable: existsSync(bin) ? null : `${path.relative(context.root, bin)} does not exist yet`,
    command: (suite) => ({
      file: process.execPath,
      args: [bin, "--sandbox", "-q", suiteArg(context, suite)],
      env: baseEnv({ FASTEST_CACHE_DIR: context.fastestCacheDir }),
      cwd: context.root,
      // Printed when the snapshot cache missed (e.g. the harness changed since the warm-up).
      coldMarker: /preparing the Python interpreter snapshot/,
    }),
  };
}

function pytestPeer(context: PeerContext): Peer {
  const { python } = context;
  return {
    id: "pytest",
    label: "pytest",
    note: `\`python3 -m pytest -q -p no:cacheprovider <suite>\` with plugin autoload off; python3 is started as ${python.executable} (skipping any pyenv shim)`,
    unavailable: null,
    command: (suite) => ({
      file: python.executable,
      args: [...PYTEST_ARGS, suiteArg(context, suite)],
      env: baseEnv(NO_AUTOLOAD),
      cwd: context.root,
    }),
  };
}

function xdistPeer(context: PeerContext): Peer {
  const { xdist } = context;
  const label = xdist.kind === "debian" ? "pytest -n 2 (Debian pytest)" : "pytest -n 2";
  if (xdist.kind === "unavailable") {
    const never = (): Command => {
      throw new Error(xdist.reason);
    };
    return { id: "pytest-n2", label, note: xdist.reason, unavailable: xdist.reason, command: never };
  }
  const pythonPath = xdist.kind === "symlinked" ? [xdist.pythonPath, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter) : process.env.PYTHONPATH;
  return {
    id: "pytest-n2",
    label,
    note: `\`python3 -m pytest -q -p no:cacheprovider -p xdist.plugin -n 2 <suite>\`: ${xdist.note}`,
    unavailable: null,
    command: (suite) => ({
      file: xdist.python,
      args: [...PYTEST_ARGS, "-p", "xdist.plugin", "-n", "2", suiteArg(context, suite)],
      env: baseEnv({ ...NO_AUTOLOAD, ...(pythonPath ? { PYTHONPATH: pythonPath } : {}) }),
      cwd: context.root,
    }),
  };
}

function pyodidePeer(context: PeerContext): Peer {
  const script = path.join(context.root, "dist", "bench", "pytest-in-pyodide.js");
  return {
    id: "pytest-pyodide",
    label: "pytest in pyodide",
    note: `\`node dist/bench/pytest-in-pyodide.js <suite>\`: cold \`loadPyodide()\`, pytest ${context.python.pytestVersion} and its dependencies copied into the in-memory file system, then \`pytest.main(["-q", "-p", "no:cacheprovider", suite])\``,
    unavailable: existsSync(script) ? null : `${path.relative(context.root, script)} is missing: run \`npm run build\``,
    command: (suite) => ({
      file: process.execPath,
      args: [script, suiteArg(context, suite)],
      env: baseEnv({ [SITE_PACKAGES_ENV]: context.python.sitePackages }),
      cwd: context.root,
    }),
  };
}

/** All peers in table order, filtered by id when `only` is given. */
export function createPeers(context: PeerContext, only: readonly string[] | null): Peer[] {
  const all = [fastestPeer(context), pytestPeer(context), xdistPeer(context), pyodidePeer(context)];
  return only ? all.filter((peer) => only.includes(peer.id)) : all;
}
