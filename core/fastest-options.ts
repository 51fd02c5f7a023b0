/**
 * fastest's own options in a config file: `[tool.fastest]` in
 * pyproject.toml, or a `[fastest]` section in pytest.ini, tox.ini or
 * setup.cfg (a `[fastest]` table in pytest.toml). They stand for
 * command-line flags and give way to them, and to `addopts`.
 */
import { ConfigFileError, type ConfigTable } from "./config-file.js";
import { pyRepr } from "./config-options.js";

/** A key of the table, and the long command-line option it stands for. */
const fastestKeys: Readonly<Record<string, string>> = {
  timeout: "timeout",
  "max-memory": "max-memory",
  max_memory: "max-memory",
  numprocesses: "numprocesses",
  workers: "numprocesses",
  seed: "seed",
};

/** What each option accepts, for messages. */
const accepts: Readonly<Record<string, string>> = {
  timeout: "a number of seconds (0: no limit)",
  "max-memory": "a whole number of MiB",
  numprocesses: `a whole number of workers or "auto"`,
  seed: "a whole number",
};

function accepted(option: string, value: unknown): boolean {
  const text = typeof value === "string" ? value.trim() : value;
  const number = typeof text === "number" ? text : typeof text === "string" && text !== "" ? Number(text) : NaN;
  switch (option) {
    case "timeout":
      return Number.isFinite(number) && number >= 0;
    case "numprocesses":
      return text === "auto" || text === "logical" || (Number.isInteger(number) && number >= 0);
    default:
      return Number.isInteger(number) && number >= 0;
  }
}

/**
 * The table's options as command-line option values (long name -> text),
 * e.g. `{ timeout: "30", numprocesses: "auto" }`. An unknown key or a
 * value of the wrong kind is a `ConfigFileError` naming the file and key.
 */
export function fastestOptionValues(table: ConfigTable, file: string): Record<string, string> {
  const where = file.endsWith("pyproject.toml") ? "[tool.fastest]" : "[fastest]";
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(table.values)) {
    const option = fastestKeys[key];
    if (!option) {
      const known = Object.keys(accepts).join(", ");
      throw new ConfigFileError(`${file}: unknown option '${key}' in ${where}; fastest reads ${known} (workers is another name for numprocesses)`, "plain");
    }
    if ((typeof value !== "string" && typeof value !== "number") || !accepted(option, value)) {
      throw new ConfigFileError(`${file}: ${where} option '${key}' must be ${accepts[option]}, not ${pyRepr(value)}`, "plain");
    }
    out[option] = String(value).trim();
  }
  return out;
}
