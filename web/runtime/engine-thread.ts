/**
 * One Web Worker holding a Pyodide engine, and the comlink proxy the page
 * drives it through. Terminating it is how the page stops code that does not
 * return (a timeout without shared memory, Stop): every call in flight then
 * fails at once instead of waiting for an answer that will never come.
 */
import * as Comlink from "comlink";
import type { EngineService } from "../../wasm-python/serve.js";
import workerUrl from "./worker.ts?worker&url";

export interface EngineThread {
  remote: Comlink.Remote<EngineService>;
  /** Rejects when the worker is terminated or fails to load; never resolves. */
  died: Promise<never>;
  dead(): boolean;
  /** Stop the worker now; pending calls reject with `reason`. */
  terminate(reason: string): void;
}

export function spawnEngineThread(): EngineThread {
  const worker = startWorker(new URL(workerUrl, import.meta.url));
  const remote = Comlink.wrap<EngineService>(worker);
  let dead = false;
  let released = false;
  let reject: (error: Error) => void = () => {};
  const died = new Promise<never>((_, fail) => (reject = fail));
  died.catch(() => {});
  const end = (reason: string) => {
    if (dead) return;
    dead = true;
    reject(new Error(reason));
  };
  // A script that fails to load, or an error thrown outside any call (Emscripten reports a failed instantiation so).
  worker.addEventListener("error", (event) => {
    event.preventDefault();
    end(`the engine worker failed: ${event.message || "its script could not be loaded"}`);
    worker.terminate();
  });
  return {
    remote,
    died,
    dead: () => dead,
    terminate(reason) {
      end(reason);
      if (released) return;
      released = true;
      remote[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}

/**
 * A module worker running `script`. A page that loads the runtime from
 * another origin (the docs widget embedded by a script tag) may not start a
 * worker from there directly: it starts one from a blob: URL of its own that
 * imports the script (which the other origin must then serve with CORS).
 */
function startWorker(script: URL): Worker {
  const options: WorkerOptions = { type: "module", name: "fastest-engine" };
  if (script.origin === location.origin || script.protocol === "blob:") return new Worker(script, options);
  const trampoline = new Blob([`import ${JSON.stringify(script.href)};`], { type: "text/javascript" });
  return new Worker(URL.createObjectURL(trampoline), options);
}
