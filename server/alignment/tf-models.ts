// The TF.js side of alignment: read a model into the plain inputs the alignment math takes (weights, level layouts,
// probe activations), and build a model from aligned weights. Everything else in server/alignment is array math.
import * as tf from '@fedfuse/client/internal/tf/tfjs.js';
import { collectPreActivations } from '@fedfuse/client/internal/model/levels.js';
import { readWeights, writeWeights, type WeightTensor } from '@fedfuse/client/internal/model/weights.js';
import type { NeuronActivations } from './activation-cost.js';
import { levelLayouts } from './level-layout.js';
import type { AlignmentParent } from './ot-align.js';

/** Per-level pre-activations of `model` on `x`, copied out of TF.js (no tensors left behind). */
export function probeActivations(model: tf.LayersModel, x: tf.Tensor): NeuronActivations[] {
  const tensors = collectPreActivations(model, x);
  try {
    return tensors.map((t) => ({ shape: [...t.shape], values: t.dataSync() as Float32Array }));
  } finally {
    tf.dispose(tensors);
  }
}

export function alignmentParent(model: tf.LayersModel, x: tf.Tensor): AlignmentParent {
  return { weights: readWeights(model), layouts: levelLayouts(model), activations: probeActivations(model, x) };
}

/**
 * A new model with `template`'s architecture and the given weights. Built synchronously from the layer config
 * (tf.models.modelFromJSON is async), so pure fusion functions can return a model directly. The caller disposes it.
 */
export function modelWithWeights(template: tf.LayersModel, weights: readonly WeightTensor[]): tf.LayersModel {
  const config = template.getConfig() as unknown as tf.serialization.ConfigDict;
  const model = (
    template instanceof tf.Sequential
      ? tf.Sequential.fromConfig(tf.Sequential, config)
      : tf.LayersModel.fromConfig(tf.LayersModel, config)
  ) as tf.LayersModel;
  try {
    writeWeights(model, weights);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}
