// The shape of a round summary as checkpoints hold it (round-state.json's history), checked on load so that an
// edited or damaged history is refused instead of crashing the server later. Accepts the older forms: `excluded`
// missing, and `rejected` as one { clientId, reason } per rejection. A field added to RoundSummary must be added here
// too, or a resumed server drops it from the rounds before the restart.
import { z } from 'zod';
import type { FusionRoundReport } from '../strategies/strategy.js';
import { guardReportSchema } from '../defence/guard-report.js';

const count = z.number().int().min(0);
const finite = z.number().refine(Number.isFinite, 'must be finite');
const clientReason = z.object({ clientId: z.string(), reason: z.string() });

export const storedRoundSummarySchema = z.object({
  round: count,
  participants: z.array(z.string()),
  stragglers: z.array(z.string()),
  rejected: z.array(z.union([z.object({ code: z.string(), count, clientIds: z.array(z.string()), example: z.string() }), clientReason])),
  excluded: z.array(clientReason).optional(),
  offenders: z.array(z.string()).optional(),
  banned: z.array(z.object({ clientId: z.string(), fromRound: count, untilRound: count, reason: z.string() })).optional(),
  accuracy: finite.optional(),
  loss: finite.optional(),
  bytesSent: count,
  bytesReceived: count,
  seconds: finite,
  aggregateSeconds: finite,
  fusion: z.custom<FusionRoundReport>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'must be an object').optional(),
  updateStats: z.object({ medianDistance: finite, largestDistanceRatio: finite, largestAbsWeight: finite }).optional(),
  guard: guardReportSchema.optional(),
});

export type StoredRoundSummary = z.infer<typeof storedRoundSummarySchema>;
