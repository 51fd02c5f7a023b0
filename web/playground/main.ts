/**
 * Entry of the playground page (web/index.html). Python's boot starts here,
 * on the engine a share link names or else the one the user chose last,
 * before the editor's code (CodeMirror, most of the page's script) is
 * fetched and run: that code loads in parallel instead of delaying the boot.
 */
import "./playground.css";
import { createRunner } from "../runtime/runner.js";
import type { BootInfo, EngineName, Runner } from "../runtime/api.js";
import { linkEngine, storedEngine } from "./engine-ui.js";

/** The engine to boot first: a share link's (its re-run starts at once), else the one the user chose last. */
async function initialEngine(): Promise<EngineName> {
  if (location.hash.length > 1) {
    try {
      const { decodeShareFragment } = await import("../share/codec.js");
      return linkEngine(await decodeShareFragment(location.hash));
    } catch {
      // A damaged link: the playground says so and opens the user's own files.
    }
  }
  return storedEngine();
}

const engine = await initialEngine();
let runner: Runner | null = null;
let booting: Promise<BootInfo> | undefined;
try {
  runner = createRunner({ engine });
  booting = runner.boot();
  booting.catch(() => {}); // the playground awaits it and shows the failure
} catch {
  runner = null; // no Worker/WebAssembly: the page still opens and says so in the status line
}
const { Playground } = await import("./app.js");
const runners = runner ? { engine, runner, create: (next: EngineName) => createRunner({ engine: next }) } : null;
void new Playground(runners, booting).start();
