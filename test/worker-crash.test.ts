import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ProjectFile } from "../core/protocol.js";
import { readProgress } from "../core/item-progress.js";
import { dedent } from "./helpers/inline-files.js";
import { repoRoot, testCacheDir } from "./helpers/run-cli.js";
import { projectHarnessConfig } from "./helpers/harness-config.js";
import { wasiBuildDir } from "../node-host/engine-assets.js";

// The pool runs threads from dist/ (worker entry files are built JavaScript),
// so this test drives the built pool and session: one set of module instances.
const built = <T>(file: string) => import(pathToFileURL(path.join(repoRoot, "dist", file)).href) as Promise<T>;

// Both engines: the WASI one relies on this path for every timeout (its Python cannot be interrupted).
const wasiBuilt = existsSync(path.join(wasiBuildDir, "manifest.json"));

describe.each([
  { engine: "pyodide" as const, skip: false },
  { engine: "wasi" as const, skip: !wasiBuilt },
])("a worker killed from the host side ($engine)", ({ engine, skip }) => {
  it.skipIf(skip)("is replaced; the test it ran is an error, every other test has its result once", async () => {
    process.env["FASTEST_CACHE_DIR"] = testCacheDir;
    const { WorkerPool } = await built<typeof import("../node-host/pool.js")>("node-host/pool.js");
    const { runSession } = await built<typeof import("../core/session.js")>("core/session.js");
    const assets = await built<typeof import("../node-host/assets.js")>("node-host/assets.js");
    const { engineAssets } = await built<typeof import("../node-host/engine-assets.js")>("node-host/engine-assets.js");
    const { loadOrMakeSnapshot } = await built<typeof import("../node-host/snapshot-cache.js")>("node-host/snapshot-cache.js");
    const harnessFiles = assets.loadHarnessFiles();
    const engineFiles = engineAssets(engine);
    const meta = engineFiles.meta(harnessFiles);
    const module = await engineFiles.module();
    const snapshot = await loadOrMakeSnapshot({ module, harnessFiles, meta, rebuild: false, notice: () => {}, stdlib: engineFiles.stdlib });

    const source = dedent(`
      def test_first():
          pass

      def test_hangs():
          while True:
              pass

      def test_last():
          pass
    `);
    const files: ProjectFile[] = [{ path: "/proj/test_kill.py", data: new TextEncoder().encode(source) }];
    const config = projectHarnessConfig();
    const pool = new WorkerPool();
    pool.spawn(1);
    try {
      await pool.boot({ module, snapshot: snapshot.bytes, expected: meta, snapshotOrigin: snapshot.path }, () => {});
      const handle = pool.handles[0]!;
      await handle.writeFiles(files);
      // Kill the thread (as an out-of-memory abort would) once it runs the hanging test.
      const killer = setInterval(() => {
        if (readProgress(handle.progress).index !== 1) return;
        clearInterval(killer);
        void (handle as unknown as { thread: { worker: { terminate(): Promise<number> } } }).thread.worker.terminate();
      }, 20);
      const ended: string[] = [];
      const outcome = await runSession({
        config,
        files: [{ path: "/proj/test_kill.py", weight: 1 }],
        workers: pool.handles,
        selectors: [],
        continueOnCollectionErrors: false,
        listener: { onCollected() {}, onItemStart() {}, onItemEnd: (event) => ended.push(event.nodeid), onOutput() {}, onWarning() {} },
      });
      clearInterval(killer);
      expect(ended).toEqual(["test_kill.py::test_first", "test_kill.py::test_hangs", "test_kill.py::test_last"]);
      const outcomes = outcome.results.map((r) => r.reports.map((p) => `${p.when}:${p.outcome}`).join(" "));
      expect(outcomes).toEqual([
        "setup:passed call:passed teardown:passed",
        "setup:failed",
        "setup:passed call:passed teardown:passed",
      ]);
      expect(outcome.results[1]!.reports[0]!.message).toBe("worker exited with code 1");
    } finally {
      await pool.stop();
    }
  }, 120_000);
});
