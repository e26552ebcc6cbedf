// A model's weights as plain typed arrays: what crosses the wire, what strategies average, what checkpoints hold.
import * as tf from '#tf';

export interface WeightTensor {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** Copies the weights out of a model, in getWeights() order (the order every peer agrees on). */
export function readWeights(model: tf.LayersModel): WeightTensor[] {
  return model.weights.map((w) => {
    const t = w.read();
    return { name: w.originalName, shape: [...t.shape], values: t.dataSync() as Float32Array };
  });
}

/** Sets a model's weights from plain arrays; shapes must match the model's own, else a clear error. */
export function writeWeights(model: tf.LayersModel, weights: readonly WeightTensor[]): void {
  const own = model.weights;
  if (own.length !== weights.length) {
    throw new Error(`weight count mismatch: model has ${own.length} tensors, got ${weights.length}`);
  }
  own.forEach((w, i) => {
    const got = weights[i].shape.join('x');
    const want = w.shape.join('x');
    if (got !== want) throw new Error(`weight ${i} (${w.originalName}) has shape ${got}, model expects ${want}`);
  });
  const tensors = weights.map((w) => tf.tensor(w.values, w.shape, 'float32'));
  try {
    model.setWeights(tensors);
  } finally {
    tf.dispose(tensors);
  }
}

export function cloneWeights(weights: readonly WeightTensor[]): WeightTensor[] {
  return weights.map((w) => ({ name: w.name, shape: [...w.shape], values: new Float32Array(w.values) }));
}

export function sameShapes(a: readonly WeightTensor[], b: readonly WeightTensor[]): boolean {
  return a.length === b.length && a.every((w, i) => w.shape.join('x') === b[i].shape.join('x'));
}
