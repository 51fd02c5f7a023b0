/**
 * Expressions Python evaluates while importing a test module (decorators,
 * mark arguments, class attributes, module constants): which names they
 * refer to, whether evaluating them is free of side effects and cannot
 * fail, and, for parametrize arguments, their values.
 */
import type { Node } from "web-tree-sitter";
import { makeIds } from "./ids.js";
import type { MarkOut, ParamLayer } from "./facts.js";
import { floatLiteral, intLiteral, plainValue, stringLiteral, Unknown, type MarkFact, type PyValue } from "./values.js";
import { BUILTIN_NAMES, PYTEST_NAMES } from "./names.js";

/** What a name is bound to at the point of evaluation. */
export type Binding =
  | { kind: "value"; value: PyValue }
  /** An imported module or a name imported from one: `pytest`, `pytest.mark`, `unittest.TestCase`. */
  | { kind: "import"; qualified: string }
  /** Bound to something that exists, whose value is not known. */
  | { kind: "opaque" };

/** Names visible to an expression, innermost scope first. */
export interface Scope {
  lookup(name: string): Binding | undefined;
  /** Record a `pytest.mark.NAME` evaluated at import (for unknown-mark warnings). */
  markUse(name: string, node: Node): void;
}

export function children(node: Node): Node[] {
  return node.namedChildren.filter((c): c is Node => c !== null && c.type !== "comment");
}

/** The dotted name an expression refers to through imports (`pytest.mark.slow`), or null. */
export function qualify(node: Node, scope: Scope): string | null {
  if (node.type === "identifier") {
    const binding = scope.lookup(node.text);
    if (binding?.kind === "import") return binding.qualified;
    if (!binding && BUILTIN_NAMES.has(node.text)) return `builtins.${node.text}`;
    return null;
  }
  if (node.type === "attribute") {
    const object = node.childForFieldName("object");
    const attribute = node.childForFieldName("attribute");
    if (!object || !attribute) return null;
    const base = qualify(object, scope);
    return base === null ? null : `${base}.${attribute.text}`;
  }
  return null;
}

/** Check that a `pytest.X` attribute exists in the sandbox's pytest module. */
function checkPytestName(qualified: string): void {
  const parts = qualified.split(".");
  if (parts[0] === "pytest" && parts.length >= 2 && !PYTEST_NAMES.has(parts[1]!)) throw new Unknown(`pytest has no attribute ${parts[1]}`);
  if (parts[0] === "pytest" && parts[1] === "mark" && parts.length >= 3 && parts[2]!.startsWith("_")) throw new Unknown("private mark name");
}

const PURE_CALLS = new Set(
  ["len", "str", "int", "float", "bool", "tuple", "list", "dict", "set", "frozenset", "range", "sorted", "reversed", "enumerate", "zip", "min", "max", "abs", "repr", "object", "isinstance", "hasattr", "type", "bytes", "any", "all", "sum", "round", "divmod", "chr", "ord"].map((n) => `builtins.${n}`),
);

/** Standard library calls that are common at module level, return a value and cannot fail on sane arguments. */
const SAFE_STDLIB_CALLS = new Set([
  "logging.getLogger", "collections.namedtuple", "typing.TypeVar", "typing.NewType", "os.getenv", "os.environ.get", "os.path.join",
  "os.path.dirname", "os.path.abspath", "os.path.basename", "pathlib.Path", "re.compile", "functools.partial",
]);

/**
 * Throw Unknown unless evaluating `node` at import time certainly succeeds
 * without side effects; records the marks it names on the way.
 */
