// The last check before a round's model is published (issue 19): never publish a model far worse than the one before.
//
// Why: screening compares a round's updates with each other, and neuron interpolation's held-out check compares the
// fused model with the plain average of the same updates; an attacker who dominates the round dominates both. The
// previous global model is the one reference the round's updates cannot move. On probe rows the fusion never fits
// (the round's held-out split), the candidate's loss is compared with the previous model's: cross-entropy with probe
// labels, or without them KL from the round's prediction ensemble. A candidate with non-finite weights, weights
// beyond maxAbsWeight, a non-finite loss, or a loss far above the previous model's is refused; then the robust
// aggregate (coordinate-wise median of the round's updates; of two, the one better on the held-out rows) is tried
// the same way, and failing that the previous model stays. Without a probe set only the weight checks run.
import * as tf from '@fedfuse/client/internal/tf/tfjs.js';
import { stateToModel, type ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { sameShapes, writeWeights, type WeightTensor } from '@fedfuse/client/internal/model/weights.js';
import { comparePaired, ensembleProbabilities, probeLosses, roundProbeSplit, takeRows, type ProbeReference } from '../fusion/held-out-check.js';
import { weightedMedian } from '../strategies/fedmedian.js';
import type { ClientUpdate, RoundContext } from '../strategies/strategy.js';
import type { GuardSettings } from './screening-options.js';
import type { GuardReport } from './guard-report.js';

export type { GuardReport } from './guard-report.js';

/** Share of the probe rows the guard judges on: neuron interpolation's default held-out rows. */
export const GUARD_HELD_OUT_FRACTION = 0.2;

export interface GuardInput {
  ctx: RoundContext;
  candidate: ModelState;
  /** The updates the candidate was made from (after screening, with bounded example counts). */
  updates: readonly ClientUpdate[];
  settings: GuardSettings | false;
  maxAbsWeight: number | false;
}

/** The model to publish and the guard's report. */
export async function guardPublication(input: GuardInput): Promise<{ model: ModelState; report: GuardReport }> {
  const { ctx, candidate, settings, maxAbsWeight } = input;
  // Tiered rounds: the ensemble reference and the robust aggregate come from the updates at the global model's shapes
  // (a narrower tier's update is another model, not a candidate for the global one).
  const updates = input.updates.filter((u) => sameShapes(u.weights, ctx.global.weights));
  const sameShaped: GuardInput = { ...input, updates };
  const previous = ctx.global;
  const candidateProblem = weightProblem(candidate.weights, maxAbsWeight);
  const probe = ctx.probe;
  if (settings === false || !probe || (!probe.y && updates.length === 0)) {
    if (!candidateProblem) return { model: candidate, report: { published: 'candidate' } };
    return fallBack(sameShaped, candidateProblem, undefined);
  }
  const judge = await HeldOutJudge.create(ctx, updates);
  try {
    const candidateLosses = candidateProblem ? undefined : judge.losses(candidate.weights);
    const verdict = judge.verdict(candidateLosses, settings);
    const heldOut = {
      lossKind: judge.lossKind,
      candidateLoss: finiteOrNull(verdict.loss),
      previousLoss: finiteOrNull(judge.previousLoss),
      standardError: finiteOrNull(verdict.standardError),
      checkRows: judge.rows,
    };
    const problem = candidateProblem ?? verdict.problem;
    if (!problem) return { model: candidate, report: { published: 'candidate', ...heldOut } };
    return fallBack(sameShaped, problem, { judge, heldOut, settings });
  } finally {
    judge.dispose();
  }
}

/** The robust aggregate when it passes the same checks, else the previous model. */
async function fallBack(
  input: GuardInput,
  candidateProblem: string,
  held: { judge: HeldOutJudge; heldOut: Omit<GuardReport, 'published'>; settings: GuardSettings } | undefined,
): Promise<{ model: ModelState; report: GuardReport }> {
  const { ctx, updates, maxAbsWeight } = input;
  const reason = `the candidate ${candidateProblem}`;
  const robust = robustAggregate(ctx, updates, held?.judge);
  if (robust) {
    const robustProblem = weightProblem(robust.weights, maxAbsWeight);
    const verdict = held && !robustProblem ? held.judge.verdict(held.judge.losses(robust.weights), held.settings) : undefined;
    const problem = robustProblem ?? verdict?.problem;
    const robustLoss = verdict ? { robustLoss: finiteOrNull(verdict.loss) } : {};
    if (!problem) return { model: robust, report: { published: 'robust', reason, ...held?.heldOut, ...robustLoss } };
    return { model: ctx.global, report: { published: 'previous', reason: `${reason}; the robust aggregate ${problem}`, ...held?.heldOut, ...robustLoss } };
  }
  return { model: ctx.global, report: { published: 'previous', reason, ...held?.heldOut } };
}

/**
 * Coordinate-wise example-weighted median of the updates, claims trusted up to the round's lower median (as
 * fedmedian aggregates): a minority cannot drag it anywhere. With two updates there is no majority to take a median
 * of: the one with the lower held-out loss stands for the round (with a probe set; without one, nothing).
 */
function robustAggregate(ctx: RoundContext, updates: readonly ClientUpdate[], judge: HeldOutJudge | undefined): ModelState | undefined {
  const topologyJson = ctx.global.topologyJson;
  if (updates.length === 2 && judge) {
    const [a, b] = updates.map((u) => mean(judge.losses(u.weights)));
    // A NaN loss never wins: (NaN <= x) is false.
    return { topologyJson, weights: updates[a <= b || Number.isNaN(b) ? 0 : 1].weights };
  }
  if (updates.length < 3) return undefined;
  const claims = updates.map((u) => u.numExamples);
  const cap = [...claims].sort((a, b) => a - b)[Math.floor((claims.length - 1) / 2)];
  const weights = weightedMedian(updates.map((u) => u.weights), claims.map((c) => Math.min(c, cap)));
  return { topologyJson, weights };
}

/** Non-finite weights, or weights beyond the bound updates are held to, make a model unpublishable. */
function weightProblem(weights: readonly WeightTensor[], maxAbsWeight: number | false): string | undefined {
  for (const w of weights) {
    for (let i = 0; i < w.values.length; i++) {
      const v = w.values[i];
      if (!Number.isFinite(v)) return `has a non-finite value in weight ${w.name}`;
      if (maxAbsWeight !== false && Math.abs(v) > maxAbsWeight) {
        return `has a value of ${v.toExponential(3)} in weight ${w.name}, beyond maxAbsWeight ${maxAbsWeight}`;
      }
    }
  }
  return undefined;
}

const finiteOrNull = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : null);
const fmt = (v: number) => (Number.isFinite(v) ? (Math.abs(v) >= 1e4 ? v.toExponential(3) : v.toFixed(4)) : String(v));

