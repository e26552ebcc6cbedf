// An in-memory labelled dataset as plain typed arrays, so partitioning and slicing need no tensors.
import * as tf from '@fedfuse/client/internal/tf/tfjs.js';

export interface Dataset {
  /** n × prod(exampleShape) values, row-major. */
  x: Float32Array;
  /** n integer class labels in [0, numClasses). */
  y: Int32Array;
  n: number;
  /** Shape of one example, e.g. [784] (flat) or [28, 28, 1] (image). */
  exampleShape: number[];
  numClasses: number;
  name: string;
}

/** Number of values in one example. */
export function exampleSize(ds: Pick<Dataset, 'exampleShape'>): number {
  return ds.exampleShape.reduce((a, b) => a * b, 1);
}

/** Copies the rows at `indices` (in that order) into a new dataset. */
export function subset(ds: Dataset, indices: ArrayLike<number>): Dataset {
  const size = exampleSize(ds);
  const n = indices.length;
  const x = new Float32Array(n * size);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const row = indices[i];
    if (!Number.isInteger(row) || row < 0 || row >= ds.n) {
      throw new Error(`subset of ${ds.name}: index ${row} at position ${i} is outside 0..${ds.n - 1}`);
    }
    x.set(ds.x.subarray(row * size, (row + 1) * size), i * size);
    y[i] = ds.y[row];
  }
  return { x, y, n, exampleShape: [...ds.exampleShape], numClasses: ds.numClasses, name: ds.name };
}

/** Side length of the square single-channel image a flat example of `size` values represents. */
function squareImageShape(ds: Dataset): [number, number, number] {
  if (ds.exampleShape.length === 3) return ds.exampleShape as [number, number, number];
  const size = exampleSize(ds);
  const side = Math.round(Math.sqrt(size));
  if (side * side !== size) {
    throw new Error(`${ds.name}: cannot view examples of shape [${ds.exampleShape}] as square images`);
  }
  return [side, side, 1];
}

/**
 * Tensors for training/evaluation: xs is [n, size] ('flat') or [n, h, w, c] ('image'), ys int32 labels [n].
 * Default shape follows the dataset's exampleShape. The caller disposes both.
 */
export function toTensors(ds: Dataset, shape?: 'flat' | 'image'): { xs: tf.Tensor; ys: tf.Tensor1D } {
  const want = shape ?? (ds.exampleShape.length === 1 ? 'flat' : 'image');
  const dims = want === 'flat' ? [exampleSize(ds)] : squareImageShape(ds);
  const xs = tf.tensor(ds.x, [ds.n, ...dims], 'float32');
  const ys = tf.tensor1d(ds.y, 'int32');
  return { xs, ys };
}

/** Concatenates datasets with the same example shape and class count (e.g. the per-class files of Fashion-MNIST). */
export function concatDatasets(parts: Dataset[], name: string): Dataset {
  if (parts.length === 0) throw new Error(`concatDatasets(${name}): no parts`);
  const size = exampleSize(parts[0]);
  const n = parts.reduce((s, p) => s + p.n, 0);
  const x = new Float32Array(n * size);
  const y = new Int32Array(n);
  let at = 0;
  for (const p of parts) {
    if (exampleSize(p) !== size || p.numClasses !== parts[0].numClasses) {
      throw new Error(`concatDatasets(${name}): part ${p.name} does not match the first part's shape/classes`);
    }
    x.set(p.x, at * size);
    y.set(p.y, at);
    at += p.n;
  }
  return { x, y, n, exampleShape: [...parts[0].exampleShape], numClasses: parts[0].numClasses, name };
}
