/**
 * The browser half of the sandbox. In Node, workers run with code generation
 * from strings disallowed and Node's permission model; a Web Worker has
 * neither, and it shares the page's origin: its IndexedDB (where the
 * interpreter snapshot and the playground's drafts live), its network
 * access. Test code from a share link is untrusted, so before any of it runs
 * the worker gives up everything it does not need:
 *
 * - creating functions from strings (`Function` and its async/generator
 *   siblings, reached through any JS object's `constructor` chain, and
 *   `eval`), which is how Python would turn a proxy into arbitrary JS;
 * - the origin's storage (IndexedDB, Cache Storage) and every way to the
 *   network or to other contexts (fetch except of blob: URLs,
 *   XMLHttpRequest, WebSocket, EventSource, BroadcastChannel, nested
 *   workers, importScripts).
 *
 * Pyodide's boot only fetches blob: URLs the page made (its standard
 * library and lock file), so it works unchanged inside these limits.
 */

/** A stand-in that throws; it keeps `name` (Pyodide tells JS values apart by `value.constructor.name`). */
function refused(what: string, name = "refused"): () => never {
  const stub = function (): never {
    throw new EvalError(`${what} is disabled in the fastest sandbox`);
  };
  Object.defineProperty(stub, "name", { value: name });
  return stub;
}

/** Properties of the worker's global scope that reach storage, the network or other contexts. */
const withdrawn = [
  "indexedDB",
  "caches",
  "XMLHttpRequest",
  "WebSocket",
  "WebSocketStream",
  "WebTransport",
  "EventSource",
  "BroadcastChannel",
  "Worker",
  "SharedWorker",
  "importScripts",
  "RTCPeerConnection",
  "Notification",
];

/** Lock down `scope` (the worker's `self`) for good; call it before anything else runs. */
export function lockDownWorkerScope(scope: typeof globalThis): void {
  const functionKinds = [function () {}, async function () {}, function* () {}, async function* () {}];
  for (const kind of functionKinds) {
    const prototype = Object.getPrototypeOf(kind) as { constructor: { name: string } };
    Object.defineProperty(prototype, "constructor", {
      value: refused("creating functions from strings", prototype.constructor.name),
      writable: false,
      configurable: false,
    });
  }
  const fetchBlob = scope.fetch.bind(scope);
  const overrides: Record<string, unknown> = {
    // (The global `Function` binding stays: Pyodide tells functions apart with
    // `instanceof Function`, and calling the constructor is refused anyway.)
    eval: refused("eval", "eval"),
    fetch: (input: RequestInfo | URL, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : String(input);
      if (!url.startsWith("blob:")) {
        // Pyodide starts fetching pyodide.asm.wasm before learning that the page compiled it already;
        // handled here, so that refusing that fetch is not reported as an unhandled rejection.
        const refusal = Promise.reject(new TypeError(`network access is disabled in the fastest sandbox: ${url}`));
        refusal.catch(() => {});
        return refusal;
      }
      return fetchBlob(input, init);
    },
  };
  for (const name of withdrawn) overrides[name] = undefined;
  for (const [name, value] of Object.entries(overrides)) {
    Object.defineProperty(scope, name, { value, writable: false, configurable: false, enumerable: false });
  }
}