/** One model of the global architecture, loaded with each weight set in turn, judged on the held-out probe rows. */
class HeldOutJudge {
  readonly previousLoss: number;
  private readonly previousRows: Float32Array;

  private constructor(
    private readonly model: tf.LayersModel,
    private readonly x: tf.Tensor,
    private readonly reference: ProbeReference,
    readonly lossKind: 'cross-entropy' | 'ensemble-kl',
    previous: readonly WeightTensor[],
  ) {
    this.previousRows = this.losses(previous);
    this.previousLoss = mean(this.previousRows);
  }

  static async create(ctx: RoundContext, updates: readonly ClientUpdate[]): Promise<HeldOutJudge> {
    const probe = ctx.probe!;
    const n = probe.x.shape[0];
    const rows = n >= 3 ? roundProbeSplit(n, GUARD_HELD_OUT_FRACTION, ctx.seed, ctx.round).check : Int32Array.from({ length: n }, (_, i) => i);
    const model = await stateToModel(ctx.global);
    const x = takeRows(probe.x.values, probe.x.shape, rows);
    try {
      if (probe.y) return new HeldOutJudge(model, x, { labels: Int32Array.from(rows, (r) => probe.y![r]) }, 'cross-entropy', ctx.global.weights);
      // Without labels: the round's prediction ensemble (probabilities are bounded, so one update moves it by at most
      // its share of the examples).
      const members = await Promise.all(updates.map((u) => stateToModel({ topologyJson: ctx.global.topologyJson, weights: u.weights })));
      try {
        const probabilities = ensembleProbabilities(members, updates.map((u) => u.numExamples), x);
        return new HeldOutJudge(model, x, { probabilities }, 'ensemble-kl', ctx.global.weights);
      } finally {
        members.forEach((m) => m.dispose());
      }
    } catch (e) {
      model.dispose();
      x.dispose();
      throw e;
    }
  }

  get rows(): number {
    return this.x.shape[0];
  }

  /** Per-row held-out loss of a weight set (the shared model is reloaded with it). */
  losses(weights: readonly WeightTensor[]): Float32Array {
    writeWeights(this.model, weights);
    return probeLosses(this.model, this.x, this.reference);
  }

  /** Whether per-row losses are far worse than the previous model's (undefined losses: not evaluated, refused). */
  verdict(rows: Float32Array | undefined, s: GuardSettings): { loss?: number; standardError?: number; problem?: string } {
    if (!rows) return {};
    const loss = mean(rows);
    if (!Number.isFinite(loss)) return { loss, problem: `has a non-finite held-out ${this.lossKind} (${loss})` };
    if (!Number.isFinite(this.previousLoss)) return { loss };
    const { standardError } = comparePaired(rows, this.previousRows);
    const limit = this.previousLoss * (1 + s.maxLossIncrease);
    const worse = loss - this.previousLoss;
    if (loss > limit && !(worse <= s.standardErrors * standardError)) {
      return {
        loss,
        standardError,
        problem:
          `has held-out ${this.lossKind} ${fmt(loss)} against the previous model's ${fmt(this.previousLoss)} on ${this.rows} probe rows ` +
          `(more than ${Math.round(100 * s.maxLossIncrease)} % and ${s.standardErrors} standard errors worse)`,
      };
    }
    return { loss, standardError };
  }

  dispose(): void {
    const r = this.reference;
    if ('probabilities' in r) r.probabilities.dispose();
    this.x.dispose();
    this.model.dispose();
  }
}

function mean(values: Float32Array): number {
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}
