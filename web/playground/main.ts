/** Entry of the playground page (web/index.html). */
import "./playground.css";
import { createRunner } from "../runtime/runner.js";
import type { Runner } from "../runtime/api.js";
import { Playground } from "./app.js";

let runner: Runner | null = null;
try {
  runner = createRunner();
} catch {
  runner = null; // no Worker/WebAssembly: the page still opens and says so in the status line
}
void new Playground(runner).start();
