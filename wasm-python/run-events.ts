import * as Comlink from "comlink";
import type { RunControl, RunEvent } from "../core/protocol.js";
import type { EngineService, RunDone } from "./serve.js";

/**
 * Call `run` on a worker's engine and wait until every event it sent has
 * arrived: event batches and the call's answer travel on different channels,
 * so the answer can come first. `guard` wraps each wait the way the host
 * watches its worker (a death during the wait rejects it). Returns why the
 * interpreter died, if it did.
 */
export async function runAndReceive(
  remote: Comlink.Remote<EngineService>,
  nodeids: string[],
  onEvents: (events: RunEvent[]) => void,
  control: RunControl | undefined,
  guard: <T>(pending: Promise<T>) => Promise<T>,
): Promise<string | undefined> {
  let received = 0;
  let expected = Number.POSITIVE_INFINITY;
  let allArrived: () => void = () => {};
  const arrived = new Promise<void>((resolve) => (allArrived = resolve));
  const decode = (batch: string[]) => {
    received += batch.length;
    onEvents(batch.map((json) => JSON.parse(json) as RunEvent));
    if (received >= expected) allArrived();
  };
  const done: RunDone = await guard(remote.run(nodeids, Comlink.proxy(decode), control));
  expected = done.sent;
  if (received >= expected) allArrived();
  await guard(arrived);
  return done.crash;
}
