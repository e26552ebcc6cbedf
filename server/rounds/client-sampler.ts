// Which connected clients train in a round. Sorting the ids first and drawing from a PRNG seeded by
// (seed, round, attempt) makes the choice reproducible regardless of connection order.
import { mixSeed, seededPermutation, seededRandom } from '@fedfuse/client/internal/training/seeded-random.js';

/**
 * How many of `connected` clients a round asks: a fraction in (0, 1] (rounded up, at least one),
 * or an integer count ≥ 2 (capped at the number connected).
 */
export function sampleSize(connected: number, clientsPerRound: number): number {
  if (!(clientsPerRound > 0)) throw new Error(`clientsPerRound must be positive, got ${clientsPerRound}`);
  if (connected === 0) return 0;
  if (clientsPerRound <= 1) return Math.max(1, Math.ceil(clientsPerRound * connected - 1e-9));
  if (!Number.isInteger(clientsPerRound)) {
    throw new Error(`clientsPerRound above 1 must be an integer count, got ${clientsPerRound}`);
  }
  return Math.min(connected, clientsPerRound);
}

/** The sampled client ids, sorted; `count` (when given) overrides the size clientsPerRound gives. Same inputs → same output. */
export function sampleClients(
  connected: readonly string[],
  clientsPerRound: number,
  seed: number,
  round: number,
  attempt = 0,
  count?: number,
): string[] {
  const ids = [...new Set(connected)].sort();
  const k = count === undefined ? sampleSize(ids.length, clientsPerRound) : Math.min(ids.length, count);
  if (k === ids.length) return ids;
  const order = seededPermutation(ids.length, seededRandom(mixSeed(seed, round, attempt)));
  return Array.from(order.subarray(0, k), (i) => ids[i]).sort();
}
