/**
 * The Web Worker entry: one Pyodide engine per worker, served to the page
 * through comlink (`wasm-python/serve.ts`), as `node-host/worker.ts` serves
 * it to the Node host.
 */
import type { Endpoint } from "comlink";
import { serveEngine } from "../../wasm-python/serve.js";

serveEngine(self as unknown as Endpoint);
