// A finished round as one row: the RoundSummary with its client lists counted and its fusion report cut to what results
// keep. The one definition behind the round table and rounds.csv (`run`, `serve`), the rounds of a results.json the
// experiment report reads back, and the dashboard's rounds. Imports nothing from scenarios/, so server and scenarios
// may both use it.
import { z } from 'zod';
import type { RoundSummary } from '../federation-events.js';
import type { FusionRoundReport } from '../strategies/strategy.js';
import { guardReportSchema } from '../defence/guard-report.js';

const count = z.number().int().min(0);
const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const fraction = finite.refine((v) => v >= 0 && v <= 1, 'must be in [0, 1]');

/**
 * The part of a fusion round's report that results keep: the path taken, the held-out probe losses and the standard
 * error of their difference (the noise the accept/fallback decision weighed; absent when it was not finite, and in
 * results written before it was kept).
 */
export const roundFusionSchema = z.object({
  path: z.enum(['fused', 'fallback']),
  fusedProbeLoss: finite,
  averageProbeLoss: finite,
  standardError: finite.optional(),
});

export type RoundFusion = z.infer<typeof roundFusionSchema>;

/** The part of the publish guard's report that results keep: what was published, and the two held-out losses. */
export const roundGuardSchema = guardReportSchema.pick({ published: true, candidateLoss: true, previousLoss: true, robustLoss: true });

export type RoundGuard = z.infer<typeof roundGuardSchema>;

/** One device tier in a round (tiered federations): the model its clients run after the round, and its traffic. */
export const tierRowSchema = z.object({
  participants: count,
  parameters: count,
  accuracy: fraction.optional(),
  loss: finite.optional(),
  bytesSent: count,
  bytesReceived: count,
});

export type TierRow = z.infer<typeof tierRowSchema>;

export const roundRowSchema = z.object({
  round: count,
  participants: count,
  stragglers: count,
  /** Updates rejected in the round, over all reasons. */
  rejected: count,
  accuracy: fraction.optional(),
  loss: finite.optional(),
  bytesSent: count,
  bytesReceived: count,
  seconds: finite,
  aggregateSeconds: finite,
  /** Fusing strategies: which path the round took and the held-out probe losses behind it. */
  fusion: roundFusionSchema.optional(),
  /** The publish guard: candidate, robust aggregate or previous model published, and the held-out losses. */
  guard: roundGuardSchema.optional(),
  /** The round's largest update distance from the global model over its median (when screened). */
  updateStats: z.object({ medianDistance: finite, largestDistanceRatio: finite, largestAbsWeight: finite }).optional(),
  /** Tiered federations: per tier name. */
  tiers: z.record(z.string(), tierRowSchema).optional(),
});

export type RoundRow = z.infer<typeof roundRowSchema>;

/** The fusion report as results keep it (a standard error that is not a finite number is left out). */
export function roundFusion(f: Pick<FusionRoundReport, 'path' | 'fusedProbeLoss' | 'averageProbeLoss'> & { standardError?: unknown }): RoundFusion {
  const kept = { path: f.path, fusedProbeLoss: f.fusedProbeLoss, averageProbeLoss: f.averageProbeLoss };
  return typeof f.standardError === 'number' && Number.isFinite(f.standardError) ? { ...kept, standardError: f.standardError } : kept;
}

/**
 * Reads a server's fusion report (e.g. an event payload) into a row's fusion part: its other fields dropped, and a
 * standard error that is not finite left out rather than refused.
 */
export const fusionReportSchema = roundFusionSchema.extend({ standardError: z.unknown() }).transform(roundFusion);

/** A server round summary as a row. */
export function summaryToRow(s: RoundSummary): RoundRow {
  return {
    round: s.round,
    participants: s.participants.length,
    stragglers: s.stragglers.length,
    rejected: s.rejected.reduce((n, r) => n + r.count, 0),
    accuracy: s.accuracy,
    loss: s.loss,
    bytesSent: s.bytesSent,
    bytesReceived: s.bytesReceived,
    seconds: s.seconds,
    aggregateSeconds: s.aggregateSeconds,
    ...(s.fusion ? { fusion: roundFusion(s.fusion) } : {}),
    ...(s.guard ? { guard: roundGuardSchema.parse(s.guard) } : {}),
    ...(s.updateStats ? { updateStats: s.updateStats } : {}),
    ...(s.tiers ? { tiers: s.tiers } : {}),
  };
}
