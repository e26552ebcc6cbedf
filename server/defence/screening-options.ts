// The defence settings, one zod schema shared by FederationServerOptions, the server config file and scenario files,
// so every entry point accepts the same field names and reports a mistake by its field path.
//
// On by default (issue 19: one client must not take over the model): a server given no `defence` block still refuses
// weights beyond an absolute magnitude at decode, leaves out updates that moved many times further from the global
// model than the round's median update, and never publishes a candidate far worse on held-out probe rows than the
// model before it. Each part can be switched off (`norm: false`, `maxAbsWeight: false`, `guard: false`), and
// `defence: off` switches them all off. The defaults are measured (RELIABILITY.md, "Safe by default").
import { z } from 'zod';

/**
 * `false` (switched off) or an object checked by `schema`. Not a z.union: a union reports a mistake inside the object
 * as "Invalid input" at the field, where this reports it at its own path (`defence.norm.madMultiple`).
 */
export function offOr<S extends z.ZodType>(schema: S) {
  return z.custom<false | z.input<S>>().transform((v, ctx): false | z.output<S> => {
    if (v === false) return false;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      ctx.addIssue({ code: 'custom', message: 'expected false (off) or an object of settings' });
      return z.NEVER;
    }
    const parsed = schema.safeParse(v);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: issue.path } as Parameters<typeof ctx.addIssue>[0]);
    return z.NEVER;
  });
}

/**
 * Default distance multiple: an update whose ‖update − global‖ is above this multiple of the round's median is left
 * out. Measured on honest rounds of the real scenarios (bench/honest-defence-stats.ts, 20 runs: MNIST and
 * Fashion-MNIST, MLP and CNN, ordered-Dirichlet and Dirichlet α = 0.1 splits over 2-8 clients, 1 and 5 local epochs,
 * FedAvg and neuron interpolation): the largest distance was 1.71 × its round's median. 5 leaves ~3× room above that,
 * while a model scaled ×1e3 or replaced by noise is thousands of times beyond, and a negated model (‖−w − g‖ ≈ 2‖g‖)
 * is 12 × an honest step in the attack matrix (not with long local training, where honest steps approach ‖g‖).
 */
export const DEFAULT_DISTANCE_MEDIAN_MULTIPLE = 5;

/**
 * Default bound on any single uploaded weight: honest models of the scenarios never exceeded |w| = 1.25 (measured as
 * above), so 1e4 leaves 8000× room (for models trained longer, or on unnormalised inputs) and still refuses an
 * attacker's ×1e15 (or any overflow-prone) model at decode.
 */
export const DEFAULT_MAX_ABS_WEIGHT = 1e4;

/**
 * Default of the publish guard: a candidate whose held-out probe loss is more than `maxLossIncrease` (100 %) above
 * the previous model's, and above it by more than `standardErrors` (3) standard errors of the per-row difference, is
 * not published. Measured on honest rounds (as above): the candidate's loss rose at most 37 % over the previous
 * model's (FedAvg, two clients, 1 epoch); a model taken over by one client rises by orders of magnitude.
 */
export const DEFAULT_GUARD = { maxLossIncrease: 1, standardErrors: 3 } as const;

/** A number above `above`, or false (off). */
function numberOrOff(above: number) {
  return z
    .custom<number | false>()
    .refine((v) => v === false || (typeof v === 'number' && Number.isFinite(v) && v > above), `must be a number above ${above}, or false (off)`);
}

const normSchema = z
  .strictObject({
    /** Excluded above medianMultiple × the round's median distance (false: no such rule). */
    medianMultiple: numberOrOff(1).optional(),
    /** Excluded above median + madMultiple · (robust spread of the round's distances); off unless given (3 is usual). */
    madMultiple: z.number().positive().optional(),
    /** Also excluded above this absolute L2 norm of (update − global). */
    maxNorm: z.number().positive().optional(),
  })
  // Parsing the output again gives the same output (a scenario's parsed settings are handed to the server as options).
  .transform((n): { medianMultiple: number | false; madMultiple?: number; maxNorm?: number } => ({
    ...n,
    medianMultiple: n.medianMultiple ?? DEFAULT_DISTANCE_MEDIAN_MULTIPLE,
  }));

const guardSchema = z.strictObject({
  /** Refused when its held-out loss exceeds the previous model's by more than this fraction of it. */
  maxLossIncrease: z.number().positive().default(DEFAULT_GUARD.maxLossIncrease),
  /** ... and by more than this many standard errors of the per-row loss difference. */
  standardErrors: z.number().min(0).default(DEFAULT_GUARD.standardErrors),
});

const defenceObjectSchema = z.strictObject({
  /**
   * Exclude updates whose distance from the current global model is an outlier among the round's updates. On by
   * default with the median-multiple rule only; false switches it off.
   */
  norm: offOr(normSchema).default({ medianMultiple: DEFAULT_DISTANCE_MEDIAN_MULTIPLE }),
  /** Exclude updates whose model's accuracy on the server's labelled probe set is far below the round's others. */
  probeAccuracy: z
    .strictObject({
      /** Excluded below (median probe accuracy of the round) − margin; accuracies are fractions in [0, 1]. */
      margin: z.number().positive().max(1).default(0.2),
    })
    .optional(),
  /** Refuse an update at decode when any weight's magnitude is above this (false: no bound). */
  maxAbsWeight: numberOrOff(0).default(DEFAULT_MAX_ABS_WEIGHT),
  /**
   * Before publishing, compare the round's candidate with the previous global model on held-out probe rows; a
   * candidate far worse (or with a non-finite loss or weights) is not published. false switches it off.
   */
  guard: offOr(guardSchema).default({ ...DEFAULT_GUARD }),
});

const OFF = { norm: false, maxAbsWeight: false, guard: false } as const;

/** 'off' (or false: every rule off) or the settings object; `{}` is the defaults. */
export const screeningOptionsSchema = z
  .custom<'off' | false | z.input<typeof defenceObjectSchema>>()
  .transform((v, ctx): z.output<typeof defenceObjectSchema> => {
    if (v === 'off' || v === false) return { ...OFF };
    const parsed = defenceObjectSchema.safeParse(v);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: issue.path } as Parameters<typeof ctx.addIssue>[0]);
    return z.NEVER;
  });

/** What a caller may write (every field optional, or 'off'). Absent means the defaults. */
export type ScreeningOptions = z.input<typeof screeningOptionsSchema>;
/** With the defaults filled in. */
export type ScreeningSettings = z.output<typeof screeningOptionsSchema>;
export type NormSettings = Exclude<ScreeningSettings['norm'], false>;
export type GuardSettings = Exclude<ScreeningSettings['guard'], false>;

/** Validates defence options (undefined: the defaults); the Error names every offending field. */
export function parseScreeningOptions(raw: unknown, source: string): ScreeningSettings {
  const result = screeningOptionsSchema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    return `${source}.${field}: ${issue.message}`;
  });
  throw new Error(`${source} is invalid: ${problems.join('; ')}`);
}

/** Whether any rule screens a round's updates (then every update must reach one place: no hierarchical cluster). */
export function screensUpdates(s: ScreeningSettings): boolean {
  return s.norm !== false || s.probeAccuracy !== undefined;
}
