// Temperature scaling of fused logits: the scale minimises the labelled cross-entropy and never changes a row's class.
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import fc from 'fast-check';
import { buildModel } from '../../common/model/model-spec.js';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { calibrateOutputLevel } from '../../server/fusion/calibrate-output.js';
import { fitLogitScale, MAX_SCALE, scaledCrossEntropy } from '../../server/fusion/logit-scale.js';
import { seededRandom } from '../../server/fusion/random.js';
import { randomInputs, scaleOutputLayer } from './helpers.js';

describe('logit scale (temperature scaling)', () => {
  it('finds the scale where the cross-entropy is lowest, for any labelled logits', () => {
    const rows = fc.integer({ min: 1, max: 12 });
    fc.assert(
      fc.property(rows, fc.integer({ min: 2, max: 5 }), fc.integer({ min: 0, max: 1e6 }), (n, classes, seed) => {
        const next = seededRandom(seed);
        const logits = Float32Array.from({ length: n * classes }, () => 8 * (next() - 0.5));
        const labels = Int32Array.from({ length: n }, () => Math.floor(next() * classes));
        const s = fitLogitScale(logits, labels, classes);
        expect(s).to.be.within(1 / MAX_SCALE, MAX_SCALE);
        const loss = (x: number) => scaledCrossEntropy(logits, labels, classes, x).loss;
        for (const other of [1 / MAX_SCALE, 0.5 * s, 0.9 * s, 1, 1.1 * s, 2 * s, MAX_SCALE]) {
          expect(loss(s)).to.be.at.most(loss(Math.min(MAX_SCALE, Math.max(1 / MAX_SCALE, other))) + 1e-6);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('shrinks over-confident logits and sharpens timid ones', () => {
    // Two classes, the label right 3 times in 4: the best probability for the favoured class is 0.75, logit gap ln 3.
    const gap = Math.log(3);
    const labels = Int32Array.from([0, 0, 0, 1]);
    const logits = (g: number) => Float32Array.from([g, 0, g, 0, g, 0, g, 0]);
    expect(fitLogitScale(logits(10 * gap), labels, 2)).to.be.closeTo(0.1, 1e-4);
    expect(fitLogitScale(logits(gap / 4), labels, 2)).to.be.closeTo(4, 1e-4);
    expect(fitLogitScale(logits(gap), labels, 2)).to.be.closeTo(1, 1e-6);
  });

  it('refuses logits that do not match the labels, and labels outside the classes', () => {
    expect(() => fitLogitScale(new Float32Array(5), Int32Array.from([0, 1]), 3)).to.throw(/5 logits do not make 2 rows of 3 classes/);
    expect(() => fitLogitScale(new Float32Array(6), Int32Array.from([0, 3]), 3)).to.throw(/row 1 has label 3, outside 0..2/);
    expect(() => fitLogitScale(new Float32Array(0), new Int32Array(0), 3)).to.throw(/at least one labelled row/);
  });

  it('rescales a model\'s output level in place: same classes, lower loss on the rows, no tensor left behind', async () => {
    await initBackend();
    const model = buildModel({ kind: 'mlp', widths: [6, 10, 4], activation: 'relu' }, 3);
    scaleOutputLayer(model, 20); // over-confident
    const x = randomInputs([40, 6], 5);
    const before = tf.memory().numTensors;
    const classesBefore = tf.tidy(() => Array.from(tf.argMax(model.predict(x) as tf.Tensor2D, 1).dataSync()));
    // Labels: the model's own class on 3 rows in 4, another class on the rest.
    const labels = Int32Array.from(classesBefore, (c, i) => (i % 4 === 0 ? (c + 1) % 4 : c));
    const loss = () => tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(labels, 'int32'), 4), model.predict(x) as tf.Tensor2D).dataSync()[0]);
    const lossBefore = loss();
    const scale = calibrateOutputLevel(model, x, labels)!;
    expect(scale).to.be.lessThan(1);
    expect(loss()).to.be.lessThan(lossBefore);
    expect(tf.tidy(() => Array.from(tf.argMax(model.predict(x) as tf.Tensor2D, 1).dataSync()))).to.deep.equal(classesBefore);
    expect(tf.memory().numTensors).to.equal(before);
    x.dispose();
    model.dispose();
  });
});
