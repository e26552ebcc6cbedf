// Git Re-Basin weight-matching baseline (Ainsworth et al. 2023): permute one model's hidden neurons to best match the
// other's weights, then average. Defined for exactly two models. `weightMatchFuse` is the same for TF.js models.
import type * as tf from '@fedfuse/client/internal/tf/tfjs.js';
import { z } from 'zod';
import { stateToModel, type ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { readWeights } from '@fedfuse/client/internal/model/weights.js';
import { levelLayouts } from '../alignment/level-layout.js';
import { modelWithWeights } from '../alignment/tf-models.js';
import { matchWeights } from '../alignment/weight-matching.js';
import { weightedAverage } from './fedavg.js';
import type { Aggregation, ClientUpdate, RoundContext, Strategy, TrainingConfig } from './strategy.js';

export interface WeightMatchFuseOptions {
  /** Averaging weights for [a, b]; default equal. */
  weights?: [number, number];
  maxPasses?: number;
  seed?: number;
}

/** Fuses two models of one architecture: b aligned to a by weight matching, then averaged. Caller disposes the result. */
export function weightMatchFuse(a: tf.LayersModel, b: tf.LayersModel, opts: WeightMatchFuseOptions = {}): tf.LayersModel {
  const layouts = levelLayouts(a);
  const wa = readWeights(a);
  const { aligned } = matchWeights(wa, readWeights(b), layouts, { maxPasses: opts.maxPasses, seed: opts.seed });
  return modelWithWeights(a, weightedAverage([wa, aligned], opts.weights ?? [1, 1]));
}

const strategyOptionsSchema = z
  .object({
    maxPasses: z.number().int().positive().default(100),
  })
  .strict();

export class WeightMatching implements Strategy {
  readonly name = 'weight-matching';
  readonly options: z.infer<typeof strategyOptionsSchema>;

  constructor(options: unknown = {}) {
    const parsed = strategyOptionsSchema.safeParse(options ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`).join('; ');
      throw new Error(`weight-matching options are invalid (known: maxPasses): ${issues}`);
    }
    this.options = parsed.data;
  }

  readonly exactUpdates = 2;

  configureRound(_ctx: RoundContext, base: TrainingConfig): TrainingConfig {
    return { ...base, sendActivations: false, importanceMethod: '' };
  }

  async aggregate(ctx: RoundContext, updates: readonly ClientUpdate[]): Promise<Aggregation> {
    if (updates.length !== 2) {
      throw new Error(
        `weight-matching fuses exactly 2 client updates per round, got ${updates.length} (sample 2 clients per round, or use another strategy)`,
      );
    }
    const model = await stateToModel(ctx.global);
    let layouts;
    try {
      layouts = levelLayouts(model);
    } finally {
      model.dispose();
    }
    // The heavier client is the reference order; ties keep the first.
    const [a, b] = updates[1].numExamples > updates[0].numExamples ? [updates[1], updates[0]] : [updates[0], updates[1]];
    const { aligned } = matchWeights(a.weights, b.weights, layouts, {
      maxPasses: this.options.maxPasses,
      seed: ctx.seed + ctx.round,
    });
    return {
      model: { topologyJson: ctx.global.topologyJson, weights: weightedAverage([a.weights, aligned], [a.numExamples, b.numExamples]) },
    };
  }
}
