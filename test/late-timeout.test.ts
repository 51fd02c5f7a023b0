import { describe, expect, it } from "vitest";
import { markTimedOut, markUserInterrupt, newProgress, readProgress } from "../core/item-progress.js";
import { compiledPyodideModule, currentSnapshotMeta, loadHarnessFiles } from "../node-host/assets.js";
import { makeSnapshot, restoreEngine } from "../wasm-python/pyodide/boot.js";
import { projectHarnessConfig } from "./helpers/harness-config.js";

/**
 * The watchdog reads which item runs, then interrupts it; between the two the
 * item may finish and the next one start. Such a late timeout interrupt must
 * be dropped, not end the run. The race is made deterministic here by
 * sending the interrupt from the engine's own event callback, at the moment
 * the watchdog could have sent it.
 */
describe("a timeout interrupt that arrives after its test finished", () => {
  const harnessFiles = loadHarnessFiles();
  const meta = currentSnapshotMeta(harnessFiles);
  const source = "def test_a():\n    pass\n\ndef test_b():\n    total = 0\n    for i in range(20000):\n        total += i\n    assert total > 0\n\ndef test_c():\n    pass\n";
  const config = projectHarnessConfig({ ini: { timeout: "30" } });

  type Event = { type: string; nodeid?: string; reports?: Array<{ when: string; outcome: string }> };
  /** Run the three tests; `onEvent` may interrupt, as the host would, from inside the run. */
  async function runWith(onEvent: (event: Event, progress: Int32Array, interruptBuffer: Int32Array) => void): Promise<string[][]> {
    const module = await compiledPyodideModule();
    const snapshot = await makeSnapshot({ module, harnessFiles, meta });
    const progress = newProgress();
    const interruptBuffer = new Int32Array(new SharedArrayBuffer(4));
    const engine = await restoreEngine({ module, snapshot, expected: meta, snapshotOrigin: "test", onOutput: () => {}, progress, interruptBuffer });
    engine.writeFiles([{ path: "/proj/test_late.py", data: new TextEncoder().encode(source) }]);
    engine.configure(config);
    const collected = engine.collect(["/proj/test_late.py"]);
    const events: Event[] = [];
    engine.run(
      collected.items.map((i) => i.nodeid),
      (text) => {
        const event = JSON.parse(text) as Event;
        events.push(event);
        onEvent(event, progress, interruptBuffer);
      },
    );
    return events.filter((e) => e.type === "itemEnd").map((e) => [e.nodeid!, e.reports!.find((r) => r.outcome !== "passed")?.outcome ?? "passed"]);
  }

  const allPassed = [
    ["test_late.py::test_a", "passed"],
    ["test_late.py::test_b", "passed"],
    ["test_late.py::test_c", "passed"],
  ];

  it("is dropped when it lands after the test's result, before the next test starts", async () => {
    const outcomes = await runWith((event, progress, interruptBuffer) => {
      if (event.type !== "itemEnd" || event.nodeid !== "test_late.py::test_a") return;
      markTimedOut(progress, readProgress(progress).seq);
      Atomics.store(interruptBuffer, 0, 2);
    });
    expect(outcomes).toEqual(allPassed);
  });

  it("is dropped when it lands in the next test", async () => {
    const outcomes = await runWith((event, progress, interruptBuffer) => {
      if (event.type !== "itemStart" || event.nodeid !== "test_late.py::test_b") return;
      // The watchdog read test_a's sequence number just before test_b began.
      markTimedOut(progress, readProgress(progress).seq - 1);
      Atomics.store(interruptBuffer, 0, 2);
    });
    expect(outcomes).toEqual(allPassed);
  });

  it("still interrupts the running test when it is on time", async () => {
    const outcomes = await runWith((event, progress, interruptBuffer) => {
      if (event.type !== "itemStart" || event.nodeid !== "test_late.py::test_b") return;
      markTimedOut(progress, readProgress(progress).seq);
      Atomics.store(interruptBuffer, 0, 2);
    });
    expect(outcomes).toEqual([allPassed[0], ["test_late.py::test_b", "failed"], allPassed[2]]);
  });

  it("does not swallow Ctrl-C after a late timeout was dropped", async () => {
    let sent = false;
    const run = runWith((event, progress, interruptBuffer) => {
      if (event.type === "itemEnd" && event.nodeid === "test_late.py::test_a") {
        markTimedOut(progress, readProgress(progress).seq);
        Atomics.store(interruptBuffer, 0, 2);
      } else if (event.type === "itemStart" && event.nodeid === "test_late.py::test_c" && !sent) {
        sent = true;
        markUserInterrupt(progress);
        Atomics.store(interruptBuffer, 0, 2);
      }
    });
    // Ctrl-C ends the run: Python's KeyboardInterrupt leaves the engine (the host reports the run interrupted).
    const error = await run.then(() => null, (e: unknown) => e);
    expect((error as { type?: string } | null)?.type).toBe("KeyboardInterrupt");
  });
});
