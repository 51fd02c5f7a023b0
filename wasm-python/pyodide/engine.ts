import type { PyodideAPI } from "pyodide";
import type {
  CollectResult,
  EngineInfo,
  HarnessConfig,
  ProjectFile,
  RunControl,
  RunFinish,
} from "../../core/protocol.js";
import type { CodeCacheEntry, Engine } from "../engine.js";
import { writeFiles } from "./boot.js";

interface HarnessApi {
  configure(configJson: string): string;
  collect(pathsJson: string): string;
  run(nodeidsJson: string, emit: (event: string) => void, proceed?: (index: number) => boolean): void;
  finish(): string;
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
  ) {
    this.api = pyodide.pyimport("fastest_harness.api") as unknown as HarnessApi;
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
    if (!control) return this.api.run(JSON.stringify(nodeids), emit);
    const { stopAt, indices } = control;
    this.api.run(JSON.stringify(nodeids), emit, (i) => indices[i]! < Atomics.load(stopAt, 0));
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

  finish(): RunFinish {
    return JSON.parse(this.api.finish()) as RunFinish;
  }

  dispose(): void {
    (this.api as unknown as { destroy(): void }).destroy();
  }
}
