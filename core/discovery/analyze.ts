/**
 * One Python file's syntax tree to its `ModuleFacts`: the statements run at
 * import (which must be known not to fail, skip or change collection), the
 * test functions and classes pytest's collector would find, their marks and
 * literal parametrization, and the fixtures the file defines.
 */
import type { Node, Tree } from "web-tree-sitter";
import { cleandoc } from "./docstring.js";
import { checkSafe, children, evaluate, markCall, markOut, paramLayer, qualify, type Binding, type Scope } from "./expressions.js";
import type { ClassFacts, FixtureFacts, FunctionFacts, ImportFacts, MarkOut, MarkUse, ModuleFacts, ParamLayer } from "./facts.js";
import { Unknown, type MarkFact, type PyValue } from "./values.js";

/** The ini options that decide what is a test (HarnessConfig's). */
export interface AnalyzeOptions {
  pythonClasses: string[];
  pythonFunctions: string[];
}

/** pytest's name matching: a prefix, or an fnmatch glob when the pattern has one. */
export function matchesPattern(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => name.startsWith(p) || (/[*?[]/.test(p) && globRegExp(p).test(name)));
}

const globCache = new Map<string, RegExp>();
function globRegExp(glob: string): RegExp {
  let re = globCache.get(glob);
  if (!re) {
    let source = "";
    for (let i = 0; i < glob.length; i++) {
      const ch = glob[i]!;
      if (ch === "*") source += ".*";
      else if (ch === "?") source += ".";
      else if (ch === "[") {
        const end = glob.indexOf("]", i + 2);
        if (end < 0) source += "\\[";
        else {
          let body = glob.slice(i + 1, end).replace(/\\/g, "\\\\");
          if (body.startsWith("!")) body = `^${body.slice(1)}`;
          source += `[${body}]`;
          i = end;
        }
      } else source += ch.replace(/[.+^${}()|\\/\]]/g, "\\$&");
    }
    re = new RegExp(`^${source}$`, "s");
    globCache.set(glob, re);
  }
  return re;
}

/** Names pytest's collector never looks at in a namespace. */
const IGNORED = new Set(["__class__", "__dict__", "__module__", "__weakref__", "__init__", "__new__"]);
const UNITTEST_BASES = new Set(["unittest.TestCase", "unittest.IsolatedAsyncioTestCase", "unittest.case.TestCase", "unittest.async_case.IsolatedAsyncioTestCase"]);
/** Decorators that change nothing collection sees, allowed on helpers (never on tests). */
const HELPER_DECORATORS = new Set(["builtins.staticmethod", "builtins.classmethod", "builtins.property", "contextlib.contextmanager", "contextlib.asynccontextmanager", "functools.lru_cache", "functools.cache", "abc.abstractmethod"]);

/** A name bound in a namespace (module or class body), in binding order. */
type Member =
  | { kind: "function"; facts: FunctionFacts | null; fixture: boolean; node: Node }
  | { kind: "class"; info: ClassInfo }
  | { kind: "value"; callable: boolean };

interface ClassInfo {
  name: string;
  line: number;
  doc: string | null;
  unittest: boolean;
  base: ClassInfo | null;
  /** Own `pytestmark` (body assignment, then decorators). */
  marks: MarkFact[];
  testAttr: boolean | undefined;
  hasConstructor: boolean;
  members: Map<string, Member>;
}

class Analysis implements Scope {
  readonly dynamic: string[] = [];
  readonly module = new Map<string, Binding>();
  readonly members = new Map<string, Member>();
  readonly classes = new Map<string, ClassInfo>();
  readonly imports: ImportFacts[] = [];
  readonly fixtures: FixtureFacts[] = [];
  readonly hooks: string[] = [];
  readonly conftestSettings: string[] = [];
  private readonly uses = new Map<number, MarkUse>();
  private classScope: Map<string, Binding> | null = null;
  moduleMarks: MarkFact[] = [];
  collect = true;
  docsExact = true;
  readonly generators: Set<number>;

