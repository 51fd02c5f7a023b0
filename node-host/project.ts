import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { parse as parseToml } from "smol-toml";
import { globToRegExp, isSkippedDirName } from "../core/globs.js";
import { parseIni } from "../core/ini.js";

/** The ini-file a run found, as pytest finds it. */
export interface IniConfig {
  /** Absolute path of the file, or null when none was found. */
  path: string | null;
  /** Options from its pytest section; multi-line values stay one string. */
  values: Record<string, string | string[]>;
}

export class ConfigError extends Error {}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function tomlKind(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  return isTable(value) ? "a table" : `the ${typeof value} ${JSON.stringify(value)}`;
}

const iniNames = ["pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg"];

/** Read one candidate file; null when it holds no pytest section. */
function readIniCandidate(file: string): IniConfig | null {
  const name = path.basename(file);
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
  if (name === "pyproject.toml") {
    let doc: Record<string, unknown>;
    try {
      doc = parseToml(text) as Record<string, unknown>;
    } catch (error) {
      // smol-toml's message ends with a code frame; the CLI prints one line, with the position as pytest does.
      const { line, column, message } = error as { line?: number; column?: number; message: string };
      const where = line === undefined ? "" : ` (at line ${line}, column ${column})`;
      throw new ConfigError(`${file}: ${message.split("\n")[0]!.replace(/^Invalid TOML document: /, "")}${where}`);
    }
    const tool = isTable(doc["tool"]) ? doc["tool"] : {};
    const pytest = tool["pytest"];
    if (pytest === undefined) return null;
    const table = isTable(pytest) && pytest["ini_options"] !== undefined ? pytest["ini_options"] : pytest;
    const tableName = table === pytest ? "[tool.pytest]" : "[tool.pytest.ini_options]";
    if (!isTable(table)) throw new ConfigError(`${file}: ${tableName} must be a table of options, not ${tomlKind(table)}`);
    const values: Record<string, string | string[]> = {};
    for (const [key, value] of Object.entries(table)) {
      if (key === "ini_options") continue;
      const scalar = (item: unknown) => {
        if (isTable(item) || Array.isArray(item)) {
          throw new ConfigError(`${file}: ${tableName} option '${key}' holds ${tomlKind(item)}; use a string or a list of strings`);
        }
        return String(item);
      };
      values[key] = Array.isArray(value) ? value.map(scalar) : scalar(value);
    }
    return { path: file, values };
  }
  const section = name === "setup.cfg" ? "tool:pytest" : "pytest";
  let sections: Map<string, Record<string, string>>;
  try {
    sections = parseIni(text);
  } catch (error) {
    throw new ConfigError(`${file}: ${(error as Error).message}`);
  }
  const values = sections.get(section);
  // pytest.ini is the ini-file even when its [pytest] section is missing.
  if (!values) return name === "pytest.ini" || name === ".pytest.ini" ? { path: file, values: {} } : null;
  return { path: file, values };
}

function ancestors(dir: string): string[] {
  const out = [dir];
  for (let d = dir; path.dirname(d) !== d; d = path.dirname(d)) out.push(path.dirname(d));
  return out;
}

function commonAncestor(paths: string[]): string {
  const dirs = paths.map((p) => (existsSync(p) && statSync(p).isDirectory() ? p : path.dirname(p)));
  let common = dirs[0]!;
  for (const dir of dirs.slice(1)) {
    while (dir !== common && !dir.startsWith(common.endsWith(path.sep) ? common : common + path.sep)) {
      common = path.dirname(common);
    }
  }
  return common;
}

/**
 * pytest's rootdir and ini-file search: the first ini-file with a pytest
 * section in the args' common ancestor or above; else the folder of the
 * nearest setup.py; else the common ancestor of the args and the cwd.
 */
