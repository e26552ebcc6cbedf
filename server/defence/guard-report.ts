// What the publish guard (publish-guard.ts) decided in a round, as round summaries, checkpoints, results.json and the
// dashboard hold it. One zod schema: the type is inferred from it, and a stored summary is checked against it.
import { z } from 'zod';

/** A held-out loss; null when it was not finite (a JSON file cannot hold Infinity or NaN). */
const loss = z.number().refine(Number.isFinite, 'must be finite').nullable();

export const guardReportSchema = z.object({
  /** What became the global model: the strategy's candidate, the robust aggregate, or the previous model (kept). */
  published: z.enum(['candidate', 'robust', 'previous']),
  /** Why the candidate (and the robust aggregate) were refused; absent when the candidate was published. */
  reason: z.string().optional(),
  /** The held-out comparison; absent without a probe set or with the guard off. */
  lossKind: z.enum(['cross-entropy', 'ensemble-kl']).optional(),
  candidateLoss: loss.optional(),
  previousLoss: loss.optional(),
  robustLoss: loss.optional(),
  /** Standard error of the mean per-row difference, candidate − previous. */
  standardError: loss.optional(),
  checkRows: z.number().int().min(0).optional(),
});

export type GuardReport = z.infer<typeof guardReportSchema>;
