import type { CollectedItem, EngineInfo, ProjectFile } from "../core/protocol.js";
import type { Arranged, Collection, SessionOptions, SessionOutcome } from "../core/session.js";

/** The part of a collection the cache plugins see and narrow. */
export type PluginCollection = Pick<Collection, "items" | "errors" | "skipped">;
import type { CodeCacheEntry } from "../wasm-python/engine.js";
import type { SnapshotMeta } from "../wasm-python/pyodide/snapshot-format.js";

/**
 * The messages between the CLI and its sandbox process (node-host/sandbox-main.ts),
 * which holds the engine workers under Node's permission model. Everything
 * crosses by structured clone, so every field is plain data.
 */

/**
 * Start `size` workers: they begin loading the engine at once. (The process
 * itself compiles `pyodide.asm.wasm`, named by its first argument, as soon as
 * it starts: a compiled module cannot cross processes.)
 */
export interface SandboxSpawn {
  type: "spawn";
  size: number;
  timeoutGraceMs?: number;
  busyLimitMs?: number;
}

/** Boot every worker from the snapshot, write the project's files, load the code cache. */
export interface SandboxBoot {
  type: "boot";
  /** Read by the sandbox process itself: its one file outside the package (read access to that file only). */
  snapshotPath: string;
  expected: SnapshotMeta;
  maxMemoryBytes?: number;
  files: ProjectFile[];
  codeCache: Uint8Array[];
}

/** The session's options without the parts that live in the CLI: workers, listener, cache plugins. */
export type SessionRequest = Omit<SessionOptions, "workers" | "listener" | "plugin" | "clock"> & {
  /** Which cache-plugin hooks the CLI has: the sandbox process asks it over the channel. */
  plugin?: { collected: boolean; selected: boolean };
};

export type ToSandbox =
  | SandboxSpawn
  | SandboxBoot
  | { type: "session"; options: SessionRequest }
  /** The CLI's cache plugin answered: what `collected` left of the collection, or what `selected` arranged. */
  | { type: "plugin"; id: number; collection?: PluginCollection; arranged?: Arranged }
  | { type: "takeCodeCache" }
  | { type: "interrupt" }
  /** Watch mode's warm pool (node-host/sandbox-watch.ts): a method call, answered by `return` or `throw` with the same id. */
  | { type: "call"; id: number; method: WarmMethod; args: unknown[] };

/** What the CLI may call on the sandbox process's warm pool (watch mode). */
export type WarmMethod = "start" | "boot" | "files" | "fill" | "acquire" | "session" | "takeCodeCache" | "interrupt" | "release" | "discardSpares" | "close";

/** A listener call of the session, in the order the session made it. */
export type ListenerCall =
  | { call: "onCollected"; collection: Collection }
  | { call: "onItemStart"; nodeid: string; location: CollectedItem["location"] }
  | { call: "onItemEnd"; event: Parameters<SessionOptions["listener"]["onItemEnd"]>[0] }
  | { call: "onOutput"; stream: "stdout" | "stderr"; text: string }
  | { call: "onWarning"; warning: Parameters<SessionOptions["listener"]["onWarning"]>[0] };

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

export type FromSandbox =
  | { type: "booted"; info: EngineInfo }
  | { type: "output"; stream: "stdout" | "stderr"; text: string }
  /** `lease`: which of watch mode's leases ran the session (none in a plain run). */
  | { type: "listener"; calls: ListenerCall[]; lease?: number }
  /** A cache-plugin hook to run in the CLI (it narrows, reorders and deselect items): answered by a `plugin` message. */
  | { type: "plugin"; id: number; hook: "collected"; collection: PluginCollection; files: string[]; lease?: number }
  | { type: "plugin"; id: number; hook: "selected"; items: CollectedItem[]; lease?: number }
  /** Watch mode: what a collect recorded of the project's imports. */
  | { type: "imports"; imports: Record<string, string[]> }
  | { type: "return"; id: number; value: unknown }
  | { type: "throw"; id: number; error: SerializedError }
  | { type: "outcome"; outcome: SessionOutcome }
  | { type: "codeCache"; entries: CodeCacheEntry[] }
  /** A request failed: `boot`, `session` or `takeCodeCache`. */
  | { type: "failed"; request: "boot" | "session" | "takeCodeCache"; error: SerializedError };
