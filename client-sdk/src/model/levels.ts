// A "level" (neuron-interpolation paper) = one weight layer (Dense or Conv2D) plus everything up to the next weight
// layer (its activation, pooling, flatten, dropout). Both the SDK (to upload activations) and the fusion engine
// (to fit fused levels) walk a model level by level with these helpers.
import * as tf from '#tf';

export type LevelKind = 'dense' | 'conv2d';

export interface Level {
  index: number;
  kind: LevelKind;
  weightLayer: tf.layers.Layer;
  /** Activation name of the weight layer itself ('linear' when none). */
  activation: string;
  /** Pass-through layers after the weight layer, up to the next weight layer. */
  followers: tf.layers.Layer[];
  /** Pass-through layers before the first weight layer (only on level 0). */
  prefix: tf.layers.Layer[];
  /** Neurons of this level: dense units or conv channels. */
  width: number;
}

const PASS_THROUGH = new Set([
  'InputLayer',
  'Activation',
  'ReLU',
  'MaxPooling2D',
  'AveragePooling2D',
  'Flatten',
  'Dropout',
  'Reshape',
]);

function layerConfig(layer: tf.layers.Layer): Record<string, unknown> {
  return layer.getConfig() as Record<string, unknown>;
}

/** Splits a sequential model into levels, or throws naming the first layer fusion cannot handle. */
export function splitLevels(model: tf.LayersModel): Level[] {
  const levels: Level[] = [];
  let pending: tf.layers.Layer[] = [];
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls === 'Dense' || cls === 'Conv2D') {
      const cfg = layerConfig(layer);
      const width = cls === 'Dense' ? (cfg.units as number) : (cfg.filters as number);
      if (cls === 'Conv2D' && cfg.dataFormat === 'channelsFirst') {
        throw new Error(`layer ${layer.name}: Conv2D with channelsFirst is not supported (use channelsLast)`);
      }
      if (cfg.useBias === false) throw new Error(`layer ${layer.name}: ${cls} without bias is not supported`);
      levels.push({
        index: levels.length,
        kind: cls === 'Dense' ? 'dense' : 'conv2d',
        weightLayer: layer,
        activation: (cfg.activation as string | undefined) ?? 'linear',
        followers: [],
        prefix: levels.length === 0 ? pending : [],
        width,
      });
      pending = [];
    } else if (PASS_THROUGH.has(cls)) {
      if (levels.length === 0) pending.push(layer);
      else levels[levels.length - 1].followers.push(layer);
    } else {
      throw new Error(
        `layer ${layer.name} of type ${cls} is not supported by level-wise fusion ` +
          `(supported: Dense, Conv2D, ${[...PASS_THROUGH].join(', ')})`,
      );
    }
  }
  if (levels.length === 0) throw new Error('model has no Dense or Conv2D layer to fuse');
  return levels;
}

export function applyActivation(name: string, x: tf.Tensor): tf.Tensor {
  switch (name) {
    case 'linear':
      return x.clone();
    case 'relu':
      return tf.relu(x);
    case 'relu6':
      return tf.relu6(x);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'elu':
      return tf.elu(x);
    case 'selu':
      return tf.selu(x);
    case 'softmax':
      return tf.softmax(x);
    default:
      throw new Error(`activation ${name} is not supported by level-wise fusion`);
  }
}

/** Runs pass-through layers in inference mode (dropout off). Always returns a new tensor the caller owns. */
function runLayers(layers: readonly tf.layers.Layer[], x: tf.Tensor): tf.Tensor {
  // With no layers, reduce would hand back x itself, and callers that dispose the result would free their input.
  if (layers.length === 0) return x.clone();
  return tf.tidy(() => layers.reduce((h, l) => l.apply(h, { training: false }) as tf.Tensor, x));
}

/** Input of the weight layer of `level`, given the level's input (applies level 0's prefix). */
export function levelInput(level: Level, x: tf.Tensor): tf.Tensor {
  return runLayers(level.prefix, x);
}

/** Weight layer output before its activation: x·W + b (dense) or conv(x, W) + b (conv), from explicit weights. */
export function preActivationWith(level: Level, kernel: tf.Tensor, bias: tf.Tensor, input: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    if (level.kind === 'dense') return tf.add(tf.matMul(input as tf.Tensor2D, kernel as tf.Tensor2D), bias);
    const cfg = layerConfig(level.weightLayer);
    const strides = cfg.strides as [number, number];
    const dilations = cfg.dilationRate as [number, number] | number | undefined;
    const conv = tf.conv2d(
      input as tf.Tensor4D,
      kernel as tf.Tensor4D,
      strides,
      cfg.padding as 'valid' | 'same',
      'NHWC',
      dilations as [number, number] | undefined,
    );
    return tf.add(conv, bias);
  });
}

/** Pre-activation of a level on its (already prefixed) input, using the layer's current weights. */
export function levelPreActivation(level: Level, input: tf.Tensor): tf.Tensor {
  const [kernel, bias] = level.weightLayer.getWeights();
  return preActivationWith(level, kernel, bias, input);
}

/** From a pre-activation to the next level's input: activation, then the pass-through layers. */
export function levelPostActivation(level: Level, pre: tf.Tensor): tf.Tensor {
  return tf.tidy(() => runLayers(level.followers, applyActivation(level.activation, pre)));
}

/**
 * Pre-activations of every level of `model` on `x` (the fusion targets).
 * Returns one tensor per level; the caller disposes them.
 */
export function collectPreActivations(model: tf.LayersModel, x: tf.Tensor): tf.Tensor[] {
  const levels = splitLevels(model);
  const out: tf.Tensor[] = [];
  let h = levelInput(levels[0], x);
  for (const level of levels) {
    const pre = levelPreActivation(level, h);
    out.push(pre);
    const next = levelPostActivation(level, pre);
    h.dispose();
    h = next;
  }
  h.dispose();
  return out;
}
