// A finished round as the clients are told (the RoundResult message) and as the server reports and stores it (the
// RoundSummary), built from what the round's steps returned.
import '@fedfuse/client/internal/proto/protobuf-runtime.js';
import type { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { modelStateToPayload } from '@fedfuse/client/internal/proto/model-payload.js';
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import type { RoundAggregation } from '../aggregation/aggregate-round.js';
import type { RoundSummary } from '../federation-events.js';
import { tallyLegacyRejections, type RejectedUpdates } from './rejection-tally.js';
import type { RoundOutcome } from './round-coordinator.js';
import type { StoredRoundSummary } from './round-summary-schema.js';

/** Summaries of checkpoints written before rejections were tallied list one { clientId, reason } per rejection. */
function upgradeRejected(rejected: readonly (RejectedUpdates | { clientId: string; reason: string })[]): RejectedUpdates[] {
  const legacy = rejected.filter((r): r is { clientId: string; reason: string } => 'reason' in r);
  const current = rejected.filter((r): r is RejectedUpdates => 'count' in r);
  return legacy.length > 0 ? [...current, ...tallyLegacyRejections(legacy)] : current;
}


/** The RoundResult message of a finished round (metrics only when it was evaluated). */
export function roundResultMessage(
  round: number,
  global: ModelState,
  participants: string[],
  evaluation: { accuracy: number; loss: number } | undefined,
  final: boolean,
): fedfuse.v1.IRoundResult {
  const metrics: Record<string, number> = evaluation ? { accuracy: evaluation.accuracy, loss: evaluation.loss } : {};
  return { round, globalModel: modelStateToPayload(global), metrics, participants, final };
}

export function roundSummary(
  outcome: RoundOutcome<unknown>,
  aggregation: RoundAggregation,
  evaluation: { accuracy: number; loss: number } | undefined,
  traffic: { bytesSent: number; bytesReceived: number },
): RoundSummary {
  return {
    round: outcome.round,
    participants: aggregation.participants,
    stragglers: outcome.stragglers,
    rejected: outcome.rejected,
    excluded: aggregation.excluded,
    offenders: offendersOf(outcome.offenders, aggregation.excluded),
    ...(evaluation ? { accuracy: evaluation.accuracy, loss: evaluation.loss } : {}),
    ...traffic,
    seconds: (Date.now() - outcome.startedAt) / 1000,
    ...aggregationSummary(aggregation),
  };
}

/** What a round summary says of the aggregation (single process and a cluster's leader alike). */
export function aggregationSummary(a: RoundAggregation): Pick<RoundSummary, 'aggregateSeconds' | 'fusion' | 'updateStats' | 'guard'> {
  return {
    aggregateSeconds: a.seconds,
    ...(a.fusion ? { fusion: a.fusion } : {}),
    ...(a.updateStats ? { updateStats: a.updateStats } : {}),
    guard: a.guard,
  };
}

/** The round's offenders: clients refused for a bad update, and those the screening excluded. */
export function offendersOf(refused: readonly string[], excluded: readonly { clientId: string }[]): string[] {
  return [...new Set([...refused, ...excluded.map((e) => e.clientId)])].sort();
}

/** A stored summary as the server reports it (checkpoints from before the defence and the rejection tally upgraded). */
export function summaryFromStore(h: StoredRoundSummary): RoundSummary {
  return { ...(h as RoundSummary), excluded: h.excluded ?? [], rejected: upgradeRejected(h.rejected) };
}
