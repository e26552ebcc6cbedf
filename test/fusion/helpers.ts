// Shared helpers for fusion tests: small models, neuron permutations, output comparison.
import * as tf from '@tensorflow/tfjs';
import { modelToState, stateToModel } from '@fedfuse/client/internal/model/model-state.js';
import { splitLevels } from '@fedfuse/client/internal/model/levels.js';

/** Multiplies the model's last layer's weights (kernel and bias) by `factor` in place: its logits × factor. */
export function scaleOutputLayer(model: tf.LayersModel, factor: number): void {
  const out = model.layers[model.layers.length - 1];
  const scaled = out.getWeights().map((w) => tf.mul(w, factor));
  out.setWeights(scaled);
  tf.dispose(scaled);
}

/** Seeded uniform inputs in [0, 1). */
export function randomInputs(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, 0, 1, 'float32', seed);
}

/** A random permutation of 0..n-1 from a seed (no identity). */
export function permutation(n: number, seed: number): number[] {
  let s = seed * 7919 + 13;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (;;) {
    const p = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [p[i], p[j]] = [p[j], p[i]];
    }
    if (p.some((v, i) => v !== i)) return p;
  }
}

/**
 * A copy of `model` whose level `level` neurons are reordered (new neuron i = old neuron perm[i]), with the next
 * weight layer's inputs reordered to match — the same function, different neuron order. Handles Dense and Conv2D
 * levels, and Dense layers after a Flatten (channel is the fastest-varying index of NHWC).
 */
export async function permuteLevel(model: tf.LayersModel, level: number, perm: readonly number[]): Promise<tf.LayersModel> {
  const copy = await stateToModel(modelToState(model));
  const levels = splitLevels(copy);
  const cur = levels[level];
  const next = levels[level + 1];
  const n = perm.length;
  const [k, b] = cur.weightLayer.getWeights();
  const [nk, nb] = next.weightLayer.getWeights();
  const idx = tf.tensor1d([...perm], 'int32');
  const rowPerm = Array.from({ length: nk.shape[0] }, (_, r) => Math.floor(r / n) * n + perm[r % n]);
  // Re-created from plain values: on the wasm backend a gather output used as a Dense bias breaks _FusedMatMul
  // ("only supports rank-1 bias but got rank 4"), and assigning a variable its own tensor would free it.
  const fresh = tf.tidy(() =>
    [
      tf.gather(k, idx, k.rank - 1),
      tf.gather(b, idx),
      next.kind === 'conv2d' ? tf.gather(nk, idx, 2) : tf.gather(nk, tf.tensor1d(rowPerm, 'int32'), 0),
      nb,
    ].map((t) => tf.tensor(t.dataSync(), t.shape)),
  );
  idx.dispose();
  cur.weightLayer.setWeights([fresh[0], fresh[1]]);
  next.weightLayer.setWeights([fresh[2], fresh[3]]);
  tf.dispose(fresh);
  return copy;
}

export function predict(model: tf.LayersModel, x: tf.Tensor): Float32Array {
  return tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync() as Float32Array);
}

/** max |a − b| / max |b|. */
export function relativeMaxError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / (den || 1);
}