export function checkSafe(node: Node, scope: Scope): void {
  switch (node.type) {
    case "integer":
    case "float":
    case "true":
    case "false":
    case "none":
    case "ellipsis":
    case "comment":
      return;
    case "string":
      stringLiteral(node);
      return;
    case "concatenated_string":
      for (const part of children(node)) checkSafe(part, scope);
      return;
    case "identifier": {
      const binding = scope.lookup(node.text);
      if (!binding && !BUILTIN_NAMES.has(node.text)) throw new Unknown(`name ${node.text} is not defined yet`);
      return;
    }
    case "attribute": {
      const qualified = qualify(node, scope);
      if (qualified !== null) {
        checkPytestName(qualified);
        const mark = /^pytest\.mark\.([A-Za-z0-9_]+)$/.exec(qualified);
        if (mark) scope.markUse(mark[1]!, node);
        return;
      }
      checkSafe(node.childForFieldName("object")!, scope);
      return;
    }
    case "call": {
      const fn = node.childForFieldName("function")!;
      const qualified = qualify(fn, scope);
      const args = node.childForFieldName("arguments");
      const allowed =
        qualified !== null &&
        (PURE_CALLS.has(qualified) || SAFE_STDLIB_CALLS.has(qualified) || /^pytest\.mark\.[A-Za-z0-9_]+$/.test(qualified) || qualified === "pytest.param" || /^pytest\.mark\.[A-Za-z0-9_]+\.with_args$/.test(qualified));
      if (!allowed) throw new Unknown(`call of ${fn.text} at import time`);
      checkSafe(fn, scope);
      if (args) for (const arg of children(args)) checkSafe(arg, scope);
      return;
    }
    case "keyword_argument":
      checkSafe(node.childForFieldName("value")!, scope);
      return;
    case "lambda": {
      const params = node.childForFieldName("parameters");
      if (params) for (const p of children(params)) if (p.type.includes("default")) checkSafe(p.childForFieldName("value")!, scope);
      return;
    }
    case "tuple":
    case "list":
    case "set":
    case "dictionary":
    case "pair":
    case "parenthesized_expression":
    case "expression_list":
    case "boolean_operator":
    case "not_operator":
    case "comparison_operator":
    case "conditional_expression":
    case "unary_operator":
    case "subscript":
    case "slice":
      for (const part of children(node)) checkSafe(part, scope);
      return;
    case "binary_operator": {
      const op = node.childForFieldName("operator")?.text;
      if (op === "/" || op === "//" || op === "%" || op === "**" || op === "@") throw new Unknown(`operator ${op} at import time`);
      for (const part of children(node)) checkSafe(part, scope);
      return;
    }
    default:
      throw new Unknown(`${node.type} evaluated at import time`);
  }
}

