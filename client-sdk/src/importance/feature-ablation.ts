// Layer feature ablation (Captum's LayerFeatureAblation with a zero baseline): a neuron's attribution on an
// example is F_t(x) − F_t(x with that neuron's level output set to 0). A conv neuron is a channel, ablated
// across all its spatial positions at once (Captum's default mask would ablate each position separately, which
// costs H·W times more forward passes and is not what "the importance of this channel" means).
//
// Speed: the level outputs are computed once; for a group of neurons, copies of them with one neuron zeroed each
// are stacked into one batch and only the rest of the network runs on it.
import * as tf from '#tf';
import { runOps, type ModelWalk } from './model-walk.js';
import { targetMask } from './targets.js';

/** Upper bound on the floats of one stacked ablation batch, to bound memory. */
const MAX_BATCH_FLOATS = 4 * 1024 * 1024;

/**
 * Σ over the examples of x of |F_t(x) − F_t(x with neuron j of level l zeroed)|, for every level l and neuron j.
 * `shapes` are the per-example level output shapes (levelOutputShapes).
 */
export async function featureAblationSums(
  walk: ModelWalk,
  shapes: readonly number[][],
  x: tf.Tensor,
  targets: Int32Array,
  classes: number,
): Promise<Float64Array[]> {
  const n = x.shape[0];
  const end = walk.ops.length;
  const levelOutputs: tf.Tensor[] = [];
  const sums = walk.widths.map((w) => new Float64Array(w));
  const mask = targetMask(targets, classes);
  try {
    const original = tf.tidy(() => {
      const out = runOps(walk, x, 0, end, (level, h) => {
        levelOutputs[level] = tf.keep(h);
        return h;
      });
      return tf.sum(tf.mul(out, mask), 1); // [n]
    });
    levelOutputs.push(original); // disposed with the level outputs
    const largest = Math.max(...shapes.map((s) => s.reduce((a, b) => a * b, 1)));
    for (let level = 0; level < walk.levels.length; level++) {
      const shape = shapes[level];
      const width = walk.widths[level];
      const group = Math.max(1, Math.min(width, Math.floor(MAX_BATCH_FLOATS / (n * largest))));
      for (let j0 = 0; j0 < width; j0 += group) {
        const g = Math.min(group, width - j0);
        const change = tf.tidy(() => {
          // keep[i] zeroes neuron j0 + i: [g, 1, (1, 1,) width], broadcast over the examples (and positions).
          const keep = tf.reshape(
            tf.sub(1, tf.oneHot(tf.range(j0, j0 + g, 1, 'int32'), width)),
            [g, 1, ...shape.slice(0, -1).map(() => 1), width],
          );
          const ablated = tf.reshape(tf.mul(tf.expandDims(levelOutputs[level], 0), keep), [g * n, ...shape]);
          const out = runOps(walk, ablated, walk.points[level], end);
          const targetOut = tf.reshape(tf.sum(tf.mul(out, tf.tile(mask, [g, 1])), 1), [g, n]);
          return tf.sum(tf.abs(tf.sub(original, targetOut)), 1); // [g]
        });
        const values = await change.data();
        change.dispose();
        for (let i = 0; i < g; i++) sums[level][j0 + i] += values[i];
      }
    }
    return sums;
  } finally {
    tf.dispose([mask, ...levelOutputs]);
  }
}
