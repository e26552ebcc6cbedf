// OTFusion baseline (Singh & Jaggi 2020, activation-based): align every client model's neurons onto an anchor model
// with optimal transport on probe-set activations, then average the aligned models weighted by example count.
// `otFuse` is the same fusion for TF.js models (the offline `fuse` command).
import * as tf from '@fedfuse/client/internal/tf/tfjs.js';
import { z } from 'zod';
import { stateToModel, type ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { writeWeights } from '@fedfuse/client/internal/model/weights.js';
import { levelLayouts } from '../alignment/level-layout.js';
import type { CouplingSolver } from '../alignment/optimal-transport.js';
import { otAlign, type AlignmentParent } from '../alignment/ot-align.js';
import { alignmentParent, modelWithWeights, probeActivations } from '../alignment/tf-models.js';
import { weightedAverage } from './fedavg.js';
import type { Aggregation, ClientUpdate, RoundContext, Strategy, TrainingConfig } from './strategy.js';

export interface OTFuseOptions {
  /** Parent whose neuron order the others are aligned to; default: the heaviest parent (else parent 0). */
  anchor?: number;
  /** Averaging weights (e.g. example counts); default equal. */
  weights?: number[];
  /** 'auto' (default): exact OT (assignment) for equal widths, Sinkhorn otherwise. */
  solver?: CouplingSolver;
  /** Sinkhorn regularisation as a fraction of the largest cost (default 0.01). */
  epsilon?: number;
  maxIterations?: number;
}

function argMax(values: readonly number[]): number {
  let best = 0;
  values.forEach((v, i) => {
    if (v > values[best]) best = i;
  });
  return best;
}

function couplingOptions(opts: Pick<OTFuseOptions, 'solver' | 'epsilon' | 'maxIterations'>) {
  return { solver: opts.solver, sinkhorn: { epsilon: opts.epsilon, maxIterations: opts.maxIterations } };
}

function checkCoefficients(weights: readonly number[], count: number): void {
  if (weights.length !== count) throw new Error(`got ${weights.length} averaging weights for ${count} parents`);
  if (weights.some((w) => !(w >= 0) || !Number.isFinite(w)) || !weights.some((w) => w > 0)) {
    throw new Error(`averaging weights must be non-negative and not all zero, got [${weights.join(', ')}]`);
  }
}

/**
 * OT fusion of `parents` into one model with the anchor's architecture. `probeX` is a batch of inputs every parent
 * accepts. The caller owns (and disposes) the returned model; no other tensors are left behind.
 */
export function otFuse(parents: tf.LayersModel[], probeX: tf.Tensor, opts: OTFuseOptions = {}): tf.LayersModel {
  if (parents.length === 0) throw new Error('otFuse needs at least one parent model');
  const coefficients = opts.weights ?? parents.map(() => 1);
  checkCoefficients(coefficients, parents.length);
  const anchor = opts.anchor ?? argMax(coefficients);
  const inputs: AlignmentParent[] = parents.map((model) => alignmentParent(model, probeX));
  const { aligned } = otAlign(inputs, anchor, couplingOptions(opts));
  return modelWithWeights(parents[anchor], weightedAverage(aligned, coefficients));
}

const strategyOptionsSchema = z
  .object({
    anchor: z.enum(['most-examples', 'first']).default('most-examples'),
    solver: z.enum(['auto', 'exact', 'sinkhorn']).default('auto'),
    epsilon: z.number().positive().finite().optional(),
    maxIterations: z.number().int().positive().optional(),
  })
  .strict();

export type OTFusionOptions = z.input<typeof strategyOptionsSchema>;

export class OTFusion implements Strategy {
  readonly name = 'otfusion';
  readonly needsProbe = true;
  readonly options: z.infer<typeof strategyOptionsSchema>;

  constructor(options: unknown = {}) {
    const parsed = strategyOptionsSchema.safeParse(options ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`).join('; ');
      throw new Error(`otfusion options are invalid (known: anchor, solver, epsilon, maxIterations): ${issues}`);
    }
    this.options = parsed.data;
  }

  configureRound(_ctx: RoundContext, base: TrainingConfig): TrainingConfig {
    // The server computes the activations itself from the uploaded weights on its own probe set.
    return { ...base, sendActivations: false, importanceMethod: '' };
  }

  async aggregate(ctx: RoundContext, updates: readonly ClientUpdate[]): Promise<Aggregation> {
    const probe = ctx.probe;
    if (!probe) throw new Error('otfusion needs the server probe set (RoundContext.probe) to align neurons');
    const model = await stateToModel(ctx.global);
    const x = tf.tensor(probe.x.values, probe.x.shape, 'float32');
    try {
      const layouts = levelLayouts(model);
      const parents: AlignmentParent[] = updates.map((u) => {
        writeWeights(model, u.weights);
        return { weights: u.weights, layouts, activations: probeActivations(model, x) };
      });
      const counts = updates.map((u) => u.numExamples);
      const anchor = this.options.anchor === 'first' ? 0 : argMax(counts);
      const { aligned } = otAlign(parents, anchor, couplingOptions(this.options));
      return { model: { topologyJson: ctx.global.topologyJson, weights: weightedAverage(aligned, counts) } };
    } finally {
      x.dispose();
      model.dispose();
    }
  }
}
