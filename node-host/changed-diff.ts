import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Node } from "web-tree-sitter";
import { createPythonParser, type PythonParser } from "../core/discovery/parser.js";
import { parserWasm } from "./static-discovery.js";

/**
 * `--changed`: where inside each changed Python module the change lies.
 * `git diff -U0 REF` gives the changed line ranges (hunks); each range is
 * placed in the old text (`git show REF:path`) and in the new one (the
 * working tree), both parsed with tree-sitter. A change whose every hunk
 * lies, on both sides, inside the body of a `def` is a change to those
 * functions only; anything else (imports, constants, signatures,
 * decorators, class bodies, a new or removed `def`) is a change to the
 * module.
 *
 * Why this is sound: outside the reported function bodies the old and the
 * new text are the same, so the module builds the same objects when
 * imported; only calling one of those functions can behave differently.
 * Functions are named by their qualified name (`Class.method`,
 * `outer.<locals>.inner`), which is what the harness records
 * (`co_qualname`), so moved lines do not matter. A hunk is charged to the
 * innermost `def` whose body holds it: a nested `def` runs only when its
 * enclosing function has run, and a lambda or comprehension is recorded as
 * the function around it.
 */

/** Per changed file (rootdir-relative): the functions a change is confined to, or null for a change to the module itself. */
export type ChangedFunctions = Map<string, Set<string> | null>;

interface Hunk {
  /** First old line and count (a count of 0: inserted after that line). */
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
}

/** A `def` and the lines of its body (1-based, inclusive; past the line its header ends on). */
interface FunctionSpan {
  qualname: string;
  first: number;
  last: number;
}

/**
 * For the changed `.py` files that exist both at `ref` and now, which
 * functions the change is confined to. Files missing from the answer (new,
 * deleted, binary, unparsable) are changed as a whole.
 */
export async function changedFunctions(rootdir: string, ref: string, files: string[]): Promise<ChangedFunctions> {
  const result: ChangedFunctions = new Map();
  const python = files.filter((file) => file.endsWith(".py"));
  if (python.length === 0) return result;
  const diff = git(rootdir, ["-c", "core.quotePath=false", "diff", "-U0", "--no-color", "--no-renames", "--no-ext-diff", "--relative", ref, "--", ...python]);
  if (diff === null) return result;
  let parser: PythonParser | undefined;
  for (const [file, hunks] of parseDiff(diff)) {
    if (hunks === null || hunks.length === 0) continue;
    const before = git(rootdir, ["show", `${ref}:./${file}`]);
    let after: string;
    try {
      after = readFileSync(path.join(rootdir, file), "utf8");
    } catch {
      continue;
    }
    if (before === null) continue;
    parser ??= await createPythonParser(parserWasm());
    result.set(file, functionsOf(parser, hunks, before, after));
  }
  return result;
}

/** The functions every hunk lies in, or null when one lies outside any function body (on either side) or a side does not parse. */
function functionsOf(parser: PythonParser, hunks: Hunk[], before: string, after: string): Set<string> | null {
  const oldSpans = spansOf(parser, before);
  const newSpans = spansOf(parser, after);
  if (!oldSpans || !newSpans) return null;
  const names = new Set<string>();
  for (const hunk of hunks) {
    // An insertion (count 0) sits between a line and the next: inside a body when both
    // neighbours are, or at the very start or end of one (the new side then shows where it went).
    const oldSpan = hunk.oldCount > 0
      ? innermost(oldSpans, hunk.oldStart, hunk.oldStart + hunk.oldCount - 1)
      : innermost(oldSpans, hunk.oldStart, hunk.oldStart, 1);
    const newSpan = hunk.newCount > 0
      ? innermost(newSpans, hunk.newStart, hunk.newStart + hunk.newCount - 1)
      : innermost(newSpans, hunk.newStart, hunk.newStart, 1);
    if (!oldSpan || !newSpan) return null;
    names.add(oldSpan.qualname).add(newSpan.qualname);
  }
  return names;
}

/** The smallest span whose body holds lines first..last (`slack` widens it by a line on each side, for insertion points). */
function innermost(spans: FunctionSpan[], first: number, last: number, slack = 0): FunctionSpan | null {
  let best: FunctionSpan | null = null;
  for (const span of spans) {
    if (span.first - slack <= first && last <= span.last && span.first <= span.last) {
      if (!best || span.last - span.first < best.last - best.first) best = span;
    }
  }
  return best;
}

/** Every `def` in a module with its qualified name and body lines; null when the text does not parse cleanly. */
function spansOf(parser: PythonParser, source: string): FunctionSpan[] | null {
  const tree = parser.parse(source);
  try {
    if (tree.rootNode.hasError) return null;
    const spans: FunctionSpan[] = [];
    const visit = (node: Node, scope: string, inFunction: boolean) => {
      for (const child of node.namedChildren) {
        if (!child) continue;
        if (child.type === "function_definition" || child.type === "class_definition") {
          const name = child.childForFieldName("name")?.text ?? "";
          const qualname = scope === "" ? name : `${scope}${inFunction ? ".<locals>." : "."}${name}`;
          const body = child.childForFieldName("body");
          if (!body) continue;
          if (child.type === "function_definition") {
            // The body starts on the line after the header's `:` (a one-line `def f(): ...` has none of its own),
            // and after the docstring: read without calling the function (help texts, `__doc__`).
            const colon = body.previousSibling;
            const headerEnd = (colon ?? child).endPosition.row + 1;
            const first = body.namedChildren[0];
            const docEnd = first?.type === "expression_statement" && ["string", "concatenated_string"].includes(first.namedChildren[0]?.type ?? "")
              ? first.endPosition.row + 1
              : 0;
            spans.push({ qualname, first: Math.max(body.startPosition.row + 1, headerEnd + 1, docEnd + 1), last: body.endPosition.row + 1 });
          }
          visit(body, qualname, child.type === "function_definition");
        } else {
          visit(child, scope, inFunction);
        }
      }
    };
    visit(tree.rootNode, "", false);
    return spans;
  } finally {
    tree.delete();
  }
}

/** `git diff -U0` output split by file: its hunks, or null when the file has no text hunks to place (binary, new, deleted). */
export function parseDiff(diff: string): Map<string, Hunk[] | null> {
  const files = new Map<string, Hunk[] | null>();
  let current: string | null = null;
  let whole = false;
  for (const line of diff.split("\n")) {
    if (line.startsWith("diff --git ")) {
      current = null;
      whole = false;
    } else if (line.startsWith("new file mode") || line.startsWith("deleted file mode") || line.startsWith("Binary files")) {
      whole = true;
      if (current) files.set(current, null);
    } else if (line.startsWith("+++ ")) {
      const name = line.slice(4).replace(/\t$/, "");
      // Quoted names (unusual characters) and /dev/null are left to the whole-file rules.
      current = name.startsWith("b/") ? name.slice(2) : null;
      if (current) files.set(current, whole ? null : []);
    } else if (line.startsWith("@@ ") && current) {
      const match = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
      const hunks = files.get(current);
      if (!match || !hunks) {
        files.set(current, null);
        continue;
      }
      hunks.push({ oldStart: Number(match[1]), oldCount: match[2] === undefined ? 1 : Number(match[2]), newStart: Number(match[3]), newCount: match[4] === undefined ? 1 : Number(match[4]) });
    }
  }
  return files;
}

/** Run git in `cwd`; its output, or null when it failed. */
function git(cwd: string, args: string[]): string | null {
  const result = spawnSync("git", args, { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  return result.error || result.status !== 0 ? null : result.stdout;
}
