import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { buildModel } from '../../common/model/model-spec.js';
import { readWeights, type WeightTensor } from '@fedfuse/client/internal/model/weights.js';
import { trainLocally, type LocalTrainingConfig } from '@fedfuse/client/internal/training/local-training.js';
import { disposeData, MLP, mnistSlice } from '../federation/helpers.js';
import type { LocalData } from '@fedfuse/client';

const BASE: LocalTrainingConfig = { localEpochs: 2, batchSize: 32, learningRate: 0.05, optimizer: 'sgd', proximalMu: 0, seed: 3 };

function distance(a: WeightTensor[], b: WeightTensor[]): number {
  let s = 0;
  a.forEach((w, t) => w.values.forEach((v, i) => (s += (v - b[t].values[i]) ** 2)));
  return Math.sqrt(s);
}

async function trainFresh(data: LocalData, config: LocalTrainingConfig) {
  const model = buildModel(MLP, 1);
  const start = readWeights(model);
  const result = await trainLocally(model, data, config);
  const end = readWeights(model);
  model.dispose();
  return { start, end, result };
}

describe('local training', function () {
  this.timeout(60_000);
  let data: LocalData;

  before(async () => {
    await initBackend();
    data = await mnistSlice(0, 300);
  });
  after(() => disposeData(data));

  it('learns: the loss falls and local accuracy is well above chance', async () => {
    const { result } = await trainFresh(data, { ...BASE, localEpochs: 3 });
    expect(result.numExamples).to.equal(300);
    expect(result.steps).to.equal(3 * Math.ceil(300 / 32));
    expect(result.epochLosses[2]).to.be.below(result.epochLosses[0]);
    expect(result.accuracy).to.be.greaterThan(0.6);
  });

  it('is reproducible with the same seed and differs with another', async () => {
    const a = await trainFresh(data, BASE);
    const b = await trainFresh(data, BASE);
    const c = await trainFresh(data, { ...BASE, seed: 4 });
    expect(distance(a.end, b.end)).to.equal(0);
    expect(distance(a.end, c.end)).to.be.greaterThan(0);
  });

  it('FedProx keeps the weights closer to where they started', async () => {
    const plain = await trainFresh(data, { ...BASE, optimizer: 'adam', learningRate: 0.01 });
    const prox = await trainFresh(data, { ...BASE, optimizer: 'adam', learningRate: 0.01, proximalMu: 1 });
    expect(distance(prox.start, prox.end)).to.be.below(0.8 * distance(plain.start, plain.end));
  });

  it('leaves no tensors behind (sgd and adam, with and without the proximal term, fused and TF.js steps)', async () => {
    const model = buildModel(MLP, 1);
    await trainLocally(model, data, { ...BASE, localEpochs: 1 }); // warm-up
    const before = tf.memory().numTensors;
    for (const fused of [true, false]) {
      for (const optimizer of ['sgd', 'adam'] as const) {
        for (const proximalMu of [0, 0.1]) await trainLocally(model, data, { ...BASE, localEpochs: 1, optimizer, proximalMu }, { fused });
      }
    }
    expect(tf.memory().numTensors).to.equal(before);
    model.dispose();
  });

  it('stops at the next batch once aborted, with the weights trained so far in the model (both steps)', async () => {
    for (const fused of [true, false]) {
      const model = buildModel(MLP, 1);
      const start = readWeights(model);
      const abort = new AbortController();
      let batches = 0;
      const training = trainLocally(model, data, BASE, {
        fused,
        signal: abort.signal,
        onProgress: () => {
          if (++batches === 3) abort.abort();
        },
      });
      await training.then(
        () => expect.fail('must throw'),
        (e: Error) => expect(e.message).to.equal('local training was aborted'),
      );
      expect(batches).to.equal(3);
      expect(distance(start, readWeights(model))).to.be.greaterThan(0);
      model.dispose();
    }
  });

  it('rejects data that does not fit the model, naming the problem', async () => {
    const model = buildModel(MLP, 1);
    const wrongClasses = { ...data, numClasses: 7 };
    const ys = tf.tensor1d([1, 2], 'int32');
    const labels = data.ys.dataSync().slice();
    labels[299] = 10;
    const badLabels = tf.tensor1d(labels, 'int32');
    try {
      await trainLocally(model, wrongClasses, BASE).then(
        () => expect.fail('must throw'),
        (e: Error) => expect(e.message).to.equal('model outputs 10 logits but the local data has 7 classes'),
      );
      await trainLocally(model, { ...data, ys }, BASE).then(
        () => expect.fail('must throw'),
        (e: Error) => expect(e.message).to.equal('local data has 300 examples but 2 labels'),
      );
      await trainLocally(model, { ...data, ys: badLabels }, BASE).then(
        () => expect.fail('must throw'),
        (e: Error) => expect(e.message).to.equal('local label 10 of example 299 is not a class id in [0, 10)'),
      );
      await trainLocally(model, data, { ...BASE, batchSize: 0 }).then(
        () => expect.fail('must throw'),
        (e: Error) => expect(e.message).to.match(/batchSize must be a positive integer/),
      );
    } finally {
      tf.dispose([ys, badLabels]);
      model.dispose();
    }
  });
});
