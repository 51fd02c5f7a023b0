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

/**
 * Every top-level module the project's Python files import, read from their
 * text (folders fastest does not copy into the sandbox, such as virtualenvs,
 * are skipped). A guess, used to choose which dependencies to import into the
 * snapshot: a name missed there is imported by the run itself.
 */
export function projectImports(rootdir: string): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!isSkippedDir(dir, entry.name)) walk(full);
      } else if (entry.isFile() && entry.name.endsWith(".py")) {
        for (const name of importedNames(readFileSync(full, "utf8"))) names.add(name);
      }
    }
  };
  walk(rootdir);
  return names;
}
