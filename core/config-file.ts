/**
 * Reading one configuration file the way pytest 9 reads it: which files
 * can hold pytest's options, which section or table holds them, and in
 * which mode their values are read. The host finds the files and reads their
 * bytes; this module only parses text, so that any host can use it.
 */
import { parse as parseToml } from "smol-toml";
import { parseIni } from "./ini.js";

/** Config file names in pytest 9's order of preference within one folder. */
export const configFileNames = ["pytest.toml", ".pytest.toml", "pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg"] as const;

/**
 * How a file's values are typed, as pytest 9 calls it: `ini` (INI files and
 * `[tool.pytest.ini_options]`: every value a string or a list of strings)
 * or `toml` (`[tool.pytest]` and `pytest.toml`: native TOML types, checked
 * against each option's type).
 */
export type ConfigMode = "ini" | "toml";

/** The pytest options one file holds. */
export interface ConfigTable {
  mode: ConfigMode;
  /** Option name -> value: strings and lists of strings in `ini` mode, TOML values in `toml` mode. */
  values: Record<string, unknown>;
}

/** What one file holds for pytest and for fastest itself. */
export interface ConfigFileContent {
  /** pytest's options, or null when the file holds no pytest section (it is then not a config file for pytest). */
  pytest: ConfigTable | null;
  /** fastest's own options (`[tool.fastest]`, or a `[fastest]` section / table), or null when there are none. */
  fastest: ConfigTable | null;
}

/**
 * A file that cannot be read as configuration. `line` is 1-based when the
 * position is known; `format` says how pytest words the message
 * (`file:LINE: reason` for INI files, `file: reason (at line L, column C)` for TOML).
 */
export class ConfigFileError extends Error {
  constructor(
    readonly reason: string,
    readonly format: "ini" | "toml" | "plain",
    readonly line?: number,
    readonly column?: number,
  ) {
    super(reason);
  }

  /** The message as pytest prints it for this file. */
  describe(file: string): string {
    if (this.format === "ini" && this.line !== undefined) return `${file}:${this.line}: ${this.reason}`;
    if (this.format === "toml" && this.line !== undefined) return `${file}: ${this.reason} (at line ${this.line}, column ${this.column ?? 1})`;
    return `${file}: ${this.reason}`;
  }
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** How a TOML value is named in messages. */
export function tomlKind(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  return isTable(value) ? "a table" : `the ${typeof value} ${JSON.stringify(value)}`;
}

function parseTomlText(text: string): Record<string, unknown> {
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (error) {
    // smol-toml's message ends with a code frame; keep its first line and the position, as pytest prints tomllib's.
    const { line, column, message } = error as { line?: number; column?: number; message: string };
    const reason = message.split("\n")[0]!.replace(/^Invalid TOML document: /, "");
    throw new ConfigFileError(reason.charAt(0).toUpperCase() + reason.slice(1), "toml", line, column);
  }
}

function parseIniText(text: string): Map<string, Record<string, string>> {
  try {
    return parseIni(text);
  } catch (error) {
    const match = /^line (\d+): (.*)$/s.exec((error as Error).message);
    if (!match) throw error;
    throw new ConfigFileError(match[2]!, "ini", Number(match[1]));
  }
}

/**
 * `[tool.pytest.ini_options]` values: pytest turns every scalar into its
 * string (Python's `str()`: `true` reads `True`) and keeps lists as they are.
 */
function iniModeValues(table: Record<string, unknown>, tableName: string): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(table)) {
    const scalar = (item: unknown): string => {
      if (isTable(item) || Array.isArray(item)) {
        throw new ConfigFileError(`${tableName} option '${key}' holds ${tomlKind(item)}; use a string or a list of strings`, "plain");
      }
      return pythonStr(item);
    };
    values[key] = Array.isArray(value) ? value.map(scalar) : scalar(value);
  }
  return values;
}

