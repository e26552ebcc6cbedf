// Which output each probe example's attribution explains: its true class, or — without labels — the class the
// model predicts (the caller must then say so: scores explain the model's own decisions, not the task).
import * as tf from '#tf';
import type { ModelWalk } from './model-walk.js';

/** Checks a probe batch against the model's input shape; returns the number of examples. */
export function checkProbe(walk: ModelWalk, probeX: tf.Tensor): number {
  const got = probeX.shape.slice(1);
  const want = walk.inputShape;
  if (probeX.rank < 2 || got.length !== want.length || got.some((d, i) => d !== want[i])) {
    throw new Error(
      `probe inputs have shape [${probeX.shape.join(', ')}] but the model expects [n, ${want.join(', ')}]`,
    );
  }
  if (probeX.shape[0] === 0) throw new Error('probe set is empty');
  if (probeX.dtype !== 'float32') throw new Error(`probe inputs must be float32, got ${probeX.dtype}`);
  return probeX.shape[0];
}

/** Number of classes: the model output must be [n, classes]. */
export function outputClasses(model: tf.LayersModel): number {
  const shape = model.outputs[0].shape;
  if (shape.length !== 2 || shape[1] == null) {
    throw new Error(`importance needs a model whose output is [n, classes], got [${shape.join(', ')}]`);
  }
  return shape[1];
}

/** Model's predicted classes (argmax of the output), computed in batches. */
export async function predictedClasses(model: tf.LayersModel, probeX: tf.Tensor, batchSize = 256): Promise<Int32Array> {
  const n = probeX.shape[0];
  const out = new Int32Array(n);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const idx = tf.tidy(() => {
      const x = tf.slice(probeX, start, size);
      return tf.argMax(model.predict(x) as tf.Tensor, 1);
    });
    out.set(await idx.data(), start);
    idx.dispose();
  }
  return out;
}

export function checkLabels(labels: Int32Array, n: number, classes: number): void {
  if (labels.length !== n) throw new Error(`got ${labels.length} probe labels for ${n} probe inputs`);
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= classes) {
      throw new Error(`probe label ${i} is ${y}, outside the model's classes 0..${classes - 1}`);
    }
  }
}

/**
 * The labels to attribute to: the given ones (validated), or the model's predictions when there are none —
 * `fromPredictions` tells the caller to report that.
 */
export async function labelsOrPredictions(
  model: tf.LayersModel,
  probeX: tf.Tensor,
  labels: Int32Array | undefined,
): Promise<{ labels: Int32Array; fromPredictions: boolean }> {
  const classes = outputClasses(model);
  const n = probeX.shape[0];
  if (labels) {
    checkLabels(labels, n, classes);
    return { labels, fromPredictions: false };
  }
  return { labels: await predictedClasses(model, probeX), fromPredictions: true };
}

/** One-hot float mask [rows, classes] selecting each row's target output. */
export function targetMask(targets: Int32Array, classes: number, repeat = 1): tf.Tensor2D {
  return tf.tidy(() => {
    const t = tf.tensor1d(targets, 'int32');
    const tiled = repeat > 1 ? tf.tile(t, [repeat]) : t;
    return tf.oneHot(tiled, classes).toFloat() as tf.Tensor2D;
  });
}
