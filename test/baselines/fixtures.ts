// Small models and inputs shared by the baseline tests (not a test file itself: no .test.ts suffix).
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../../common/model/model-spec.js';
import { readWeights, writeWeights } from '@fedfuse/client/internal/model/weights.js';
import { seededRandom } from '../../server/fusion/random.js';

/** Every weight (biases too, which start at zero) drawn uniformly, scaled by 1/√fan-in so activations stay O(1). */
export function randomizeWeights(model: tf.LayersModel, seed: number): tf.LayersModel {
  const random = seededRandom(seed);
  const weights = readWeights(model).map((w) => {
    const fanIn = w.shape.length > 1 ? w.values.length / w.shape[w.shape.length - 1] : 4;
    const scale = 1.5 / Math.sqrt(fanIn);
    return { ...w, values: Float32Array.from(w.values, () => (random() * 2 - 1) * scale) };
  });
  writeWeights(model, weights);
  return model;
}

export function mlp(widths: number[], seed: number): tf.LayersModel {
  return randomizeWeights(buildModel({ kind: 'mlp', widths, activation: 'relu' }, seed), seed);
}

/** 8x8x2 input → conv(4) → maxpool → conv(6, same) → flatten (3·3·6) → dense(5) → dense(3): exercises every layout. */
export function smallConvNet(seed: number, firstFilters = 4): tf.LayersModel {
  return randomizeWeights(
    buildModel(
      {
        kind: 'sequential',
        inputShape: [8, 8, 2],
        layers: [
          { type: 'conv2d', filters: firstFilters, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' },
          { type: 'maxPooling2d', poolSize: 2 },
          { type: 'conv2d', filters: 6, kernelSize: 3, strides: 1, padding: 'same', activation: 'relu' },
          { type: 'flatten' },
          { type: 'dense', units: 5, activation: 'relu' },
          { type: 'dense', units: 3, activation: 'linear' },
        ],
      },
      seed,
    ),
    seed,
  );
}

export function randomInput(shape: number[], seed: number): tf.Tensor {
  const random = seededRandom(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, () => random() * 2 - 1), shape);
}

export function randomPermutation(n: number, seed: number): Int32Array {
  const random = seededRandom(seed);
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  // A test that "recovers" the identity proves nothing: make sure something moved.
  if (n > 1 && p.every((v, i) => v === i)) [p[0], p[1]] = [p[1], p[0]];
  return p;
}

/** Largest absolute difference between two models' outputs on x. */
export function maxOutputDifference(a: tf.LayersModel, b: tf.LayersModel, x: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a.predict(x) as tf.Tensor, b.predict(x) as tf.Tensor))).dataSync()[0]);
}

/** Disposes models and tensors alike. */
export function disposeAll(...things: { dispose(): unknown }[]): void {
  for (const t of things) t.dispose();
}

/** The error a promise rejects with (chai-as-promised is not installed); fails if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}
