/**
 * Watch mode's warm pool inside the sandbox process: the same `WarmPool`
 * (node-host/watch-pool.ts) watch mode uses in-process, driven by method
 * calls from the CLI (node-host/sandbox-warm-pool.ts). The CLI keeps the
 * project's files and the code cache on the host and sends what changed;
 * this side keeps a copy of them for the spares it boots.
 */
import { readFileSync } from "node:fs";
import type { EngineInfo, ProjectFile } from "../core/protocol.js";
import { runSession, type SessionOutcome } from "../core/session.js";
import type { CodeCacheEntry } from "../wasm-python/engine.js";
import type { SnapshotMeta } from "../wasm-python/pyodide/snapshot-format.js";
import { forwardingListener, remotePlugin, send, serializeError } from "./sandbox-channel.js";
import type { SessionRequest, WarmMethod } from "./sandbox-protocol.js";
import { WarmPool, type Lease, type LeaseEnd } from "./watch-pool.js";

/** How the spares boot: the snapshot the process may read, what it was made from, the memory cap. */
export interface WarmBoot {
  snapshotPath: string;
  expected: SnapshotMeta;
  maxMemoryBytes?: number;
}

/** What changed in the project since the last call: new contents, deleted paths, and the cached code of the new contents. */
export interface WarmFiles {
  changed: ProjectFile[];
  deleted: string[];
  /** Cached rewritten code for changed files, by path (the CLI looked it up in its code cache). */
  code: Record<string, Uint8Array[]>;
}

/** A lease as the CLI sees it. */
export interface WarmLease {
  lease: number;
  size: number;
  info: EngineInfo;
}

let pool: WarmPool | undefined;
let bootWith: (boot: WarmBoot) => void = () => {};
const files = new Map<string, Uint8Array>();
const code = new Map<string, Uint8Array[]>();
const leases = new Map<number, Lease>();
let nextLease = 0;

function leaseOf(id: unknown): Lease {
  const lease = leases.get(id as number);
  if (!lease) throw new Error(`no lease ${String(id)} in the sandbox process`);
  return lease;
}

async function call(method: WarmMethod, args: unknown[], compiled: Promise<WebAssembly.Module>): Promise<unknown> {
  switch (method) {
    case "start": {
      const [size, timeoutGraceMs] = args as [number, number];
      const booting = new Promise<WarmBoot>((resolve) => (bootWith = resolve));
      pool = new WarmPool({
        size,
        timeoutGraceMs,
        boot: (async () => {
          const boot = await booting;
          const data = readFileSync(boot.snapshotPath);
          const snapshot = new Uint8Array(new SharedArrayBuffer(data.byteLength));
          snapshot.set(data);
          return {
            module: await compiled,
            snapshot,
            expected: boot.expected,
            snapshotOrigin: boot.snapshotPath,
            ...(boot.maxMemoryBytes !== undefined ? { maxMemoryBytes: boot.maxMemoryBytes } : {}),
          };
        })(),
        onOutput: (stream, text) => send({ type: "output", stream, text }),
        files: () => files,
        // Rewritten code is saved by the CLI, from what `takeCodeCache` returns.
        codeCache: { lookup: (wanted) => wanted.flatMap((file) => code.get(file.path) ?? []), save: () => {} },
        // The CLI only sends cached code for files the harness rewrites.
        rewritten: () => true,
        onImports: (imports) => send({ type: "imports", imports }),
      });
      return undefined;
    }
    case "boot":
      bootWith(args[0] as WarmBoot);
      await compiled;
      return undefined;
    case "files": {
      const update = args[0] as WarmFiles;
      // A new Map entry per change: the pool tells a spare's files from the current ones by identity.
      for (const file of update.changed) files.set(file.path, file.data);
      for (const path of update.deleted) {
        files.delete(path);
        code.delete(path);
      }
      for (const [path, entries] of Object.entries(update.code)) code.set(path, entries);
      return undefined;
    }
    case "fill":
      pool!.fill();
      return undefined;
    case "acquire": {
      const lease = await pool!.acquire(args[0] as number);
      const id = nextLease++;
      leases.set(id, lease);
      return { lease: id, size: lease.size, info: lease.info } satisfies WarmLease;
    }
    case "session": {
      const [id, options] = args as [number, SessionRequest];
      const { plugin, ...rest } = options;
      return (await runSession({
        ...rest,
        workers: leaseOf(id).handles,
        listener: forwardingListener(id),
        ...(plugin ? { plugin: remotePlugin(plugin, id) } : {}),
      })) satisfies SessionOutcome;
    }
    case "takeCodeCache":
      return (await leaseOf(args[0]).takeCodeCache()) satisfies CodeCacheEntry[];
    case "interrupt":
      leases.get(args[0] as number)?.interrupt();
      return undefined;
    case "release": {
      const [id, end] = args as [number, LeaseEnd];
      const lease = leases.get(id);
      leases.delete(id);
      if (lease) await pool!.release(lease, end);
      return undefined;
    }
    case "discardSpares":
      await pool?.discardSpares();
      return undefined;
    case "close":
      await closeWarm();
      return undefined;
  }
}

/** Answer one call from the CLI. */
export async function callWarm(id: number, method: WarmMethod, args: unknown[], compiled: Promise<WebAssembly.Module>): Promise<void> {
  try {
    send({ type: "return", id, value: await call(method, args, compiled) });
  } catch (error) {
    send({ type: "throw", id, error: serializeError(error) });
  }
}

/** Stop every worker of the warm pool, if there is one. */
export async function closeWarm(): Promise<void> {
  await pool?.close();
}
