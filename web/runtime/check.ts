import { createRunner } from "./runner.js";

(globalThis as unknown as { fastestRunner: unknown }).fastestRunner = createRunner();
(globalThis as unknown as { createFastestRunner: unknown }).createFastestRunner = createRunner;
document.body.dataset["ready"] = "true";
