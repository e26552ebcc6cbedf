// The gradient fit (ALF step) on its own: it must actually learn, keep the best validation weights, and not leak.
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { splitLevels } from '@fedfuse/client/internal/model/levels.js';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { trainLevel } from '../../server/fusion/fit-gradient.js';
import { seededRandom } from '../../server/fusion/random.js';

function oneLevel(inputs: number, units: number): tf.LayersModel {
  return tf.sequential({ layers: [tf.layers.dense({ units, inputShape: [inputs], kernelInitializer: 'zeros' })] });
}

describe('trainLevel (gradient fit)', function () {
  this.timeout(60000);
  before(async () => {
    await initBackend();
  });

  it('learns a linear map from a zero start under weighted MSE, and leaks nothing', () => {
    const model = oneLevel(6, 3);
    const level = splitLevels(model)[0];
    const x = tf.randomNormal([200, 6], 0, 1, 'float32', 1);
    const w = tf.randomNormal([6, 3], 0, 1, 'float32', 2);
    const t = tf.matMul(x, w);
    const before = tf.memory().numTensors;
    const report = trainLevel(
      level,
      x,
      { kind: 'mse', targets: t, groupWeights: Float64Array.from([1, 2, 3]) },
      { epochs: 60, learningRate: 0.05, patience: 10, batchSize: 32, validationFraction: 0.2, random: seededRandom(1) },
    );
    expect(tf.memory().numTensors).to.equal(before);
    expect(report.bestValidationLoss).to.be.lessThan(0.01 * report.initialValidationLoss);
    const learned = model.getWeights()[0].dataSync();
    const truth = w.dataSync();
    for (let i = 0; i < truth.length; i++) expect(learned[i]).to.be.closeTo(truth[i], 0.05);
    tf.dispose([x, w, t]);
    model.dispose();
  });

  it('distils soft targets with KL and never ends worse than it started', () => {
    const model = oneLevel(5, 4);
    const level = splitLevels(model)[0];
    const x = tf.randomNormal([120, 5], 0, 1, 'float32', 3);
    const teacher = tf.tidy(() => tf.softmax(tf.matMul(x, tf.randomNormal([5, 4], 0, 2, 'float32', 4))));
    const report = trainLevel(
      level,
      x,
      { kind: 'distill', probabilities: teacher, temperature: 2 },
      { epochs: 30, learningRate: 0.05, patience: 5, batchSize: 16, validationFraction: 0.25, random: seededRandom(2) },
    );
    expect(report.bestValidationLoss).to.be.lessThan(0.5 * report.initialValidationLoss);
    // With a learning rate that diverges, the best (= initial) weights are kept.
    const [k0] = model.getWeights().map((v) => v.dataSync().slice());
    const bad = trainLevel(
      level,
      x,
      { kind: 'distill', probabilities: teacher, temperature: 2 },
      { epochs: 3, learningRate: 1e4, patience: 2, batchSize: 16, validationFraction: 0.25, random: seededRandom(3) },
    );
    expect(bad.bestValidationLoss).to.equal(bad.initialValidationLoss);
    expect(Array.from(model.getWeights()[0].dataSync())).to.deep.equal(Array.from(k0));
    tf.dispose([x, teacher]);
    model.dispose();
  });
});
