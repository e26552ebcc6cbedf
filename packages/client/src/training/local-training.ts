// A client's local training step of federated learning, pure TF.js (no sockets), so the SDK, the scenario runner
// and benchmarks share it. A custom loop rather than model.fit: FedProx needs the proximal term in the loss, and
// shuffling must be seeded for reproducible runs.
import * as tf from '#tf';
import { seededPermutation, seededRandom } from './seeded-random.js';
import type { LocalTrainingConfig, TrainingProgress } from './training-config.js';

export type { LocalTrainingConfig, TrainingProgress } from './training-config.js';

export interface LocalTrainingData {
  /** Examples, first axis = example (shape [n, ...model input shape]). */
  xs: tf.Tensor;
  /** Integer class ids, shape [n]. */
  ys: tf.Tensor1D;
  numClasses: number;
}

export interface LocalTrainingResult {
  numExamples: number;
  steps: number;
  /** Mean training loss (cross-entropy, without the proximal term) of each epoch. */
  epochLosses: number[];
  /** Mean cross-entropy and accuracy on the local data after training (inference mode). */
  loss: number;
  accuracy: number;
}

function validate(model: tf.LayersModel, data: LocalTrainingData, config: LocalTrainingConfig): void {
  const n = data.xs.shape[0];
  if (data.ys.rank !== 1) throw new Error(`local labels must be a 1-D tensor of class ids, got shape [${data.ys.shape}]`);
  if (data.ys.shape[0] !== n) throw new Error(`local data has ${n} examples but ${data.ys.shape[0]} labels`);
  if (n === 0) throw new Error('local data is empty: a client needs at least one example to train');
  const outUnits = model.outputs[0].shape[model.outputs[0].shape.length - 1];
  if (outUnits !== data.numClasses) {
    throw new Error(`model outputs ${outUnits} logits but the local data has ${data.numClasses} classes`);
  }
  const inShape = model.inputs[0].shape.slice(1).join('x');
  const dataShape = data.xs.shape.slice(1).join('x');
  if (inShape !== dataShape) throw new Error(`model expects examples of shape [${inShape}], local data has [${dataShape}]`);
  if (!Number.isInteger(config.localEpochs) || config.localEpochs < 1) {
    throw new Error(`localEpochs must be a positive integer, got ${config.localEpochs}`);
  }
  if (!Number.isInteger(config.batchSize) || config.batchSize < 1) {
    throw new Error(`batchSize must be a positive integer, got ${config.batchSize}`);
  }
  if (!(config.learningRate > 0)) throw new Error(`learningRate must be positive, got ${config.learningRate}`);
  if (!(config.proximalMu >= 0)) throw new Error(`proximalMu must be ≥ 0, got ${config.proximalMu}`);
}

function makeOptimizer(config: LocalTrainingConfig): tf.Optimizer {
  switch (config.optimizer) {
    case 'sgd':
      return tf.train.sgd(config.learningRate);
    case 'adam':
      return tf.train.adam(config.learningRate);
    default:
      throw new Error(`unknown optimizer "${String(config.optimizer)}" (use sgd or adam)`);
  }
}

/** Mean cross-entropy and accuracy of `model` on the data, in inference mode and in batches. */
export function evaluateLocal(model: tf.LayersModel, data: LocalTrainingData, batchSize = 512): { loss: number; accuracy: number } {
  const n = data.xs.shape[0];
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const [l, c] = tf.tidy(() => {
      const x = data.xs.slice(start, size);
      const y = data.ys.slice(start, size).toInt();
      // One predict batch per chunk: predict's default of 32 slices x again, and a wasm slice copies all of x each time.
      const logits = model.predict(x, { batchSize: size }) as tf.Tensor2D;
      const loss = tf.losses.softmaxCrossEntropy(tf.oneHot(y, data.numClasses), logits, undefined, 0, tf.Reduction.SUM);
      const hits = tf.equal(tf.argMax(logits, 1), y).sum();
      return [loss.dataSync()[0], hits.dataSync()[0]];
    });
    lossSum += l;
    correct += c;
  }
  return { loss: lossSum / n, accuracy: correct / n };
}

/**
 * Trains `model` in place on the local data. The weights the model holds on entry are the FedProx anchor.
 * Yields to the event loop between batches so sockets (and other in-process clients) stay responsive, and stops
 * there (throwing) once `signal` is aborted.
 */
export async function trainLocally(
  model: tf.LayersModel,
  data: LocalTrainingData,
  config: LocalTrainingConfig,
  opts: { signal?: AbortSignal; onProgress?: (progress: TrainingProgress) => void } = {},
): Promise<LocalTrainingResult> {
  validate(model, data, config);
  const n = data.xs.shape[0];
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const anchor = config.proximalMu > 0 ? vars.map((v) => tf.keep(v.clone())) : [];
  const labels = data.ys.dtype === 'int32' ? data.ys : data.ys.toInt();
  const optimizer = makeOptimizer(config);
  const random = seededRandom(config.seed);
  const epochLosses: number[] = [];
  const batchesPerEpoch = Math.ceil(n / config.batchSize);
  let steps = 0;
  try {
    for (let epoch = 0; epoch < config.localEpochs; epoch++) {
      const order = seededPermutation(n, random);
      let lossSum = 0;
      for (let start = 0; start < n; start += config.batchSize) {
        const size = Math.min(config.batchSize, n - start);
        const ce = tf.tidy(() => {
          const idx = tf.tensor1d(order.subarray(start, start + size), 'int32');
          const xb = tf.gather(data.xs, idx);
          const yb = tf.oneHot(tf.gather(labels, idx), data.numClasses);
          let crossEntropy: tf.Scalar | undefined;
          optimizer.minimize(
            () => {
              const logits = model.apply(xb, { training: true }) as tf.Tensor;
              // Kept: minimize() disposes intermediates, but the plain cross-entropy is reported per epoch.
              crossEntropy = tf.keep(tf.losses.softmaxCrossEntropy(yb, logits) as tf.Scalar);
              if (anchor.length === 0) return crossEntropy.clone();
              const drift = tf.addN(vars.map((v, i) => tf.sum(tf.square(tf.sub(v, anchor[i])))));
              return tf.add(crossEntropy, tf.mul(config.proximalMu / 2, drift)) as tf.Scalar;
            },
            false,
            vars,
          );
          const value = crossEntropy!.dataSync()[0];
          crossEntropy!.dispose();
          return value;
        });
        lossSum += ce * size;
        opts.onProgress?.({
          epoch,
          epochs: config.localEpochs,
          batch: start / config.batchSize,
          batchesPerEpoch,
          loss: ce,
        });
        steps++;
        await tf.nextFrame();
        if (opts.signal?.aborted) throw new Error('local training was aborted');
      }
      epochLosses.push(lossSum / n);
    }
  } finally {
    optimizer.dispose();
    tf.dispose(anchor);
    if (labels !== data.ys) labels.dispose();
  }
  const { loss, accuracy } = evaluateLocal(model, data);
  return { numExamples: n, steps, epochLosses, loss, accuracy };
}
