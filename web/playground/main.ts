/**
 * Entry of the playground page (web/index.html). Python's boot starts here,
 * before the editor's code (CodeMirror, most of the page's script) is
 * fetched and run: that code loads in parallel instead of delaying the boot.
 */
import "./playground.css";
import { createRunner } from "../runtime/runner.js";
import type { BootInfo, Runner } from "../runtime/api.js";

let runner: Runner | null = null;
let booting: Promise<BootInfo> | undefined;
try {
  runner = createRunner();
  booting = runner.boot();
  booting.catch(() => {}); // the playground awaits it and shows the failure
} catch {
  runner = null; // no Worker/WebAssembly: the page still opens and says so in the status line
}
const { Playground } = await import("./app.js");
void new Playground(runner, booting).start();
