import path from "node:path";
import type { ParsedArgs } from "../core/cli-args.js";
import type { SnapshotMeta } from "../wasm-python/pyodide/snapshot-format.js";
import type { DependencySet, SnapshotBake } from "./dependencies.js";
import { ConfigError } from "./project.js";
import type { RunConfig } from "./run-config.js";

/**
 * `--pytest-from-env`: the environment's own pytest runs the tests inside
 * the sandbox (see fastest_harness/env_pytest.py). This side checks, on the
 * host, that the run's dependencies hold pytest, and says in the header
 * which pytest and which plugins run.
 */

/** Is `--pytest-from-env` on for this run? */
export function pytestFromEnv(args: ParsedArgs): boolean {
  return Boolean(args.options["pytest-from-env"]);
}

/**
 * The command-line options the environment's pytest gets: `-o`, `-p`,
 * `--strict`, `--strict-config`, the doctest options, and the options
 * fastest does not know (plugins' own, kept by `parseArgs` as
 * `pytest-option`). Selection (`-k`, `-m`), `-x`, timeouts and reports stay
 * with fastest; verbosity, `--tb`, capture and `-W` come from the harness config.
 */
export function pytestPassThrough(args: ParsedArgs): string[] {
  const list = (name: string) => (args.options[name] as string[] | undefined) ?? [];
  const passed: string[] = [];
  for (const value of list("override-ini")) passed.push("-o", value);
  for (const value of list("plugin")) passed.push("-p", value);
  for (const flag of ["strict", "strict-config", "doctest-modules", "doctest-continue-on-failure", "doctest-ignore-import-errors"]) {
    if (args.options[flag]) passed.push(`--${flag}`);
  }
  for (const glob of list("doctest-glob")) passed.push(`--doctest-glob=${glob}`);
  if (typeof args.options["doctest-report"] === "string") passed.push(`--doctest-report=${args.options["doctest-report"]}`);
  return [...passed, ...list("pytest-option")];
}

/** Where the run looked for an environment, for the message when it holds no pytest. */
function placesLooked(config: RunConfig): string {
  const site = config.args.options["site-packages"];
  const wheels = (config.args.options["wheels"] as string[] | undefined) ?? [];
  const places = [typeof site === "string" ? `--site-packages ${site}` : `${path.join(config.rootdir, ".venv")} (the rootdir's virtualenv)`];
  for (const dir of wheels) places.push(`--wheels ${dir}`);
  return places.join(", ");
}

/** `pytest-9.0.3.dist-info/METADATA` -> `9.0.3`, from the dependency files. */
function distributionVersion(dependencies: DependencySet, name: string): string | null {
  const pattern = new RegExp(`/${name}-([^/]+)\\.dist-info/METADATA$`, "i");
  for (const file of dependencies.files) {
    const match = pattern.exec(file.path);
    if (match) return match[1]!;
  }
  return null;
}

/** Distributions that register pytest plugins (a `pytest11` entry point), as `name version`. */
function pluginDistributions(dependencies: DependencySet): string[] {
  const decoder = new TextDecoder();
  const found: string[] = [];
  for (const file of dependencies.files) {
    const match = /\/([^/]+)-([^/-]+)\.dist-info\/entry_points\.txt$/.exec(file.path);
    if (match && /^\[pytest11\]/m.test(decoder.decode(file.data))) found.push(`${match[1]} ${match[2]}`);
  }
  return found.sort();
}

/**
 * Check that the run's dependencies hold pytest and add the header line
 * that says it runs the tests. Nothing is preimported into the snapshot in
 * this mode: a package imported there would be bound to the harness's own
 * `pytest` module, which real pytest replaces. Throws a usage error
 * (exit code 4) saying where it looked when there is no pytest.
 */
export function withEnvironmentPytest(config: RunConfig, dependencies: DependencySet | null): DependencySet {
  // These print what pytest's own terminal reporter writes, which this mode does not show.
  const unsupported = ["fixtures", "fixtures-per-test", "setup-show"].find((name) => config.args.options[name]);
  if (unsupported) {
    throw new ConfigError(`--${unsupported} does not work with --pytest-from-env yet: leave out one of them (without --pytest-from-env, fastest's own pytest prints --${unsupported})`);
  }
  const has = (file: string) => dependencies?.files.some((f) => f.path === `${dependencies.sitePackages}/${file}`) ?? false;
  if (!dependencies || !has("pytest/__init__.py") || !has("_pytest/__init__.py")) {
    throw new ConfigError(
      `--pytest-from-env: no pytest found in the environment; looked in ${placesLooked(config)}. ` +
        "Install pytest and its plugins into that virtualenv (pip install pytest), name another one with --site-packages PATH, " +
        "or put pytest's wheels (pip wheel -w DIR pytest) in a folder given with --wheels DIR",
    );
  }
  const version = distributionVersion(dependencies, "pytest") ?? "(version unknown)";
  const plugins = pluginDistributions(dependencies);
  const line = `pytest-from-env: real pytest ${version} from the environment runs the tests${plugins.length > 0 ? `, plugins: ${plugins.join(", ")}` : ""}`;
  return { ...dependencies, preimport: [], headerLines: [...dependencies.headerLines, line], pytestFromEnv: true };
}

/**
 * The snapshot of a `--pytest-from-env` run: one per dependency set, with
 * the environment's pytest and its built-in plugins imported in place of
 * the harness's shim (`preimport` in fastest_harness/env_pytest.py), so that
 * workers do not import pytest at every start. Only such runs use it.
 */
export function environmentPytestSnapshot(meta: SnapshotMeta, dependencies: DependencySet): { meta: SnapshotMeta; bake: SnapshotBake } {
  return {
    meta: { ...meta, harnessHash: `${meta.harnessHash}-pytest-env-${dependencies.key}` },
    bake: {
      files: dependencies.files,
      warmup: `import fastest_harness.env_pytest\nfastest_harness.env_pytest.preimport(${JSON.stringify(dependencies.sitePackages)})`,
    },
  };
}
