// Temperature scaling applied to a fused model: its output level's kernel and bias are multiplied by the scale that
// minimises the cross-entropy of its logits on labelled probe rows (logit-scale.ts), which leaves every prediction's
// class as it was.
import * as tf from '@fedfuse/client/internal/tf/tfjs.js';
import { splitLevels } from '@fedfuse/client/internal/model/levels.js';
import { fitLogitScale } from './logit-scale.js';

// Layers that may follow the output level without changing its logits at inference.
const INERT_FOLLOWERS = new Set(['Dropout', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout']);

/**
 * Rescales `model`'s output level in place and returns the scale; undefined (model untouched) when the model's output
 * is not its last level's linear pre-activation (an activation or a layer after it), where a scale would not be a
 * temperature.
 */
export function calibrateOutputLevel(model: tf.LayersModel, x: tf.Tensor, labels: Int32Array): number | undefined {
  const level = splitLevels(model).at(-1);
  if (!level || level.activation !== 'linear' || level.followers.some((f) => !INERT_FOLLOWERS.has(f.getClassName()))) return undefined;
  const logits = tf.tidy(() => model.predict(x) as tf.Tensor2D);
  const classes = logits.shape[1];
  const values = logits.dataSync() as Float32Array;
  logits.dispose();
  const scale = fitLogitScale(values, labels, classes);
  const scaled = level.weightLayer.getWeights().map((w) => tf.mul(w, scale));
  level.weightLayer.setWeights(scaled);
  tf.dispose(scaled);
  return scale;
}
