import { describe, expect, it } from "vitest";
import type { CollectedItem } from "./protocol.js";
import { WorkerCrash } from "./worker-handle.js";
import { crashResult } from "./worker-run.js";

const item: CollectedItem = { nodeid: "test_a.py::test_loop", location: ["test_a.py", 3, "test_loop"], markers: [], keywords: [] };

describe("crashResult", () => {
  it("reports a test killed for its timeout as a failed call that lasted at least the timeout", () => {
    const event = crashResult(item, new WorkerCrash("killed", 0, 2.5));
    const call = event.reports.find((r) => r.when === "call")!;
    expect(call.outcome).toBe("failed");
    expect(call.message).toBe("Failed: Timeout (>2.5s) from pytest-timeout.");
    expect(call.duration).toBe(2.5);
  });

  it("reports a worker that died as a setup error naming the cause", () => {
    const event = crashResult(item, new WorkerCrash("worker crashed: os._exit(3)", 0));
    expect(event.reports).toHaveLength(1);
    expect(event.reports[0]).toMatchObject({ when: "setup", outcome: "failed", message: "worker crashed: os._exit(3)", duration: 0 });
  });
});