/** Python's `str()` of a TOML scalar. */
export function pythonStr(value: unknown): string {
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number" && Number.isInteger(value) && !Object.is(value, -0)) return String(value);
  if (typeof value === "number") return Number.isFinite(value) ? (Number.isInteger(value) ? `${value}.0` : String(value)) : value > 0 ? "inf" : value < 0 ? "-inf" : "nan";
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function fastestTable(value: unknown, tableName: string): ConfigTable | null {
  if (value === undefined) return null;
  if (!isTable(value)) throw new ConfigFileError(`${tableName} must be a table of options, not ${tomlKind(value)}`, "plain");
  return { mode: "toml", values: value };
}

function readPyproject(text: string): ConfigFileContent {
  const doc = parseTomlText(text);
  const tool = isTable(doc["tool"]) ? doc["tool"] : {};
  const fastest = fastestTable(tool["fastest"], "[tool.fastest]");
  const pytest = tool["pytest"];
  if (pytest === undefined) return { pytest: null, fastest };
  if (!isTable(pytest)) throw new ConfigFileError(`[tool.pytest] must be a table of options, not ${tomlKind(pytest)}`, "plain");
  const native = Object.fromEntries(Object.entries(pytest).filter(([key]) => key !== "ini_options"));
  const iniOptions = pytest["ini_options"];
  if (Object.keys(native).length > 0 && iniOptions !== undefined) {
    throw new ConfigFileError(
      "Cannot use both [tool.pytest] (native TOML types) and [tool.pytest.ini_options] (string-based INI format) simultaneously. " +
        "Please use [tool.pytest] with native TOML types (recommended) or [tool.pytest.ini_options] for backwards compatibility.",
      "plain",
    );
  }
  if (Object.keys(native).length > 0) return { pytest: { mode: "toml", values: native }, fastest };
  if (iniOptions === undefined) return { pytest: null, fastest };
  if (!isTable(iniOptions)) throw new ConfigFileError(`[tool.pytest.ini_options] must be a table of options, not ${tomlKind(iniOptions)}`, "plain");
  return { pytest: { mode: "ini", values: iniModeValues(iniOptions, "[tool.pytest.ini_options]") }, fastest };
}

/**
 * Read one file's text by its name, as pytest 9 does: `*.toml` (pyproject:
 * `[tool.pytest]` or `[tool.pytest.ini_options]`; `pytest.toml`: `[pytest]`),
 * `*.ini` (`[pytest]`; `pytest.ini` is a config file even without one),
 * `*.cfg` (`[tool:pytest]`). fastest's own options sit in `[tool.fastest]`
 * (pyproject.toml) or a `[fastest]` section / table (the other files).
 * Throws `ConfigFileError` for a file that cannot be parsed.
 */
export function readConfigText(fileName: string, text: string): ConfigFileContent {
  const base = fileName.slice(fileName.lastIndexOf("/") + 1);
  if (base.endsWith(".toml")) {
    if (base !== "pytest.toml" && base !== ".pytest.toml") return readPyproject(text);
    const doc = parseTomlText(text);
    const pytest = doc["pytest"] ?? {};
    if (!isTable(pytest)) throw new ConfigFileError(`[pytest] must be a table of options, not ${tomlKind(pytest)}`, "plain");
    return { pytest: { mode: "toml", values: pytest }, fastest: fastestTable(doc["fastest"], "[fastest]") };
  }
  if (base.endsWith(".ini") || base.endsWith(".cfg")) {
    const sections = parseIniText(text);
    const own = sections.get("fastest");
    const fastest: ConfigTable | null = own ? { mode: "ini", values: own } : null;
    if (base.endsWith(".cfg")) {
      const values = sections.get("tool:pytest");
      if (!values && sections.has("pytest")) {
        throw new ConfigFileError("[pytest] section in setup.cfg files is no longer supported, change to [tool:pytest] instead.", "plain");
      }
      return { pytest: values ? { mode: "ini", values } : null, fastest };
    }
    const values = sections.get("pytest");
    if (values) return { pytest: { mode: "ini", values }, fastest };
    // pytest.ini is the config file even when its [pytest] section is missing.
    return { pytest: base === "pytest.ini" || base === ".pytest.ini" ? { mode: "ini", values: {} } : null, fastest };
  }
  return { pytest: null, fastest: null };
}
