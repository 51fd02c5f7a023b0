import { fork, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { EngineInfo } from "../core/protocol.js";
import type { CollectionPlugin, SessionListener, SessionOptions, SessionOutcome } from "../core/session.js";
import type { CodeCacheEntry } from "../wasm-python/engine.js";
import { packageRoot, pyodideDir } from "./assets.js";
import type { EngineAssets } from "./engine-assets.js";
import type { FromSandbox, ListenerCall, SandboxBoot, SandboxSpawn, SerializedError, ToSandbox, WarmMethod } from "./sandbox-protocol.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const mainScript = path.join(here, "sandbox-main.js");

/** The folder of an installed package (where its package.json is), found from its entry point. */
function packageDir(specifier: string): string {
  let dir = path.dirname(createRequire(import.meta.url).resolve(specifier));
  // A scoped package's folder is named after its last part (`@bjorn3/browser_wasi_shim` -> browser_wasi_shim).
  const name = specifier.split("/").at(-1)!;
  while (path.basename(dir) !== name && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/**
 * The Node flags the sandbox process runs under: the permission model with
 * read access to fastest's compiled code, the packages it loads in there
 * and the snapshot file only; no writes, no child processes, no addons; worker
 * threads allowed (the engines run in them); no code built from strings.
 */
export function sandboxNodeFlags(snapshotPath: string, engineDirs: string[] = [pyodideDir]): string[] {
  const readable = [
    `${here}${path.sep}`,
    // Where Node reads `"type": "module"` for the compiled .js files.
    path.join(packageRoot, "package.json"),
    `${packageDir("comlink")}${path.sep}`,
    // The WASI engine's runtime (the workers load it whichever engine they run).
    `${packageDir("@bjorn3/browser_wasi_shim")}${path.sep}`,
    // The engine's files: Pyodide's package, or the WASI build's folder.
    ...engineDirs.map((dir) => `${dir}${path.sep}`),
    snapshotPath,
  ];
  // dist/core and dist/wasm-python sit beside dist/node-host.
  for (const sibling of ["core", "wasm-python"]) readable.push(`${path.join(here, "..", sibling)}${path.sep}`);
  return [
    "--experimental-permission",
    ...readable.map((entry) => `--allow-fs-read=${entry}`),
    "--allow-worker",
    "--no-addons",
    "--disallow-code-generation-from-strings",
    // The permission model's own "experimental" and "--allow-worker" notices are not for the user.
    "--no-warnings",
  ];
}

function revive(error: SerializedError): Error {
  const revived = new Error(error.message);
  revived.name = error.name;
  if (error.stack) revived.stack = error.stack;
  return revived;
}

type Waiter = { resolve(message: FromSandbox): void; reject(error: Error): void };

/**
 * The CLI's side of the sandbox process: boots its workers, runs a session
 * there and relays the session's listener calls and cache-plugin questions.
 * If the process dies, whatever waits on it fails with the cause.
 */
export class SandboxProcess {
  private readonly child: ChildProcess;
  private readonly waiting = new Map<string, Waiter>();
  private death: Error | undefined;
  private listener: SessionListener | undefined;
  private plugin: CollectionPlugin | undefined;
  private onOutput: (stream: "stdout" | "stderr", text: string) => void = () => {};
  /** Watch mode: what each collect recorded of the project's imports. */
  onImports: (imports: Record<string, string[]>) => void = () => {};
  /** Watch mode's method calls waiting for their answer, by id. */
  private readonly calls = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private nextCall = 0;
  /** Watch mode: the listener and cache plugins of each lease's session. */
  private readonly leaseSessions = new Map<number, { listener: SessionListener; plugin: CollectionPlugin | undefined }>();

  private constructor(snapshotPath: string, engine: Pick<EngineAssets, "wasmPath" | "readable">) {
    this.child = fork(mainScript, [engine.wasmPath], {
      execArgv: sandboxNodeFlags(snapshotPath, engine.readable),
      // No host environment variables in the sandbox.
      env: {},
      serialization: "advanced",
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.child.on("message", (message: FromSandbox) => this.receive(message));
    this.child.once("exit", (code, signal) => {
      this.death = new Error(`the sandbox process ended unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`})`);
      this.rejectAll(this.death);
    });
    this.child.once("error", (error) => {
      this.death = new Error(`the sandbox process could not run: ${error.message}`);
      this.rejectAll(this.death);
    });
  }

  private rejectAll(death: Error): void {
    for (const waiter of this.waiting.values()) waiter.reject(death);
    this.waiting.clear();
    for (const call of this.calls.values()) call.reject(death);
    this.calls.clear();
  }

  /** Call a method of the sandbox process's warm pool (watch mode: node-host/sandbox-watch.ts). */
  call(method: WarmMethod, args: unknown[] = []): Promise<unknown> {
    if (this.death) return Promise.reject(this.death);
    return new Promise((resolve, reject) => {
      const id = this.nextCall++;
      this.calls.set(id, { resolve, reject });
      this.send({ type: "call", id, method, args });
    });
  }

  /** Watch mode: run a session on a lease's workers, its listener and plugins called here. */
  async leaseSession(lease: number, options: Omit<SessionOptions, "workers">): Promise<SessionOutcome> {
    const { listener, plugin, ...rest } = options;
    this.leaseSessions.set(lease, { listener, plugin });
    try {
      const request = { ...rest, ...(plugin ? { plugin: { collected: Boolean(plugin.collected), selected: Boolean(plugin.selected) } } : {}) };
      return (await this.call("session", [lease, request])) as SessionOutcome;
    } finally {
      this.leaseSessions.delete(lease);
    }
  }

  /** Start the process, which may read `snapshotPath` (the snapshot the workers will boot from) besides the package. */
  static start(
    snapshotPath: string,
    onOutput?: (stream: "stdout" | "stderr", text: string) => void,
    engine: Pick<EngineAssets, "wasmPath" | "readable"> = { wasmPath: path.join(pyodideDir, "pyodide.asm.wasm"), readable: [pyodideDir] },
  ): SandboxProcess {
    const sandbox = new SandboxProcess(snapshotPath, engine);
    if (onOutput) sandbox.onOutput = onOutput;
    return sandbox;
  }

  /** Start the workers; they load the engine while the CLI prepares the boot. */
  spawnWorkers(options: Omit<SandboxSpawn, "type">): void {
    this.send({ type: "spawn", ...options });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private send(message: ToSandbox): void {
    if (this.death || !this.child.connected) return;
    this.child.send(message);
  }

  /** Wait for the answer `type` (or the request's failure). */
  private answer(type: FromSandbox["type"], request: "boot" | "session" | "takeCodeCache"): Promise<FromSandbox> {
    if (this.death) return Promise.reject(this.death);
    return new Promise((resolve, reject) => {
      this.waiting.set(type, { resolve, reject });
      this.waiting.set(`failed:${request}`, { resolve, reject });
    });
  }

  private settle(key: string, message: FromSandbox, failed?: string): void {
    const waiter = this.waiting.get(key);
    this.waiting.delete(key);
    if (failed) this.waiting.delete(failed);
    if (message.type === "failed") waiter?.reject(revive(message.error));
    else waiter?.resolve(message);
  }

  private receive(message: FromSandbox): void {
    switch (message.type) {
      case "output":
        return this.onOutput(message.stream, message.text);
      case "listener":
        for (const call of message.calls) this.relay(call, message.lease === undefined ? this.listener : this.leaseSessions.get(message.lease)?.listener);
        return;
      case "imports":
        return this.onImports(message.imports);
      case "return":
      case "throw": {
        const call = this.calls.get(message.id);
        this.calls.delete(message.id);
        if (message.type === "return") call?.resolve(message.value);
        else call?.reject(revive(message.error));
        return;
      }
      case "plugin":
        void this.runPlugin(message);
        return;
      case "booted":
        return this.settle("booted", message, "failed:boot");
      case "outcome":
        return this.settle("outcome", message, "failed:session");
      case "codeCache":
        return this.settle("codeCache", message, "failed:takeCodeCache");
      case "failed": {
        const answerType = { boot: "booted", session: "outcome", takeCodeCache: "codeCache" }[message.request];
        this.waiting.delete(answerType);
        return this.settle(`failed:${message.request}`, message);
      }
    }
  }

  private relay(call: ListenerCall, listener: SessionListener | undefined): void {
    if (!listener) return;
    switch (call.call) {
      case "onCollected":
        return listener.onCollected(call.collection);
      case "onItemStart":
        return listener.onItemStart(call.nodeid, call.location);
      case "onItemEnd":
        return listener.onItemEnd(call.event);
      case "onOutput":
        return listener.onOutput(call.stream, call.text);
      case "onWarning":
        return listener.onWarning(call.warning);
    }
  }

  /** Run a cache-plugin hook the session in the sandbox process reached, and send back what it changed. */
  private async runPlugin(message: Extract<FromSandbox, { type: "plugin" }>): Promise<void> {
    const plugin = message.lease === undefined ? this.plugin : this.leaseSessions.get(message.lease)?.plugin;
    if (message.hook === "collected") {
      const collection = message.collection;
      await plugin?.collected?.(collection, message.files);
      this.send({ type: "plugin", id: message.id, collection });
    } else {
      const arranged = (await plugin?.selected?.(message.items)) ?? { items: message.items, deselected: [] };
      this.send({ type: "plugin", id: message.id, arranged });
    }
  }

  /** Boot the workers from the snapshot with the project's files and the code cache; the engine's facts. */
  async boot(request: Omit<SandboxBoot, "type">, onOutput: (stream: "stdout" | "stderr", text: string) => void): Promise<EngineInfo> {
    this.onOutput = onOutput;
    const answer = this.answer("booted", "boot");
    this.send({ type: "boot", ...request });
    const message = await answer;
    return (message as Extract<FromSandbox, { type: "booted" }>).info;
  }

  /** Run a session on the sandbox's workers; the listener and plugin are called here, as the session calls them there. */
  async session(options: Omit<SessionOptions, "workers">): Promise<SessionOutcome> {
    const { listener, plugin, ...rest } = options;
    this.listener = listener;
    this.plugin = plugin;
    const answer = this.answer("outcome", "session");
    this.send({
      type: "session",
      options: { ...rest, ...(plugin ? { plugin: { collected: Boolean(plugin.collected), selected: Boolean(plugin.selected) } } : {}) },
    });
    const message = await answer;
    return (message as Extract<FromSandbox, { type: "outcome" }>).outcome;
  }

  async takeCodeCache(): Promise<CodeCacheEntry[]> {
    const answer = this.answer("codeCache", "takeCodeCache");
    this.send({ type: "takeCodeCache" });
    return (await answer as Extract<FromSandbox, { type: "codeCache" }>).entries;
  }

  /** Ctrl-C: raise KeyboardInterrupt in every worker's Python. */
  interrupt(): void {
    this.send({ type: "interrupt" });
  }

  /** End the process (its workers with it). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.kill("SIGKILL");
    await exited;
  }
}
