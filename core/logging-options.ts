import type { LoggingOptions } from "./protocol.js";

/** pytest's default `log_format` and `log_date_format`. */
export const defaultLogFormat = "%(levelname)-8s %(name)s:%(filename)s:%(lineno)d %(message)s";
export const defaultLogDateFormat = "%H:%M:%S";

type IniValues = Record<string, string | string[] | undefined>;

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
