import type { EngineInfo, ProjectFile } from "../core/protocol.js";
import type { SessionOptions, SessionOutcome } from "../core/session.js";
import type { CodeCacheEntry } from "../wasm-python/engine.js";
import type { CodeCacheStore } from "./code-cache.js";
import type { EngineAssets } from "./engine-assets.js";
import type { RunWorkers } from "./run.js";
import { SandboxProcess } from "./sandbox-process.js";
import type { WarmBoot, WarmFiles, WarmLease } from "./sandbox-watch.js";
import type { LeaseEnd } from "./watch-pool.js";

export interface SandboxWarmPoolOptions {
  size: number;
  timeoutGraceMs: number;
  /** The snapshot the spares boot from: the one file outside the package the sandbox process may read. */
  snapshotPath: string;
  /** The engine's files, which the sandbox process may read and compiles. */
  engine: Pick<EngineAssets, "wasmPath" | "readable">;
  onOutput: (stream: "stdout" | "stderr", text: string) => void;
  /** The project's files as they are now, by sandbox path. */
  files: () => ReadonlyMap<string, Uint8Array>;
  codeCache: CodeCacheStore;
  /** Does the harness rewrite this file (a test file or conftest), so that its rewritten code is cached? */
  rewritten: (path: string) => boolean;
  onImports: (imports: Record<string, string[]>) => void;
}

/**
 * Watch mode's warm pool with its workers in the sandbox process (under
 * Node's permission model, like a plain run's): the same calls as
 * `WarmPool` (node-host/watch-pool.ts), answered there
 * (node-host/sandbox-watch.ts). Before each call that boots or hands out
 * workers, the project's files that changed since the last one are sent,
 * with their cached rewritten code.
 */
export class SandboxWarmPool {
  private readonly sandbox: SandboxProcess;
  /** What the sandbox process holds of the project, by path (the same objects `files()` returned). */
  private readonly sent = new Map<string, Uint8Array>();
  private readonly started: Promise<unknown>;

  constructor(private readonly options: SandboxWarmPoolOptions) {
    this.sandbox = SandboxProcess.start(options.snapshotPath, options.onOutput, options.engine);
    this.sandbox.onImports = options.onImports;
    this.started = this.sandbox.call("start", [options.size, options.timeoutGraceMs]);
    this.started.catch(() => {});
  }

  /** Boot the spares from the snapshot (made by now); resolves once the process has read it and compiled the engine. */
  async boot(boot: WarmBoot): Promise<void> {
    await this.started;
    await this.sandbox.call("boot", [boot]);
  }

  /** Send the files that changed since the last call. */
  private sync(): void {
    const current = this.options.files();
    const update: WarmFiles = { changed: [], deleted: [], code: {} };
    for (const [path, data] of current) {
      if (this.sent.get(path) === data) continue;
      const file: ProjectFile = { path, data };
      update.changed.push(file);
      if (this.options.rewritten(path)) update.code[path] = this.options.codeCache.lookup([file], () => true);
      this.sent.set(path, data);
    }
    for (const path of this.sent.keys()) {
      if (current.has(path)) continue;
      update.deleted.push(path);
      this.sent.delete(path);
    }
    if (update.changed.length > 0 || update.deleted.length > 0) void this.sandbox.call("files", [update]).catch(() => {});
  }

  fill(): void {
    this.sync();
    void this.sandbox.call("fill").catch(() => {});
  }

  async acquire(count: number): Promise<SandboxLease> {
    this.sync();
    const lease = (await this.sandbox.call("acquire", [count])) as WarmLease;
    return new SandboxLease(this.sandbox, lease, this.options.codeCache);
  }

  async release(lease: RunWorkers, end: LeaseEnd = "stopped"): Promise<void> {
    await this.sandbox.call("release", [(lease as SandboxLease).id, end]).catch(() => {});
  }

  async discardSpares(): Promise<void> {
    this.sync();
    await this.sandbox.call("discardSpares").catch(() => {});
  }

  async close(): Promise<void> {
    await this.sandbox.call("close").catch(() => {});
    await this.sandbox.stop();
  }
}

/** The workers of one watch-mode run, in the sandbox process. */
class SandboxLease implements RunWorkers {
  readonly id: number;
  readonly size: number;
  readonly info: EngineInfo;

  constructor(
    private readonly sandbox: SandboxProcess,
    lease: WarmLease,
    readonly codeCache: CodeCacheStore,
  ) {
    this.id = lease.lease;
    this.size = lease.size;
    this.info = lease.info;
  }

  session(options: Omit<SessionOptions, "workers">): Promise<SessionOutcome> {
    return this.sandbox.leaseSession(this.id, options);
  }

  async takeCodeCache(): Promise<CodeCacheEntry[]> {
    return (await this.sandbox.call("takeCodeCache", [this.id])) as CodeCacheEntry[];
  }

  interrupt(): void {
    void this.sandbox.call("interrupt", [this.id]).catch(() => {});
  }
}
