/**
 * The sandbox process: the CLI starts this file in a child Node process
 * under the permission model (node-host/sandbox-process.ts) with read access
 * to the package's own code and assets and the snapshot file only, no
 * writes, no child processes. It holds the engine workers and runs the
 * session on them; the CLI reads the project, keeps the caches and writes
 * the reports. Everything arrives and leaves as messages (sandbox-protocol.ts).
 */
import { readFileSync } from "node:fs";
import type { ProjectFile } from "../core/protocol.js";
import { runSession } from "../core/session.js";
import { WorkerPool } from "./pool.js";
import { forwardingListener, pluginAnswered, remotePlugin, send, serializeError } from "./sandbox-channel.js";
import { callWarm, closeWarm } from "./sandbox-watch.js";
import type { SandboxBoot, SandboxSpawn, SessionRequest, ToSandbox } from "./sandbox-protocol.js";

let pool: WorkerPool | undefined;
// The engine's code compiles while the CLI finds the tests.
const compiled = WebAssembly.compile(readFileSync(process.argv[2]!));
compiled.catch(() => {});

function spawn(message: SandboxSpawn): void {
  pool = new WorkerPool({
    ...(message.timeoutGraceMs !== undefined ? { timeoutGraceMs: message.timeoutGraceMs } : {}),
    ...(message.busyLimitMs !== undefined ? { busyLimitMs: message.busyLimitMs } : {}),
  });
  pool.spawn(message.size);
}

async function boot(message: SandboxBoot): Promise<void> {
  const workers = pool!;
  const module = await compiled;
  const data = readFileSync(message.snapshotPath);
  // Workers read the snapshot in place.
  const snapshot = new Uint8Array(new SharedArrayBuffer(data.byteLength));
  snapshot.set(data);
  await workers.boot(
    {
      module,
      snapshot,
      expected: message.expected,
      snapshotOrigin: message.snapshotPath,
      ...(message.maxMemoryBytes !== undefined ? { maxMemoryBytes: message.maxMemoryBytes } : {}),
    },
    (stream, text) => send({ type: "output", stream, text }),
  );
  const files: ProjectFile[] = message.files;
  await Promise.all(
    workers.handles.map(async (handle) => {
      await handle.writeFiles(files);
      await handle.loadCodeCache(message.codeCache);
    }),
  );
  send({ type: "booted", info: workers.handles[0]!.info! });
}



async function session(options: SessionRequest): Promise<void> {
  const listener = forwardingListener();
  const { plugin, ...rest } = options;
  const outcome = await runSession({ ...rest, workers: pool!.handles, listener, clock: () => performance.now(), ...(plugin ? { plugin: remotePlugin(plugin) } : {}) });
  // The host reads only the node ids of deselected items (durations, --changed maps): their keywords
  // and marks stay here. A -m deselecting 30,000 parametrized items sent ~9 MB across otherwise.
  const deselected = outcome.deselected?.map(({ nodeid, location }) => ({ nodeid, location, markers: [], keywords: [] }));
  send({ type: "outcome", outcome: deselected ? { ...outcome, deselected } : outcome });
}

async function takeCodeCache(): Promise<void> {
  const entries = (await Promise.all(pool!.handles.map((handle) => handle.takeCodeCache()))).flat();
  send({ type: "codeCache", entries });
}

function answer(request: "boot" | "session" | "takeCodeCache", work: Promise<void>): void {
  work.catch((error: unknown) => send({ type: "failed", request, error: serializeError(error) }));
}

process.on("message", (message: ToSandbox) => {
  switch (message.type) {
    case "spawn":
      return spawn(message);
    case "boot":
      return answer("boot", boot(message));
    case "session":
      return answer("session", session(message.options));
    case "plugin":
      return pluginAnswered(message);
    case "takeCodeCache":
      return answer("takeCodeCache", takeCodeCache());
    case "interrupt":
      return pool?.interrupt();
    case "call":
      return void callWarm(message.id, message.method, message.args, compiled);
  }
});

// Ctrl-C reaches the whole process group; the CLI decides what it means and says so here.
process.on("SIGINT", () => {});
// The CLI is gone: nothing to report to.
process.on("disconnect", () => {
  void Promise.allSettled([pool?.stop(), closeWarm()]).finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
});