export function findRootdir(args: string[], cwd: string, explicitRootdir?: string): { rootdir: string; ini: IniConfig } {
  const absolute = args.map((a) => path.resolve(cwd, a.split("::")[0]!));
  const ancestor = commonAncestor(absolute.length > 0 ? absolute : [cwd]);
  let ini: IniConfig = { path: null, values: {} };
  search: for (const dir of ancestors(ancestor)) {
    for (const name of iniNames) {
      const file = path.join(dir, name);
      // pytest looks at files only: a folder named pytest.ini is not an ini-file.
      if (!existsSync(file) || !statSync(file).isFile()) continue;
      const found = readIniCandidate(file);
      if (found) {
        ini = found;
        break search;
      }
    }
  }
  if (explicitRootdir) return { rootdir: path.resolve(cwd, explicitRootdir), ini };
  if (ini.path) return { rootdir: path.dirname(ini.path), ini };
  for (const dir of ancestors(ancestor)) {
    if (existsSync(path.join(dir, "setup.py"))) return { rootdir: dir, ini };
  }
  // pytest's last resort: the common ancestor of the args and the invocation
  // folder, unless that is the file system's root.
  const withCwd = commonAncestor([cwd, ancestor]);
  return { rootdir: path.dirname(withCwd) === withCwd ? ancestor : withCwd, ini };
}

/** Is folder `name` inside `dir` one that is neither searched for tests nor copied into the sandbox? */
export function isSkippedDir(dir: string, name: string): boolean {
  return isSkippedDirName(name) || existsSync(path.join(dir, name, "pyvenv.cfg"));
}

/** What else than test modules a run collects: doctest modules and text files. */
export interface DoctestDiscovery {
  /** `--doctest-modules`: every `.py` file. */
  modules: boolean;
  /** `--doctest-glob` patterns; pytest's default is `test*.txt`. */
  globs: string[];
}

/**
 * Test files under the given paths, in pytest's order (each folder's entries
 * sorted by name, files and folders together). Files named explicitly are
 * kept whatever their name. With doctests, every Python module
 * (`--doctest-modules`) and text files matching the doctest globs count too.
 * `ignore` (`--ignore`, `--ignore-glob`) prunes files and folders found while
 * walking; paths given explicitly are collected anyway, as pytest does.
 */
export function findTestFiles(
  paths: string[],
  patterns: string[],
  doctest?: DoctestDiscovery,
  ignore: (absolutePath: string) => boolean = () => false,
): string[] {
  const matchers = patterns.map(globToRegExp);
  const textMatchers = (doctest && doctest.globs.length > 0 ? doctest.globs : ["test*.txt"]).map(globToRegExp);
  const wanted = (name: string) =>
    name.endsWith(".py")
      ? Boolean(doctest?.modules) || matchers.some((m) => m.test(name))
      : textMatchers.some((m) => m.test(name));
  const found: string[] = [];
  const seen = new Set<string>();
  const add = (file: string) => {
    if (!seen.has(file)) {
      seen.add(file);
      found.push(file);
    }
  };
  const walk = (dir: string) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (ignore(full)) continue;
      if (entry.isDirectory()) {
        if (!isSkippedDir(dir, entry.name)) walk(full);
      } else if (entry.isFile() && wanted(entry.name)) {
        add(full);
      }
    }
  };
  for (const p of paths) {
    if (!existsSync(p)) throw new ConfigError(`file or directory not found: ${p}`);
    if (statSync(p).isDirectory()) walk(p);
    else add(p);
  }
  return found;
}

export interface ProjectSnapshot {
  files: Array<{ path: string; data: Uint8Array }>;
  bytes: number;
}

/** Largest project copied into the sandbox; past it the run stops with a clear error. */
export const maxProjectBytes = 256 * 1024 * 1024;

/**
 * Every file under rootdir that a test might read, for copying into the
 * sandbox: skipped folders (VCS, caches, virtualenvs, node_modules) stay out.
 */
export function readProjectFiles(rootdir: string): ProjectSnapshot {
  const files: ProjectSnapshot["files"] = [];
  let bytes = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!isSkippedDir(dir, entry.name)) walk(full);
      } else if (entry.isFile()) {
        const data = readFileSync(full);
        bytes += data.byteLength;
        if (bytes > maxProjectBytes) {
          throw new ConfigError(
            `the project under ${rootdir} holds more than ${maxProjectBytes / 1024 / 1024} MiB of files to copy into the sandbox; run fastest on a smaller folder or pass --rootdir`,
          );
        }
        files.push({ path: full.split(path.sep).join("/"), data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
      }
    }
  };
  walk(rootdir);
  return { files, bytes };
}
