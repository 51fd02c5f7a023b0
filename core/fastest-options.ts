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
  "site-packages": "site-packages",
  site_packages: "site-packages",
  wheels: "wheels",
  "sandbox-skip-unsupported": "sandbox-skip-unsupported",
  sandbox_skip_unsupported: "sandbox-skip-unsupported",
  isolate: "isolate",
};

/** Options whose values are paths: the caller resolves them against the config file's folder. */
export const pathOptions: ReadonlySet<string> = new Set(["site-packages", "wheels"]);

/** What each option accepts, for messages. */
const accepts: Readonly<Record<string, string>> = {
  timeout: "a number of seconds (0: no limit)",
  "max-memory": "a whole number of MiB",
  numprocesses: `a whole number of workers or "auto"`,
  seed: "a whole number",
  "site-packages": "a path to a virtualenv or a site-packages folder",
  wheels: "a folder of wheels, or a list of folders",
  "sandbox-skip-unsupported": "true or false",
  isolate: `"none" or "file"`,
};

function accepted(option: string, value: unknown): boolean {
  if (option === "site-packages") return typeof value === "string" && value.trim() !== "";
  if (option === "wheels") return folderList(value) !== null;
  if (option === "sandbox-skip-unsupported") return flagValue(value) !== null;
  if (option === "isolate") return typeof value === "string" && ["none", "file"].includes(value.trim());
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

/** A flag's value: a TOML boolean, or `true`/`false` written in an ini file; null for anything else. */
function flagValue(value: unknown): boolean | null {
  if (typeof value === "boolean") return value;
  const text = typeof value === "string" ? value.trim().toLowerCase() : "";
  return text === "true" ? true : text === "false" ? false : null;
}

/** `wheels` as a list of folders: a TOML list of strings, or one string (in ini files, split on lines and spaces). */
function folderList(value: unknown): string[] | null {
  const items = Array.isArray(value) ? value : typeof value === "string" ? value.split(/\s+/) : null;
  if (!items || !items.every((item) => typeof item === "string")) return null;
  const folders = (items as string[]).map((item) => item.trim()).filter(Boolean);
  return folders.length > 0 ? folders : null;
}

/**
 * The table's options as command-line option values (long name -> text),
 * e.g. `{ timeout: "30", numprocesses: "auto", wheels: ["wheelhouse"] }`
 * (paths as written: see `pathOptions`). An unknown key or a
 * value of the wrong kind is a `ConfigFileError` naming the file and key.
 */
export function fastestOptionValues(table: ConfigTable, file: string): Record<string, string | string[]> {
  const where = file.endsWith("pyproject.toml") ? "[tool.fastest]" : "[fastest]";
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(table.values)) {
    const option = fastestKeys[key];
    if (!option) {
      const known = Object.keys(accepts).join(", ");
      throw new ConfigFileError(`${file}: unknown option '${key}' in ${where}; fastest reads ${known} (workers is another name for numprocesses)`, "plain");
    }
    const kindOk = typeof value === "string" || typeof value === "number" || typeof value === "boolean" || (option === "wheels" && Array.isArray(value));
    if (!kindOk || !accepted(option, value)) {
      throw new ConfigFileError(`${file}: ${where} option '${key}' must be ${accepts[option]}, not ${pyRepr(value)}`, "plain");
    }
    if (option === "sandbox-skip-unsupported") {
      // A flag: true turns it on, false leaves it off.
      if (flagValue(value)) out[option] = "true";
      continue;
    }
    out[option] = option === "wheels" ? folderList(value)! : String(value).trim();
  }
  return out;
}
