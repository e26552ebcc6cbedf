// Every strategy weighs a client's update by the example count it claims (FedAvg, FedAdam, fusion, ...): an attacker
// claiming 1e12 examples would carry all the weight. The server bounds the count each update is weighed with before
// the strategy sees it: at most what its client declared when it first joined, at most the configured maximum, a
// claim beyond `implausibleMultiple` × the round's median claimed count is not believed at all (weighed as the
// median; on by default, issue 19), and when configured, at most `medianMultiple` × the median. Medians are lower
// medians, so one client cannot lift them. The median cap is opt-in: honest clients' data sizes differ (3,700 to
// 11,200 examples among the default scenario's four), and FedAvg by definition weighs them so; the default rule
// leaves every honest split measured as FedAvg weighs it.
import { z } from 'zod';
import type { ClientUpdate } from '../strategies/strategy.js';

/** See implausibleMultiple below: about twice the largest honest ratio measured. */
export const DEFAULT_IMPLAUSIBLE_MULTIPLE = 10;

export const exampleWeightOptionsSchema = z.strictObject({
  /** No update weighs more than this many examples. Default: no absolute bound. */
  maxExamples: z.number().int().positive().optional(),
  /**
   * No update weighs more than this multiple of the round's median claimed count. Default: no median cap (plain
   * example weighting, as FedAvg defines it). 1 for clients that are not trusted: no client outweighs the median
   * client (measured: a client claiming 1e12 examples with the global model unchanged costs 0.2 points of accuracy at
   * 1, 1.3 points at 2); honest clients with more data than the median are then weighed as the median.
   */
  medianMultiple: z.number().min(1).optional(),
  /**
   * A claim above this multiple of the round's median claimed count is not believed: the update is weighed as the
   * median (false: believed up to the other bounds). Default 10: the largest honest client of the scenarios' splits
   * held 5.2 × the lower median (MNIST, Dirichlet α = 0.1 over 8 clients; 1.7 with the default scenario), so honest
   * rounds are weighed as FedAvg weighs them, while a client claiming 1e12 weighs as an ordinary one. A liar who
   * claims just under the multiple still weighs that much: where clients are not trusted, set medianMultiple: 1.
   */
  implausibleMultiple: z
    .custom<number | false>()
    .refine((v) => v === false || (typeof v === 'number' && Number.isFinite(v) && v >= 1), 'must be a number ≥ 1, or false (off)')
    .default(DEFAULT_IMPLAUSIBLE_MULTIPLE),
});

export type ExampleWeightOptions = z.input<typeof exampleWeightOptionsSchema>;
export type ExampleWeightSettings = z.output<typeof exampleWeightOptionsSchema>;

/** An update whose count was lowered, and why. */
export interface CappedWeight {
  clientId: string;
  claimed: number;
  weighed: number;
  reason: string;
}

function lowerMedian(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/**
 * The updates with their example counts bounded (copies where a count changed), and which were lowered.
 * `declared` maps a client id to the example count it declared when it first joined (0 or absent: not declared).
 */
export function boundExampleWeights<U extends Pick<ClientUpdate, 'clientId' | 'numExamples'>>(
  updates: readonly U[],
  declared: ReadonlyMap<string, number>,
  settings: ExampleWeightSettings,
): { updates: U[]; capped: CappedWeight[] } {
  const firstPass = updates.map((u) => {
    const atJoin = declared.get(u.clientId) ?? 0;
    const bounds: [number, string][] = [];
    if (atJoin > 0) bounds.push([atJoin, `the ${atJoin} examples it declared when it first joined`]);
    if (settings.maxExamples !== undefined) bounds.push([settings.maxExamples, `maxExamples ${settings.maxExamples}`]);
    return tightest(u.numExamples, bounds);
  });
  const median = lowerMedian(firstPass.map((b) => b.value));
  const multiple = settings.medianMultiple;
  const medianBound: [number, string][] =
    multiple === undefined ? [] : [[Math.max(1, Math.floor(multiple * median)), `${multiple} × the round's median of ${median}`]];
  const implausible = settings.implausibleMultiple;
  const capped: CappedWeight[] = [];
  const out = updates.map((u, i) => {
    const disbelieved: [number, string][] =
      implausible !== false && firstPass[i].value > implausible * median
        ? [[Math.max(1, median), `the round's median of ${median}: a claim above ${implausible} × the median is not believed`]]
        : [];
    const bound = tightest(firstPass[i].value, [...medianBound, ...disbelieved], firstPass[i].reason);
    if (bound.value === u.numExamples) return u;
    capped.push({ clientId: u.clientId, claimed: u.numExamples, weighed: bound.value, reason: bound.reason! });
    return { ...u, numExamples: bound.value };
  });
  return { updates: out, capped };
}

function tightest(value: number, bounds: [number, string][], reason?: string): { value: number; reason?: string } {
  let best = { value, reason };
  for (const [limit, why] of bounds) if (limit < best.value) best = { value: limit, reason: why };
  return best;
}
