import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs, UsageError, type OptionSpec, type ParsedArgs } from "../core/cli-args.js";
import { initialConftestFiles } from "./conftest-hooks.js";

/**
 * Command-line options that conftests declare with
 * `parser.addoption("--name", ...)` in `pytest_addoption` (`--runslow`,
 * `--flavor=fast`): pytest knows them once it loads the initial conftests,
 * so fastest reads those conftests' text when the command line holds an
 * option it does not know. The values reach the harness, where
 * `config.getoption("name")` returns them.
 */
export function parseWithConftestOptions(argv: readonly string[], specs: () => OptionSpec[]): ParsedArgs {
  try {
    return parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError) || !error.message.startsWith("unrecognized arguments: --")) throw error;
    const extra = specs();
    // An option no conftest declares stays pytest's usage error.
    return extra.length > 0 ? parseArgs(argv, extra) : rethrow(error);
  }
}

function rethrow(error: Error): never {
  throw error;
}

/** The `parser.addoption` declarations of the initial conftests under `rootdir` for these command-line arguments. */
export function conftestOptionSpecs(rootdir: string, cwd: string, argv: readonly string[]): OptionSpec[] {
  const args = parseArgs(argv, [], true).positionals
    .map((arg) => path.resolve(cwd, arg.split("::")[0]!))
    .filter((file) => existsSync(file));
  const specs: OptionSpec[] = [];
  for (const file of initialConftestFiles(rootdir, args.length > 0 ? args : [cwd])) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const call of addoptionCalls(text)) {
      const spec = specOf(call);
      if (spec) specs.push(spec);
    }
  }
  return specs;
}

/** The argument text of each `addoption(...)` / `_addoption(...)` call (quotes and nested parentheses respected). */
function addoptionCalls(text: string): string[] {
  const calls: string[] = [];
  for (const match of text.matchAll(/\b_?addoption\(/g)) {
    let depth = 1;
    let quote: string | null = null;
    let i = match.index! + match[0].length;
    const start = i;
    for (; i < text.length && depth > 0; i++) {
      const ch = text[i]!;
      if (quote) {
        if (ch === "\\") i++;
        else if (ch === quote) quote = null;
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === "(") depth++;
      else if (ch === ")") depth--;
    }
    calls.push(text.slice(start, i - 1));
  }
  return calls;
}

function specOf(call: string): OptionSpec | null {
  // The option strings come first, before any keyword argument.
  const names: string[] = [];
  for (const match of call.matchAll(/\s*(["'])(-[^"']*)\1\s*,?/gy)) names.push(match[2]!);
  const long = names.find((name) => name.startsWith("--"));
  if (!long) return null;
  const action = /\baction\s*=\s*["'](\w+)["']/.exec(call)?.[1];
  const kind = action === "store_true" || action === "store_false" || action === "store_const" ? "flag"
    : action === "count" ? "count"
    : action === "append" ? "list"
    : "value";
  const aliases = names.filter((name) => name.startsWith("--") && name !== long).map((name) => name.slice(2));
  return { long: long.slice(2), kind, help: "declared by a conftest.py", ...(aliases.length > 0 ? { aliases } : {}) };
}

/** The harness's `conftestOptions`: each conftest option given, by its first long name (`--flavor`), as parsed. */
export function conftestOptionValues(args: ParsedArgs, specs: readonly OptionSpec[]): Record<string, string | number | boolean | string[]> | undefined {
  const values: Record<string, string | number | boolean | string[]> = {};
  for (const spec of specs) {
    const value = args.options[spec.long];
    if (value !== undefined) values[`--${spec.long}`] = value;
  }
  return Object.keys(values).length > 0 ? values : undefined;
}
