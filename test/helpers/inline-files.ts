import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Write a small project tree into a fresh temporary folder and return its
 * path. Keys are POSIX paths relative to the folder; text is dedented so
 * Python sources can be written inline with the test.
 */
export function inlineFiles(files: Record<string, string | Uint8Array>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "fastest-test-"));
  for (const [name, content] of Object.entries(files)) {
    const full = path.join(root, ...name.split("/"));
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, typeof content === "string" ? dedent(content) : content);
  }
  return root;
}

export function dedent(text: string): string {
  const lines = text.replace(/^\n/, "").split("\n");
  const indents = lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join("\n");
}