/** The value of an expression, or Unknown. Marks it names are recorded through `scope`. */
export function evaluate(node: Node, scope: Scope): PyValue {
  switch (node.type) {
    case "integer":
      return { k: "int", v: intLiteral(node.text) };
    case "float":
      return { k: "float", v: floatLiteral(node.text) };
    case "true":
      return { k: "bool", v: true };
    case "false":
      return { k: "bool", v: false };
    case "none":
      return { k: "none" };
    case "ellipsis":
      return { k: "opaque" };
    case "string":
      return stringLiteral(node);
    case "concatenated_string": {
      const parts = children(node).map((part) => stringLiteral(part));
      if (parts.every((p) => p.k === "str")) return { k: "str", v: parts.map((p) => p.v).join("") };
      if (parts.every((p) => p.k === "bytes")) return { k: "bytes", v: parts.flatMap((p) => p.v as number[]) };
      throw new Unknown("mixed bytes and str literals");
    }
    case "parenthesized_expression": {
      const inner = children(node);
      if (inner.length !== 1) throw new Unknown("parenthesized expression");
      return evaluate(inner[0]!, scope);
    }
    case "tuple":
    case "expression_list":
      return { k: "tuple", items: children(node).map((c) => evaluate(c, scope)) };
    case "list":
      return { k: "list", items: children(node).map((c) => evaluate(c, scope)) };
    case "set":
    case "dictionary":
      checkSafe(node, scope);
      return { k: "opaque" };
    case "lambda":
      checkSafe(node, scope);
      return { k: "named", name: "<lambda>" };
    case "unary_operator": {
      const op = node.childForFieldName("operator")?.text;
      const value = evaluate(node.childForFieldName("argument")!, scope);
      if (op === "-" && value.k === "int") return { k: "int", v: -value.v };
      if (op === "-" && value.k === "float") return { k: "float", v: -value.v };
      if (op === "+" && (value.k === "int" || value.k === "float")) return value;
      throw new Unknown(`unary ${op}`);
    }
    case "binary_operator":
      return binary(node, scope);
    case "identifier": {
      const binding = scope.lookup(node.text);
      if (binding?.kind === "value") return binding.value;
      if (binding) throw new Unknown(`value of ${node.text}`);
      if (BUILTIN_NAMES.has(node.text) && /^[A-Za-z]/.test(node.text) && !CONSTANT_BUILTINS.has(node.text)) return { k: "named", name: node.text };
      throw new Unknown(`name ${node.text}`);
    }
    case "attribute": {
      const qualified = qualify(node, scope);
      const mark = qualified && /^pytest\.mark\.([A-Za-z0-9_]+)$/.exec(qualified);
      if (mark) {
        checkSafe(node, scope);
        return { k: "mark", mark: { name: mark[1]!, kwargs: {}, line: node.startPosition.row + 1 } };
      }
      throw new Unknown(`value of ${node.text}`);
    }
    case "call":
      return call(node, scope);
    default:
      throw new Unknown(`value of a ${node.type}`);
  }
}

const CONSTANT_BUILTINS = new Set(["Ellipsis", "NotImplemented", "__debug__", "__name__", "__doc__", "__file__", "__builtins__", "__spec__", "__loader__", "__package__"]);

function binary(node: Node, scope: Scope): PyValue {
  const op = node.childForFieldName("operator")?.text;
  const left = evaluate(node.childForFieldName("left")!, scope);
  const right = evaluate(node.childForFieldName("right")!, scope);
  if (op === "+") {
    if (left.k === "int" && right.k === "int") return { k: "int", v: left.v + right.v };
    if (left.k === "str" && right.k === "str") return { k: "str", v: left.v + right.v };
    if ((left.k === "list" || left.k === "tuple") && right.k === left.k) return { k: left.k, items: [...left.items, ...right.items] };
  }
  if (op === "-" && left.k === "int" && right.k === "int") return { k: "int", v: left.v - right.v };
  if (op === "*" && right.k === "int" && right.v >= 0n && right.v < 10000n) {
    const n = Number(right.v);
    if (left.k === "int") return { k: "int", v: left.v * right.v };
    if (left.k === "str") return { k: "str", v: left.v.repeat(n) };
    if (left.k === "list" || left.k === "tuple") return { k: left.k, items: Array.from({ length: n }, () => left.items).flat() };
  }
  throw new Unknown(`operator ${op}`);
}

function argsOf(node: Node): { positional: Node[]; keywords: Map<string, Node> } {
  const args = node.childForFieldName("arguments");
  const positional: Node[] = [];
  const keywords = new Map<string, Node>();
  for (const arg of args ? children(args) : []) {
    if (arg.type === "keyword_argument") keywords.set(arg.childForFieldName("name")!.text, arg.childForFieldName("value")!);
    else if (arg.type === "list_splat" || arg.type === "dictionary_splat" || arg.type === "generator_expression") throw new Unknown("* or ** arguments");
    else positional.push(arg);
  }
  return { positional, keywords };
}

