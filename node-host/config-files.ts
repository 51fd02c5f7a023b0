/**
 * Finding a run's config file and rootdir as pytest 9 does
 * (`_pytest/config/findpaths.py`): `-c FILE`, else the first folder from the
 * arguments' common ancestor upwards holding a file with pytest options, in
 * pytest's order of names; `-o` overrides on top; `--rootdir` last.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { ConfigFileError, configFileNames, readConfigText, type ConfigFileContent, type ConfigMode, type ConfigTable } from "../core/config-file.js";
import { iniValuesOf, minversionError, parseOverrides, type IniValue } from "../core/config-options.js";

/** The config file a run found, as pytest finds it, and the options it holds. */
export interface IniConfig {
  /** Absolute path of the file, or null when none was found. */
  path: string | null;
  /** pytest's options, with `-o` overrides applied, each a string or a list of strings. */
  values: Record<string, IniValue>;
  /** How the file typed its values (`toml`: `[tool.pytest]` or `pytest.toml`); null without a file. */
  mode?: ConfigMode | null;
  /** Names of other files beside it that hold pytest options and were ignored (the header warns about them). */
  ignored?: string[];
  /** Options named with `-o` (they win over an option's other name, as in pytest). */
  overridden?: string[];
  /** fastest's own options: the config file's `[tool.fastest]` / `[fastest]`, else `pyproject.toml`'s beside it. */
  fastest?: { file: string; table: ConfigTable } | null;
}

/** A config file or `-c`/`-o`/`--rootdir` value that stops the run (exit code 4, as pytest's usage errors). */
export class ConfigError extends Error {}

/** Read and parse one file, turning every failure into a `ConfigError` naming the file. */
export function readConfigFile(file: string): ConfigFileContent {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new ConfigError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const lenient = bytes.toString("utf8");
    const line = lenient.slice(0, lenient.indexOf("\uFFFD")).split("\n").length;
    throw new ConfigError(`${file}:${line}: not UTF-8 text; save the file as UTF-8`);
  }
  try {
    return readConfigText(path.basename(file), text);
  } catch (error) {
    if (error instanceof ConfigFileError) throw new ConfigError(error.describe(file));
    throw error;
  }
}

const isFile = (file: string) => existsSync(file) && statSync(file).isFile();

function ancestors(dir: string): string[] {
  const out = [dir];
  for (let d = dir; path.dirname(d) !== d; d = path.dirname(d)) out.push(path.dirname(d));
  return out;
}

/** pytest's `get_common_ancestor`: the deepest folder holding every existing path; `cwd` when none exists. */
function commonAncestor(cwd: string, paths: string[]): string {
  let common: string | null = null;
  for (const p of paths) {
    if (!existsSync(p)) continue;
    if (common === null) common = p;
    else {
      while (p !== common && !p.startsWith(common.endsWith(path.sep) ? common : common + path.sep)) common = path.dirname(common);
    }
  }
  if (common === null) return cwd;
  return isFile(common) ? path.dirname(common) : common;
}

interface Located {
  rootdir: string;
  file: string;
  content: ConfigFileContent;
  ignored: string[];
}

/** pytest's `locate_config`: the first folder (from each start upwards) with a file holding pytest options; else the nearest pyproject.toml. */
function locateConfig(starts: string[]): Located | null {
  let pyproject: { file: string; content: ConfigFileContent } | null = null;
  for (const start of starts) {
    for (const dir of ancestors(start)) {
      for (const [index, name] of configFileNames.entries()) {
        const file = path.join(dir, name);
        // pytest looks at files only: a folder named pytest.ini is not a config file.
        if (!isFile(file)) continue;
        const content = readConfigFile(file);
        if (name === "pyproject.toml" && pyproject === null) pyproject = { file, content };
        if (!content.pytest) continue;
        const ignored = configFileNames.slice(index + 1).filter((other) => isFile(path.join(dir, other)) && readConfigFile(path.join(dir, other)).pytest);
        return { rootdir: dir, file, content, ignored };
      }
    }
  }
  // A pyproject.toml without pytest options still makes the rootdir, as in pytest 9.
  return pyproject ? { rootdir: path.dirname(pyproject.file), file: pyproject.file, content: { ...pyproject.content, pytest: null }, ignored: [] } : null;
}

/** `os.path.expandvars`: `$NAME` and `${NAME}` of set variables are replaced, others kept. */
function expandVars(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(/\$(\w+|\{[^}]*\})/g, (whole, name: string) => env[name.replace(/^\{|\}$/g, "")] ?? whole);
}

