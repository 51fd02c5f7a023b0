/**
 * The runtime's self-check page (`runtime/check.html`): a runner on
 * `window.fastestRunner` and nothing else, for test/browser/runtime.test.ts
 * to drive the `Runner` contract without any page's UI in between.
 */
import { createRunner } from "./runner.js";

(globalThis as unknown as { fastestRunner: unknown }).fastestRunner = createRunner();
document.body.dataset["ready"] = "true";
