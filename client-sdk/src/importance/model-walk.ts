// A sequential model as a flat list of operations, with the point where each level's neurons are read off.
// Attribution methods need to (a) stop the forward pass at a level's output, (b) start it again from a modified
// level output, and (c) swap the gradient of nonlinear steps (DeepLIFT); a flat op list makes all three simple.
//
// The "level output" whose neurons get scores is the weight layer's output after its activation and any
// elementwise layers right after it (Activation, ReLU, Dropout), before pooling/flattening — where the reference
// (Luenam et al.) hooks its levels: Linear/Conv + ReLU, with max-pooling belonging to the next level.
import * as tf from '#tf';
import { applyActivation, preActivationWith, splitLevels, type Level } from '../model/levels.js';

export type Op =
  /** x·W + b or conv(x, W) + b of a level's weight layer (no activation). */
  | { kind: 'affine'; level: Level }
  /** An elementwise nonlinearity; `name` is the Keras activation name when known. */
  | { kind: 'elementwise'; name: string; apply: (t: tf.Tensor) => tf.Tensor }
  | { kind: 'softmax'; apply: (t: tf.Tensor) => tf.Tensor }
  | { kind: 'maxpool'; apply: (t: tf.Tensor) => tf.Tensor; pool: MaxPoolGeometry }
  /** Linear and parameter-free: Flatten, Reshape, average pooling, Dropout in inference mode. */
  | { kind: 'linear'; apply: (t: tf.Tensor) => tf.Tensor };

/** What the MaxPoolGrad kernel needs to route a gradient through a max pooling (NHWC). */
export interface MaxPoolGeometry {
  filterSize: [number, number];
  strides: [number, number];
  pad: 'valid' | 'same';
}

export interface ModelWalk {
  levels: Level[];
  ops: Op[];
  /** points[l] = number of ops to run from the model input to reach level l's output. */
  points: number[];
  /** Neurons per level (dense units / conv channels): the last axis of the level output. */
  widths: number[];
  /** Shape of one input example (the model's input shape without the batch axis). */
  inputShape: number[];
}

function inference(layer: tf.layers.Layer): (t: tf.Tensor) => tf.Tensor {
  return (t) => layer.apply(t, { training: false }) as tf.Tensor;
}

function activationOp(name: string): Op {
  const apply = (t: tf.Tensor) => applyActivation(name, t);
  return name === 'softmax' ? { kind: 'softmax', apply } : { kind: 'elementwise', name, apply };
}

function layerOp(layer: tf.layers.Layer): Op | undefined {
  const cls = layer.getClassName();
  switch (cls) {
    case 'InputLayer':
      return undefined;
    case 'Activation':
      return activationOp(String((layer.getConfig() as { activation?: string }).activation ?? 'linear'));
    case 'ReLU':
      return { kind: 'elementwise', name: 'relu', apply: inference(layer) };
    case 'MaxPooling2D': {
      const cfg = layer.getConfig() as {
        poolSize: [number, number];
        strides?: [number, number] | null;
        padding?: 'valid' | 'same';
        dataFormat?: string;
      };
      if (cfg.dataFormat === 'channelsFirst') {
        throw new Error(`layer ${layer.name}: MaxPooling2D with channelsFirst is not supported (use channelsLast)`);
      }
      const pool: MaxPoolGeometry = {
        filterSize: cfg.poolSize,
        strides: cfg.strides ?? cfg.poolSize,
        pad: cfg.padding ?? 'valid',
      };
      return { kind: 'maxpool', apply: inference(layer), pool };
    }
    default:
      // AveragePooling2D, Flatten, Reshape, Dropout — splitLevels has already rejected anything else.
      return { kind: 'linear', apply: inference(layer) };
  }
}

/** Layers that may sit between a weight layer's activation and its level's neuron read-out point. */
const ELEMENTWISE_FOLLOWERS = new Set(['Activation', 'ReLU', 'Dropout']);

export function walkModel(model: tf.LayersModel): ModelWalk {
  const levels = splitLevels(model);
  const ops: Op[] = [];
  const points: number[] = [];
  const push = (op: Op | undefined) => {
    if (op) ops.push(op);
  };
  for (const level of levels) {
    level.prefix.forEach((l) => push(layerOp(l)));
    push({ kind: 'affine', level });
    if (level.activation !== 'linear') push(activationOp(level.activation));
    let i = 0;
    while (i < level.followers.length && ELEMENTWISE_FOLLOWERS.has(level.followers[i].getClassName())) {
      push(layerOp(level.followers[i++]));
    }
    points.push(ops.length);
    level.followers.slice(i).forEach((l) => push(layerOp(l)));
  }
  const input = model.inputs[0].shape.slice(1);
  if (input.some((d) => d == null)) {
    throw new Error(`model input shape [${model.inputs[0].shape.join(', ')}] must be fully known except the batch axis`);
  }
  return { levels, ops, points, widths: levels.map((l) => l.width), inputShape: input as number[] };
}

export function applyOp(op: Op, h: tf.Tensor): tf.Tensor {
  if (op.kind === 'affine') {
    const [kernel, bias] = op.level.weightLayer.getWeights();
    return preActivationWith(op.level, kernel, bias, h);
  }
  return op.apply(h);
}

/**
 * Runs ops [from, to) on h. `at(level, t)` (optional) is called with each level output reached on the way and
 * returns the tensor to continue with (e.g. t plus a perturbation). Intermediate tensors are left to the caller's
 * tidy/gradient scope.
 */
export function runOps(
  walk: ModelWalk,
  h: tf.Tensor,
  from: number,
  to: number,
  at?: (level: number, t: tf.Tensor) => tf.Tensor,
): tf.Tensor {
  let t = h;
  for (let i = from; i < to; i++) {
    t = applyOp(walk.ops[i], t);
    if (at) {
      const level = walk.points.indexOf(i + 1);
      if (level >= 0) t = at(level, t);
    }
  }
  return t;
}

/** Shape of each level output for one example (no batch axis), checked against the level widths. */
export function levelOutputShapes(walk: ModelWalk): number[][] {
  return tf.tidy(() => {
    const shapes: number[][] = [];
    runOps(walk, tf.zeros([1, ...walk.inputShape]), 0, walk.ops.length, (level, t) => {
      const shape = t.shape.slice(1);
      if (shape[shape.length - 1] !== walk.widths[level]) {
        throw new Error(
          `level ${level}: its output has shape [${shape.join(', ')}], whose last axis should be its ${walk.widths[level]} neurons`,
        );
      }
      shapes.push(shape);
      return t;
    });
    return shapes;
  });
}
