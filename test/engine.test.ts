import { describe, expect, it } from "vitest";
import { compiledPyodideModule, currentSnapshotMeta, loadHarnessFiles } from "../node-host/assets.js";
import { makeSnapshot, restoreEngine } from "../wasm-python/pyodide/boot.js";
import { SnapshotMismatchError } from "../wasm-python/pyodide/snapshot-format.js";
import { projectHarnessConfig } from "./helpers/harness-config.js";

/**
 * The engine layer on its own, in this process: the private snapshot options
 * of the pinned Pyodide build are exercised here, so an upgrade that breaks
 * them fails these tests first.
 */
describe("pyodide engine", () => {
  const harnessFiles = loadHarnessFiles();
  const meta = currentSnapshotMeta(harnessFiles);
  const project = [
    {
      path: "/proj/test_mod.py",
      data: new TextEncoder().encode("import sys\n\ndef test_big():\n    assert len(sys.modules['__main__']._big) == 48 * 1024 * 1024\n\ndef test_fails():\n    assert 1 == 2\n"),
    },
  ];
  const config = projectHarnessConfig();

  it("restores a snapshot larger than 30 MiB and runs tests in it", async () => {
    const module = await compiledPyodideModule();
    // 48 MiB held by __main__ forces the memory image past the 30 MiB mark.
    const snapshot = await makeSnapshot({ module, harnessFiles, meta, warmup: "_big = bytearray(48 * 1024 * 1024)" });
    expect(snapshot.byteLength).toBeGreaterThan(60 * 1024 * 1024);
    const engine = await restoreEngine({ module, snapshot, expected: meta, snapshotOrigin: "test", onOutput: () => {} });
    expect(engine.info.pythonVersion).toMatch(/^3\.\d+\.\d+$/);
    expect(Object.keys(engine.info.bootTimings)).toEqual(expect.arrayContaining(["instantiate", "restore", "lockdown"]));
    // What the lockdown needs comes from the snapshot; importing it at boot cost ~290 ms a worker.
    expect(engine.info.bootImports).toEqual([]);
    engine.writeFiles(project);
    engine.configure(config);
    const collected = engine.collect(["/proj/test_mod.py"]);
    expect(collected.items.map((i) => i.nodeid)).toEqual(["test_mod.py::test_big", "test_mod.py::test_fails"]);
    const events: Array<{ type: string; nodeid?: string; reports?: Array<{ when: string; outcome: string }> }> = [];
    engine.run(
      collected.items.map((i) => i.nodeid),
      (e) => events.push(JSON.parse(e)),
    );
    const calls = events.filter((e) => e.type === "itemEnd").map((e) => [e.nodeid, e.reports!.find((r) => r.when === "call")?.outcome]);
    expect(calls).toEqual([
      ["test_mod.py::test_big", "passed"],
      ["test_mod.py::test_fails", "failed"],
    ]);
  });

  it("refuses a snapshot made by another build, saying what to do", async () => {
    const module = await compiledPyodideModule();
    const snapshot = await makeSnapshot({ module, harnessFiles, meta: { ...meta, pyodideVersion: "0.0.1" } });
    const restoring = restoreEngine({ module, snapshot, expected: meta, snapshotOrigin: "/cache/x.snapshot", onOutput: () => {} });
    await expect(restoring).rejects.toThrow(SnapshotMismatchError);
    await expect(restoring).rejects.toThrow(/made by pyodide 0\.0\.1.*delete \/cache\/x\.snapshot or run `fastest --rebuild-snapshot`/);
  });

  it("refuses bytes that are not a snapshot", async () => {
    const module = await compiledPyodideModule();
    const restoring = restoreEngine({ module, snapshot: new Uint8Array(64), expected: meta, snapshotOrigin: "junk", onOutput: () => {} });
    await expect(restoring).rejects.toThrow(/junk is not a fastest snapshot/);
  });
});
