// Turns one level's tensors into the float64 matrices the fit works on: the fused model's input to the level as a
// design matrix (rows = samples; for conv, samples are probe × output positions), and every parent's targets
// (pre-activations) as one row per neuron.
import * as tf from '@fedfuse/client/internal/tf/tfjs.js';
import type { Level } from '@fedfuse/client/internal/model/levels.js';
import { convOutputSize, denseDesign, im2col, type ConvGeometry } from './im2col.js';
import { mat, type Mat } from './matrix-products.js';

function pair(v: unknown, name: string, layer: string): [number, number] {
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) return [v[0], v[1]];
  if (v === undefined && name === 'dilationRate') return [1, 1];
  throw new Error(`layer ${layer}: cannot read ${name} from its config (${JSON.stringify(v)})`);
}

export function convGeometry(level: Level): ConvGeometry {
  const cfg = level.weightLayer.getConfig() as Record<string, unknown>;
  const name = level.weightLayer.name;
  const padding = cfg.padding;
  if (padding !== 'valid' && padding !== 'same') throw new Error(`layer ${name}: padding ${String(padding)} is not supported`);
  return {
    kernelSize: pair(cfg.kernelSize, 'kernelSize', name),
    strides: pair(cfg.strides, 'strides', name),
    dilation: pair(cfg.dilationRate, 'dilationRate', name),
    padding,
  };
}

export interface LevelDesign {
  /** Rows = samples, columns = inputs + bias. */
  design: Mat;
  /** Shape of one neuron's targets: [probe] (dense) or [probe, outHeight, outWidth] (conv). */
  sampleShape: number[];
}

/** Design matrix of a level from its (already prefixed) input tensor. */
export function levelDesign(level: Level, input: tf.Tensor): LevelDesign {
  const values = input.dataSync() as Float32Array;
  if (level.kind === 'dense') {
    if (input.rank !== 2) {
      throw new Error(`level ${level.index} (${level.weightLayer.name}): Dense input must be 2-D, got [${input.shape.join(', ')}]`);
    }
    const n = input.shape[0] as number;
    const d = input.shape[1] as number;
    return { design: denseDesign(values, n, d, true), sampleShape: [n] };
  }
  if (input.rank !== 4) {
    throw new Error(`level ${level.index} (${level.weightLayer.name}): Conv2D input must be 4-D NHWC, got [${input.shape.join(', ')}]`);
  }
  const g = convGeometry(level);
  const shape = input.shape as number[];
  const { outHeight, outWidth } = convOutputSize(shape[1], shape[2], g);
  return { design: im2col(values, shape, g, true), sampleShape: [shape[0], outHeight, outWidth] };
}

/** Checks that a parent's targets for a level are [...sampleShape, width], naming the parent and level if not. */
function checkTargetShape(target: tf.Tensor, sampleShape: readonly number[], width: number, what: string): void {
  const want = [...sampleShape, width];
  if (target.shape.length !== want.length || target.shape.some((s, i) => s !== want[i])) {
    throw new Error(`${what}: targets have shape [${target.shape.join(', ')}], expected [${want.join(', ')}]`);
  }
}

/** Writes a target tensor's values ([samples, width] in TF layout) as width rows of `samples` into `out` at `offset`. */
function writeNeuronRows(target: tf.Tensor, width: number, what: string, out: Float64Array, offset: number): void {
  const values = target.dataSync();
  const samples = values.length / width;
  for (let s = 0; s < samples; s++) {
    const src = s * width;
    for (let j = 0; j < width; j++) {
      const v = values[src + j];
      if (!Number.isFinite(v)) throw new Error(`${what}: targets contain a non-finite value`);
      out[offset + j * samples + s] = v;
    }
  }
}

/**
 * One parent's targets for a level, [...sampleShape, width] in TF layout, as a width × samples matrix
 * (one row per neuron). Throws naming the parent and level if the shape is not the expected one.
 */
export function neuronRows(target: tf.Tensor, sampleShape: readonly number[], width: number, what: string): Mat {
  checkTargetShape(target, sampleShape, width, what);
  const out = new Float64Array(target.size);
  writeNeuronRows(target, width, what, out, 0);
  return mat(width, target.size / width, out);
}

/** Every parent's targets for a level as one matrix, parents' rows in order (neuronRows of each, stacked). */
export function stackedNeuronRows(targets: readonly tf.Tensor[], sampleShape: readonly number[], widths: readonly number[], what: (parent: number) => string): Mat {
  targets.forEach((t, p) => checkTargetShape(t, sampleShape, widths[p], what(p)));
  const samples = sampleShape.reduce((a, b) => a * b, 1);
  const rows = widths.reduce((a, b) => a + b, 0);
  const out = new Float64Array(rows * samples);
  let offset = 0;
  targets.forEach((t, p) => {
    writeNeuronRows(t, widths[p], what(p), out, offset);
    offset += widths[p] * samples;
  });
  return mat(rows, samples, out);
}

/** Stacks row blocks (same column count) into one matrix. */
export function stackRows(blocks: readonly Mat[]): Mat {
  const cols = blocks[0].cols;
  const rows = blocks.reduce((a, b) => a + b.rows, 0);
  const out = new Float64Array(rows * cols);
  let o = 0;
  for (const b of blocks) {
    if (b.cols !== cols) throw new Error(`stackRows: blocks have ${b.cols} and ${cols} columns`);
    out.set(b.data, o);
    o += b.data.length;
  }
  return mat(rows, cols, out);
}

/** Neuron-major weights (k × (inputs+1), bias last) → TF kernel (inputs × k, reshaped to kernelShape) and bias. */
export function weightsToTensors(weights: Mat, kernelShape: readonly number[]): { kernel: tf.Tensor; bias: tf.Tensor } {
  const k = weights.rows;
  const d = weights.cols - 1;
  const expected = kernelShape.reduce((a, b) => a * b, 1);
  if (d * k !== expected || kernelShape[kernelShape.length - 1] !== k) {
    throw new Error(`fused weights ${k}x${d} do not fit kernel shape [${kernelShape.join(', ')}]`);
  }
  const kernel = new Float32Array(d * k);
  const bias = new Float32Array(k);
  for (let j = 0; j < k; j++) {
    const o = j * weights.cols;
    for (let c = 0; c < d; c++) kernel[c * k + j] = weights.data[o + c];
    bias[j] = weights.data[o + d];
  }
  return { kernel: tf.tensor(kernel, [...kernelShape]), bias: tf.tensor1d(bias) };
}
