/** The programs the bench races, each as a command line per suite. */
import { cpSync, existsSync, rmSync } from "node:fs";
import path from "node:path";
import { engineAssets, wasiBuildDir } from "../node-host/engine-assets.js";
import { prepareColdCache } from "./fastest-caches.js";
import type { Command } from "./measure.js";
import { SITE_PACKAGES_ENV, type PythonInfo, type XdistSetup } from "./python-env.js";
import type { Suite } from "./suites.js";

export interface Peer {
  /** Key for `--peers` and in `Suite.peers`. */
  id: string;
  /** Label in the results tables. */
  label: string;
  /** How it runs, for the notes under the tables. */
  note: string;
  /** Why it cannot run on this machine, if it cannot. */
  unavailable: string | null;
  /** The command line for `suite`; `extra` arguments go before the suite's path (fastest and pytest only). */
  command(suite: Suite, extra?: readonly string[]): Command;
}

export const PEER_IDS = [
  "fastest",
  "fastest-in-process",
  "fastest-n1",
  "fastest-n2",
  "fastest-cold",
  "fastest-host",
  "fastest-wasi",
  "fastest-wasi-n1",
  "fastest-wasi-n2",
  "fastest-wasi-host",
  "pytest",
  "pytest-n2",
  "pytest-pyodide",
] as const;

/** The peers that run fastest on its second engine, CPython built for WASI (`--engine wasi`). */
export const WASI_PEER_IDS: readonly string[] = PEER_IDS.filter((id) => id.startsWith("fastest-wasi"));

