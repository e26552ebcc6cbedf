import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { readWeights, type WeightTensor } from '@fedfuse/client/internal/model/weights.js';
import { trainLocally, type LocalTrainingConfig } from '@fedfuse/client/internal/training/local-training.js';
import { fusedDensePlan } from '@fedfuse/client/internal/training/fused-dense.js';
import type { TrainingProgress } from '@fedfuse/client';
import { buildModel, type ModelSpec } from '../../common/model/model-spec.js';
import { disposeData, mnistSlice } from '../federation/helpers.js';
import type { LocalData } from '@fedfuse/client';

/** Largest |a − b| over each weight tensor, relative to that tensor's largest |a| (at least 1e-3). */
function relativeDifference(a: WeightTensor[], b: WeightTensor[]): number {
  let worst = 0;
  a.forEach((w, t) => {
    let diff = 0;
    let scale = 1e-3;
    w.values.forEach((v, i) => {
      diff = Math.max(diff, Math.abs(v - b[t].values[i]));
      scale = Math.max(scale, Math.abs(v));
    });
    worst = Math.max(worst, diff / scale);
  });
  return worst;
}

async function trainBoth(spec: ModelSpec, data: LocalData, config: LocalTrainingConfig) {
  const runs = [];
  for (const fused of [false, true]) {
    const model = buildModel(spec, 1);
    const progress: TrainingProgress[] = [];
    const result = await trainLocally(model, data, config, { fused, onProgress: (p) => progress.push(p) });
    runs.push({ result, progress, weights: readWeights(model) });
    model.dispose();
  }
  return { tfjs: runs[0], fused: runs[1] };
}

describe('fused dense training step', function () {
  this.timeout(120_000);
  let data: LocalData;

  before(async () => {
    await initBackend();
    // 301 examples: with batch 32 the last batch has 13 rows (not a multiple of the kernels' 4-row blocks).
    data = await mnistSlice(1000, 301);
  });
  after(() => disposeData(data));

  const cases: [string, ModelSpec, LocalTrainingConfig][] = [
    ['784-256-10 relu, SGD (the default scenario)', { kind: 'mlp', widths: [784, 256, 10], activation: 'relu' }, { localEpochs: 2, batchSize: 32, learningRate: 0.05, optimizer: 'sgd', proximalMu: 0, seed: 3 }],
    ['784-64-30-10 relu, Adam with the FedProx term', { kind: 'mlp', widths: [784, 64, 30, 10], activation: 'relu' }, { localEpochs: 2, batchSize: 32, learningRate: 0.01, optimizer: 'adam', proximalMu: 0.5, seed: 4 }],
    ['784-50-10 tanh, SGD with the FedProx term, batch 20', { kind: 'mlp', widths: [784, 50, 10], activation: 'tanh' }, { localEpochs: 2, batchSize: 20, learningRate: 0.1, optimizer: 'sgd', proximalMu: 0.1, seed: 5 }],
    ['784-50-10 sigmoid, Adam', { kind: 'mlp', widths: [784, 50, 10], activation: 'sigmoid' }, { localEpochs: 1, batchSize: 32, learningRate: 0.005, optimizer: 'adam', proximalMu: 0, seed: 6 }],
  ];
  for (const [name, spec, config] of cases) {
    it(`ends with the weights, losses and progress events of the TF.js step: ${name}`, async () => {
      const { tfjs, fused } = await trainBoth(spec, data, config);
      expect(tfjs.result.engine).to.equal('tfjs');
      expect(fused.result.engine).to.equal('fused-dense');
      expect(fused.result.steps).to.equal(tfjs.result.steps).and.to.equal(config.localEpochs * Math.ceil(301 / config.batchSize));
      // The weights moved (so the comparison means something), and both paths moved them the same way.
      const start = readWeights(buildModel(spec, 1));
      expect(relativeDifference(start, tfjs.weights)).to.be.greaterThan(1e-2);
      // Adam divides each step by √v: where a weight's gradient is a nearly cancelling sum over the batch, the two
      // paths' different summation orders change it relatively a lot and Adam passes that on at up to lr per step
      // (measured: 2.4e-4 of a tensor's scale after 10 steps); SGD passes on only the rounding itself (≤ 1e-6).
      expect(relativeDifference(tfjs.weights, fused.weights)).to.be.below(config.optimizer === 'adam' ? 1e-3 : 1e-5);
      expect(fused.progress.map(({ loss, ...rest }) => rest)).to.deep.equal(tfjs.progress.map(({ loss, ...rest }) => rest));
      fused.progress.forEach((p, i) => expect(p.loss).to.be.closeTo(tfjs.progress[i].loss, 1e-4 * Math.max(1, tfjs.progress[i].loss)));
      fused.result.epochLosses.forEach((l, i) => expect(l).to.be.closeTo(tfjs.result.epochLosses[i], 1e-5));
      expect(fused.result.loss).to.be.closeTo(tfjs.result.loss, 1e-5);
      expect(fused.result.accuracy).to.equal(tfjs.result.accuracy);
    });
  }

  it('applies only to chains of Dense layers with supported activations; TF.js trains the rest', async () => {
    const mlp = buildModel({ kind: 'mlp', widths: [784, 16, 10], activation: 'relu' }, 1);
    const cnn = buildModel({ kind: 'sequential', inputShape: [28, 28, 1], layers: [{ type: 'conv2d', filters: 2, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' }, { type: 'flatten' }, { type: 'dense', units: 10, activation: 'linear' }] }, 1);
    const dropout = buildModel({ kind: 'sequential', inputShape: [784], layers: [{ type: 'dense', units: 16, activation: 'relu' }, { type: 'dropout', rate: 0.5 }, { type: 'dense', units: 10, activation: 'linear' }] }, 1);
    const softmax = tf.sequential({ layers: [tf.layers.dense({ units: 10, inputShape: [784], activation: 'softmax' })] });
    const frozen = buildModel({ kind: 'mlp', widths: [784, 16, 10], activation: 'relu' }, 1);
    frozen.layers[0].trainable = false;
    const models = [mlp, cnn, dropout, softmax, frozen];
    try {
      expect(fusedDensePlan(mlp)?.map((l) => [l.inputs, l.units, l.activation])).to.deep.equal([[784, 16, 'relu'], [16, 10, 'linear']]);
      for (const other of [cnn, dropout, softmax, frozen]) expect(fusedDensePlan(other)).to.equal(undefined);
      const config: LocalTrainingConfig = { localEpochs: 1, batchSize: 100, learningRate: 0.05, optimizer: 'sgd', proximalMu: 0, seed: 1 };
      const images = { ...data, xs: data.xs.reshape([301, 28, 28, 1]) };
      expect((await trainLocally(cnn, images, config)).engine).to.equal('tfjs');
      images.xs.dispose();
      expect((await trainLocally(frozen, data, config)).engine).to.equal('tfjs');
    } finally {
      models.forEach((m) => m.dispose());
    }
  });
});
