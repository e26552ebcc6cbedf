import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { modelToState } from '@fedfuse/client/internal/model/model-state.js';
import { readWeights } from '@fedfuse/client/internal/model/weights.js';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { permuteWeights } from '../../server/alignment/align-weights.js';
import { levelLayouts } from '../../server/alignment/level-layout.js';
import { invertPermutation, mapAsPermutation } from '../../server/alignment/neuron-map.js';
import { otAlign } from '../../server/alignment/ot-align.js';
import { alignmentParent, modelWithWeights } from '../../server/alignment/tf-models.js';
import { OTFusion, otFuse } from '../../server/strategies/otfusion.js';
import type { ClientUpdate, RoundContext, TrainingConfig } from '../../server/strategies/strategy.js';
import { disposeAll, maxOutputDifference, mlp, rejection, randomInput, randomPermutation, smallConvNet } from './fixtures.js';

const baseConfig: TrainingConfig = {
  localEpochs: 1,
  batchSize: 32,
  learningRate: 0.1,
  optimizer: 'sgd',
  proximalMu: 0,
  sendActivations: true,
  importanceMethod: 'uniform',
  seed: 1,
  halfPrecision: false,
};

function update(clientId: string, model: tf.LayersModel, numExamples: number): ClientUpdate {
  return {
    clientId,
    round: 1,
    weights: readWeights(model),
    numExamples,
    activations: [],
    importance: [],
    metrics: {},
    labelHistogram: [],
  };
}