function call(node: Node, scope: Scope): PyValue {
  const fn = node.childForFieldName("function")!;
  const qualified = qualify(fn, scope);
  const { positional, keywords } = argsOf(node);
  if (qualified === "pytest.param") return param(node, positional, keywords, scope);
  const markName = qualified && /^pytest\.mark\.([A-Za-z0-9_]+)$/.exec(qualified);
  if (markName) {
    checkSafe(fn, scope);
    return { k: "mark", mark: markCall(markName[1]!, node, positional, keywords, scope) };
  }
  if (qualified === "builtins.range" && keywords.size === 0 && positional.length >= 1 && positional.length <= 3) {
    const ints = positional.map((p) => evaluate(p, scope));
    if (!ints.every((v): v is { k: "int"; v: bigint } => v.k === "int")) throw new Unknown("range of non-integers");
    const [start, stop, step] = ints.length === 1 ? [0n, ints[0]!.v, 1n] : [ints[0]!.v, ints[1]!.v, ints[2]?.v ?? 1n];
    if (step === 0n || (stop - start) / step > 10000n) throw new Unknown("range");
    const items: PyValue[] = [];
    for (let i = start; step > 0n ? i < stop : i > stop; i += step) items.push({ k: "int", v: i });
    return { k: "list", items };
  }
  if (qualified === "builtins.float" && positional.length === 1 && keywords.size === 0) {
    const value = evaluate(positional[0]!, scope);
    if (value.k === "int") return { k: "float", v: Number(value.v) };
    if (value.k === "float") return value;
    if (value.k === "str") {
      const text = value.v.trim().toLowerCase().replace(/_/g, "");
      const special: Record<string, number> = { inf: Infinity, "+inf": Infinity, "-inf": -Infinity, infinity: Infinity, "-infinity": -Infinity, "+infinity": Infinity, nan: NaN, "-nan": NaN, "+nan": NaN };
      if (text in special) return { k: "float", v: special[text]! };
      if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(text)) return { k: "float", v: Number(text) };
    }
    throw new Unknown("float()");
  }
  if ((qualified === "builtins.tuple" || qualified === "builtins.list") && positional.length <= 1 && keywords.size === 0) {
    const value = positional[0] ? evaluate(positional[0], scope) : { k: "list" as const, items: [] };
    if (value.k !== "list" && value.k !== "tuple") throw new Unknown(`${fn.text}()`);
    return { k: qualified === "builtins.tuple" ? "tuple" : "list", items: value.items };
  }
  if (qualified === "builtins.object" || qualified === "builtins.dict" || qualified === "builtins.set" || qualified === "builtins.frozenset") {
    checkSafe(node, scope);
    return { k: "opaque" };
  }
  throw new Unknown(`value of ${fn.text}(...)`);
}

function markList(value: PyValue): MarkFact[] {
  if (value.k === "mark") return [value.mark];
  if ((value.k === "list" || value.k === "tuple") && value.items.every((v) => v.k === "mark")) return value.items.map((v) => (v as { mark: MarkFact }).mark);
  throw new Unknown("marks that are not pytest.mark.* decorators");
}

function param(node: Node, positional: Node[], keywords: Map<string, Node>, scope: Scope): PyValue {
  checkSafe(node.childForFieldName("function")!, scope);
  const values = positional.map((p) => evaluate(p, scope));
  let id: string | null = null;
  let marks: MarkFact[] = [];
  for (const [key, valueNode] of keywords) {
    const value = evaluate(valueNode, scope);
    if (key === "id") {
      if (value.k === "str") id = value.v;
      else if (value.k !== "none") throw new Unknown("pytest.param id that is not a string");
    } else if (key === "marks") marks = markList(value);
    else throw new Unknown(`pytest.param(${key}=)`);
  }
  return { k: "param", values, id, marks };
}

