/**
 * Deselection after collection, as pytest does it: `--deselect` node id
 * prefixes, `-k` keyword expressions and `-m` mark expressions. Deselected
 * items are counted (`collected 5 items / 2 deselected / 3 selected`) but
 * never run.
 */
import { compileExpression, ExpressionError, type Expression, type ExpressionValue } from "./expression.js";
import type { CollectedItem } from "./protocol.js";

/** What the command line asked to leave out. */
export interface SelectionOptions {
  /** `-k EXPR`: substring matches over each item's keywords. */
  keyword?: string;
  /** `-m EXPR`: matches over each item's marks. */
  markexpr?: string;
  /** `--deselect PREFIX` (repeatable): node ids starting with a prefix are left out. */
  deselect?: string[];
}

/** A bad `-k`/`-m` expression: a usage error, printed as `ERROR: <message>`. */
export class SelectionError extends Error {}

/** Items split by the selection, both in collection order. */
export interface SelectionResult {
  selected: CollectedItem[];
  deselected: CollectedItem[];
}

/** Compile an expression, turning syntax errors into pytest's usage error. */
function compile(text: string, flag: "-k" | "-m"): Expression {
  try {
    return compileExpression(text);
  } catch (error) {
    if (error instanceof ExpressionError) throw new SelectionError(`Wrong expression passed to '${flag}': ${error.message}`);
    throw error;
  }
}

/** `-k`: an identifier matches when it is a substring of any keyword, ignoring case. */
export function keywordMatcher(item: CollectedItem): (name: string, kwargs?: Record<string, ExpressionValue>) => boolean {
  const names = item.keywords.map((k) => k.toLowerCase());
  return (name, kwargs) => {
    if (kwargs) throw new SelectionError("Keyword expressions do not support call parameters.");
    const wanted = name.toLowerCase();
    return names.some((k) => k.includes(wanted));
  };
}

/** Python's `==` for the plain values a mark expression can hold (`True == 1`). */
function pythonEquals(a: ExpressionValue | undefined, b: ExpressionValue): boolean {
  const numeric = (v: unknown) => typeof v === "number" || typeof v === "boolean";
  if (numeric(a) && numeric(b)) return Number(a) === Number(b);
  return a === b;
}

/** `-m`: an identifier matches a mark name; `name(key=value)` also a keyword argument of that mark. */
export function markMatcher(item: CollectedItem): (name: string, kwargs?: Record<string, ExpressionValue>) => boolean {
  const marks = item.marks ?? item.markers.map((name) => ({ name, kwargs: {} as Record<string, ExpressionValue> }));
  return (name, kwargs) =>
    marks.some(
      (mark) =>
        mark.name === name &&
        Object.entries(kwargs ?? {}).every(([key, value]) => Object.hasOwn(mark.kwargs, key) && pythonEquals(mark.kwargs[key], value)),
    );
}

/** Apply `--deselect`, `-k` and `-m` (in pytest's order) to the collected items. */
export function selectItems(items: readonly CollectedItem[], options: SelectionOptions): SelectionResult {
  const prefixes = options.deselect ?? [];
  const keyword = (options.keyword ?? "").trimStart();
  const keywordExpr = keyword ? compile(keyword, "-k") : null;
  const markExpr = options.markexpr ? compile(options.markexpr, "-m") : null;
  const selected: CollectedItem[] = [];
  const deselected: CollectedItem[] = [];
  for (const item of items) {
    const keep =
      !prefixes.some((prefix) => item.nodeid.startsWith(prefix)) &&
      (!keywordExpr || keywordExpr.evaluate(keywordMatcher(item))) &&
      (!markExpr || markExpr.evaluate(markMatcher(item)));
    (keep ? selected : deselected).push(item);
  }
  return { selected, deselected };
}