  constructor(
    private readonly lines: string[],
    readonly options: AnalyzeOptions,
    root: Node,
  ) {
    // Walking every node is costly through tree-sitter's bindings: only files that say yield are walked.
    this.generators = /\byield\b/.test(lines.join("\n")) ? generatorFunctions(root) : new Set();
  }

  lookup(name: string): Binding | undefined {
    return this.classScope?.get(name) ?? this.module.get(name);
  }

  markUse(name: string, node: Node): void {
    const line = node.startPosition.row + 1;
    this.uses.set(node.startIndex, { name, line, text: (this.lines[line - 1] ?? "").trim() });
  }

  markUses(): MarkUse[] {
    return [...this.uses.entries()].sort((a, b) => a[0] - b[0]).map(([, use]) => use);
  }

  fail(reason: string): void {
    if (!this.dynamic.includes(reason)) this.dynamic.push(reason);
  }

  /** Run `work`, turning Unknown into a dynamic reason. */
  guard(where: Node, work: () => void): void {
    try {
      work();
    } catch (error) {
      if (!(error instanceof Unknown)) throw error;
      this.fail(`line ${where.startPosition.row + 1}: ${error.message}`);
    }
  }

  bind(namespace: Map<string, Member>, bindings: Map<string, Binding>, name: string, member: Member, binding: Binding, isTestName: boolean): void {
    if (namespace.has(name) && (isTestName || namespace.get(name)!.kind !== "value")) this.fail(`${name} is defined twice`);
    // Python keeps the first binding's position in the namespace, with the last value.
    namespace.set(name, member);
    bindings.set(name, binding);
  }

  // -- statements

  statements(block: Node, namespace: Map<string, Member>, bindings: Map<string, Binding>, owner: ClassInfo | null): void {
    const body = children(block);
    for (const [index, statement] of body.entries()) {
      if (index === 0 && isDocstring(statement)) continue;
      this.guard(statement, () => this.statement(statement, namespace, bindings, owner));
    }
  }

