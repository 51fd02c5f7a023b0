/**
 * The runtime's self-check page (`runtime/check.html`): a runner on
 * `window.fastestRunner` and nothing else, for test/browser/runtime.test.ts
 * to drive the `Runner` contract without any page's UI in between.
 * `?engine=wasi` makes it a runner on the CPython-WASI engine.
 */
import { createRunner } from "./runner.js";

const engine = new URLSearchParams(location.search).get("engine") === "wasi" ? "wasi" : "pyodide";
(globalThis as unknown as { fastestRunner: unknown }).fastestRunner = createRunner({ engine });
document.body.dataset["ready"] = "true";
