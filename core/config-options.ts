/**
 * pytest's configuration options as pytest 9 declares them: their types,
 * the checks it makes on a config file (native TOML types, `minversion`,
 * unknown options) and `-o`/`--override-ini`. Values leave this module in
 * the INI representation the rest of a run reads: a string or a list of strings.
 */
import { ConfigFileError, pythonStr, tomlKind, type ConfigTable } from "./config-file.js";
import { iniArgs } from "./ini.js";

/** How pytest reads an option's value (`parser.addini(type=...)`). */
export type IniType = "string" | "args" | "linelist" | "paths" | "bool" | "int" | "float";

/** The options pytest 9 itself declares (`pytest --help`'s `[pytest] ini-options`), with their types. */
export const builtinIniTypes: Readonly<Record<string, IniType>> = {
  addopts: "args", cache_dir: "string", collect_imported_tests: "bool", consider_namespace_packages: "bool",
  console_output_style: "string", disable_test_id_escaping_and_forfeit_all_rights_to_community_support: "bool",
  doctest_encoding: "string", doctest_optionflags: "args", empty_parameter_set_mark: "string",
  enable_assertion_pass_hook: "bool", faulthandler_exit_on_timeout: "bool", faulthandler_timeout: "string",
  filterwarnings: "linelist", junit_duration_report: "string", junit_family: "string", junit_log_passing_tests: "bool",
  junit_logging: "string", junit_suite_name: "string", log_auto_indent: "string", log_cli: "bool",
  log_cli_date_format: "string", log_cli_format: "string", log_cli_level: "string", log_date_format: "string",
  log_file: "string", log_file_date_format: "string", log_file_format: "string", log_file_level: "string",
  log_file_mode: "string", log_format: "string", log_level: "string", markers: "linelist", minversion: "string",
  norecursedirs: "args", python_classes: "args", python_files: "args", python_functions: "args", pythonpath: "paths",
  required_plugins: "args", strict: "bool", strict_config: "bool", strict_markers: "bool",
  strict_parametrization_ids: "bool", strict_xfail: "bool", testpaths: "args", tmp_path_retention_count: "string",
  tmp_path_retention_policy: "string", truncation_limit_chars: "string", truncation_limit_lines: "string",
  usefixtures: "args", verbosity_assertions: "string", verbosity_subtests: "string", verbosity_test_cases: "string",
};

/** Old names pytest still accepts for an option: alias -> its current name. */
export const iniAliases: Readonly<Record<string, string>> = { xfail_strict: "strict_xfail" };

/**
 * Options of the plugins fastest stands in for (pytest-timeout, pytest-asyncio):
 * known, so never "unknown", but read as strings whatever their TOML type.
 */
export const emulatedPluginOptions: ReadonlySet<string> = new Set([
  "timeout", "timeout_method", "timeout_func_only", "timeout_disable_debugger_detection",
  "asyncio_mode", "asyncio_default_fixture_loop_scope", "asyncio_default_test_loop_scope",
]);

/** The pytest version whose behaviour fastest follows (the sandbox's `pytest.__version__` is this, plus `-fastest`). */
export const pytestCompatibleVersion = "9.0.0";

/** A value in the INI representation: what a run reads from `ini.values`. */
export type IniValue = string | string[];

/** Python's `type(value).__name__` and `repr(value)` of a TOML value, for pytest's messages. */
function pyType(value: unknown): string {
  if (Array.isArray(value)) return "list";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (typeof value === "string") return "str";
  if (value instanceof Date) return "datetime";
  return typeof value === "object" && value !== null ? "dict" : typeof value;
}

/** Python's `repr()` of a TOML value (strings quoted as Python quotes them). */
export function pyRepr(value: unknown): string {
  if (typeof value === "string") {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    const body = value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\t/g, "\\t").replace(/\r/g, "\\r");
    return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
  }
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
  if (typeof value === "object" && value !== null && !(value instanceof Date)) {
    return `{${Object.entries(value).map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(", ")}}`;
  }
  return pythonStr(value);
}

/** One `[tool.pytest]` value checked against its option's type, as pytest 9's `getini` checks it. */
function nativeToIni(file: string, name: string, type: IniType, value: unknown): IniValue {
  const got = `got ${pyType(value)}: ${pyRepr(value)}`;
  const fail = (expects: string): never => {
    throw new ConfigFileError(`${file}: config option '${name}' expects ${expects}, ${got}`, "plain");
  };
  switch (type) {
    case "args":
    case "linelist":
    case "paths": {
      if (!Array.isArray(value)) fail(`a list for type '${type}'`);
      (value as unknown[]).forEach((item, i) => {
        if (typeof item !== "string") {
          throw new ConfigFileError(`${file}: config option '${name}' expects a list of strings, but item at index ${i} is ${pyType(item)}: ${pyRepr(item)}`, "plain");
        }
      });
      return value as string[];
    }
    case "bool":
      return typeof value === "boolean" ? String(value) : fail("a bool");
    case "int":
      return typeof value === "number" && Number.isInteger(value) ? String(value) : fail("an int");
    case "float":
      return typeof value === "number" ? String(value) : fail("a float");
    case "string":
      return typeof value === "string" ? value : fail("a string");
  }
}

/** An option's value whose type fastest does not know: scalars as strings, lists as lists of strings. */
function looseToIni(file: string, name: string, value: unknown): IniValue {
  const scalar = (item: unknown): string => {
    if (typeof item === "object" && item !== null && !(item instanceof Date)) {
      throw new ConfigFileError(`${file}: option '${name}' holds ${tomlKind(item)}; use a string or a list of strings`, "plain");
    }
    return typeof item === "boolean" ? String(item) : pythonStr(item);
  };
  return Array.isArray(value) ? value.map(scalar) : scalar(value);
}