  private statement(node: Node, namespace: Map<string, Member>, bindings: Map<string, Binding>, owner: ClassInfo | null): void {
    switch (node.type) {
      case "import_statement":
      case "import_from_statement":
      case "future_import_statement":
        this.importStatement(node, namespace, bindings, owner);
        return;
      case "function_definition":
        this.functionDef(node, [], namespace, bindings, owner);
        return;
      case "class_definition":
        this.classDef(node, [], namespace, bindings, owner);
        return;
      case "decorated_definition": {
        const definition = node.childForFieldName("definition")!;
        const decorators = children(node).filter((c) => c.type === "decorator");
        if (definition.type === "class_definition") this.classDef(definition, decorators, namespace, bindings, owner, node);
        else this.functionDef(definition, decorators, namespace, bindings, owner, node);
        return;
      }
      case "expression_statement":
        this.expressionStatement(node, namespace, bindings, owner);
        return;
      case "pass_statement":
        return;
      case "if_statement": {
        const condition = node.childForFieldName("condition")!;
        if (/^(typing\.)?TYPE_CHECKING$/.test(condition.text) && !node.childForFieldName("alternative")) return;
        if (/^__name__\s*==\s*["']__main__["']$/.test(condition.text) && !node.childForFieldName("alternative")) return;
        throw new Unknown("an if statement at import time");
      }
      default:
        throw new Unknown(`${node.type.replace(/_/g, " ")} at import time`);
    }
  }

  private importStatement(node: Node, namespace: Map<string, Member>, bindings: Map<string, Binding>, owner: ClassInfo | null): void {
    if (owner) throw new Unknown("import in a class body");
    const line = node.startPosition.row + 1;
    if (node.type === "future_import_statement") return;
    if (node.type === "import_statement") {
      for (const name of children(node)) {
        const dotted = name.type === "aliased_import" ? name.childForFieldName("name")!.text : name.text;
        const alias = name.type === "aliased_import" ? name.childForFieldName("alias")!.text : null;
        this.imports.push({ module: dotted, level: 0, names: null, line });
        const bound = alias ?? dotted.split(".")[0]!;
        this.bindImport(namespace, bindings, bound, alias ? dotted : dotted.split(".")[0]!);
      }
      return;
    }
    const moduleNode = node.childForFieldName("module_name")!;
    let level = 0;
    let module = moduleNode.text;
    if (moduleNode.type === "relative_import") {
      const prefix = children(moduleNode).find((c) => c.type === "import_prefix");
      level = prefix ? prefix.text.length : 0;
      module = children(moduleNode).find((c) => c.type === "dotted_name")?.text ?? "";
    }
    if (children(node).some((c) => c.type === "wildcard_import")) throw new Unknown(`star import from ${moduleNode.text}`);
    const names: string[] = [];
    for (const name of node.childrenForFieldName("name").filter((c): c is Node => c !== null)) {
      const original = name.type === "aliased_import" ? name.childForFieldName("name")!.text : name.text;
      const alias = name.type === "aliased_import" ? name.childForFieldName("alias")!.text : original;
      names.push(original);
      const qualified = level === 0 ? `${module}.${original}` : `.${original}`;
      this.bindImport(namespace, bindings, alias, qualified);
    }
    this.imports.push({ module, level, names, line });
  }

  private bindImport(namespace: Map<string, Member>, bindings: Map<string, Binding>, name: string, qualified: string): void {
    const testName = this.isTestFunctionName(name) || this.isTestClassName(name);
    // unittest's TestCase classes collect nothing themselves; any other imported test-like name might.
    if (testName && !UNITTEST_BASES.has(qualified)) throw new Unknown(`imported name ${name} looks like a test`);
    this.bind(namespace, bindings, name, { kind: "value", callable: true }, { kind: "import", qualified }, false);
  }

  private isTestFunctionName(name: string): boolean {
    return matchesPattern(name, this.options.pythonFunctions);
  }

  private isTestClassName(name: string): boolean {
    return matchesPattern(name, this.options.pythonClasses);
  }

  private expressionStatement(node: Node, namespace: Map<string, Member>, bindings: Map<string, Binding>, owner: ClassInfo | null): void {
    const inner = children(node);
    if (inner.length !== 1) {
      for (const part of inner) checkSafe(part, this);
      return;
    }
    const expr = inner[0]!;
    if (expr.type === "assignment") {
      this.assignment(expr, namespace, bindings, owner);
      return;
    }
    if (expr.type === "augmented_assignment") {
      const target = expr.childForFieldName("left")!;
      if (target.type !== "identifier" || ["pytestmark", "__test__"].includes(target.text) || this.isTestFunctionName(target.text) || this.isTestClassName(target.text)) {
        throw new Unknown(`augmented assignment to ${target.text}`);
      }
      checkSafe(target, this);
      checkSafe(expr.childForFieldName("right")!, this);
      if (!owner && /^(collect_ignore|collect_ignore_glob|pytest_plugins)$/.test(target.text)) this.conftestSettings.push(target.text);
      bindings.set(target.text, { kind: "opaque" });
      return;
    }
    if (expr.type === "call") throw new Unknown(`call of ${expr.childForFieldName("function")!.text} at import time`);
    checkSafe(expr, this);
  }

  private assignment(node: Node, namespace: Map<string, Member>, bindings: Map<string, Binding>, owner: ClassInfo | null): void {
    const targets: Node[] = [];
    let right: Node | null = node;
    // a = b = value
    while (right && right.type === "assignment") {
      targets.push(right.childForFieldName("left")!);
      right = right.childForFieldName("right");
    }
    if (!right) return; // a bare annotation: nothing is bound
    const names: Node[] = [];
    for (const target of targets) {
      if (target.type === "identifier") names.push(target);
      else if ((target.type === "pattern_list" || target.type === "tuple_pattern") && children(target).every((c) => c.type === "identifier")) {
        names.push(...children(target));
        if (right.type !== "expression_list" && right.type !== "tuple" || children(right).length !== children(target).length) throw new Unknown("unpacking assignment");
      } else throw new Unknown(`assignment to ${target.text}`);
    }
    if (right.type === "yield" || right.type === "await") throw new Unknown(`${right.type} at import time`);
    checkSafe(right, this);
    let value: PyValue | null = null;
    try {
      value = evaluate(right, this);
    } catch (error) {
      if (!(error instanceof Unknown)) throw error;
    }
    for (const target of names) {
      const name = target.text;
      if (name === "pytestmark") {
        if (!value) throw new Unknown("pytestmark that is not a literal list of marks");
        const marks = markList(value);
        if (owner) owner.marks = marks;
        else this.moduleMarks = marks;
      } else if (name === "__test__") {
        if (!value || value.k !== "bool") throw new Unknown("__test__ that is not True or False");
        if (owner) owner.testAttr = value.v;
        else this.collect = value.v;
      } else if (!owner && /^(collect_ignore|collect_ignore_glob|pytest_plugins)$/.test(name)) {
        this.conftestSettings.push(name);
      }
      const testName = owner ? this.isTestFunctionName(name) || this.isTestClassName(name) : this.isTestFunctionName(name) || this.isTestClassName(name);
      const callable = !value || value.k === "named" || value.k === "opaque" || value.k === "mark";
      if (testName && callable) throw new Unknown(`${name} is assigned a value that may be a test`);
      this.bind(namespace, bindings, name, { kind: "value", callable }, value && names.length === 1 ? { kind: "value", value } : { kind: "opaque" }, testName);
    }
  }

  // -- definitions

  private decoratorMarks(decorators: Node[]): { marks: MarkFact[]; fixture: Node | null; helpers: boolean; unknown: string | null } {
    const marks: MarkFact[] = [];
    let fixture: Node | null = null;
    let helpers = false;
    let unknown: string | null = null;
    // Decorators apply bottom-up: the nearest one's mark comes first.
    for (const decorator of [...decorators].reverse()) {
      const expr = children(decorator)[0]!;
      const fn = expr.type === "call" ? expr.childForFieldName("function")! : expr;
      const qualified = qualify(fn, this);
      if (qualified === "pytest.fixture") {
        fixture = expr;
        continue;
      }
      const mark = qualified && /^pytest\.mark\.([A-Za-z0-9_]+)$/.exec(qualified);
      if (mark) {
        checkSafe(fn, this);
        if (expr.type === "call") {
          const { positional, keywords } = callArgs(expr);
          marks.push(markCall(mark[1]!, expr, positional, keywords, this));
        } else marks.push({ name: mark[1]!, kwargs: {}, line: expr.startPosition.row + 1 });
        continue;
      }
      if (qualified && expr.type !== "call" && HELPER_DECORATORS.has(qualified)) {
        helpers = true;
        continue;
      }
      unknown ??= decorator.text;
    }
    return { marks, fixture, helpers, unknown };
  }

  private functionDef(node: Node, decorators: Node[], namespace: Map<string, Member>, bindings: Map<string, Binding>, owner: ClassInfo | null, outer: Node = node): void {
    const name = node.childForFieldName("name")!.text;
    const { marks, fixture, helpers, unknown } = this.decoratorMarks(decorators);
    // Each tree-sitter node access crosses into wasm: parameters are read once, with their types.
    const params = children(node.childForFieldName("parameters")!).map((p) => ({ node: p, type: p.type }));
    for (const p of params) {
      if (p.type === "default_parameter" || p.type === "typed_default_parameter") checkSafe(p.node.childForFieldName("value")!, this);
    }
    const isTest = !fixture && this.isTestFunctionName(name);
    // Whatever an unknown decorator returns may be collected, or fail: the interpreter decides.
    if (unknown) throw new Unknown(`decorator ${unknown}`);
    if (owner && name === "pytest_generate_tests") throw new Unknown("a class defines pytest_generate_tests");
    if (!owner && name.startsWith("pytest_")) this.hooks.push(name);
    if (owner && (name === "__init__" || name === "__new__")) owner.hasConstructor = true;
    let facts: FunctionFacts | null = null;
    if (fixture) {
      if (marks.length > 0) throw new Unknown("marks on a fixture");
      this.fixtures.push(this.fixtureFacts(name, fixture, owner, outer));
    } else if (isTest || (owner?.unittest && name.startsWith("test"))) {
      if (helpers) throw new Unknown(`decorated test ${name}`);
      if (this.generators.has(node.startIndex)) throw new Unknown(`yield test ${name}`);
      facts = {
        kind: "function",
        name,
        line: outer.startPosition.row,
        marks: marks.map(markOut),
        params: marks.filter((m) => m.name === "parametrize").map(paramLayer),
        args: argnames(params, owner !== null),
        attrs: marks.length > 0 ? ["pytestmark"] : [],
        doc: docstringOf(node.childForFieldName("body")),
      };
    }
    this.bind(namespace, bindings, name, { kind: "function", facts, fixture: fixture !== null, node }, { kind: "value", value: { k: "named", name } }, isTest);
  }

  private fixtureFacts(name: string, expr: Node, owner: ClassInfo | null, outer: Node): FixtureFacts {
    const facts: FixtureFacts = { name, scope: "function", autouse: false, params: null, line: outer.startPosition.row, className: owner?.name ?? null };
    if (expr.type !== "call") return facts;
    const { positional, keywords } = callArgs(expr);
    if (positional.length > 0) throw new Unknown("pytest.fixture with positional arguments");
    let ids: PyValue | null = null;
    for (const [key, valueNode] of keywords) {
      checkSafe(valueNode, this);
      let value: PyValue | null = null;
      try {
        value = evaluate(valueNode, this);
      } catch (error) {
        if (!(error instanceof Unknown)) throw error;
      }
      if (key === "scope" && value?.k === "str") facts.scope = value.v;
      else if (key === "autouse" && value?.k === "bool") facts.autouse = value.v;
      else if (key === "name" && value?.k === "str") facts.name = value.v;
      else if (key === "params") facts.params = value && (value.k === "list" || value.k === "tuple") ? [] : "dynamic";
      else if (key === "ids") ids = value;
      else throw new Unknown(`pytest.fixture(${key}=${valueNode.text})`);
    }
    if (Array.isArray(facts.params)) {
      // Fixture params make the tests using them parametrized: recorded, resolved at run time.
      facts.params = "dynamic";
      void ids;
    }
    return facts;
  }

  private classDef(node: Node, decorators: Node[], namespace: Map<string, Member>, bindings: Map<string, Binding>, owner: ClassInfo | null, outer: Node = node): void {
    const name = node.childForFieldName("name")!.text;
    const { marks, fixture, helpers, unknown } = this.decoratorMarks(decorators);
    if (unknown || fixture || helpers) throw new Unknown(`class decorator ${unknown ?? "@pytest.fixture"}`);
    const supers = node.childForFieldName("superclasses");
    const baseNodes = supers ? children(supers) : [];
    let base: ClassInfo | null = null;
    let unittest = false;
    if (baseNodes.length > 1) throw new Unknown(`class ${name} has several bases`);
    if (baseNodes.length === 1) {
      const baseNode = baseNodes[0]!;
      const qualified = qualify(baseNode, this);
      if (qualified && UNITTEST_BASES.has(qualified)) unittest = true;
      else if (qualified === "builtins.object") base = null;
      else if (baseNode.type === "identifier" && !owner && this.classes.has(baseNode.text) && this.members.get(baseNode.text)?.kind === "class") {
        base = this.classes.get(baseNode.text)!;
        unittest = base.unittest;
      } else throw new Unknown(`class ${name} derives from ${baseNode.text}`);
    }
    const info: ClassInfo = {
      name, line: outer.startPosition.row, doc: null, unittest, base, marks: [], testAttr: undefined, hasConstructor: false, members: new Map(),
    };
    const body = node.childForFieldName("body")!;
    info.doc = docstringOf(body);
    const saved = this.classScope;
    const classBindings = new Map<string, Binding>();
    this.classScope = classBindings;
    try {
      this.statements(body, info.members, classBindings, info);
    } finally {
      this.classScope = saved;
    }
    // Decorator marks are stored after the body's pytestmark.
    info.marks = [...info.marks, ...marks];
    if (!owner) this.classes.set(name, info);
    const isTest = this.isTestClassName(name) || unittest;
    this.bind(namespace, bindings, name, { kind: "class", info }, { kind: "value", value: { k: "named", name } }, isTest);
  }

  // -- what the collector makes of a namespace

  collectNamespace(namespaces: Array<Map<string, Member>>, inUnittest: boolean): Array<FunctionFacts | ClassFacts> {
    const seen = new Set<string>();
    const perNamespace: Array<Array<FunctionFacts | ClassFacts>> = [];
    for (const namespace of namespaces) {
      const found: Array<FunctionFacts | ClassFacts> = [];
      for (const [name, member] of namespace) {
        if (IGNORED.has(name) || seen.has(name)) continue;
        seen.add(name);
        const made = this.makeItem(name, member, inUnittest);
        if (made) found.push(made);
      }
      perNamespace.push(found);
    }
    return perNamespace.reverse().flat();
  }

  private makeItem(name: string, member: Member, _inUnittest: boolean): FunctionFacts | ClassFacts | null {
    if (member.kind === "class") {
      const info = member.info;
      if (info.unittest) return this.unittestClass(info);
      if (!this.isTestClassName(name) && testAttrOf(info) !== true) return null;
      return this.testClass(info);
    }
    if (member.kind === "value") return null;
    return member.facts && this.isTestFunctionName(name) ? member.facts : null;
  }

  private chain(info: ClassInfo): ClassInfo[] {
    const chain: ClassInfo[] = [];
    for (let c: ClassInfo | null = info; c; c = c.base) chain.push(c);
    return chain;
  }

  private classMarks(info: ClassInfo): MarkFact[] {
    return this.chain(info).reverse().flatMap((c) => c.marks);
  }

  private testClass(info: ClassInfo): ClassFacts | null {
    const marks = this.classMarks(info);
    const facts: ClassFacts = { kind: "class", name: info.name, line: info.line, unittest: false, marks: marks.map(markOut), params: paramsOf(marks), members: [], doc: info.doc };
    if (testAttrOf(info) === false) return { ...facts, members: [] };
    if (this.chain(info).some((c) => c.hasConstructor)) throw new Unknown(`test class ${info.name} has a constructor (pytest warns and skips it)`);
    if (info.base) this.docsExact = false;
    facts.members = this.collectNamespace([info.members, ...this.chain(info).map((c) => c.members)], false);
    return facts;
  }

  private unittestClass(info: ClassInfo): ClassFacts | null {
    const marks = this.classMarks(info);
    if (!info.doc) this.docsExact = false;
    const facts: ClassFacts = { kind: "class", name: info.name, line: info.line, unittest: true, marks: marks.map(markOut), params: paramsOf(marks), members: [], doc: info.doc };
    if (testAttrOf(info) === false) return facts;
    if (facts.params.length > 0) throw new Unknown("parametrize on a unittest class");
    // unittest's loader: every callable attribute named test*, inherited ones too, sorted.
    const methods = new Map<string, FunctionFacts>();
    for (const c of this.chain(info).reverse()) {
      for (const [name, member] of c.members) {
        if (!name.startsWith("test")) continue;
        if (member.kind === "function" && member.facts) methods.set(name, member.facts);
        else if (member.kind === "function" || member.kind === "class" || member.kind === "value" && member.callable) throw new Unknown(`unittest attribute ${name}`);
        else methods.delete(name);
      }
    }
    const names = [...methods.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (names.length === 0 && this.chain(info).some((c) => c.members.has("runTest"))) throw new Unknown("unittest runTest");
    for (const method of names.map((n) => methods.get(n)!)) {
      if (method.params.length > 0) throw new Unknown("parametrize on a unittest method");
    }
    facts.members = names.map((n) => methods.get(n)!);
    return facts;
  }
}

function testAttrOf(info: ClassInfo): boolean | undefined {
  for (let c: ClassInfo | null = info; c; c = c.base) if (c.testAttr !== undefined) return c.testAttr;
  return undefined;
}

function paramsOf(marks: MarkFact[]): ParamLayer[] {
  return marks.filter((m) => m.name === "parametrize").map(paramLayer);
}

function markList(value: PyValue): MarkFact[] {
  if (value.k === "mark") return [value.mark];
  if ((value.k === "list" || value.k === "tuple") && value.items.every((v) => v.k === "mark")) return value.items.map((v) => (v as { mark: MarkFact }).mark);
  throw new Unknown("pytestmark that is not a mark or a list of marks");
}

function callArgs(node: Node): { positional: Node[]; keywords: Map<string, Node> } {
  const args = node.childForFieldName("arguments");
  const positional: Node[] = [];
  const keywords = new Map<string, Node>();
  for (const arg of args ? children(args) : []) {
    if (arg.type === "keyword_argument") keywords.set(arg.childForFieldName("name")!.text, arg.childForFieldName("value")!);
    else if (arg.type === "list_splat" || arg.type === "dictionary_splat") throw new Unknown("* or ** arguments");
    else positional.push(arg);
  }
  return { positional, keywords };
}

/** pytest's `getfuncargnames`: arguments without defaults, `self` dropped for methods. */
function argnames(params: Array<{ node: Node; type: string }>, isMethod: boolean): string[] {
  const names: string[] = [];
  let first = true;
  for (const p of params) {
    let name: string | null = null;
    if (p.type === "identifier") name = p.node.text;
    else if (p.type === "typed_parameter") {
      const inner = p.node.firstNamedChild!;
      if (inner.type === "identifier") name = inner.text;
    }
    const isPlain = p.type === "identifier" || p.type === "typed_parameter" || p.type === "default_parameter" || p.type === "typed_default_parameter";
    if (isMethod && first && isPlain) {
      first = false;
      continue;
    }
    first = false;
    if (name !== null) names.push(name);
  }
  return names;
}

function isDocstring(statement: Node): boolean {
  if (statement.type !== "expression_statement") return false;
  const inner = children(statement);
  return inner.length === 1 && (inner[0]!.type === "string" || inner[0]!.type === "concatenated_string");
}

function docstringOf(block: Node | null): string | null {
  // Only the first statement matters: asking for all of a body's children would marshal every one of them.
  let first = block?.firstNamedChild ?? null;
  while (first && first.type === "comment") first = first.nextNamedSibling;
  if (!first || !isDocstring(first)) return null;
  try {
    const value = evaluate(children(first)[0]!, { lookup: () => undefined, markUse: () => undefined });
    return value.k === "str" ? cleandoc(value.v) : null;
  } catch {
    return null;
  }
}

/** Start indices of functions whose own body yields (generator functions). */
function generatorFunctions(root: Node): Set<number> {
  const found = new Set<number>();
  for (const node of root.descendantsOfType("yield")) {
    for (let p = node?.parent; p; p = p.parent) {
      if (p.type === "lambda") break;
      if (p.type === "function_definition") {
        found.add(p.startIndex);
        break;
      }
    }
  }
  return found;
}

/** Everything static discovery needs from one parsed file. */
export function analyzeModule(tree: Tree, source: string, options: AnalyzeOptions): ModuleFacts {
  const root = tree.rootNode;
  const analysis = new Analysis(source.split(/\r\n|\r|\n/), options, root);
  if (root.hasError) {
    return emptyFacts(["the file does not parse"]);
  }
  analysis.statements(root, analysis.members, analysis.module, null);
  let entries: Array<FunctionFacts | ClassFacts> = [];
  let params: ParamLayer[] = [];
  try {
    params = paramsOf(analysis.moduleMarks);
    entries = analysis.collect ? analysis.collectNamespace([analysis.members], false) : [];
  } catch (error) {
    if (!(error instanceof Unknown)) throw error;
    analysis.fail(error.message);
  }
  return {
    dynamic: analysis.dynamic,
    doc: docstringOf(root),
    imports: analysis.imports,
    names: [...analysis.module.keys()],
    hooks: analysis.hooks,
    fixtures: analysis.fixtures,
    markUses: analysis.markUses(),
    marks: analysis.moduleMarks.map(markOut),
    params,
    collect: analysis.collect,
    entries,
    docsExact: analysis.docsExact,
    conftestSettings: analysis.conftestSettings,
  };
}

export function emptyFacts(dynamic: string[]): ModuleFacts {
  return { dynamic, doc: null, imports: [], names: [], hooks: [], fixtures: [], markUses: [], marks: [], params: [], collect: true, entries: [], docsExact: true, conftestSettings: [] };
}

export type { MarkOut };
