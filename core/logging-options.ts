import type { LoggingOptions } from "./protocol.js";

/** pytest's default `log_format` and `log_date_format`. */
export const defaultLogFormat = "%(levelname)-8s %(name)s:%(filename)s:%(lineno)d %(message)s";
export const defaultLogDateFormat = "%H:%M:%S";

type IniValues = Record<string, string | string[] | undefined>;

/** A `log_level`/`log_cli_level` that is neither a level name of Python's logging nor a number. */
export class LogLevelError extends Error {}

const levelNames = new Set(["CRITICAL", "FATAL", "ERROR", "WARN", "WARNING", "INFO", "DEBUG", "NOTSET"]);

function checkLevel(value: string | undefined, name: string): void {
  if (value === undefined || levelNames.has(value.toUpperCase()) || /^-?\d+$/.test(value)) return;
  throw new LogLevelError(`'${value.toUpperCase()}' is not recognized as a logging level name for '${name}'. Please consider passing the logging level num instead.`);
}

/**
 * The logging options as pytest resolves them: for each, the first set of
 * the command-line option and the ini option of the same name, then of its
 * fallback (`log_cli_format` falls back to `log_format`, and so on). Live
 * logging is on with the `log_cli` ini option or when `--log-cli-level` is given.
 */
export function resolveLoggingOptions(options: Record<string, unknown>, ini: IniValues): LoggingOptions | undefined {
  const get = (...names: string[]): string | undefined => {
    for (const name of names) {
      const given = options[name.replaceAll("_", "-")];
      if (typeof given === "string" && given !== "") return given;
      const value = ini[name];
      const text = Array.isArray(value) ? value.join(" ") : value;
      if (text !== undefined && text.trim() !== "") return text.trim();
    }
    return undefined;
  };
  for (const name of ["log_level", "log_cli_level"]) checkLevel(get(name), name);
  const level = get("log_level");
  const format = get("log_format") ?? defaultLogFormat;
  const dateFormat = get("log_date_format") ?? defaultLogDateFormat;
  const cliOn = typeof options["log-cli-level"] === "string" || /^(1|true|yes|on)$/i.test(String(ini["log_cli"] ?? "").trim());
  const cliLevel = get("log_cli_level", "log_level");
  const cli = cliOn
    ? { ...(cliLevel !== undefined ? { level: cliLevel } : {}), format: get("log_cli_format", "log_format") ?? defaultLogFormat, dateFormat: get("log_cli_date_format", "log_date_format") ?? defaultLogDateFormat }
    : undefined;
  if (level === undefined && format === defaultLogFormat && dateFormat === defaultLogDateFormat && cli === undefined) return undefined;
  return { ...(level !== undefined ? { level } : {}), format, dateFormat, ...(cli ? { cli } : {}) };
}