/**
 * A file's pytest options in the INI representation. Native TOML values
 * (`[tool.pytest]`, `pytest.toml`) of options pytest declares are checked
 * against their types with pytest 9's messages (`expects a list for type
 * 'args', got str: ...`); pytest makes the same check when an option is
 * first read, fastest when the file is.
 */
export function iniValuesOf(table: ConfigTable | null, file: string): Record<string, IniValue> {
  const values: Record<string, IniValue> = {};
  if (!table) return values;
  for (const [name, value] of Object.entries(table.values)) {
    if (table.mode === "ini") values[name] = looseToIni(file, name, value);
    else {
      const type = builtinIniTypes[iniAliases[name] ?? name];
      values[name] = type && !emulatedPluginOptions.has(name) ? nativeToIni(file, name, type, value) : looseToIni(file, name, value);
    }
  }
  return values;
}

/** `-o NAME=VALUE` arguments as option -> value (the last one of a name wins), with pytest's message for a malformed one. */
export function parseOverrides(overrides: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const override of overrides) {
    const eq = override.indexOf("=");
    if (eq < 0) throw new ConfigFileError(`-o/--override-ini expects option=value style (got: ${pyRepr(override)}).`, "plain");
    out[override.slice(0, eq)] = override.slice(eq + 1);
  }
  return out;
}

/** pytest's `_strtobool`, with `fallback` for a value that is none of its words. */
export function iniBool(value: IniValue | undefined, fallback = false): boolean {
  if (value === undefined || Array.isArray(value)) return fallback;
  const word = value.trim().toLowerCase();
  if (["y", "yes", "t", "true", "on", "1"].includes(word)) return true;
  if (["n", "no", "f", "false", "off", "0"].includes(word)) return false;
  return fallback;
}

/** `strict_config` (or, when that is not set, `strict`): are unknown options errors? */
export function isStrictConfig(values: Record<string, IniValue>): boolean {
  return values["strict_config"] !== undefined ? iniBool(values["strict_config"]) : iniBool(values["strict"]);
}

/** `strict_xfail` (or its old name `xfail_strict`, or `strict`): does an unexpected pass fail? Overridden names win, then the current name. */
export function isStrictXfail(values: Record<string, IniValue>, overridden: ReadonlySet<string>): boolean {
  const names = ["strict_xfail", "xfail_strict"].filter((name) => values[name] !== undefined);
  const chosen = names.find((name) => overridden.has(name)) ?? names[0];
  return chosen !== undefined ? iniBool(values[chosen]) : iniBool(values["strict"]);
}

/** Options in `values` that neither pytest, the plugins fastest stands in for, nor `registered` (conftest `addini`) declare, sorted. */
export function unknownOptions(values: Record<string, IniValue>, registered: ReadonlySet<string> = new Set()): string[] {
  return Object.keys(values)
    .filter((name) => !(name in builtinIniTypes) && !(name in iniAliases) && !emulatedPluginOptions.has(name) && !registered.has(name))
    .sort();
}

/** `required_plugins` entries (pytest splits them like `addopts`), sorted as pytest lists them. */
export function requiredPlugins(values: Record<string, IniValue>): string[] {
  return iniArgs(values["required_plugins"]).sort();
}

/**
 * A PEP 440 version as a sortable key: the release numbers, then a
 * pre-release (`a`, `b`, `rc`) or development (`dev`) tag, which sorts
 * before the release itself. Null when `text` is no version.
 */
function versionKey(text: string): number[] | null {
  const match = /^\s*v?(\d+(?:\.\d+)*)(?:[-_.]?(a|alpha|b|beta|c|rc|pre|preview)[-_.]?(\d*))?(?:[-_.]?(post|rev|r)[-_.]?(\d*))?(?:[-_.]?(dev)[-_.]?(\d*))?(?:\+[a-z0-9.]+)?\s*$/i.exec(text);
  if (!match) return null;
  const release = match[1]!.split(".").map(Number);
  while (release.length < 10) release.push(0);
  const pre = match[2] ? ({ a: 0, alpha: 0, b: 1, beta: 1 } as Record<string, number>)[match[2].toLowerCase()] ?? 2 : 3;
  const preNumber = match[2] ? Number(match[3] || 0) : 0;
  const post = match[4] ? Number(match[5] || 0) + 1 : 0;
  const dev = match[6] ? Number(match[7] || 0) : Number.MAX_SAFE_INTEGER;
  const local = text.includes("+") ? 1 : 0;
  // A bare .devN sorts before every pre-release of its release.
  return [...release, match[6] && !match[2] && !match[4] ? -1 : pre, preNumber, post, dev, local];
}

/** Compare two PEP 440 versions: negative, zero or positive; null when either is not a version. */
export function compareVersions(a: string, b: string): number | null {
  const left = versionKey(a);
  const right = versionKey(b);
  if (!left || !right) return null;
  const length = Math.max(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/**
 * pytest's `minversion` check, against the pytest version fastest follows.
 * Returns pytest's message when the file asks for a newer pytest, else null.
 */
export function minversionError(table: ConfigTable | null, overrides: Record<string, string>, file: string | null): string | null {
  const raw = overrides["minversion"] ?? table?.values["minversion"];
  if (raw === undefined || raw === "") return null;
  file ??= "None"; // pytest prints its inipath, None without a file
  if (typeof raw !== "string") return `${file}: 'minversion' must be a single value`;
  const order = compareVersions(raw, pytestCompatibleVersion);
  if (order === null) return `${file}: 'minversion' is not a version: ${pyRepr(raw)}`;
  return order > 0 ? `${file}: 'minversion' requires pytest-${raw}, actual pytest-${pytestCompatibleVersion}'` : null;
}