describe('baselines: OTFusion', () => {
  before(async () => {
    await initBackend();
  });

  for (const [label, make, widths] of [
    ['an MLP', () => mlp([10, 12, 9, 4], 21), [12, 9]],
    ['a small conv net', () => smallConvNet(22), [4, 6, 5]],
  ] as const) {
    it(`fusing ${label} with a neuron-permuted copy of itself recovers the original and the permutation`, () => {
      const model = make();
      const inputShape = model.inputs[0].shape.slice(1) as number[];
      const probe = randomInput([40, ...inputShape], 1);
      const fresh = randomInput([25, ...inputShape], 2);
      const perms = widths.map((w, l) => randomPermutation(w, 30 + l));
      const twin = modelWithWeights(model, permuteWeights(readWeights(model), levelLayouts(model), perms));
      const before = tf.memory().numTensors;
      const fused = otFuse([model, twin], probe, { anchor: 0 });
      try {
        expect(tf.memory().numTensors - before).to.equal(fused.weights.length);
        expect(maxOutputDifference(model, fused, fresh)).to.be.lessThan(1e-5);
        // Averaging without alignment would not: the test can tell the difference.
        const naive = modelWithWeights(model, readWeights(model).map((w, t) => ({
          ...w,
          values: w.values.map((v, i) => (v + readWeights(twin)[t].values[i]) / 2),
        })));
        expect(maxOutputDifference(model, naive, fresh)).to.be.greaterThan(1e-2);
        naive.dispose();

        const { maps } = otAlign([alignmentParent(model, probe), alignmentParent(twin, probe)], 0);
        widths.forEach((_, l) => {
          expect(Array.from(mapAsPermutation(maps[1][l]!) ?? [])).to.deep.equal(Array.from(invertPermutation(perms[l])));
        });
        expect(maps[1][widths.length]).to.equal(undefined); // output level untouched
        expect(maps[0].every((m) => m === undefined)).to.equal(true);
      } finally {
        fused.dispose();
        twin.dispose();
        model.dispose();
        probe.dispose();
        fresh.dispose();
      }
    });
  }

  it('with the Sinkhorn solver and small regularisation, lands (nearly) on the same model', () => {
    const model = mlp([10, 12, 4], 23);
    const probe = randomInput([40, 10], 3);
    const fresh = randomInput([25, 10], 4);
    const twin = modelWithWeights(model, permuteWeights(readWeights(model), levelLayouts(model), [randomPermutation(12, 5)]));
    const fused = otFuse([model, twin], probe, { solver: 'sinkhorn', epsilon: 0.002, maxIterations: 5000 });
    try {
      expect(maxOutputDifference(model, fused, fresh)).to.be.lessThan(1e-3);
    } finally {
      disposeAll(fused, twin, model, probe, fresh);
    }
  });

  it('fuses parents of different hidden widths into the anchor architecture (Sinkhorn), exact mode refuses', () => {
    const narrow = mlp([6, 5, 3], 24);
    const wide = mlp([6, 8, 3], 25);
    const probe = randomInput([30, 6], 6);
    try {
      const fused = otFuse([narrow, wide], probe, { anchor: 1 });
      expect(readWeights(fused).map((w) => w.shape)).to.deep.equal([[6, 8], [8], [8, 3], [3]]);
      fused.dispose();
      expect(() => otFuse([narrow, wide], probe, { solver: 'exact' })).to.throw(/exact OT needs equal widths/);
    } finally {
      disposeAll(narrow, wide, probe);
    }
  });

  it('reports mismatched architectures clearly', () => {
    const a = mlp([6, 8, 3], 26);
    const otherOutputs = mlp([6, 8, 4], 27);
    const deeper = mlp([6, 8, 8, 3], 28);
    const conv = smallConvNet(29);
    const probe = randomInput([10, 6], 7);
    try {
      expect(() => otFuse([a, otherOutputs], probe)).to.throw(/has 4 outputs, the anchor has 3/);
      expect(() => otFuse([a, deeper], probe)).to.throw(/has 3 levels, the anchor has 2/);
      // Parents that cannot share a probe are still compared level by level before any activation is used.
      const convProbe = randomInput([10, 8, 8, 2], 8);
      const fourLevels = mlp([6, 4, 6, 5, 3], 30);
      const narrowInput = mlp([5, 8, 3], 31);
      try {
        expect(() => otAlign([alignmentParent(fourLevels, probe), alignmentParent(conv, convProbe)], 0)).to.throw(
          /parent 1: level 0 is conv2d, the anchor's is dense/,
        );
        expect(() => otAlign([alignmentParent(a, probe), alignmentParent(narrowInput, randomInput([10, 5], 9))], 0)).to.throw(
          /parent 1: input size 5 differs from the anchor's 6/,
        );
      } finally {
        disposeAll(convProbe, fourLevels, narrowInput);
      }
      expect(() => otFuse([a, a], probe, { weights: [1] })).to.throw(/2 parents/);
      expect(() => otFuse([], probe)).to.throw(/at least one parent/);
    } finally {
      disposeAll(a, otherOutputs, deeper, conv, probe);
    }
  });

  it('as a strategy: aligns client updates on the server probe, weights by examples, leaks no tensors', async () => {
    const global = mlp([10, 12, 9, 4], 31);
    const a = mlp([10, 12, 9, 4], 32);
    const layouts = levelLayouts(a);
    const b = modelWithWeights(a, permuteWeights(readWeights(a), layouts, [randomPermutation(12, 1), randomPermutation(9, 2)]));
    const c = mlp([10, 12, 9, 4], 33);
    const probeTensor = randomInput([30, 10], 8);
    const fresh = randomInput([20, 10], 9);
    const ctx: RoundContext = {
      round: 1,
      global: modelToState(global),
      probe: { x: { shape: [...probeTensor.shape], values: probeTensor.dataSync() as Float32Array } },
      seed: 1,
    };
    const strategy = new OTFusion();
    expect(strategy.configureRound(ctx, baseConfig).sendActivations).to.equal(false);
    try {
      const before = tf.memory().numTensors;
      const { model: state } = await strategy.aggregate(ctx, [update('a', a, 10), update('b', b, 30)]);
      expect(tf.memory().numTensors).to.equal(before);
      // b (most examples) is the anchor; a is its permuted twin, so the fusion is b itself.
      const fused = modelWithWeights(global, state.weights);
      expect(maxOutputDifference(b, fused, fresh)).to.be.lessThan(1e-5);
      readWeights(b).forEach((w, t) => {
        const got = state.weights[t].values;
        expect(Math.max(...w.values.map((v, i) => Math.abs(v - got[i])))).to.be.lessThan(1e-6);
      });
      fused.dispose();
      // Three distinct clients: a valid model of the global architecture comes out.
      const { model: three } = await strategy.aggregate(ctx, [update('a', a, 1), update('b', b, 1), update('c', c, 1)]);
      expect(three.weights.map((w) => w.shape)).to.deep.equal(ctx.global.weights.map((w) => w.shape));
      expect(three.weights.every((w) => w.values.every(Number.isFinite))).to.equal(true);
      expect((await rejection(strategy.aggregate({ ...ctx, probe: undefined }, [update('a', a, 1)]))).message).to.match(/probe set/);
    } finally {
      disposeAll(global, a, b, c, probeTensor, fresh);
    }
  });

  it('rejects unknown or invalid strategy options', () => {
    expect(() => new OTFusion({ solver: 'magic' })).to.throw(/otfusion options are invalid.*solver/);
    expect(() => new OTFusion({ anchr: 'first' })).to.throw(/otfusion options are invalid/);
  });
});
