// Which simulated client runs which device tier: each tier gets round(share · clients) clients (largest remainders
// settle the rounding; ties go to the tier listed first), and a permutation drawn from the scenario's seed decides
// which clients those are — the same clients every run with that seed.
import { Random } from './random.js';

export interface TierShare {
  name: string;
  share: number;
}

/** Clients per tier, in the tiers' order, summing to `clients`. */
export function tierCounts(tiers: readonly TierShare[], clients: number): number[] {
  const exact = tiers.map((t) => t.share * clients);
  const counts = exact.map((e) => Math.floor(e + 1e-9));
  let left = clients - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, i) => ({ i, r: e - counts[i] })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    counts[i]++;
    left--;
  }
  return counts;
}

/** The tier name of every client (index = client), deterministic in `seed`. */
export function assignTiers(tiers: readonly TierShare[], clients: number, seed: number): string[] {
  const counts = tierCounts(tiers, clients);
  const order = new Random(seed * 31 + 7).permutation(clients);
  const out = new Array<string>(clients);
  let next = 0;
  counts.forEach((n, t) => {
    for (let k = 0; k < n; k++) out[order[next++]] = tiers[t].name;
  });
  return out;
}

/** A scenario's client tiers by client index (undefined for a scenario without tiers), as `run` and `clients` assign them. */
export function scenarioClientTiers(scenario: { tiers?: readonly { name: string; share?: number }[]; clients: number; seed: number }): string[] | undefined {
  if (!scenario.tiers) return undefined;
  return assignTiers(scenario.tiers.map((t) => ({ name: t.name, share: t.share ?? 0 })), scenario.clients, scenario.seed);
}
