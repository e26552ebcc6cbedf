import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { modelToState } from '@fedfuse/client/internal/model/model-state.js';
import { readWeights } from '@fedfuse/client/internal/model/weights.js';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { permuteWeights } from '../../server/alignment/align-weights.js';
import { levelLayouts } from '../../server/alignment/level-layout.js';
import { invertPermutation } from '../../server/alignment/neuron-map.js';
import { modelWithWeights } from '../../server/alignment/tf-models.js';
import { matchWeights } from '../../server/alignment/weight-matching.js';
import type { ClientUpdate, RoundContext } from '../../server/strategies/strategy.js';
import { WeightMatching, weightMatchFuse } from '../../server/strategies/weight-matching.js';
import { disposeAll, maxOutputDifference, mlp, randomInput, randomPermutation, rejection, smallConvNet } from './fixtures.js';

function update(clientId: string, model: tf.LayersModel, numExamples: number): ClientUpdate {
  return { clientId, round: 1, weights: readWeights(model), numExamples, activations: [], importance: [], metrics: {}, labelHistogram: [] };
}

describe('baselines: Git Re-Basin weight matching', () => {
  before(async () => {
    await initBackend();
  });

  for (const [label, make, widths] of [
    ['an MLP', () => mlp([10, 16, 12, 4], 41), [16, 12]],
    ['a small conv net', () => smallConvNet(42), [4, 6, 5]],
  ] as const) {
    it(`matching ${label} with a neuron-permuted copy recovers the permutation and, averaged, the original`, () => {
      const model = make();
      const inputShape = model.inputs[0].shape.slice(1) as number[];
      const fresh = randomInput([20, ...inputShape], 3);
      const layouts = levelLayouts(model);
      const perms = widths.map((w, l) => randomPermutation(w, 50 + l));
      const twin = modelWithWeights(model, permuteWeights(readWeights(model), layouts, perms));
      try {
        const result = matchWeights(readWeights(model), readWeights(twin), layouts, { seed: 1 });
        result.perms.forEach((p, l) => expect(Array.from(p)).to.deep.equal(Array.from(invertPermutation(perms[l]))));
        expect(result.perms).to.have.length(widths.length); // output level is not permuted
        // Perfect alignment: the objective is ‖W_A‖².
        const selfProduct = readWeights(model).reduce((s, w) => s + w.values.reduce((a, v) => a + v * v, 0), 0);
        expect(result.objective).to.be.closeTo(selfProduct, 1e-6 * selfProduct);

        const before = tf.memory().numTensors;
        const fused = weightMatchFuse(model, twin);
        expect(tf.memory().numTensors - before).to.equal(fused.weights.length);
        expect(maxOutputDifference(model, fused, fresh)).to.be.lessThan(1e-5);
        fused.dispose();
      } finally {
        disposeAll(twin, model, fresh);
      }
    });
  }

  it('improves the weight inner product between two unrelated models and keeps B’s function', () => {
    const a = mlp([8, 20, 20, 3], 43);
    const b = mlp([8, 20, 20, 3], 44);
    const x = randomInput([10, 8], 5);
    try {
      const layouts = levelLayouts(a);
      const wa = readWeights(a);
      const wb = readWeights(b);
      const unaligned = wa.reduce((s, w, t) => s + w.values.reduce((acc, v, i) => acc + v * wb[t].values[i], 0), 0);
      const result = matchWeights(wa, wb, layouts, { seed: 2 });
      expect(result.objective).to.be.greaterThan(unaligned);
      expect(result.passes).to.be.greaterThan(1); // a pass that changed something, then one that confirmed
      const aligned = modelWithWeights(b, result.aligned);
      expect(maxOutputDifference(b, aligned, x)).to.be.lessThan(1e-5);
      aligned.dispose();
    } finally {
      disposeAll(a, b, x);
    }
  });

  it('reports mismatched architectures clearly', () => {
    const a = mlp([6, 8, 3], 45);
    const wider = mlp([6, 9, 3], 46);
    try {
      expect(() => weightMatchFuse(a, wider)).to.throw(/weight matching needs one architecture: weight 0 .* is 6x8 vs 6x9/);
    } finally {
      disposeAll(a, wider);
    }
  });

  it('as a strategy: fuses exactly two updates, weighted by examples, and refuses any other count', async () => {
    const global = mlp([10, 16, 4], 47);
    const a = mlp([10, 16, 4], 48);
    const b = modelWithWeights(a, permuteWeights(readWeights(a), levelLayouts(a), [randomPermutation(16, 6)]));
    const c = mlp([10, 16, 4], 49);
    const x = randomInput([10, 10], 7);
    const ctx: RoundContext = { round: 3, global: modelToState(global), seed: 5 };
    const strategy = new WeightMatching();
    try {
      const before = tf.memory().numTensors;
      const { model: state } = await strategy.aggregate(ctx, [update('a', a, 5), update('b', b, 20)]);
      expect(tf.memory().numTensors).to.equal(before);
      const fused = modelWithWeights(global, state.weights);
      // b has more examples so it is the reference order; a is its permuted twin, so the fusion is b.
      expect(maxOutputDifference(b, fused, x)).to.be.lessThan(1e-5);
      readWeights(b).forEach((w, t) => expect(Array.from(state.weights[t].values)).to.deep.equal(Array.from(w.values)));
      fused.dispose();
      for (const updates of [[update('a', a, 1)], [update('a', a, 1), update('b', b, 1), update('c', c, 1)]]) {
        const error = await rejection(strategy.aggregate(ctx, updates));
        expect(error.message).to.match(new RegExp(`exactly 2 client updates per round, got ${updates.length}`));
      }
      expect(() => new WeightMatching({ passes: 3 })).to.throw(/weight-matching options are invalid/);
    } finally {
      disposeAll(global, a, b, c, x);
    }
  });
});
