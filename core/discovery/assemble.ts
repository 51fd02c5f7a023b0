/**
 * From per-file facts to the items pytest would collect from each test
 * file: node ids, locations, marks, keywords and the collector chain, with
 * the file's conftests, package `__init__.py` files and imported project
 * modules checked too. A file is complete only when nothing in that chain
 * needs the interpreter.
 */
import type { CollectedItem, CollectorNode, WarningRecord } from "../protocol.js";
import type { ClassFacts, FunctionFacts, MarkOut, ModuleFacts, ParamLayer } from "./facts.js";
import { BUILTIN_MARKS, HARMLESS_HOOK, PYTEST_NAMES, STDLIB_MODULES } from "./names.js";

/** The run settings that change what static discovery concludes. */
export interface DiscoveryConfig {
  /** Absolute POSIX path; node ids are relative to it. */
  rootdir: string;
  pythonFiles: string[];
  pythonClasses: string[];
  pythonFunctions: string[];
  /** Marker lines registered in the ini (`name: description`). */
  markers: string[];
  /** An unregistered mark is a collection error (`--strict-markers`). */
  strictMarkers: boolean;
  /** Warnings are caught and reported (not `-p no:warnings`). */
  warningsEnabled: boolean;
  /** `filterwarnings` ini lines or `-W` options are set (they may turn warnings into errors). */
  warningFilters: boolean;
  /** Ini options that change parametrize ids or collection (`strict_parametrization_ids`, `disable_test_id_escaping...`). */
  idOptions?: boolean;
}

/** One test file as static discovery sees it. */
export interface StaticFile {
  /** Rootdir-relative POSIX path (the module's node id). */
  path: string;
  /** True when `items` are exactly what pytest collects; false: resolve at run time. */
  complete: boolean;
  /** Why the file is not complete. */
  reason?: string;
  items: CollectedItem[];
  /** Warnings raised while importing it (unknown marks). */
  warnings: WarningRecord[];
  /** False when `--co -v` docstrings may differ from what the interpreter shows. */
  docsExact: boolean;
}

/** Access to the project: facts of any rootdir-relative file, and whether a path exists. */
export interface ProjectView {
  facts(path: string): ModuleFacts | null;
  isFile(path: string): boolean;
}

class Dynamic extends Error {}

