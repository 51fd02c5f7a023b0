/**
 * What static discovery learns from one Python file, independent of where
 * the file lives: plain JSON, so it can be cached by the file's content hash.
 */

/** A mark as `CollectedItem.marks` carries it. */
export interface MarkOut {
  name: string;
  kwargs: Record<string, string | number | boolean | null>;
}

/** One parametrize call resolved to ids: each parameter set's id and marks. */
export interface ParamLayer {
  argnames: string[];
  sets: Array<{ id: string; marks: MarkOut[] }>;
}

/** A test function or method. */
export interface FunctionFacts {
  kind: "function";
  name: string;
  /** 0-based line of the `def`, or of its first decorator (pytest's location). */
  line: number;
  /** Marks stored on the function (`pytestmark`), in pytest's order: the decorator nearest the `def` first. */
  marks: MarkOut[];
  /** The parametrize marks among `marks`, resolved, in the same order. */
  params: ParamLayer[];
  /** Argument names a fixture or parameter must provide (no defaults, no `self`). */
  args: string[];
  /** Names in the function's `__dict__` (`-k` matches them): `pytestmark` when marked. */
  attrs: string[];
  doc: string | null;
}

/** A test class (or `unittest.TestCase`) and what it collects, inherited members included. */
export interface ClassFacts {
  kind: "class";
  name: string;
  line: number;
  unittest: boolean;
  /** The class's marks, bases' first (`get_unpacked_marks` over the MRO). */
  marks: MarkOut[];
  /** The parametrize marks among `marks`. */
  params: ParamLayer[];
  members: Array<FunctionFacts | ClassFacts>;
  doc: string | null;
}

/** A fixture defined in the file (module level or in a class). */
export interface FixtureFacts {
  name: string;
  scope: string;
  autouse: boolean;
  /** Ids of its literal `params`; null without params; "dynamic" when they are not literal. */
  params: string[] | null | "dynamic";
  line: number;
  /** The class it is defined in, or null at module level. */
  className: string | null;
}

/** An import statement: `import a.b` (names null) or `from .a import x, y`. */
export interface ImportFacts {
  module: string;
  /** Leading dots of a relative import. */
  level: number;
  names: string[] | null;
  line: number;
}

/** `pytest.mark.NAME` evaluated while importing: an unknown NAME warns there. */
export interface MarkUse {
  name: string;
  /** 1-based line. */
  line: number;
  /** The source line, stripped, as `warnings.formatwarning` shows it. */
  text: string;
}

export interface ModuleFacts {
  /** Why the file cannot be collected statically (empty: it can, given its imports and conftests). */
  dynamic: string[];
  doc: string | null;
  imports: ImportFacts[];
  /** Names bound at module level (for `from module import name`). */
  names: string[];
  /** `pytest_*` functions defined at module level (conftest hooks). */
  hooks: string[];
  fixtures: FixtureFacts[];
  markUses: MarkUse[];
  /** Module `pytestmark`. */
  marks: MarkOut[];
  params: ParamLayer[];
  /** Module `__test__` (False: nothing is collected). */
  collect: boolean;
  /** Test functions and classes in collection order. */
  entries: Array<FunctionFacts | ClassFacts>;
  /** False when `--co -v` docstrings may come from elsewhere (inherited docs). */
  docsExact: boolean;
  /** Module-level `collect_ignore`/`collect_ignore_glob`/`pytest_plugins` (conftests). */
  conftestSettings: string[];
}