export interface PeerContext {
  root: string;
  /** `FASTEST_CACHE_DIR` for the fastest peers, so the user's cache is untouched. */
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

interface FastestVariant {
  id: string;
  label: string;
  args: string[];
  note: string;
  /** Clear fastest's collection caches before each timed run. */
  cold?: boolean;
  /** Runs on the WASI engine: left out when its build is missing. */
  wasi?: boolean;
}

const FASTEST_VARIANTS: readonly FastestVariant[] = [
  { id: "fastest", label: "fastest", args: [], note: "`node node-host/bin/fastest.js --sandbox -q <suite>`: a cold CLI process with a warm snapshot cache and the project's `.fastest_cache` from the earlier runs (file durations for planning), workers as `-n auto` picks them" },
  { id: "fastest-in-process", label: "fastest, in-process", args: ["--no-permission-model"], note: "the same with `--no-permission-model`: the workers are threads of the CLI's process instead of a child process under Node's permission model (what the second wall costs)" },
  { id: "fastest-n1", label: "fastest -n 1", args: ["-n", "1"], note: "the same with one worker (`-n 1`)" },
  { id: "fastest-n2", label: "fastest -n 2", args: ["-n", "2"], note: "the same with two workers (`-n 2`)" },
  {
    id: "fastest-cold",
    label: "fastest, cold cache",
    args: [],
    cold: true,
    note: "the same with a cache dir of its own whose per-file caches are removed before each run (bench/fastest-caches.ts); it holds a copy of the interpreter snapshot, made once per version",
  },
  {
    id: "fastest-wasi",
    label: "fastest, WASI engine",
    args: [],
    wasi: true,
    note: "the same with `--sandbox=wasi` (as `--engine wasi`): the workers run CPython 3.11 built for WASI (the files of `npm run build:wasi`) instead of Pyodide; its peers keep a cache dir of their own and run on a copy of each suite, so the test durations they record do not change how many workers the Pyodide peers start",
  },
  { id: "fastest-wasi-n1", label: "fastest, WASI engine, -n 1", args: ["-n", "1"], wasi: true, note: "the WASI engine with one worker (`--sandbox=wasi -n 1`)" },
  { id: "fastest-wasi-n2", label: "fastest, WASI engine, -n 2", args: ["-n", "2"], wasi: true, note: "the WASI engine with two workers (`--sandbox=wasi -n 2`)" },
];

/**
 * Why the WASI engine cannot be measured on this machine, or null when its
 * build is there. The same check `fastest --engine wasi` makes.
 */
export function wasiEngineMissing(root: string): string | null {
  try {
    engineAssets("wasi");
    return null;
  } catch {
    return `${path.relative(root, wasiBuildDir) || wasiBuildDir} has no WASI build (python.wasm, python311.zip, manifest.json): \`npm run build:wasi\` makes it`;
  }
}

/** The cold peer's own cache dir, beside the warm one (see `prepareColdCache`). */
function coldCacheDir(context: PeerContext): string {
  return `${context.fastestCacheDir}-cold`;
}

/**
 * The WASI engine's peers keep their own cache dir. fastest keeps boot times
 * per engine (boot-times.json), but the snapshots, the compiled code and the
 * cold peer's preparation live there too: apart, neither engine's peers find
 * the other's files warm, and each race starts as a user of that engine would.
 */
export function wasiCacheDir(fastestCacheDir: string): string {
  return `${fastestCacheDir}-wasi`;
}

const mirrored = new Set<string>();

/**
 * The WASI engine's peers run on their own copy of each suite, made once per
 * bench run (beside the suites, in `wasi/`): fastest keeps per-file test
 * durations in the project's `.fastest_cache` for both engines, and the WASI
 * engine's runs would change the Pyodide peers' plans.
 */
function wasiSuiteDir(suite: Suite): string {
  const dir = path.join(path.dirname(suite.dir), "wasi", path.basename(suite.dir));
  if (!mirrored.has(dir)) {
    rmSync(dir, { recursive: true, force: true });
    cpSync(suite.dir, dir, { recursive: true, filter: (source) => !/(^|[\\/])(\.fastest_cache|__pycache__)$/.test(source) });
    mirrored.add(dir);
  }
  return dir;
}

/** Where a peer runs `suite`: the suite itself, or the WASI engine's copy of it. */
function suiteDirFor(suite: Suite, wasi: boolean | undefined): Suite {
  return wasi ? { ...suite, dir: wasiSuiteDir(suite) } : suite;
}

function cacheDirFor(context: PeerContext, variant: FastestVariant): string {
  if (variant.cold) return coldCacheDir(context);
  return variant.wasi ? wasiCacheDir(context.fastestCacheDir) : context.fastestCacheDir;
}

function fastestPeer(context: PeerContext, variant: FastestVariant): Peer {
  const bin = path.join(context.root, "node-host", "bin", "fastest.js");
  return {
    id: variant.id,
    label: variant.label,
    note: variant.note,
    unavailable: existsSync(bin) ? null : `${path.relative(context.root, bin)} does not exist yet`,
    command: (suite, extra = []) => ({
      file: process.execPath,
      // A bare --sandbox names Pyodide, so the WASI engine is picked by this flag, not by adding --engine.
      args: [bin, variant.wasi ? "--sandbox=wasi" : "--sandbox", "-q", ...variant.args, ...suite.args, ...extra, suiteArg(context, suiteDirFor(suite, variant.wasi))],
      env: baseEnv({ FASTEST_CACHE_DIR: cacheDirFor(context, variant) }),
      cwd: context.root,
      // Printed when the snapshot cache missed (e.g. the harness changed since the warm-up).
      coldMarker: /preparing the Python interpreter snapshot/,
      expect: suite.expect,
      ...(variant.cold ? { prepare: () => prepareColdCache(context.fastestCacheDir, coldCacheDir(context), suite.dir) } : {}),
    }),
  };
}

/** fastest's host side alone (no worker): the baseline for the per-worker memory figure, per engine. */
function hostPartPeer(context: PeerContext, wasi: boolean): Peer {
  const script = path.join(context.root, "dist", "bench", "host-part.js");
  return {
    id: wasi ? "fastest-wasi-host" : "fastest-host",
    label: wasi ? "fastest host part, WASI engine" : "fastest host part",
    note: wasi
      ? "`node dist/bench/host-part.js --engine wasi <suite>`: the same for the WASI engine (compiled python.wasm, its snapshot), the baseline of its memory per worker"
      : "`node dist/bench/host-part.js <suite>`: what the CLI process does besides its workers (imports, compiled Pyodide module, snapshot bytes, the project's files), then exits",
    unavailable: existsSync(script) ? null : `${path.relative(context.root, script)} is missing: run \`npm run build\``,
    command: (suite) => ({
      file: process.execPath,
      args: [script, ...(wasi ? ["--engine", "wasi"] : []), suiteArg(context, suiteDirFor(suite, wasi))],
      env: baseEnv({ FASTEST_CACHE_DIR: wasi ? wasiCacheDir(context.fastestCacheDir) : context.fastestCacheDir }),
      cwd: context.root,
      expect: null,
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
    command: (suite, extra = []) => ({
      file: python.executable,
      args: [...PYTEST_ARGS, ...suite.args, ...extra, suiteArg(context, suite)],
      env: baseEnv(NO_AUTOLOAD),
      cwd: context.root,
      expect: suite.expect,
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
      args: [...PYTEST_ARGS, "-p", "xdist.plugin", "-n", "2", ...suite.args, suiteArg(context, suite)],
      env: baseEnv({ ...NO_AUTOLOAD, ...(pythonPath ? { PYTHONPATH: pythonPath } : {}) }),
      cwd: context.root,
      expect: suite.expect,
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
      args: [script, suiteArg(context, suite), ...suite.args],
      env: baseEnv({ [SITE_PACKAGES_ENV]: context.python.sitePackages }),
      cwd: context.root,
      expect: suite.expect,
    }),
  };
}

/**
 * All peers, filtered by id when `only` is given. The WASI engine's peers are
 * left out when `wasiMissing` says its build is missing.
 */
export function createPeers(context: PeerContext, only: readonly string[] | null, wasiMissing: string | null): Peer[] {
  const all = [
    ...FASTEST_VARIANTS.filter((variant) => !variant.wasi || wasiMissing === null).map((variant) => fastestPeer(context, variant)),
    hostPartPeer(context, false),
    ...(wasiMissing === null ? [hostPartPeer(context, true)] : []),
    pytestPeer(context),
    xdistPeer(context),
    pyodidePeer(context),
  ];
  return only ? all.filter((peer) => only.includes(peer.id)) : all;
}
