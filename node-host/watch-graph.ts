/**
 * Which project files import which, as the harness recorded it while
 * collecting (`CollectResult.imports`), and the test files a change affects.
 * Paths are rootdir-relative with `/`.
 */
export class ImportGraph {
  /** Importer to the project files its import statements reached. */
  private readonly imports = new Map<string, Set<string>>();

  /**
   * Take what one collect recorded. A file listed there ran its whole body
   * in a fresh interpreter, so its entry replaces the older one.
   */
  update(recorded: Record<string, string[]>): void {
    for (const [importer, imported] of Object.entries(recorded)) this.imports.set(importer, new Set(imported));
  }

  /** Forget a file that was deleted (what imported it keeps the edge until it runs again). */
  forget(file: string): void {
    this.imports.delete(file);
  }

  /** Files that import `file`, directly or through other project files; `file` itself included. */
  dependents(files: Iterable<string>): Set<string> {
    const importers = new Map<string, string[]>();
    for (const [importer, imported] of this.imports) {
      for (const target of imported) importers.set(target, [...(importers.get(target) ?? []), importer]);
    }
    const reached = new Set<string>();
    const queue = [...files];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (reached.has(file)) continue;
      reached.add(file);
      queue.push(...(importers.get(file) ?? []));
    }
    return reached;
  }
}
