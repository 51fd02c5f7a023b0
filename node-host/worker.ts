import { parentPort } from "node:worker_threads";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import { installPermissionShims } from "./permission-shims.js";
import { serveEngine } from "../wasm-python/serve.js";

// A worker thread holds one engine; the host drives it through comlink.
if (!parentPort) throw new Error("node-host/worker.js must run in a worker thread");
installPermissionShims();
serveEngine(nodeEndpoint(parentPort));
