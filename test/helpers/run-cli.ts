import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const bin = path.join(repoRoot, "node-host", "bin", "fastest.js");

/** One snapshot cache for the whole test run: built once, reused by every CLI call. */
export const testCacheDir = path.join(os.tmpdir(), "fastest-test-cache");

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Run the built `fastest` command in `cwd`, colors off, with a fixed width. */
export function runCli(args: string[], cwd: string, env: Record<string, string> = {}): CliResult {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: "utf8",
    env: { PATH: process.env["PATH"] ?? "", HOME: os.homedir(), FASTEST_CACHE_DIR: testCacheDir, COLUMNS: "80", NO_COLOR: "1", ...env },
    timeout: 120_000,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export type PytestResult = CliResult;

/** Run real pytest (the oracle) with plugin autoload off, as the brief asks. */
export function runPytest(args: string[], cwd: string): PytestResult {
  const result = spawnSync("python3", ["-m", "pytest", "-p", "no:cacheprovider", ...args], {
    cwd,
    encoding: "utf8",
    env: { ...hostEnvWithoutCi(), PYTEST_DISABLE_PLUGIN_AUTOLOAD: "1", COLUMNS: "80", NO_COLOR: "1" },
    timeout: 120_000,
  });
  if (result.error) throw new Error(`real pytest could not run (python3 -m pytest): ${result.error.message}`);
  if (/No module named pytest/.test(result.stderr)) throw new Error("real pytest is missing: install it (`apt-get install python3-pytest`)");
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** pytest prints longer summary lines on CI; both sides of a comparison run as if off CI. */
function hostEnvWithoutCi(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env["CI"];
  delete env["BUILD_NUMBER"];
  return env;
}
