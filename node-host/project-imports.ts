import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { isSkippedDir } from "./project.js";

/** `import a, b.c as d` and `from e.f import g`, anywhere in a line's indentation (imports inside functions count). */
const importLine = /^[ \t]*(?:from[ \t]+([A-Za-z_][\w.]*)[ \t]+import\b|import[ \t]+([^\n#;]+))/gm;

/** The top-level module names an import statement in `source` names. */
export function importedNames(source: string): Set<string> {
  const names = new Set<string>();
  for (const match of source.matchAll(importLine)) {
    if (match[1] !== undefined) names.add(match[1].split(".")[0]!);
    else {
      for (const part of match[2]!.replace(/[()\\]/g, " ").split(",")) {
        const name = /^\s*([A-Za-z_]\w*)/.exec(part)?.[1];
        if (name) names.add(name);
      }
    }
  }
  return names;
}

/** What the project's Python files import, and the module names the project could provide itself. */
export interface ProjectImports {
  /** Top-level modules named by the project's import statements. */
  imported: Set<string>;
  /**
   * Names of the project's own modules and folders: any of them may be put
   * on `sys.path` (pytest inserts each test file's root), and then shadows an
   * installed module of the same name.
   */
  own: Set<string>;
}

/**
 * Read the project's Python files for their imports (folders fastest does
 * not copy into the sandbox, such as virtualenvs, are skipped). A guess,
 * used to choose which dependencies to import into the snapshot: a name
 * missed there is imported by the run itself.
 */
export function projectImports(rootdir: string): ProjectImports {
  const imported = new Set<string>();
  const own = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (isSkippedDir(dir, entry.name)) continue;
        own.add(entry.name);
        walk(full);
      } else if (entry.isFile() && entry.name.endsWith(".py")) {
        own.add(entry.name.slice(0, -3));
        for (const name of importedNames(readFileSync(full, "utf8"))) imported.add(name);
      }
    }
  };
  walk(rootdir);
  return { imported, own };
}
