/**
 * The sandbox process's side of its channel to the CLI
 * (node-host/sandbox-protocol.ts): sending, and the session listener and
 * cache plugins that stand in for the CLI's.
 */
import type { CollectedItem } from "../core/protocol.js";
import type { Arranged, CollectionPlugin, SessionListener } from "../core/session.js";
import type { FromSandbox, ListenerCall, SerializedError, SessionRequest, ToSandbox } from "./sandbox-protocol.js";

/**
 * Listener calls waiting to be sent: a run's results come in bursts (a
 * worker's batch of events), and one message per call cost a large suite
 * about a fifth of its time; they leave together at the end of the tick,
 * or before any other message, so the order is kept.
 */
let pending: Array<{ lease: number | undefined; call: ListenerCall }> = [];

function flush(): void {
  const calls = pending;
  pending = [];
  for (let start = 0; start < calls.length; ) {
    const lease = calls[start]!.lease;
    let end = start;
    while (end < calls.length && calls[end]!.lease === lease) end++;
    process.send!({ type: "listener", calls: calls.slice(start, end).map((entry) => entry.call), ...(lease === undefined ? {} : { lease }) } satisfies FromSandbox);
    start = end;
  }
}

export function send(message: FromSandbox): void {
  if (pending.length > 0) flush();
  process.send!(message);
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  return { name: "Error", message: String(error) };
}

/** Plugin hooks waiting for the CLI's answer. */
const pluginCalls = new Map<number, (answer: Extract<ToSandbox, { type: "plugin" }>) => void>();
let nextPluginCall = 0;

function askPlugin(question: DistributiveOmit<Extract<FromSandbox, { type: "plugin" }>, "id" | "type">): Promise<Extract<ToSandbox, { type: "plugin" }>> {
  return new Promise((resolve) => {
    const id = nextPluginCall++;
    pluginCalls.set(id, resolve);
    send({ type: "plugin", id, ...question } as FromSandbox);
  });
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The CLI answered a plugin hook. */
export function pluginAnswered(answer: Extract<ToSandbox, { type: "plugin" }>): void {
  const resolve = pluginCalls.get(answer.id);
  pluginCalls.delete(answer.id);
  resolve?.(answer);
}

/**
 * The CLI's cache plugins, asked over the channel (`lease`: which of watch mode's leases asks).
 * They read items by node id only, so items cross without their keywords and
 * marks (30,000 parametrized items were ~9 MB each way) and come back as this
 * side's own items, in the order the plugins chose.
 */
export function remotePlugin(hooks: NonNullable<SessionRequest["plugin"]>, lease?: number): CollectionPlugin {
  const tag = lease === undefined ? {} : { lease };
  const plugin: CollectionPlugin = {};
  if (hooks.collected) {
    plugin.collected = async (collection, files) => {
      const items = collection.items;
      const answer = await askPlugin({ hook: "collected", collection: { items: items.map(slimItem), errors: collection.errors, skipped: collection.skipped }, files, ...tag });
      const full = fullItems(items);
      if (answer.collection) Object.assign(collection, { ...answer.collection, items: answer.collection.items.map(full) });
    };
  }
  if (hooks.selected) {
    plugin.selected = async (items: CollectedItem[]) => {
      const arranged = (await askPlugin({ hook: "selected", items: items.map(slimItem), ...tag })).arranged as Arranged;
      const full = fullItems(items);
      return { items: arranged.items.map(full), deselected: arranged.deselected.map(full) };
    };
  }
  return plugin;
}

/** What the CLI's plugins read of an item. */
function slimItem(item: CollectedItem): CollectedItem {
  return { nodeid: item.nodeid, location: item.location, markers: [], keywords: [] };
}

/** Maps an item the CLI sent back to this side's item of the same node id (each used once). */
function fullItems(items: CollectedItem[]): (item: CollectedItem) => CollectedItem {
  const byNodeid = new Map<string, CollectedItem[]>();
  for (const item of items) {
    const same = byNodeid.get(item.nodeid);
    if (same) same.push(item);
    else byNodeid.set(item.nodeid, [item]);
  }
  return (item) => byNodeid.get(item.nodeid)?.shift() ?? item;
}

/** A session listener that sends each call to the CLI. */
export function forwardingListener(lease?: number): SessionListener {
  const forward = (call: ListenerCall) => {
    if (pending.length === 0) setImmediate(flush);
    pending.push({ lease, call });
  };
  return {
    onCollected: (collection) => forward({ call: "onCollected", collection }),
    onItemStart: (nodeid, location) => forward({ call: "onItemStart", nodeid, location }),
    onItemEnd: (event) => forward({ call: "onItemEnd", event }),
    onOutput: (stream, text) => forward({ call: "onOutput", stream, text }),
    onWarning: (warning) => forward({ call: "onWarning", warning }),
  };
}
