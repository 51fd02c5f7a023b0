/**
 * Who runs an item, decided without a race between a worker that is about
 * to start it and the host that wants to hand it to another worker (work
 * stealing). One shared 64-bit word per `run` call holds both sides' state:
 *
 * - high 32 bits, the limit: the first position (in the run's node ids)
 *   the worker must not start; the host only ever lowers it;
 * - low 32 bits, claimed: how many positions the worker has started.
 *
 * The worker claims position `i` and the host cuts at position `p` with a
 * compare-and-swap on the whole word, so an item is either started by its
 * worker or given away, never both.
 */

const LOW = 0xffffffffn;

function pack(limit: number, claimed: number): bigint {
  return (BigInt(limit) << 32n) | BigInt(claimed);
}

/** A claim word for a run of `count` items, or undefined without shared memory (no stealing then). */
export function newClaim(count: number): BigInt64Array | undefined {
  if (typeof SharedArrayBuffer !== "function") return undefined;
  const claim = new BigInt64Array(new SharedArrayBuffer(8));
  claim[0] = pack(count, 0);
  return claim;
}

/** Read both halves: `limit` (first position not to start) and `claimed` (positions started). */
export function readClaim(claim: BigInt64Array): { limit: number; claimed: number } {
  const word = Atomics.load(claim, 0);
  return { limit: Number(word >> 32n), claimed: Number(word & LOW) };
}

/** Worker side: may position `i` start? If so it is claimed (and every position before it). */
export function claimItem(claim: BigInt64Array, i: number): boolean {
  for (;;) {
    const word = Atomics.load(claim, 0);
    const limit = Number(word >> 32n);
    if (i >= limit) return false;
    if (Atomics.compareExchange(claim, 0, word, pack(limit, Math.max(i + 1, Number(word & LOW)))) === word) return true;
  }
}

/**
 * Host side: take positions `at` and later away from the worker. Succeeds
 * only when the worker has not started position `at` (nor any after it).
 */
export function cutClaim(claim: BigInt64Array, at: number): boolean {
  for (;;) {
    const word = Atomics.load(claim, 0);
    const limit = Number(word >> 32n);
    const claimed = Number(word & LOW);
    if (at < claimed || at >= limit) return false;
    if (Atomics.compareExchange(claim, 0, word, pack(at, claimed)) === word) return true;
  }
}
