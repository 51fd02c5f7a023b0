import type { PyodideAPI } from "pyodide";
import type {
  CollectResult,
  EngineInfo,
  HarnessConfig,
  ProjectFile,
  RunControl,
  RunFinish,
  SummaryRequest,
} from "../../core/protocol.js";
import { claimItem } from "../../core/item-claim.js";
import { beginItem, endItem, interruptIsLate, itemTimedOut } from "../../core/item-progress.js";
import type { CodeCacheEntry, Engine } from "../engine.js";
import { writeFiles } from "./boot.js";

interface HarnessApi {
  configure(configJson: string): string;
  collect(pathsJson: string): string;
  run(
    nodeidsJson: string,
    emit: (event: string) => void,
    proceed?: (index: number, timeout: number) => boolean,
    timedOut?: () => boolean,
  ): void;
  finish(summary?: string): string;
  code_cache_load(blobs: Uint8Array[]): void;
  code_cache_export(): { toJs(): Array<[string, string, Uint8Array]>; destroy(): void };
  destroy?(): void;
}

/** An `Engine` backed by a restored, locked-down Pyodide interpreter. */
export class PyodideEngine implements Engine {
  private readonly api: HarnessApi;

  constructor(
    private readonly pyodide: PyodideAPI,
    readonly info: EngineInfo,
    private readonly watch: { progress?: Int32Array | undefined; interruptBuffer?: Int32Array | undefined } = {},
  ) {
    this.api = pyodide.pyimport("fastest_harness.api") as unknown as HarnessApi;
    const progress = watch.progress;
    if (progress) {
      const sigint = pyodide.pyimport("fastest_harness.sigint") as unknown as { set_late_check(check: () => boolean): void };
      sigint.set_late_check(() => interruptIsLate(progress));
    }
  }

  writeFiles(files: ProjectFile[]): void {
    writeFiles(this.pyodide, files);
  }

  configure(config: HarnessConfig): void {
    // Tests run where fastest was started, as under pytest.
    this.pyodide.FS.mkdirTree(config.invocationDir);
    this.pyodide.FS.chdir(config.invocationDir);
    this.api.configure(JSON.stringify(config));
  }

  collect(paths: string[]): CollectResult {
    return JSON.parse(this.api.collect(JSON.stringify(paths))) as CollectResult;
  }

  run(nodeids: string[], emit: (event: string) => void, control?: RunControl): void {
    const { progress, interruptBuffer } = this.watch;
    // Claiming last: a position the stop point refuses stays free for nobody else either.
    const allowed = (i: number) =>
      !control || (control.indices[i]! < Atomics.load(control.stopAt, 0) && (!control.claim || claimItem(control.claim, i)));
    if (!progress) return this.api.run(JSON.stringify(nodeids), emit, (i) => allowed(i));
    // The harness announces each item and its timeout (seconds) before starting it.
    const proceed = (i: number, timeout: number) => {
      // A timeout interrupt that came too late for the item it was meant for must not hit this one.
      if (interruptBuffer && itemTimedOut(progress)) Atomics.store(interruptBuffer, 0, 0);
      if (!allowed(i)) return false;
      beginItem(progress, i, timeout * 1000);
      return true;
    };
    // An item's result sent: a timeout interrupt arriving from now on is late (interruptIsLate).
    const emitEnding = (event: string) => {
      if (event.startsWith('{"type": "itemEnd"')) endItem(progress);
      emit(event);
    };
    try {
      this.api.run(JSON.stringify(nodeids), emitEnding, proceed, () => itemTimedOut(progress));
    } finally {
      if (interruptBuffer && itemTimedOut(progress)) Atomics.store(interruptBuffer, 0, 0);
    }
    // Only a run that ended normally says so: after a crash the host reads which item died.
    beginItem(progress, -1, 0);
  }

  loadCodeCache(entries: Uint8Array[]): void {
    if (entries.length > 0) this.api.code_cache_load(entries);
  }

  takeCodeCache(): CodeCacheEntry[] {
    const exported = this.api.code_cache_export();
    try {
      return exported.toJs().map(([path, digest, data]) => ({ path, digest, data }));
    } finally {
      exported.destroy();
    }
  }

  finish(summary?: SummaryRequest): RunFinish {
    return JSON.parse(summary ? this.api.finish(JSON.stringify(summary)) : this.api.finish()) as RunFinish;
  }

  dispose(): void {
    (this.api as unknown as { destroy(): void }).destroy();
  }
}
