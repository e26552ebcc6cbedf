// FedAvg (McMahan et al. 2017): the example-count-weighted mean of the clients' weights, optionally with a server
// learning rate on it (FedAvg with server step size, as in Reddi et al. 2021 / FedExP): the control for neuron
// interpolation's serverStep, so a gain from the step is not credited to the fusion.
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import type { WeightTensor } from '@fedfuse/client/internal/model/weights.js';
import { serverStep } from './server-step.js';
import type { Aggregation, ClientUpdate, RoundContext, Strategy, TrainingConfig } from './strategy.js';

/** Weighted mean of weight sets that share one architecture; weights need not sum to one. */
export function weightedAverage(sets: readonly WeightTensor[][], coefficients: readonly number[]): WeightTensor[] {
  if (sets.length === 0) throw new Error('weightedAverage needs at least one weight set');
  const total = coefficients.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new Error(`weightedAverage needs a positive total weight, got ${total}`);
  return sets[0].map((first, t) => {
    const out = new Float64Array(first.values.length);
    sets.forEach((set, s) => {
      const v = set[t].values;
      if (v.length !== out.length) throw new Error(`weight ${t} (${first.name}) differs in size between updates`);
      const c = coefficients[s] / total;
      for (let i = 0; i < v.length; i++) out[i] += c * v[i];
    });
    return { name: first.name, shape: [...first.shape], values: Float32Array.from(out) };
  });
}

export class FedAvg implements Strategy {
  readonly name = 'fedavg';
  readonly hierarchical = 'average';

  /** serverStep: global + serverStep · (average − global); 1 (default) is the average itself. */
  constructor(private readonly step = 1) {
    if (typeof step !== 'number' || !(step > 0 && step <= 10)) {
      throw new Error(`fedavg option "serverStep" must be a number in (0, 10], got ${String(step)}`);
    }
  }

  configureRound(_ctx: RoundContext, base: TrainingConfig): TrainingConfig {
    return { ...base, sendActivations: false, importanceMethod: '' };
  }

  async aggregate(ctx: RoundContext, updates: readonly ClientUpdate[]): Promise<Aggregation> {
    const weights = weightedAverage(
      updates.map((u) => u.weights),
      updates.map((u) => u.numExamples),
    );
    const stepped = this.step === 1 ? weights : serverStep(ctx.global.weights, weights, this.step);
    return { model: { topologyJson: ctx.global.topologyJson, weights: stepped } };
  }
}
