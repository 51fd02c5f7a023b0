import { existsSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./helpers/run-cli.js";

// The built modules: snapshots are made in a worker thread, which runs dist/ code.
const dist = (file: string) => import(path.join(repoRoot, "dist", "node-host", file));

describe("snapshot cache", () => {
  it("builds a missing snapshot once, then reuses it, and prunes week-old ones of other versions", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "fastest-cache-"));
    process.env["FASTEST_CACHE_DIR"] = dir;
    try {
      const assets = await dist("assets.js");
      const { loadOrMakeSnapshot } = await dist("snapshot-cache.js");
      const old = new Date(Date.now() - 8 * 24 * 3600 * 1000);
      const stale = path.join(dir, "pyodide-0.0.1-0000000000000000.snapshot");
      const recent = path.join(dir, "pyodide-0.0.2-1111111111111111.snapshot");
      const unrelated = path.join(dir, "notes.txt");
      mkdirSync(dir, { recursive: true });
      for (const file of [stale, recent, unrelated]) writeFileSync(file, "x");
      utimesSync(stale, old, old);
      utimesSync(unrelated, old, old);

      const harnessFiles = assets.loadHarnessFiles();
      const meta = assets.currentSnapshotMeta(harnessFiles);
      const module = await assets.compiledPyodideModule();
      const notices: string[] = [];
      const first = await loadOrMakeSnapshot({ module, harnessFiles, meta, notice: (line: string) => notices.push(line) });
      expect(first.built).toBe(true);
      expect(notices).toHaveLength(1);
      expect(notices[0]).toContain("preparing the Python interpreter snapshot");
      expect(existsSync(stale)).toBe(false);
      expect(existsSync(recent)).toBe(true);
      expect(existsSync(unrelated)).toBe(true);

      const second = await loadOrMakeSnapshot({ module, harnessFiles, meta, notice: (line: string) => notices.push(line) });
      expect(second.built).toBe(false);
      expect(notices).toHaveLength(1);
      expect(second.bytes.byteLength).toBe(first.bytes.byteLength);
    } finally {
      delete process.env["FASTEST_CACHE_DIR"];
    }
  });
});
