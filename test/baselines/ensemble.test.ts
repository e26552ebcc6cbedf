import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { ensemblePredict, evaluateEnsemble } from '../../server/ensemble/prediction-ensemble.js';
import { disposeAll, mlp, randomInput } from './fixtures.js';

describe('baselines: prediction ensemble', () => {
  before(async () => {
    await initBackend();
  });

  it('averages the members’ softmax outputs', () => {
    const a = mlp([5, 7, 3], 61);
    const b = mlp([5, 7, 3], 62);
    const x = randomInput([4, 5], 1);
    try {
      const before = tf.memory().numTensors;
      const probs = ensemblePredict([a, b], x);
      expect(tf.memory().numTensors - before).to.equal(1);
      const expected = tf.tidy(() =>
        tf.div(tf.add(tf.softmax(a.predict(x) as tf.Tensor2D), tf.softmax(b.predict(x) as tf.Tensor2D)), 2),
      );
      const got = probs.arraySync();
      const want = expected.arraySync() as number[][];
      got.forEach((row, i) => {
        expect(row.reduce((s, p) => s + p, 0)).to.be.closeTo(1, 1e-5);
        row.forEach((p, j) => expect(p).to.be.closeTo(want[i][j], 1e-6));
      });
      disposeAll(probs, expected);
    } finally {
      disposeAll(a, b, x);
    }
  });

  it('evaluates accuracy and NLL in batches without leaking tensors', () => {
    const a = mlp([5, 7, 3], 63);
    const b = mlp([5, 7, 3], 64);
    const x = randomInput([50, 5], 2);
    try {
      // Labels = the ensemble's own argmax, except the first 10 shifted by one class: accuracy exactly 0.8.
      const predicted = tf.tidy(() => tf.argMax(ensemblePredict([a, b], x), 1).dataSync());
      const labels = Int32Array.from(predicted, (c, i) => (i < 10 ? (c + 1) % 3 : c));
      const ys = tf.tensor1d(labels, 'int32');
      const before = tf.memory().numTensors;
      const result = evaluateEnsemble([a, b], x, ys, 16);
      expect(tf.memory().numTensors).to.equal(before);
      expect(result.accuracy).to.equal(0.8);
      const probs = ensemblePredict([a, b], x);
      const p = probs.arraySync();
      const nll = -labels.reduce((s, c, i) => s + Math.log(p[i][c]), 0) / labels.length;
      expect(result.loss).to.be.closeTo(nll, 1e-5);
      disposeAll(ys, probs);
    } finally {
      disposeAll(a, b, x);
    }
  });

  it('reports unusable ensembles clearly', () => {
    const a = mlp([5, 7, 3], 65);
    const c = mlp([5, 7, 4], 66);
    const x = randomInput([2, 5], 3);
    try {
      expect(() => ensemblePredict([], x)).to.throw(/at least one model/);
      expect(() => ensemblePredict([a, c], x)).to.throw(/model 1 predicts 4 classes, model 0 predicts 3/);
      const ys = tf.tensor1d([0], 'int32');
      expect(() => evaluateEnsemble([a], x, ys)).to.throw(/2 inputs but 1 labels/);
      ys.dispose();
    } finally {
      disposeAll(a, c, x);
    }
  });
});
