// The update-screening settings, one zod schema shared by FederationServerOptions, the server config file and
// scenario files, so every entry point accepts the same field names and reports a mistake by its field path.
import { z } from 'zod';

export const screeningOptionsSchema = z.strictObject({
  /** Exclude updates whose distance from the current global model is an outlier among the round's updates. */
  norm: z
    .strictObject({
      /** Excluded above median + madMultiple · (robust spread of the round's norms). */
      madMultiple: z.number().positive().default(3),
      /** Also excluded above this absolute L2 norm of (update − global). */
      maxNorm: z.number().positive().optional(),
    })
    .optional(),
  /** Exclude updates whose model's accuracy on the server's labelled probe set is far below the round's others. */
  probeAccuracy: z
    .strictObject({
      /** Excluded below (median probe accuracy of the round) − margin; accuracies are fractions in [0, 1]. */
      margin: z.number().positive().max(1).default(0.2),
    })
    .optional(),
});

/** What a caller may write (defaults optional). Both rules are off unless their block is present. */
export type ScreeningOptions = z.input<typeof screeningOptionsSchema>;
/** With the defaults filled in. */
export type ScreeningSettings = z.output<typeof screeningOptionsSchema>;

/** Validates screening options; the Error names every offending field. */
export function parseScreeningOptions(raw: unknown, source: string): ScreeningSettings {
  const result = screeningOptionsSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    return `${source}.${field}: ${issue.message}`;
  });
  throw new Error(`${source} is invalid: ${problems.join('; ')}`);
}