function dirname(path: string): string {
  const cut = path.lastIndexOf("/");
  return cut < 0 ? "" : path.slice(0, cut);
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function join(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The folder put on sys.path and the dotted module name of a file, as pytest's prepend import mode finds them. */
export function moduleNameFor(path: string, project: ProjectView): { root: string; name: string } {
  let pkg: string | null = null;
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if (!project.isFile(join(dir, "__init__.py")) || !IDENTIFIER.test(basename(dir) || "?")) break;
    if (dir === "") throw new Dynamic("the rootdir is a package");
    pkg = dir;
  }
  const stem = basename(path).replace(/\.py$/, "");
  if (pkg === null) return { root: dirname(path), name: stem };
  const root = dirname(pkg);
  const rel = (root ? path.slice(root.length + 1) : path).replace(/\.py$/, "").split("/");
  if (rel.at(-1) === "__init__") rel.pop();
  return { root, name: rel.join(".") };
}

const MARK_WARNING = (name: string) =>
  `Unknown pytest.mark.${name} - is this a typo?  You can register custom marks to avoid this warning - for details, see https://docs.pytest.org/en/stable/how-to/mark.html`;

/** Static collection of a list of test files (in collection order). */
export class Assembler {
  private readonly registered: Set<string>;
  private readonly checked = new Map<string, string | null>();
  /** Project module name to the file it was resolved to, to catch two files under one name. */
  private readonly moduleFiles = new Map<string, string>();

  constructor(
    private readonly config: DiscoveryConfig,
    private readonly project: ProjectView,
  ) {
    this.registered = new Set(config.markers.map((line) => line.split(":")[0]!.split("(")[0]!.trim()));
  }

  assemble(files: readonly string[]): StaticFile[] {
    const names = new Map<string, string[]>();
    const roots = new Map<string, { root: string; name: string } | Error>();
    for (const file of files) {
      try {
        const found = moduleNameFor(file, this.project);
        roots.set(file, found);
        names.set(found.name, [...(names.get(found.name) ?? []), file]);
      } catch (error) {
        roots.set(file, error as Error);
      }
    }
    return files.map((file) => {
      try {
        const found = roots.get(file)!;
        if (found instanceof Error) throw found;
        if ((names.get(found.name) ?? []).length > 1) throw new Dynamic(`another test file is also module ${found.name}`);
        return this.file(file, found.root);
      } catch (error) {
        if (!(error instanceof Dynamic)) throw error;
        return { path: file, complete: false, reason: error.message, items: [], warnings: [], docsExact: false };
      }
    });
  }

  private file(path: string, root: string): StaticFile {
    if (!path.endsWith(".py")) throw new Dynamic("not a Python module");
    if (path.startsWith("../") || path.startsWith("/")) throw new Dynamic("outside the rootdir");
    if (this.config.idOptions) throw new Dynamic("ini options change parametrize ids");
    const facts = this.project.facts(path);
    if (!facts) throw new Dynamic("unreadable");
    if (facts.dynamic.length > 0) throw new Dynamic(facts.dynamic[0]!);
    if (facts.conftestSettings.length > 0) throw new Dynamic(`sets ${facts.conftestSettings[0]}`);
    if (facts.hooks.includes("pytest_generate_tests")) throw new Dynamic("defines pytest_generate_tests");
    // Fixture params parametrize the tests that use them: resolved at run time.
    const parametrized = facts.fixtures.find((f) => f.params !== null);
    if (parametrized) throw new Dynamic(`fixture ${parametrized.name} has params`);
    // Conftests from the rootdir down, then package __init__ files, then the module's imports.
    // Each conftest puts its folder (or its package's parent) on sys.path, deeper ones in front.
    const parts = dirname(path) ? dirname(path).split("/") : [];
    let searchPath: string[] = [];
    for (let i = 0; i <= parts.length; i++) {
      const conftest = join(parts.slice(0, i).join("/"), "conftest.py");
      if (!this.project.isFile(conftest)) continue;
      const conftestRoot = moduleNameFor(conftest, this.project).root;
      this.checkConftest(conftest, [conftestRoot, ...searchPath]);
      searchPath = [conftestRoot, ...searchPath.filter((r) => r !== conftestRoot)];
    }
    const roots = [root, ...searchPath.filter((r) => r !== root)];
    for (let dir = dirname(path); dir !== "" && this.project.isFile(join(dir, "__init__.py")); dir = dirname(dir)) {
      this.checkModule(join(dir, "__init__.py"), roots, true);
    }
    this.checkImports(path, facts, roots);
    const warnings = this.markWarnings(path, facts, true);
    const items = this.items(path, facts);
    return { path, complete: true, items, warnings, docsExact: facts.docsExact };
  }

  private markWarnings(path: string, facts: ModuleFacts, allowed: boolean): WarningRecord[] {
    const unknown = facts.markUses.filter((use) => !BUILTIN_MARKS.has(use.name) && !this.registered.has(use.name));
    if (unknown.some((use) => /^paramet(e)?ri[sz]e$/.test(use.name))) throw new Dynamic("misspelled parametrize");
    if (unknown.length === 0 || !this.config.warningsEnabled) return [];
    if (!allowed) throw new Dynamic(`unregistered mark ${unknown[0]!.name} in an imported module`);
    if (this.config.strictMarkers) throw new Dynamic(`unregistered mark ${unknown[0]!.name} with --strict-markers`);
    if (this.config.warningFilters) throw new Dynamic("warning filters may change unknown-mark warnings");
    const filename = `${this.config.rootdir.replace(/\/$/, "")}/${path}`;
    return unknown.map((use) => {
      const message = MARK_WARNING(use.name);
      return {
        nodeid: "", category: "PytestUnknownMarkWarning", message, filename, lineno: use.line,
        formatted: `${filename}:${use.line}: PytestUnknownMarkWarning: ${message}\n  ${use.text}\n`,
      };
    });
  }

  private checkConftest(path: string, roots: string[]): void {
    const reason = this.cached(`conftest:${path}`, () => {
      const facts = this.project.facts(path);
      if (!facts) throw new Dynamic(`${path} is unreadable`);
      const hook = facts.hooks.find((h) => !HARMLESS_HOOK.test(h));
      if (hook) throw new Dynamic(`${path} defines ${hook}`);
      if (facts.conftestSettings.length > 0) throw new Dynamic(`${path} sets ${facts.conftestSettings[0]}`);
      const params = facts.fixtures.find((f) => f.params !== null);
      if (params) throw new Dynamic(`${path}: fixture ${params.name} has params`);
      this.checkModule(path, roots, true);
    });
    if (reason) throw new Dynamic(reason);
  }

  /** A module imported before or while collecting: it must import without failing, skipping or warning. */
  private checkModule(path: string, roots: string[], imported: boolean): void {
    const reason = this.cached(`module:${path}:${roots.join("|")}`, () => {
      const facts = this.project.facts(path);
      if (!facts) throw new Dynamic(`${path} is unreadable`);
      if (facts.dynamic.length > 0) throw new Dynamic(`${path}: ${facts.dynamic[0]}`);
      if (imported) this.markWarnings(path, facts, false);
      this.checkImports(path, facts, roots);
    });
    if (reason) throw new Dynamic(reason);
  }

  private cached(key: string, check: () => void): string | null {
    if (this.checked.has(key)) return this.checked.get(key)!;
    // A cycle of imports is fine: the module counts as checked while its check runs.
    this.checked.set(key, null);
    try {
      check();
    } catch (error) {
      if (!(error instanceof Dynamic)) {
        this.checked.delete(key);
        throw error;
      }
      this.checked.set(key, error.message);
      return error.message;
    }
    return null;
  }

  private checkImports(path: string, facts: ModuleFacts, roots: string[]): void {
    for (const imp of facts.imports) {
      if (imp.level > 0) {
        this.relativeImport(path, imp.module, imp.level, imp.names, roots);
        continue;
      }
      const top = imp.module.split(".")[0]!;
      if (top === "__future__") continue;
      if (top === "pytest") {
        if (imp.module !== "pytest") throw new Dynamic(`imports ${imp.module}`);
        const missing = (imp.names ?? []).find((n) => !PYTEST_NAMES.has(n));
        if (missing) throw new Dynamic(`pytest has no ${missing} in the sandbox`);
        continue;
      }
      const project = this.findModule(roots, imp.module.split("."));
      if (project === null) {
        if (STDLIB_MODULES.has(top)) continue;
        throw new Dynamic(`imports ${imp.module}, not found in the project`);
      }
      if (STDLIB_MODULES.has(top)) throw new Dynamic(`project module ${top} shadows the standard library`);
      this.importNames(project, imp.names, roots, imp.module);
    }
  }

  /** `import a.b.c` along the search path: the first root holding `a` wins; two roots holding it is too uncertain. */
  private findModule(roots: string[], parts: string[]): string[] | null {
    let found: { root: string; files: string[] } | null = null;
    for (const root of roots) {
      const files = this.projectModule(root, parts, false);
      if (!files) continue;
      if (found && found.files.at(-1) !== files.at(-1)) throw new Dynamic(`${parts.join(".")} exists as ${found.files.at(-1)} and ${files.at(-1)}`);
      found ??= { root, files };
    }
    return found ? this.projectModule(found.root, parts, true) : null;
  }

  /** The files `import a.b.c` runs under `root`, last one the module itself; null when `a` is not there. */
  private projectModule(root: string, parts: string[], record = true): string[] | null {
    const files: string[] = [];
    let dir = root;
    for (const [i, part] of parts.entries()) {
      const pkg = join(join(dir, part), "__init__.py");
      const mod = join(dir, `${part}.py`);
      if (this.project.isFile(pkg)) {
        files.push(pkg);
        dir = join(dir, part);
      } else if (this.project.isFile(mod) && i === parts.length - 1) files.push(mod);
      else if (i === 0) return null;
      else throw new Dynamic(`cannot resolve ${parts.join(".")}`);
    }
    const name = parts.join(".");
    const last = files.at(-1)!;
    if (!record) return files;
    const previous = this.moduleFiles.get(name);
    if (previous !== undefined && previous !== last) throw new Dynamic(`module ${name} exists as ${previous} and ${last}`);
    this.moduleFiles.set(name, last);
    return files;
  }

  private importNames(files: string[], names: string[] | null, roots: string[], module: string): void {
    for (const file of files) this.checkModule(file, roots, true);
    const last = files.at(-1)!;
    // A fixture imported by name is registered where it lands: one with params parametrizes tests there.
    const parametrized = this.project.facts(last)!.fixtures.find((f) => f.params !== null && f.className === null);
    if (names && names.length > 0 && parametrized) throw new Dynamic(`imports from ${module}, which defines fixture ${parametrized.name} with params`);
    for (const name of names ?? []) {
      const facts = this.project.facts(last)!;
      if (facts.names.includes(name)) continue;
      if (last.endsWith("/__init__.py") || last === "__init__.py") {
        const sub = this.findModule(roots, [...module.split("."), name]);
        if (sub) {
          this.checkModule(sub.at(-1)!, roots, true);
          continue;
        }
      }
      throw new Dynamic(`${module} has no ${name}`);
    }
  }

  private relativeImport(path: string, module: string, level: number, names: string[] | null, roots: string[]): void {
    const own = moduleNameFor(path, this.project);
    const isPackage = basename(path) === "__init__.py";
    const packageParts = own.name.split(".").slice(0, isPackage ? undefined : -1);
    if (level - 1 >= packageParts.length + (isPackage ? 0 : 0) || packageParts.length === 0) throw new Dynamic("relative import beyond the package");
    const base = packageParts.slice(0, packageParts.length - (level - 1));
    const parts = module ? [...base, ...module.split(".")] : base;
    const files = this.projectModule(own.root, parts);
    if (!files) throw new Dynamic(`cannot resolve a relative import in ${path}`);
    this.importNames(files, names, roots, parts.join("."));
  }

  // -- items

  private items(path: string, facts: ModuleFacts): CollectedItem[] {
    const chain: CollectorNode[] = [];
    const dirs = dirname(path) ? dirname(path).split("/") : [];
    const rootName = basename(this.config.rootdir.replace(/\/$/, ""));
    chain.push({ type: this.project.isFile("__init__.py") ? "Package" : "Dir", name: rootName });
    for (let i = 0; i < dirs.length; i++) {
      const dir = dirs.slice(0, i + 1).join("/");
      chain.push({ type: this.project.isFile(join(dir, "__init__.py")) ? "Package" : "Dir", name: dirs[i]! });
    }
    chain.push(withDoc({ type: "Module", name: basename(path) }, facts.doc));
    if (!facts.collect) return [];
    const items: CollectedItem[] = [];
    const context: Context = { path, nodes: chain, keywords: [...dirs, basename(path)], marks: [facts.marks], params: [facts.params], classes: [] };
    for (const entry of facts.entries) this.entry(entry, context, items);
    return items;
  }

  private entry(entry: FunctionFacts | ClassFacts, context: Context, items: CollectedItem[]): void {
    if (entry.kind === "class") {
      const inner: Context = {
        path: context.path,
        nodes: [...context.nodes, withDoc({ type: entry.unittest ? "UnitTestCase" : "Class", name: entry.name }, entry.doc)],
        keywords: [...context.keywords, entry.name],
        marks: [entry.marks, ...context.marks],
        params: [entry.params, ...context.params],
        classes: [...context.classes, { name: entry.name, unittest: entry.unittest }],
      };
      for (const member of entry.members) this.entry(member, inner, items);
      return;
    }
    const unittest = context.classes.at(-1)?.unittest ?? false;
    const layers = [...entry.params, ...context.params.flat()];
    const seen = new Set<string>();
    for (const layer of layers) {
      for (const name of layer.argnames) {
        if (!entry.args.includes(name)) throw new Dynamic(`${entry.name}: parametrize argument ${name} is not a plain argument of the test`);
        if (seen.has(name)) throw new Dynamic(`${entry.name}: ${name} is parametrized twice`);
        seen.add(name);
      }
    }
    let variants: Array<{ ids: string[]; marks: MarkOut[] }> = [{ ids: [], marks: [] }];
    for (const layer of layers) variants = variants.flatMap((base) => layer.sets.map((set) => ({ ids: [...base.ids, set.id], marks: [...base.marks, ...set.marks] })));
    // What every variant shares, computed once (a large suite has thousands of items).
    const classNames = context.classes.map((c) => c.name);
    const prefix = [context.path, ...classNames].join("::");
    const domainPrefix = classNames.length > 0 ? `${classNames.join(".")}.` : "";
    const outerMarks = context.marks.flat();
    const type = unittest ? "TestCaseFunction" : "Function";
    // Most variants add no marks: their mark lists are built once and shared (items are read-only data).
    const shared = markFields([...entry.marks, ...outerMarks]);
    for (const variant of variants) {
      const name = layers.length > 0 ? `${entry.name}[${variant.ids.join("-")}]` : entry.name;
      const own = variant.marks.length === 0 ? shared : markFields([...entry.marks, ...variant.marks, ...outerMarks]);
      const keywords = [...context.keywords, name, ...entry.attrs, ...own.names];
      const node: CollectorNode = entry.doc ? { type, name, doc: entry.doc } : { type, name };
      items.push({
        nodeid: `${prefix}::${name}`,
        location: [context.path, entry.line, domainPrefix + name],
        markers: own.markers,
        keywords: new Set(keywords).size === keywords.length ? keywords : [...new Set(keywords)],
        marks: own.marks,
        nodes: [...context.nodes, node],
      });
    }
  }
}

/** An item's `markers` (names, once each), mark names in order, and `marks`. */
function markFields(marks: MarkOut[]): { markers: string[]; names: string[]; marks: MarkOut[] } {
  const names = marks.map((m) => m.name);
  return { markers: [...new Set(names)], names, marks: marks.map((m) => ({ name: m.name, kwargs: m.kwargs })) };
}

interface Context {
  path: string;
  nodes: CollectorNode[];
  keywords: string[];
  /** Marks of the enclosing collectors, innermost first. */
  marks: MarkOut[][];
  params: ParamLayer[][];
  classes: Array<{ name: string; unittest: boolean }>;
}

function withDoc(node: CollectorNode, doc: string | null): CollectorNode {
  return doc ? { ...node, doc } : node;
}
