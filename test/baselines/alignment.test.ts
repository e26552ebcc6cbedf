import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { readWeights } from '@fedfuse/client/internal/model/weights.js';
import { alignWeights, mapAxis, permuteWeights } from '../../server/alignment/align-weights.js';
import { levelLayouts } from '../../server/alignment/level-layout.js';
import { couplingMap, invertPermutation, mapAsPermutation, permutationMap } from '../../server/alignment/neuron-map.js';
import { modelWithWeights } from '../../server/alignment/tf-models.js';
import { maxOutputDifference, mlp, randomInput, randomPermutation, smallConvNet } from './fixtures.js';

describe('baselines: neuron alignment primitives', () => {
  before(async () => {
    await initBackend();
  });

  it('describes where each level lives, including the channel repeat after a conv→Flatten', () => {
    const net = smallConvNet(1);
    try {
      const layouts = levelLayouts(net);
      expect(layouts.map((l) => [l.kind, l.width, l.kernelIndex, l.biasIndex, l.inputRepeat])).to.deep.equal([
        ['conv2d', 4, 0, 1, 0],
        ['conv2d', 6, 2, 3, 1],
        ['dense', 5, 4, 5, 9],
        ['dense', 3, 6, 7, 1],
      ]);
    } finally {
      net.dispose();
    }
  });

  it('rejects a Reshape between levels with a clear error', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 16, inputShape: [4] }),
        tf.layers.reshape({ targetShape: [4, 4, 1] }),
        tf.layers.conv2d({ filters: 2, kernelSize: 2 }),
      ],
    });
    try {
      expect(() => levelLayouts(model)).to.throw(/Reshape between levels/);
    } finally {
      model.dispose();
    }
  });

  it('maps an axis by a permutation and by a mixture', () => {
    // [outer=2, axis=3, inner=2]
    const v = Float32Array.from([0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15]);
    expect(Array.from(mapAxis(v, 2, 3, 2, permutationMap([2, 0, 1])))).to.deep.equal([4, 5, 0, 1, 2, 3, 14, 15, 10, 11, 12, 13]);
    // One target neuron = mean of sources 0 and 2.
    const mix = couplingMap(Float64Array.from([0.5, 0, 0.5]), 1, 3);
    expect(Array.from(mapAxis(v, 2, 3, 2, mix))).to.deep.equal([2, 3, 12, 13]);
  });

  it('rejects maps that are not permutations or do not fit', () => {
    expect(() => permutationMap([0, 0, 1])).to.throw(/not a permutation/);
    expect(() => mapAxis(new Float32Array(6), 1, 3, 2, permutationMap([1, 0]))).to.throw(/expects 2 source neurons/);
    expect(mapAsPermutation(couplingMap(Float64Array.from([0.5, 0.5, 0, 1]), 2, 2))).to.equal(undefined);
  });

  for (const [label, make, widths] of [
    ['an MLP', () => mlp([6, 8, 7, 3], 3), [8, 7]],
    ['a conv net with pooling and flatten', () => smallConvNet(4), [4, 6, 5]],
  ] as const) {
    it(`permuting hidden neurons of ${label} keeps its function, and the inverse permutation restores the weights`, () => {
      const model = make();
      const inputShape = model.inputs[0].shape.slice(1) as number[];
      const x = randomInput([5, ...inputShape], 7);
      const layouts = levelLayouts(model);
      const original = readWeights(model);
      const perms = widths.map((w, l) => randomPermutation(w, 10 + l));
      const permuted = permuteWeights(original, layouts, perms);
      expect(permuted.some((w, t) => w.values.some((v, i) => v !== original[t].values[i]))).to.equal(true);
      const twin = modelWithWeights(model, permuted);
      try {
        expect(maxOutputDifference(model, twin, x)).to.be.lessThan(1e-5);
        const restored = permuteWeights(permuted, layouts, perms.map(invertPermutation));
        restored.forEach((w, t) => expect(Array.from(w.values)).to.deep.equal(Array.from(original[t].values)));
      } finally {
        twin.dispose();
        model.dispose();
        x.dispose();
      }
    });
  }

  it('changes level widths when a map merges neurons (the next level input shrinks with it)', () => {
    const model = mlp([4, 6, 2], 5);
    try {
      const layouts = levelLayouts(model);
      // 6 neurons → 3: each target neuron averages two source neurons.
      const plan = new Float64Array(18);
      for (let j = 0; j < 3; j++) plan[j * 6 + 2 * j] = plan[j * 6 + 2 * j + 1] = 1 / 6;
      const merged = alignWeights(readWeights(model), layouts, [couplingMap(plan, 3, 6)]);
      expect(merged.map((w) => w.shape)).to.deep.equal([[4, 3], [3], [3, 2], [2]]);
    } finally {
      model.dispose();
    }
  });
});
