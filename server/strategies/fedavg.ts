// FedAvg (McMahan et al. 2017): the example-count-weighted mean of the clients' weights, optionally with a server
// learning rate on it (FedAvg with server step size, as in Reddi et al. 2021 / FedExP): the control for neuron
// interpolation's serverStep, so a gain from the step is not credited to the fusion. Likewise `calibrateOutput`
// (temperature scaling of the average's output level on the labelled probe set) is the control for neuron
// interpolation's.
import * as tf from '@fedfuse/client/internal/tf/tfjs.js';
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import type { WeightTensor } from '@fedfuse/client/internal/model/weights.js';
import { stateToModel } from '@fedfuse/client/internal/model/model-state.js';
import { readWeights } from '@fedfuse/client/internal/model/weights.js';
import { calibrateOutputLevel } from '../fusion/calibrate-output.js';
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

  readonly needsProbe: boolean;
  readonly needsProbeLabels: boolean;

  /**
   * step: global + step · (average − global); 1 (default) is the average itself. calibrateOutput: scale the result's
   * output logits to the lowest cross-entropy on the labelled probe set (needs one).
   */
  constructor(
    private readonly step = 1,
    private readonly calibrateOutput = false,
  ) {
    if (typeof step !== 'number' || !(step > 0 && step <= 10)) {
      throw new Error(`fedavg option "serverStep" must be a number in (0, 10], got ${String(step)}`);
    }
    if (typeof calibrateOutput !== 'boolean') throw new Error(`fedavg option "calibrateOutput" must be true or false, got ${String(calibrateOutput)}`);
    this.needsProbe = calibrateOutput;
    this.needsProbeLabels = calibrateOutput;
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
    const model = { topologyJson: ctx.global.topologyJson, weights: stepped };
    return { model: this.calibrateOutput ? await calibrated(model, ctx) : model };
  }
}

async function calibrated(state: ModelState, ctx: RoundContext): Promise<ModelState> {
  const probe = ctx.probe;
  if (!probe?.y) throw new Error('fedavg option calibrateOutput needs a labelled probe set, but the round has none');
  const model = await stateToModel(state);
  const x = tf.tensor(probe.x.values, probe.x.shape);
  try {
    calibrateOutputLevel(model, x, probe.y);
    return { topologyJson: state.topologyJson, weights: readWeights(model) };
  } finally {
    x.dispose();
    model.dispose();
  }
}
