// Accuracy of each update's model on the server's labelled probe set: one model built from the global topology,
// re-loaded with each update's weights in turn (updates share the global architecture; the decoder checked shapes).
import * as tf from '@fedfuse/client/internal/tf/tfjs.js';
import { stateToModel, type ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { writeWeights, type WeightTensor } from '@fedfuse/client/internal/model/weights.js';
import { evaluateLocal } from '@fedfuse/client/internal/training/local-training.js';
import type { PlainTensor } from '../strategies/strategy.js';

export async function probeAccuracies(
  global: ModelState,
  weightSets: readonly (readonly WeightTensor[])[],
  probe: { x: PlainTensor; y: Int32Array },
): Promise<number[]> {
  const model = await stateToModel(global);
  const xs = tf.tensor(probe.x.values, probe.x.shape, 'float32');
  const ys = tf.tensor1d(probe.y, 'int32');
  try {
    const outputShape = model.outputs[0].shape;
    const numClasses = outputShape[outputShape.length - 1] as number;
    return weightSets.map((weights) => {
      writeWeights(model, weights);
      return evaluateLocal(model, { xs, ys, numClasses }).accuracy;
    });
  } finally {
    tf.dispose([xs, ys]);
    model.dispose();
  }
}
