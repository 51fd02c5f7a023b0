/**
 * tree-sitter's Python parser, started from wasm bytes the host hands over
 * (the core reads no files): web-tree-sitter's runtime and
 * tree-sitter-python's grammar. web-tree-sitter is imported only here, and
 * only when something has to be parsed, so a warm cache never loads it.
 */
import type { Parser, Tree } from "web-tree-sitter";

/** The two WebAssembly binaries tree-sitter needs. */
export interface ParserWasm {
  /** `web-tree-sitter/web-tree-sitter.wasm`. */
  runtime: Uint8Array;
  /** `tree-sitter-python/tree-sitter-python.wasm`. */
  language: Uint8Array;
}

/** A ready Python parser. */
export interface PythonParser {
  parse(source: string): Tree;
}

let ready: Promise<Parser> | undefined;

/** Start (once per process or page) and return a Python parser. */
export async function createPythonParser(wasm: ParserWasm): Promise<PythonParser> {
  ready ??= (async () => {
    const { Parser, Language } = await import("web-tree-sitter");
    await Parser.init({ wasmBinary: wasm.runtime } as object);
    const language = await Language.load(wasm.language);
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  const parser = await ready;
  return {
    parse(source) {
      const tree = parser.parse(source);
      if (!tree) throw new Error("tree-sitter returned no tree");
      return tree;
    },
  };
}