/** What `-c`, `-o` and `--rootdir` said on the command line. */
export interface SetupOptions {
  /** `-c FILE` / `--config-file FILE`. */
  configFile?: string | undefined;
  /** `-o NAME=VALUE` / `--override-ini`, in order. */
  overrides?: readonly string[];
  /** The environment, for `$VAR` in `--rootdir`. */
  env?: NodeJS.ProcessEnv;
}

function fastestOptions(file: string | null, content: ConfigFileContent | null): IniConfig["fastest"] {
  if (!file) return null;
  if (content?.fastest) return { file, table: content.fastest };
  const pyproject = path.join(path.dirname(file), "pyproject.toml");
  if (pyproject === file || !isFile(pyproject)) return null;
  const beside = readConfigFile(pyproject).fastest;
  return beside ? { file: pyproject, table: beside } : null;
}

/**
 * pytest's rootdir and config-file search (`determine_setup`): `-c FILE`
 * makes FILE the config file and its folder the rootdir; otherwise the
 * first config file in the arguments' common ancestor or above; else the
 * folder of the nearest setup.py; else the config file found from each
 * argument; else the common ancestor of the arguments and the cwd.
 * `--rootdir` (with `$VAR`s expanded) replaces the rootdir and must exist.
 */
export function findRootdir(args: string[], cwd: string, explicitRootdir?: string, options: SetupOptions = {}): { rootdir: string; ini: IniConfig } {
  const dirs = args
    .filter((arg) => !arg.startsWith("-"))
    .map((arg) => path.resolve(cwd, arg.split("::")[0]!))
    .filter((p) => existsSync(p))
    .map((p) => (statSync(p).isDirectory() ? p : path.dirname(p)));
  let rootdir: string | null = null;
  let located: Located | null = null;
  if (options.configFile !== undefined) {
    const file = path.resolve(cwd, options.configFile);
    if (!isFile(file)) throw new ConfigError(`config file not found: ${file} (given with -c/--config-file)`);
    located = { rootdir: path.dirname(file), file, content: readConfigFile(file), ignored: [] };
    rootdir = located.rootdir;
  } else {
    const ancestor = commonAncestor(cwd, dirs);
    located = locateConfig([ancestor]);
    rootdir = located?.rootdir ?? null;
    if (!located && !explicitRootdir) {
      rootdir = ancestors(ancestor).find((dir) => isFile(path.join(dir, "setup.py"))) ?? null;
      if (rootdir === null) {
        if (dirs.length !== 1 || dirs[0] !== ancestor) located = locateConfig(dirs);
        rootdir = located?.rootdir ?? null;
        if (rootdir === null) {
          // pytest's last resort, unless that is the file system's root.
          const withCwd = commonAncestor(cwd, [cwd, ancestor]);
          rootdir = path.dirname(withCwd) === withCwd ? ancestor : withCwd;
        }
      }
    }
  }
  if (explicitRootdir) {
    rootdir = path.resolve(cwd, expandVars(explicitRootdir, options.env ?? process.env));
    if (!existsSync(rootdir) || !statSync(rootdir).isDirectory()) throw new ConfigError(`Directory '${rootdir}' not found. Check your '--rootdir' option.`);
  }
  const file = located?.file ?? null;
  const table = located?.content.pytest ?? null;
  let overrides: Record<string, string>;
  try {
    overrides = parseOverrides(options.overrides ?? []);
  } catch (error) {
    throw error instanceof ConfigFileError ? new ConfigError(error.message) : error;
  }
  const minversion = minversionError(table, overrides, file);
  if (minversion) throw new ConfigError(`${minversion}\nfastest follows pytest 9.0: lower the project's minversion to run it with fastest.`);
  let values: Record<string, IniValue>;
  try {
    values = { ...iniValuesOf(table, file ?? "None"), ...overrides };
  } catch (error) {
    throw error instanceof ConfigFileError ? new ConfigError(error.message) : error;
  }
  return {
    rootdir: rootdir!,
    ini: {
      path: file,
      values,
      mode: table?.mode ?? null,
      ignored: located?.ignored ?? [],
      overridden: Object.keys(overrides),
      fastest: fastestOptions(file, located?.content ?? null),
    },
  };
}

/** The header's `configfile:` value: the file relative to the rootdir, and pytest's warning about ignored ones. */
export function configfileLabel(rootdir: string, ini: IniConfig): string | null {
  if (!ini.path) return null;
  const ignored = ini.ignored ?? [];
  return path.relative(rootdir, ini.path) + (ignored.length > 0 ? ` (WARNING: ignoring pytest config in ${ignored.join(", ")}!)` : "");
}
