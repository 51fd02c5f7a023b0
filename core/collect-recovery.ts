import type { CollectError, CollectResult, HarnessConfig } from "./protocol.js";
import { WorkerCrash, type WorkerHandle } from "./worker-handle.js";

/**
 * `worker.collect(paths)`, surviving a file whose import kills the
 * interpreter (`os._exit()` or `os.abort()` at module level, a conftest
 * that does it, a WebAssembly trap): the worker is replaced, the files are
 * collected again one at a time, and each one that kills it becomes a
 * collection error naming the cause, as a file that raises on import does.
 * The other files' items are collected as usual. A host that cannot replace
 * workers (no `respawn`) keeps the failure. A dead worker shows as a
 * `WorkerCrash` from `collect`; other errors pass through.
 *
 * `nodeidOf` turns a collected path into its node id (relative to rootdir).
 */
export async function collectSurvivingCrashes(
  worker: WorkerHandle,
  config: HarnessConfig,
  paths: string[],
  nodeidOf: (path: string) => string,
): Promise<CollectResult> {
  try {
    return await worker.collect(paths);
  } catch (error) {
    if (!(error instanceof WorkerCrash) || !worker.respawn) throw error;
    const replace = async () => {
      await worker.respawn!();
      await worker.configure(config);
    };
    await replace();
    const merged: CollectResult = { items: [], errors: [], skipped: [], warnings: [], durations: {} };
    const imported: string[] = [];
    for (const path of paths) {
      try {
        mergeInto(merged, await worker.collect([path]));
        imported.push(path);
      } catch (crash) {
        if (!(crash instanceof WorkerCrash)) throw crash;
        merged.errors.push(crashedCollecting(nodeidOf(path), crash));
        await replace();
        // The new interpreter must hold the files collected before, to run their items.
        if (imported.length > 0) await worker.collect(imported);
      }
    }
    return merged;
  }
}

function mergeInto(into: CollectResult, result: CollectResult): void {
  into.items.push(...result.items);
  into.errors.push(...result.errors);
  into.skipped.push(...result.skipped);
  into.warnings.push(...result.warnings);
  if (result.listing) into.listing = [...(into.listing ?? []), ...result.listing];
  if (result.durations) into.durations = { ...into.durations, ...result.durations };
  if (result.imports) into.imports = { ...into.imports, ...result.imports };
  if (result.deselected) into.deselected = [...(into.deselected ?? []), ...result.deselected];
  if (result.reportHeader) into.reportHeader ??= result.reportHeader;
  if (result.terminalSummary) into.terminalSummary = true;
  if (result.notices) into.notices = [...(into.notices ?? []), ...result.notices];
}

function crashedCollecting(nodeid: string, crash: WorkerCrash): CollectError {
  const message = crash.message;
  return {
    nodeid,
    longrepr: `${message}\n(the worker importing this file died; it was replaced and the other files were collected)`,
    message,
  };
}
