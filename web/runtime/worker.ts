/**
 * The Web Worker entry: one Pyodide engine per worker, served to the page
 * through comlink (`wasm-python/serve.ts`), as `node-host/worker.ts` serves
 * it to the Node host. The worker's scope is locked down first: test code
 * may be untrusted (a share link), and a worker shares the page's origin.
 */
import type { Endpoint } from "comlink";
import { serveEngine } from "../../wasm-python/serve.js";
import { lockDownWorkerScope } from "./worker-lockdown.js";

lockDownWorkerScope(self);
serveEngine(self as unknown as Endpoint);
