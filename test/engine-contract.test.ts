/**
 * The engine contract (wasm-python/engine.ts), run against every engine:
 * Pyodide always, the CPython-WASI engine when its artifacts are built
 * (`npm run build:wasi`; CI builds them). Each engine boots from its own
 * snapshot, made once here, in this process.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { CollectResult, RunEvent } from "../core/protocol.js";
import { loadHarnessFiles } from "../node-host/assets.js";
import { engineAssets, wasiBuildDir, type EngineName } from "../node-host/engine-assets.js";
import type { Engine } from "../wasm-python/engine.js";
import { makeSnapshot, restoreEngine } from "../wasm-python/pyodide/boot.js";
import { makeWasiSnapshot, restoreWasiEngine } from "../wasm-python/wasi/boot.js";
import { projectHarnessConfig } from "./helpers/harness-config.js";

const wasiBuilt = existsSync(path.join(wasiBuildDir, "manifest.json"));
const engines: Array<{ name: EngineName; python: RegExp; skip: boolean }> = [
  { name: "pyodide", python: /^3\.1[2-9]\./, skip: false },
  { name: "wasi", python: /^3\.11\./, skip: !wasiBuilt },
];
if (!wasiBuilt) console.warn(`engine contract: the wasi row is skipped: ${wasiBuildDir} is not built (run \`npm run build:wasi\`)`);

const encode = (text: string) => new TextEncoder().encode(text);

const SUITE = `
import random
import pytest

@pytest.fixture(scope="session")
def broken_session():
    yield 1
    raise RuntimeError("session teardown failed")

def test_passes():
    assert 1 + 1 == 2

def test_fails():
    assert [1, 2] == [1, 3]

@pytest.mark.skip(reason="not today")
def test_skipped():
    pass

@pytest.mark.xfail(reason="known")
def test_xfails():
    assert False

@pytest.mark.parametrize("n", [1, 2])
def test_param(n, broken_session):
    assert n

def test_random():
    print("random:", random.random())
`;

/** Boot an engine of this kind from a snapshot made once per kind. */
function engineFactory(name: EngineName): () => Promise<Engine> {
  const assets = engineAssets(name);
  const harnessFiles = loadHarnessFiles();
  const meta = assets.meta(harnessFiles);
  let snapshot: Promise<Uint8Array> | undefined;
  return async () => {
    const module = await assets.module();
    if (name === "wasi") {
      snapshot ??= makeWasiSnapshot({ module, harnessFiles, meta, stdlib: assets.stdlib!() });
      return restoreWasiEngine({ module, snapshot: await snapshot, expected: meta, snapshotOrigin: "contract", onOutput: () => {} });
    }
    snapshot ??= makeSnapshot({ module, harnessFiles, meta });
    return restoreEngine({ module, snapshot: await snapshot, expected: meta, snapshotOrigin: "contract", onOutput: () => {} });
  };
}

function runAll(engine: Engine, nodeids: string[], control?: Parameters<Engine["run"]>[2]): Array<RunEvent & { nodeid?: string }> {
  const events: Array<RunEvent & { nodeid?: string }> = [];
  engine.run(nodeids, (event) => events.push(JSON.parse(event) as RunEvent), control);
  return events;
}

function outcomes(events: RunEvent[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const event of events) {
    if (event.type !== "itemEnd") continue;
    const failed = event.reports.find((r) => r.outcome !== "passed");
    result[event.nodeid] = failed ? `${failed.when}:${failed.outcome}` : "passed";
  }
  return result;
}

