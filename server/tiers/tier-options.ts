// Device tiers of a heterogeneous federation, as scenario files and server configs give them: each tier runs the
// global architecture at a width rate (every hidden layer keeps max(1, ceil(width · n)) units, the output layer all
// of them). `share` is the fraction of a scenario's simulated clients in the tier (real clients choose their tier
// when they join). Validated with zod so every mistake names its field.
import { z } from 'zod';

/** Shares may differ from 1 in their sum by float rounding only (thirds written as 0.333, 0.333, 0.334 are fine). */
const SHARE_SUM_TOLERANCE = 1e-3;

export const tierSpecSchema = z.strictObject({
  name: z
    .string({ error: 'expected a tier name' })
    .regex(/^[A-Za-z0-9._-]{1,64}$/, { error: "expected a name of 1-64 letters, digits, '.', '_' or '-'" }),
  /** Fraction of the simulated clients in this tier, in (0, 1]; the shares of all tiers sum to 1. */
  share: z
    .number({ error: 'expected a share in (0, 1]' })
    .gt(0, { error: 'expected a share in (0, 1]' })
    .max(1, { error: 'expected a share in (0, 1]' })
    .optional(),
  /** Width rate of every hidden layer, in (0, 1]. */
  width: z
    .number({ error: 'expected a width in (0, 1]' })
    .gt(0, { error: 'expected a width in (0, 1] (a tier keeps at least one unit per layer, but its rate must be > 0)' })
    .max(1, { error: 'expected a width in (0, 1] (a tier cannot be wider than the global model)' }),
});

export type TierSpec = z.infer<typeof tierSpecSchema>;

/** A list of tiers: unique names, and shares (where given) on every tier, summing to 1. */
export const tiersSchema = z
  .array(tierSpecSchema, { error: 'expected a list of tiers { name, share, width }' })
  .min(1, { error: 'expected at least one tier' })
  .superRefine((tiers, ctx) => {
    const seen = new Set<string>();
    tiers.forEach((t, i) => {
      if (seen.has(t.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate tier name "${t.name}"` });
      seen.add(t.name);
    });
    const withShare = tiers.filter((t) => t.share !== undefined);
    if (withShare.length > 0 && withShare.length < tiers.length) {
      const missing = tiers.findIndex((t) => t.share === undefined);
      ctx.addIssue({ code: 'custom', path: [missing, 'share'], message: 'expected a share (the other tiers give one)' });
    } else if (withShare.length > 0) {
      const sum = withShare.reduce((a, t) => a + t.share!, 0);
      if (Math.abs(sum - 1) > SHARE_SUM_TOLERANCE) {
        ctx.addIssue({ code: 'custom', path: [], message: `shares sum to ${Number(sum.toFixed(6))}; the tiers' shares must sum to 1` });
      }
    }
  });

/** Parses tiers given in code (FederationServerOptions); the error names the field. */
export function parseTiers(raw: unknown, source: string): TierSpec[] {
  const parsed = tiersSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const at = ['tiers', ...issue.path.map(String)].join('.');
  throw new Error(`${source} ${at}: ${issue.message}`);
}