/** `pytest.mark.NAME(args...)`: a mark, with parametrize's arguments resolved when it is one. */
export function markCall(name: string, node: Node, positional: Node[], keywords: Map<string, Node>, scope: Scope): MarkFact {
  const mark: MarkFact = { name, kwargs: {}, line: node.startPosition.row + 1 };
  if (name === "parametrize") {
    mark.parametrize = parametrizeArgs(positional, keywords, scope);
    return mark;
  }
  for (const arg of positional) checkSafe(arg, scope);
  for (const [key, valueNode] of keywords) {
    checkSafe(valueNode, scope);
    let plain: ReturnType<typeof plainValue>;
    try {
      plain = plainValue(evaluate(valueNode, scope));
    } catch (error) {
      if (!(error instanceof Unknown)) throw error;
      plain = undefined;
    }
    if (plain !== undefined) mark.kwargs[key] = plain;
  }
  // A single positional argument that is a class or function is applied to, not stored.
  if (positional.length === 1 && keywords.size === 0 && ["lambda", "identifier", "attribute"].includes(positional[0]!.type)) throw new Unknown("mark applied to a callable");
  return mark;
}

function parametrizeArgs(positional: Node[], keywords: Map<string, Node>, scope: Scope): NonNullable<MarkFact["parametrize"]> {
  const named = (index: number, key: string) => positional[index] ?? keywords.get(key);
  for (const key of keywords.keys()) if (!["argnames", "argvalues", "ids"].includes(key)) throw new Unknown(`parametrize(${key}=)`);
  if (positional.length > 2) throw new Unknown("parametrize with positional indirect/ids");
  const namesNode = named(0, "argnames");
  const valuesNode = named(1, "argvalues");
  if (!namesNode || !valuesNode) throw new Unknown("parametrize without arguments");
  const names = evaluate(namesNode, scope);
  let argnames: string[];
  let forceTuple: boolean;
  if (names.k === "str") {
    argnames = names.v.split(",").map((s) => s.trim()).filter(Boolean);
    forceTuple = argnames.length === 1;
  } else if ((names.k === "list" || names.k === "tuple") && names.items.every((i) => i.k === "str")) {
    argnames = names.items.map((i) => (i as { v: string }).v);
    forceTuple = false;
  } else throw new Unknown("parametrize argnames");
  const values = evaluate(valuesNode, scope);
  if (values.k !== "list" && values.k !== "tuple") throw new Unknown("parametrize argvalues that are not a list or tuple");
  if (values.items.length === 0) throw new Unknown("empty parameter set");
  const sets = values.items.map((item) => {
    if (item.k === "param") return { values: item.values, id: item.id, marks: item.marks };
    if (forceTuple) return { values: [item], id: null, marks: [] };
    if (item.k !== "list" && item.k !== "tuple") throw new Unknown("parameter set that is not a tuple");
    return { values: item.items, id: null, marks: [] };
  });
  if (sets.some((s) => s.values.length !== argnames.length)) throw new Unknown("parameter set of the wrong length");
  if (argnames.includes("request") || new Set(argnames).size !== argnames.length) throw new Unknown("parametrize argnames");
  let ids: PyValue[] | null = null;
  const idsNode = keywords.get("ids");
  if (idsNode) {
    const value = evaluate(idsNode, scope);
    if (value.k === "list" || value.k === "tuple") ids = value.items;
    else if (value.k !== "none") throw new Unknown("ids that are not a list");
    if (ids && ids.length !== sets.length) throw new Unknown("ids of the wrong length");
  }
  return { argnames, sets, ids };
}

/** A mark fact as items carry it. */
export function markOut(mark: MarkFact): MarkOut {
  return { name: mark.name, kwargs: mark.kwargs };
}

/** Resolve a parametrize mark's ids (pytest would fail the collection where this throws). */
export function paramLayer(mark: MarkFact): ParamLayer {
  const p = mark.parametrize!;
  const ids = makeIds(p.argnames, p.sets.map((s) => ({ values: s.values, id: s.id })), p.ids);
  if (!ids) throw new Unknown("unsupported ids value");
  return { argnames: p.argnames, sets: p.sets.map((s, i) => ({ id: ids[i]!, marks: s.marks.map(markOut) })) };
}