describe.each(engines)("engine contract: $name", ({ name, python, skip }) => {
  let boot: () => Promise<Engine>;
  let engine: Engine;
  let collected: CollectResult;

  beforeAll(async () => {
    if (skip) return;
    boot = engineFactory(name);
    engine = await boot();
    engine.writeFiles([{ path: "/proj/test_suite.py", data: encode(SUITE) }, { path: "/proj/test_broken.py", data: encode("def test_x(:\n    pass\n") }]);
    engine.configure(projectHarnessConfig());
    collected = engine.collect(["/proj/test_suite.py", "/proj/test_broken.py"]);
  }, 300_000);

  it.skipIf(skip)("says what it is, and imports nothing at boot", () => {
    expect(engine.info.engine).toBe(name);
    expect(engine.info.pythonVersion).toMatch(python);
    expect(engine.info.bootImports).toEqual([]);
  });

  it.skipIf(skip)("collects items, and reports a file that does not compile as data", () => {
    expect(collected.items.map((i) => i.nodeid)).toEqual([
      "test_suite.py::test_passes",
      "test_suite.py::test_fails",
      "test_suite.py::test_skipped",
      "test_suite.py::test_xfails",
      "test_suite.py::test_param[1]",
      "test_suite.py::test_param[2]",
      "test_suite.py::test_random",
    ]);
    expect(collected.errors.map((e) => e.nodeid)).toEqual(["test_broken.py"]);
    expect(collected.errors[0]!.longrepr).toContain("SyntaxError");
  });

  it.skipIf(skip)("runs items in order, streaming each start and end, with pytest's failure text", () => {
    const events = runAll(engine, collected.items.slice(0, 4).map((i) => i.nodeid));
    expect(events.filter((e) => e.type === "itemStart" || e.type === "itemEnd").map((e) => `${e.type} ${e.nodeid}`)).toEqual([
      "itemStart test_suite.py::test_passes", "itemEnd test_suite.py::test_passes",
      "itemStart test_suite.py::test_fails", "itemEnd test_suite.py::test_fails",
      "itemStart test_suite.py::test_skipped", "itemEnd test_suite.py::test_skipped",
      "itemStart test_suite.py::test_xfails", "itemEnd test_suite.py::test_xfails",
    ]);
    expect(outcomes(events)).toEqual({
      "test_suite.py::test_passes": "passed",
      "test_suite.py::test_fails": "call:failed",
      "test_suite.py::test_skipped": "setup:skipped",
      "test_suite.py::test_xfails": "call:skipped",
    });
    const failure = events.find((e) => e.type === "itemEnd" && e.nodeid === "test_suite.py::test_fails");
    expect(failure?.type === "itemEnd" && failure.reports[1]!.longrepr).toContain("E       assert [1, 2] == [1, 3]");
  });

  it.skipIf(skip)("stops before the item RunControl's stop index refuses", () => {
    const stopAt = new Int32Array(new SharedArrayBuffer(4));
    stopAt[0] = 1;
    const events = runAll(engine, ["test_suite.py::test_passes", "test_suite.py::test_fails"], { stopAt, indices: [0, 1] });
    expect(Object.keys(outcomes(events))).toEqual(["test_suite.py::test_passes"]);
  });

  it.skipIf(skip)("raises a harness error as a PythonError and stays usable", () => {
    expect(() => engine.run(["test_suite.py::nope"], () => {})).toThrow(expect.objectContaining({ name: "PythonError", message: expect.stringContaining("unknown node id") }));
    expect(outcomes(runAll(engine, ["test_suite.py::test_passes"]))).toEqual({ "test_suite.py::test_passes": "passed" });
  });

  it.skipIf(skip)("tears session fixtures down in finish and returns their errors", () => {
    runAll(engine, ["test_suite.py::test_param[1]", "test_suite.py::test_param[2]"]);
    const finish = engine.finish();
    expect(finish.errors).toHaveLength(1);
    expect(finish.errors[0]!.message).toContain("RuntimeError: session teardown failed");
  });

  it.skipIf(skip)("hands rewritten code out once and takes it back in a fresh interpreter", async () => {
    const entries = engine.takeCodeCache();
    expect(entries.map((e) => e.path)).toContain("/proj/test_suite.py");
    expect(entries[0]!.digest).toMatch(/^[0-9a-f]{40}$/);
    expect(engine.takeCodeCache()).toEqual([]);
    const fresh = await boot();
    try {
      fresh.writeFiles([{ path: "/proj/test_suite.py", data: encode(SUITE) }]);
      fresh.loadCodeCache(entries.map((e) => e.data));
      fresh.configure(projectHarnessConfig());
      expect(fresh.collect(["/proj/test_suite.py"]).items).toHaveLength(7);
      // Preloaded code is not handed out again as new.
      expect(fresh.takeCodeCache().map((e) => e.path)).not.toContain("/proj/test_suite.py");
    } finally {
      fresh.dispose();
    }
  });

  it.skipIf(skip)("gives restored interpreters their own state, and the same random numbers for the same seed", async () => {
    const draw = async (seed: number, leave?: string) => {
      const fresh = await boot();
      try {
        fresh.writeFiles([{ path: "/proj/test_suite.py", data: encode(SUITE) }]);
        fresh.configure(projectHarnessConfig({ seed, capture: "fd" }));
        fresh.collect(["/proj/test_suite.py"]);
        const events = runAll(fresh, ["test_suite.py::test_random"]);
        const end = events.find((e) => e.type === "itemEnd");
        const out = end?.type === "itemEnd" ? end.reports.find((r) => r.when === "call")!.sections.map(([, text]) => text).join("") : "";
        // A file one interpreter writes is not seen by another.
        let seen = false;
        if (leave) {
          seen = fresh.collect([`/proj/${leave}`]).items.length > 0;
          fresh.writeFiles([{ path: `/proj/${leave}`, data: encode("def test_left():\n    pass\n") }]);
        }
        return { out, seen };
      } finally {
        fresh.dispose();
      }
    };
    const first = await draw(5, "test_left.py");
    const second = await draw(5, "test_left.py");
    const other = await draw(6);
    expect(first.out).toMatch(/^random: 0\.\d+\n$/);
    expect(second.out).toBe(first.out);
    expect(other.out).not.toBe(first.out);
    expect(second.seen).toBe(false);
  });
});
