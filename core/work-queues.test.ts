import { describe, expect, it } from "vitest";
import { claimItem, cutClaim, newClaim, readClaim } from "./item-claim.js";
import { WorkQueues } from "./work-queues.js";

describe("claim word", () => {
  it("lets the worker start positions below the limit, and the host cut only where nothing started", () => {
    const claim = newClaim(4)!;
    expect(claimItem(claim, 0)).toBe(true);
    expect(claimItem(claim, 1)).toBe(true);
    expect(cutClaim(claim, 1)).toBe(false);
    expect(cutClaim(claim, 3)).toBe(true);
    expect(readClaim(claim)).toEqual({ limit: 3, claimed: 2 });
    expect(claimItem(claim, 2)).toBe(true);
    expect(claimItem(claim, 3)).toBe(false);
    expect(cutClaim(claim, 2)).toBe(false);
  });
});

// Items by collection index: file of each, estimated seconds per item.
const files = ["a", "a", "b", "c", "c", "d", "e"];
const queuesFor = (assigned: number[][], runnable = (_: number) => true, steal = true) =>
  new WorkQueues(assigned, { fileOf: (i) => files[i]!, cost: () => 1, runnable, steal });

describe("WorkQueues", () => {
  it("hands each worker its own items first, in one batch", () => {
    const queues = queuesFor([[0, 1, 3, 4], [2, 5, 6]]);
    expect(queues.next(0)?.indices).toEqual([0, 1, 3, 4]);
    expect(queues.next(1)?.indices).toEqual([2, 5, 6]);
  });

  it("lets an idle worker take the last whole file nobody has started from the busiest worker", () => {
    const queues = queuesFor([[0, 1, 3, 4, 5], [2], [6]]);
    const busy = queues.next(0)!;
    queues.next(1);
    queues.next(2);
    claimItem(busy.claim!, 0); // worker 0 runs file a
    expect(queues.unstarted(0)).toBe(4);
    const stolen = queues.next(1)!;
    expect(stolen).toMatchObject({ indices: [5], stolen: true });
    expect(readClaim(busy.claim!).limit).toBe(4);
    expect(queues.next(2)?.indices).toEqual([3, 4]);
    // What is left of worker 0's batch is file a, which it has started: nobody takes it.
    expect(queues.next(1)).toBeNull();
    expect(claimItem(busy.claim!, 3)).toBe(false);
  });

  it("never takes a file its worker has started, nor a worker's only file before it starts", () => {
    const queues = queuesFor([[0, 1], [2]]);
    const busy = queues.next(0)!;
    expect(queues.next(1)?.indices).toEqual([2]);
    expect(queues.next(1)).toBeNull();
    claimItem(busy.claim!, 0);
    expect(queues.next(1)).toBeNull();
  });

  it("takes nothing past the stop point, and does not steal when stealing is off", () => {
    const stopped = queuesFor([[0, 3, 4, 5], [2]], (i) => i < 5);
    claimItem(stopped.next(0)!.claim!, 0);
    stopped.next(1);
    expect(stopped.next(1)?.indices).toEqual([3, 4]);
    const off = queuesFor([[0, 3, 4, 5], [2]], () => true, false);
    claimItem(off.next(0)!.claim!, 0);
    off.next(1);
    expect(off.next(1)).toBeNull();
  });

  it("gives a dead worker's unfinished items back to it, except the one it died in and those taken", () => {
    const queues = queuesFor([[0, 1, 2, 3, 4], [5]]);
    const batch = queues.next(0)!;
    queues.next(1);
    claimItem(batch.claim!, 0);
    claimItem(batch.claim!, 1);
    expect(queues.next(1)?.indices).toEqual([3, 4]);
    const done = new Set([0]);
    queues.requeue(0, (i) => done.has(i), 1);
    expect(queues.next(0)?.indices).toEqual([2]);
  });
});
