/**
 * Turns one code block of a documentation page into the workspace the
 * runner runs (and the playground opens): a pytest test file, the page's
 * setup block as a module, and for doctest blocks the doctest helper. Pure
 * functions, no DOM, so Node tests run the same files through real pytest.
 */
import type { ItemResult, WorkspaceFile } from "../runtime/api.js";
import { doctestHelperFile, doctestHelperSource } from "./doctest-helper.js";

/** What a marked block is: doctest examples, pytest tests, or the page's shared setup. */
export type BlockKind = "doctest" | "test" | "setup";

/** The test file every example is written to. */
export const exampleFile = "test_example.py";
/** The setup block's module; examples import its public names. */
export const setupFile = "docs_setup.py";

/** One checked doctest example, as the helper reports it. */
export interface DoctestExample {
  /** 1-based line of the example's first `>>>` line in the block. */
  line: number;
  /** The example's code with its `>>>` / `...` prompts. */
  source: string;
  /** The output the block expects (may be ""). */
  want: string;
  /** What the example printed or raised ("" for skipped examples). */
  got: string;
  state: "passed" | "failed" | "skipped";
}

/**
 * A block's text as written in the page, made ready to run: tabs kept,
 * blank lines around it dropped, the indentation common to all its lines
 * removed (pages often indent the contents of `<pre>`), one final newline.
 */
export function normalizeCode(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  while (lines.length > 0 && lines[0]!.trim() === "") lines.shift();
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === "") lines.pop();
  const indents = lines.filter((line) => line.trim() !== "").map((line) => /^[ \t]*/.exec(line)![0].length);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((line) => line.slice(cut).trimEnd()).join("\n") + "\n";
}

/** `doctest` when the block holds an interactive `>>>` prompt at the start of a line, else `test`. */
export function detectKind(code: string): "doctest" | "test" {
  return /^[ \t]*>>>( |$)/m.test(code) ? "doctest" : "test";
}

export interface ExampleSource {
  kind: "doctest" | "test";
  /** The block's code, normalized. */
  code: string;
  /** The page's setup code, normalized; "" when the page has none. */
  setup: string;
}

/**
 * The files of one example. `marker` (a random string per run) starts the
 * doctest helper's report line; pass `reportMarker()`.
 */
export function exampleFiles(example: ExampleSource, marker: string): WorkspaceFile[] {
  const files: WorkspaceFile[] = [];
  const hasSetup = example.setup.trim() !== "";
  if (hasSetup) files.push({ path: setupFile, content: example.setup });
  if (example.kind === "test") {
    const header = hasSetup ? "from docs_setup import *  # noqa: F403 - the names of the page's setup block\n" : "";
    files.push({ path: exampleFile, content: header + example.code });
    return files;
  }
  files.push({ path: doctestHelperFile, content: doctestHelperSource(marker) });
  files.push({ path: exampleFile, content: doctestTestModule(example.code, hasSetup) });
  return files;
}

function doctestTestModule(code: string, hasSetup: boolean): string {
  return [
    '"""A doctest example from a documentation page, run as one test."""',
    ...(hasSetup ? ["import docs_setup  # the page's setup block: its names are the examples' globals"] : []),
    "from docs_doctest import run_doctest",
    "",
    `EXAMPLE = ${pythonStringLiteral(code)}`,
    "",
    "",
    "def test_example():",
    `    run_doctest(EXAMPLE${hasSetup ? ", setup=docs_setup" : ""})`,
    "",
  ].join("\n");
}

// A lone UTF-16 surrogate cannot be written to a UTF-8 source file.
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A Python literal for `text`: a raw triple-quoted string that reads like the
 * block (starting on its own line; the helper drops that first newline) when
 * that is exact, else a JSON string, which is also a valid Python literal.
 */
export function pythonStringLiteral(text: string): string {
  const rawIsExact = text.endsWith("\n") && !text.includes("'''") && !/[\0\r]/.test(text) && !loneSurrogate.test(text);
  return rawIsExact ? `r'''\n${text}'''` : JSON.stringify(text);
}

/** A marker no example can guess: `fastest-doctest-report-<random hex>:`. */
export function reportMarker(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return `fastest-doctest-report-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}:`;
}

/**
 * The per-example report the doctest helper printed into the test's captured
 * stdout, or null when there is none (the test did not get that far: a setup
 * block that raised, a parse error in the block). Only a line starting with
 * this run's `marker` counts.
 */
export function readDoctestReport(result: Pick<ItemResult, "sections">, marker: string): DoctestExample[] | null {
  for (const [name, text] of result.sections) {
    if (!name.startsWith("Captured stdout")) continue;
    for (const line of text.split("\n")) {
      if (!line.startsWith(marker)) continue;
      const parsed = parseReport(line.slice(marker.length));
      if (parsed) return parsed;
    }
  }
  return null;
}

function parseReport(json: string): DoctestExample[] | null {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return null;
  }
  const examples = (data as { examples?: unknown } | null)?.examples;
  if (!Array.isArray(examples)) return null;
  const out: DoctestExample[] = [];
  for (const item of examples as Array<Record<string, unknown>>) {
    const { line, source, want, got, state } = item ?? {};
    if (typeof line !== "number" || typeof source !== "string" || typeof want !== "string" || typeof got !== "string") return null;
    if (state !== "passed" && state !== "failed" && state !== "skipped") return null;
    out.push({ line, source, want, got, state });
  }
  return out;
}
