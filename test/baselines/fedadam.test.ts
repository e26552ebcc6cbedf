import { expect } from 'chai';
import type { WeightTensor } from '@fedfuse/client/internal/model/weights.js';
import { FedAdagrad, FedAdam, FedYogi } from '../../server/strategies/fedadam.js';
import type { ClientUpdate, RoundContext } from '../../server/strategies/strategy.js';
import { rejection } from './fixtures.js';

function tensor(values: number[], name = 'w'): WeightTensor {
  return { name, shape: [values.length], values: Float32Array.from(values) };
}

function ctxWith(values: number[], round = 1): RoundContext {
  return { round, seed: 0, global: { topologyJson: '{"fake":true}', weights: [tensor(values)] } };
}

function update(values: number[], numExamples: number): ClientUpdate {
  return {
    clientId: `c${numExamples}`,
    round: 1,
    weights: [tensor(values)],
    numExamples,
    activations: [],
    importance: [],
    metrics: {},
    labelHistogram: [],
  };
}

/** One round: global x, clients at x + offsets (weighted by counts). Returns the new global. */
async function step(strategy: FedAdam, x: number[], offsets: number[][], counts: number[]): Promise<number[]> {
  const { model: state } = await strategy.aggregate(
    ctxWith(x),
    offsets.map((o, k) => update(x.map((v, i) => Math.fround(v) + o[i]), counts[k])),
  );
  expect(state.topologyJson).to.equal('{"fake":true}');
  return Array.from(state.weights[0].values);
}

