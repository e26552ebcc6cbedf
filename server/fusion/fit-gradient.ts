// Gradient fit of one fused level (the paper's ALF step): starting from the level's current weights (the linear
// solution), Adam on the probe set towards the group targets under an importance-weighted MSE — or, on the last
// level, a KL distillation of the parents' averaged softened outputs. A held-out share of the probe set drives
// early stopping, and the best weights seen on it are kept (so training never ends worse than its start).
import * as tf from '@fedfuse/client/internal/tf/tfjs.js';
import { preActivationWith, type Level } from '@fedfuse/client/internal/model/levels.js';
import { shuffledIndices } from './random.js';

export type LevelLoss =
  | { kind: 'mse'; targets: tf.Tensor; groupWeights: Float64Array }
  | { kind: 'distill'; probabilities: tf.Tensor; temperature: number };

export interface TrainLevelOptions {
  epochs: number;
  learningRate: number;
  patience: number;
  batchSize: number;
  validationFraction: number;
  random: () => number;
}

export interface TrainLevelReport {
  epochs: number;
  initialValidationLoss: number;
  bestValidationLoss: number;
}

function lossFunction(level: Level, loss: LevelLoss): (k: tf.Tensor, b: tf.Tensor, x: tf.Tensor, t: tf.Tensor) => tf.Scalar {
  if (loss.kind === 'mse') {
    const w = loss.groupWeights;
    const mean = w.reduce((a, v) => a + v, 0) / w.length;
    const normalised = Float32Array.from(w, (v) => (mean > 0 ? v / mean : 1));
    return (k, b, x, t) =>
      tf.tidy(() => tf.mean(tf.mul(tf.squaredDifference(preActivationWith(level, k, b, x), t), tf.tensor1d(normalised))));
  }
  const T = loss.temperature;
  return (k, b, x, t) =>
    tf.tidy(() => {
      const logp = tf.logSoftmax(tf.div(preActivationWith(level, k, b, x), T));
      const kl = tf.sum(tf.mul(t, tf.sub(tf.log(tf.maximum(t, 1e-12)), logp)), -1);
      return tf.mul(tf.mean(kl), T * T);
    });
}

/** Trains `level`'s weight layer in place; returns how it went. */
export function trainLevel(level: Level, input: tf.Tensor, loss: LevelLoss, opts: TrainLevelOptions): TrainLevelReport {
  const target = loss.kind === 'mse' ? loss.targets : loss.probabilities;
  const n = input.shape[0];
  if (target.shape[0] !== n) throw new Error(`gradient fit: ${target.shape[0]} targets for ${n} inputs`);
  if (!(opts.learningRate > 0)) throw new Error(`gradient fit: learningRate must be > 0, got ${opts.learningRate}`);
  if (!(opts.batchSize >= 1)) throw new Error(`gradient fit: batchSize must be >= 1, got ${opts.batchSize}`);
  if (!(opts.validationFraction >= 0 && opts.validationFraction < 1)) {
    throw new Error(`gradient fit: validationFraction must be in [0, 1), got ${opts.validationFraction}`);
  }
  const lossOf = lossFunction(level, loss);
  const order = shuffledIndices(n, opts.random);
  const nVal = n >= 5 ? Math.floor(n * opts.validationFraction) : 0;
  const trainIdx = nVal > 0 ? order.slice(nVal) : order;
  const valIdx = nVal > 0 ? order.slice(0, nVal) : order;

  const [k0, b0] = level.weightLayer.getWeights();
  // tf.variable shares its initial tensor's data (ref-counted), so the layer's own weights stay untouched.
  const kernel = tf.variable(k0, true);
  const bias = tf.variable(b0, true);
  const optimizer = tf.train.adam(opts.learningRate);
  const valIdxT = tf.tensor1d(valIdx, 'int32');
  const xVal = tf.gather(input, valIdxT);
  const tVal = tf.gather(target, valIdxT);
  valIdxT.dispose();
  const validationLoss = (): number => tf.tidy(() => lossOf(kernel, bias, xVal, tVal).dataSync()[0]);

  let best = validationLoss();
  const initial = best;
  let bestKernel = kernel.clone();
  let bestBias = bias.clone();
  let sinceBest = 0;
  let epochs = 0;
  try {
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      epochs++;
      const perm = shuffledIndices(trainIdx.length, opts.random).map((i) => trainIdx[i]);
      for (let s = 0; s < perm.length; s += opts.batchSize) {
        tf.tidy(() => {
          const idx = tf.tensor1d(perm.subarray(s, s + opts.batchSize), 'int32');
          const xb = tf.gather(input, idx);
          const tb = tf.gather(target, idx);
          optimizer.minimize(() => lossOf(kernel, bias, xb, tb), false, [kernel, bias]);
        });
      }
      const v = validationLoss();
      if (v < best) {
        best = v;
        bestKernel.dispose();
        bestBias.dispose();
        bestKernel = kernel.clone();
        bestBias = bias.clone();
        sinceBest = 0;
      } else if (++sinceBest >= opts.patience) {
        break;
      }
    }
    level.weightLayer.setWeights([bestKernel, bestBias]);
  } catch (e) {
    const msg = (e as Error).message;
    const hint = /Conv2DBackpropFilter|not registered/i.test(msg)
      ? ` (backend ${tf.getBackend()} cannot train ${level.kind} levels; use kf-linear or another backend)`
      : '';
    throw new Error(`gradient fit of level ${level.index} (${level.weightLayer.name}) failed: ${msg}${hint}`);
  } finally {
    tf.dispose([kernel, bias, bestKernel, bestBias, xVal, tVal]);
    optimizer.dispose();
  }
  return { epochs, initialValidationLoss: initial, bestValidationLoss: best };
}
