import { expect } from 'chai';
import type { WeightTensor } from '@fedfuse/client/internal/model/weights.js';
import { FedAvg } from '../../server/strategies/fedavg.js';
import { FedProx } from '../../server/strategies/fedprox.js';
import type { ClientUpdate, RoundContext, TrainingConfig } from '../../server/strategies/strategy.js';

const base: TrainingConfig = {
  localEpochs: 1,
  batchSize: 32,
  learningRate: 0.1,
  optimizer: 'sgd',
  proximalMu: 0,
  sendActivations: true,
  importanceMethod: 'deeplift',
  seed: 7,
  halfPrecision: true,
};

const w = (values: number[]): WeightTensor[] => [{ name: 'k', shape: [values.length], values: Float32Array.from(values) }];
const ctx: RoundContext = { round: 2, seed: 0, global: { topologyJson: '{}', weights: w([0, 0]) } };
const update = (values: number[], numExamples: number): ClientUpdate => ({
  clientId: String(numExamples),
  round: 2,
  weights: w(values),
  numExamples,
  activations: [],
  importance: [],
  metrics: {},
  labelHistogram: [],
});

describe('baselines: FedProx', () => {
  it('asks clients for the proximal term mu (default 0.01) and keeps the rest of the config', () => {
    expect(new FedProx().configureRound(ctx, base).proximalMu).to.equal(0.01);
    const config = new FedProx(0.5).configureRound(ctx, base);
    expect(config).to.deep.equal({ ...base, proximalMu: 0.5, sendActivations: false, importanceMethod: '' });
    expect(new FedProx(0.5).name).to.equal('fedprox');
  });

  it('aggregates like FedAvg', async () => {
    const updates = [update([1, 2], 1), update([3, 6], 3)];
    const prox = await new FedProx(0.1).aggregate(ctx, updates);
    const avg = await new FedAvg().aggregate(ctx, updates);
    expect(Array.from(prox.model.weights[0].values)).to.deep.equal([2.5, 5]);
    expect(prox).to.deep.equal(avg);
  });

  it('rejects a mu that is not a positive number', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new FedProx(bad)).to.throw(/fedprox option "mu" must be a positive number/);
    }
  });
});
