// A client's local training step of federated learning (no sockets), so the SDK, the scenario runner and benchmarks
// share it. A custom loop rather than model.fit: FedProx needs the proximal term in the loss, and shuffling must be
// seeded for reproducible runs. Each step runs in TF.js, or for chains of Dense layers in the fused kernels of
// fused-dense.ts (the same arithmetic, several times faster; measured in bench/training-speed.ts).
import * as tf from '#tf';
import { envVar } from '../env-var.js';
import type { BatchTrainer } from './batch-trainer.js';
import { createFusedDenseTrainer } from './fused-dense.js';
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
  /** What ran the steps: the fused dense kernels (fused-dense.ts) or TF.js. */
  engine: 'fused-dense' | 'tfjs';
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
  if (config.optimizer !== 'sgd' && config.optimizer !== 'adam') {
    throw new Error(`unknown optimizer "${String(config.optimizer)}" (use sgd or adam)`);
  }
}

function makeOptimizer(config: LocalTrainingConfig): tf.Optimizer {
  return config.optimizer === 'adam' ? tf.train.adam(config.learningRate) : tf.train.sgd(config.learningRate);
}

/** Class ids of the local labels, each checked to be an integer in [0, numClasses). */
function readLabels(data: LocalTrainingData): Int32Array {
  const values = data.ys.dataSync();
  const labels = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0 || v >= data.numClasses) {
      throw new Error(`local label ${v} of example ${i} is not a class id in [0, ${data.numClasses})`);
    }
    labels[i] = v;
  }
  return labels;
}

// Backends that keep tensors in CPU memory. There, batches are new tensors made from one JS copy of the examples:
// on wasm, tf.gather of 32 rows cost 1.4 ms of CPU and tf.slice copies the whole tensor each time (15 ms for 4000
// MNIST rows), against 0.03 ms for a tensor from the copied rows (measured, bench/training-speed.ts). GPU backends
// keep gathering on the device.
const HOST_MEMORY_BACKENDS = new Set(['wasm', 'cpu']);

/** Rows of the local examples as tensors (the caller disposes them). */
class ExampleRows {
  /** The examples row-major, read once (on GPU backends only when a fused trainer asks for them). */
  private copy?: Float32Array;
  private readonly rowSize: number;

  constructor(private readonly xs: tf.Tensor) {
    this.rowSize = xs.size / xs.shape[0];
    if (HOST_MEMORY_BACKENDS.has(tf.getBackend())) this.copy = this.values();
  }

  values(): Float32Array {
    this.copy ??= this.xs.dataSync() as Float32Array;
    return this.copy;
  }

  gather(rows: Int32Array): tf.Tensor {
    const shape = [rows.length, ...this.xs.shape.slice(1)];
    if (!this.copy) return tf.tidy(() => tf.gather(this.xs, tf.tensor1d(rows, 'int32')));
    const out = new Float32Array(rows.length * this.rowSize);
    for (let i = 0; i < rows.length; i++) out.set(this.copy.subarray(rows[i] * this.rowSize, (rows[i] + 1) * this.rowSize), i * this.rowSize);
    return tf.tensor(out, shape, 'float32');
  }

  range(start: number, size: number): tf.Tensor {
    if (!this.copy) return this.xs.slice(start, size);
    return tf.tensor(this.copy.subarray(start * this.rowSize, (start + size) * this.rowSize), [size, ...this.xs.shape.slice(1)], 'float32');
  }
}

/** One-hot rows of the labels at `rows`. */
function oneHotRows(labels: Int32Array, rows: Int32Array, numClasses: number): tf.Tensor2D {
  const out = new Float32Array(rows.length * numClasses);
  for (let i = 0; i < rows.length; i++) out[i * numClasses + labels[rows[i]]] = 1;
  return tf.tensor2d(out, [rows.length, numClasses]);
}

function evaluateRows(model: tf.LayersModel, rows: ExampleRows, labels: Int32Array, numClasses: number, batchSize: number) {
  const n = labels.length;
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const [l, c] = tf.tidy(() => {
      const x = rows.range(start, size);
      const y = tf.tensor1d(labels.subarray(start, start + size), 'int32');
      // One predict batch per chunk: predict's default of 32 slices x again.
      const logits = model.predict(x, { batchSize: size }) as tf.Tensor2D;
      const loss = tf.losses.softmaxCrossEntropy(tf.oneHot(y, numClasses), logits, undefined, 0, tf.Reduction.SUM);
      const hits = tf.equal(tf.argMax(logits, 1), y).sum();
      return [loss.dataSync()[0], hits.dataSync()[0]];
    });
    lossSum += l;
    correct += c;
  }
  return { loss: lossSum / n, accuracy: correct / n };
}

/** Mean cross-entropy and accuracy of `model` on the data, in inference mode and in batches. */
export function evaluateLocal(model: tf.LayersModel, data: LocalTrainingData, batchSize = 512): { loss: number; accuracy: number } {
  return evaluateRows(model, new ExampleRows(data.xs), readLabels(data), data.numClasses, batchSize);
}

/** The TF.js step: the model's own layers under optimizer.minimize, for any model. */
function tfjsTrainer(
  model: tf.LayersModel,
  rows: ExampleRows,
  labels: Int32Array,
  numClasses: number,
  config: LocalTrainingConfig,
): BatchTrainer {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const anchor = config.proximalMu > 0 ? vars.map((v) => tf.keep(v.clone())) : [];
  const optimizer = makeOptimizer(config);
  return {
    step: (batch) =>
      tf.tidy(() => {
        const xb = rows.gather(batch);
        const yb = oneHotRows(labels, batch, numClasses);
        let crossEntropy: tf.Scalar | undefined;
        optimizer.minimize(
          () => {
            const logits = model.apply(xb, { training: true }) as tf.Tensor;
            // Kept: minimize() disposes intermediates, but the plain cross-entropy is reported per batch.
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
      }),
    finish: () => {
      optimizer.dispose();
      tf.dispose(anchor);
    },
  };
}

export interface TrainLocallyOptions {
  signal?: AbortSignal;
  onProgress?: (progress: TrainingProgress) => void;
  /**
   * Use the fused step for chains of Dense layers where it applies; false always trains with TF.js (benchmarks and
   * tests compare the two). Default: true, unless the environment has FEDFUSE_FUSED_DENSE=0.
   */
  fused?: boolean;
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
  opts: TrainLocallyOptions = {},
): Promise<LocalTrainingResult> {
  validate(model, data, config);
  const n = data.xs.shape[0];
  const labels = readLabels(data);
  const rows = new ExampleRows(data.xs);
  const useFused = opts.fused ?? envVar('FEDFUSE_FUSED_DENSE') !== '0';
  const fused = !useFused ? undefined : await createFusedDenseTrainer(model, () => rows.values(), labels, data.numClasses, config);
  const trainer = fused ?? tfjsTrainer(model, rows, labels, data.numClasses, config);
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
        const ce = trainer.step(order.subarray(start, start + size));
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
    trainer.finish();
  }
  const { loss, accuracy } = evaluateRows(model, rows, labels, data.numClasses, 512);
  return { numExamples: n, steps, epochLosses, loss, accuracy, engine: fused ? 'fused-dense' : 'tfjs' };
}