describe('baselines: FedAdam / FedYogi server optimisers', () => {
  it('FedAdam with zero momentum, β2 = 0 and tiny τ takes a sign step of size η on the weighted pseudo-gradient', async () => {
    const strategy = new FedAdam({ eta: 0.1, beta1: 0, beta2: 0, tau: 1e-9 });
    // Δ = (1·(0.375, 0, −0.125) + 3·(−0.125, 1, 0)) / 4 = (0, 0.75, −0.03125) (dyadic: exact in float32)
    const next = await step(strategy, [1, -2, 0.5], [[0.375, 0, -0.125], [-0.125, 1, 0]], [1, 3]);
    expect(next[0]).to.be.closeTo(1, 1e-6); // Δ = 0: no move
    expect(next[1]).to.be.closeTo(-1.9, 1e-6);
    expect(next[2]).to.be.closeTo(0.4, 1e-6);
  });

  it('FedAdam (β1 0.9, β2 0.99, τ 1e-3, η 0.01) matches the hand-computed steps, momentum carried across rounds', async () => {
    const strategy = new FedAdam();
    expect(strategy.options).to.deep.equal({ eta: 0.01, beta1: 0.9, beta2: 0.99, tau: 1e-3 });
    // Round 1: Δ = (1·0.2 + 3·(−0.4)) / 4 = −0.25; m = 0.1·Δ = −0.025; v = 0.99·τ² + 0.01·Δ² = 0.00062599
    // x = 1 + 0.01·(−0.025) / (√0.00062599 + 0.001) = 0.990391929
    const x1 = await step(strategy, [1], [[0.2], [-0.4]], [1, 3]);
    expect(x1[0]).to.be.closeTo(0.990391929, 1e-6);
    // Round 2: Δ = +0.1, yet m = 0.9·(−0.025) + 0.01 = −0.0125 keeps the step negative;
    // v = 0.99·0.00062599 + 0.01·0.01 = 0.00071973; x = x1 + 0.01·(−0.0125)/(√v + 0.001) = 0.985900016
    const x2 = await step(strategy, x1, [[0.1]], [1]);
    expect(x2[0]).to.be.closeTo(0.985900016, 1e-6);
    expect(strategy.steps).to.equal(2);
  });

  it('FedYogi matches the hand-computed steps, growing v additively and shrinking it when Δ² < v', async () => {
    const strategy = new FedYogi();
    // Round 1: v = τ² − 0.01·Δ²·sign(τ² − Δ²) = 1e-6 + 0.000625 = 0.000626; x = 1 − 0.00025/(√v + 0.001)
    const x1 = await step(strategy, [1], [[0.2], [-0.4]], [1, 3]);
    expect(x1[0]).to.be.closeTo(0.990392003, 1e-6);
    // Round 2: Δ² = 0.01 > v: v = 0.000626 + 0.0001 = 0.000726 (Adam would have decayed it first)
    const x2 = await step(strategy, x1, [[0.1]], [1]);
    expect(x2[0]).to.be.closeTo(0.985918833, 1e-6);
    // Round 3: Δ = 0.001, Δ² = 1e-6 < v: v = 0.000726 − 0.01·1e-6 = 0.00072599; m = −0.01115
    const x3 = await step(strategy, x2, [[0.001]], [1]);
    expect(x3[0]).to.be.closeTo(0.981928739, 1e-6);
  });

  it('FedAdagrad accumulates v = τ² + ΣΔ²', async () => {
    const strategy = new FedAdagrad({ beta1: 0, eta: 1, tau: 1e-3 });
    // Δ = 0.5 → v = 1e-6 + 0.25, x = 0 + 0.5 / (√v + 0.001)
    const x1 = await step(strategy, [0], [[0.5]], [1]);
    expect(x1[0]).to.be.closeTo(0.5 / (Math.sqrt(0.250001) + 0.001), 1e-6);
  });

  it('exports and imports its moments: a restored strategy continues exactly like the original', async () => {
    const original = new FedAdam();
    const x1 = await step(original, [1, 2], [[0.2, -0.1], [-0.4, 0.3]], [1, 3]);
    const snapshot = JSON.parse(JSON.stringify(original.exportState()));
    const restored = new FedAdam();
    restored.importState(snapshot);
    expect(restored.steps).to.equal(1);
    const fresh = new FedAdam();
    const continued = await step(original, x1, [[0.1, 0.1]], [1]);
    const resumed = await step(restored, x1, [[0.1, 0.1]], [1]);
    const forgotten = await step(fresh, x1, [[0.1, 0.1]], [1]);
    expect(resumed).to.deep.equal(continued);
    expect(forgotten[0]).to.not.be.closeTo(continued[0], 1e-4); // the state matters, so the test can fail
    // An empty strategy exports an empty state that imports fine.
    const empty = new FedYogi();
    empty.importState(new FedYogi().exportState());
    expect(empty.steps).to.equal(0);
  });

  it('rejects invalid snapshots, options and state that does not fit the model, naming the problem', async () => {
    const adam = new FedAdam();
    await step(adam, [1, 2], [[0.1, 0.1]], [1]);
    const snapshot = adam.exportState() as { tensors: { m: string }[] };
    expect(() => new FedYogi().importState(snapshot)).to.throw(/snapshot is for adam, this strategy runs yogi/);
    const truncated = { ...snapshot, tensors: [{ ...snapshot.tensors[0], m: Buffer.alloc(4).toString('base64') }] };
    expect(() => new FedAdam().importState(truncated)).to.throw(/w\.m holds 1 values, its shape needs 2/);
    expect(() => new FedAdam().importState({ format: 'nope' })).to.throw(/snapshot is invalid: format/);
    expect(() => new FedAdam().importState(null)).to.throw(/snapshot is invalid/);
    // State for a 2-weight model, then a round on a 3-weight model.
    const error = await rejection(adam.aggregate(ctxWith([1, 2, 3]), [update([1, 2, 3], 1)]));
    expect(error.message).to.match(/optimiser state for weight 0 is 2, the global model's is 3/);
    expect(() => new FedAdam({ eta: -1 })).to.throw(/fedadam options are invalid.*eta/);
    expect(() => new FedYogi({ beta1: 1 })).to.throw(/fedyogi options are invalid.*beta1/);
    expect(() => new FedAdam({ lr: 0.1 })).to.throw(/fedadam options are invalid/);
  });

  it('configures rounds like FedAvg (no activations, no importance)', () => {
    const config = new FedYogi().configureRound(ctxWith([0]), {
      localEpochs: 2,
      batchSize: 16,
      learningRate: 0.05,
      optimizer: 'sgd',
      proximalMu: 0,
      sendActivations: true,
      importanceMethod: 'conductance',
      seed: 3,
      halfPrecision: false,
    });
    expect(config).to.include({ sendActivations: false, importanceMethod: '', localEpochs: 2, learningRate: 0.05 });
  });
});
