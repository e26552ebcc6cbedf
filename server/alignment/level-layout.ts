// Where each level's neurons live in a model's flat weight list, and how the previous level's neurons enter it.
// Alignment methods (OT fusion, weight matching) reorder or mix neurons; they need exactly this map to move a neuron's
// outgoing weights (this level's kernel columns and bias) and its incoming uses (the next level's kernel rows) together.
import type * as tf from '@fedfuse/client/internal/tf/tfjs.js';
import { splitLevels, type LevelKind } from '@fedfuse/client/internal/model/levels.js';
import type { WeightTensor } from '@fedfuse/client/internal/model/weights.js';

export interface LevelLayout {
  index: number;
  kind: LevelKind;
  /** Neurons: dense units or conv output channels. */
  width: number;
  /** Positions of the kernel and bias in the model's weight list (model.weights / readWeights order). */
  kernelIndex: number;
  biasIndex: number;
  /**
   * How the previous level's neurons appear on this kernel's input axis. A Flatten after a conv (channels last)
   * turns C channels into positions·C inputs with the channel varying fastest, so one channel is `inputRepeat`
   * kernel rows, `width` apart. 1 for dense→dense and conv→conv; 0 on level 0 (raw input, never aligned).
   */
  inputRepeat: number;
}

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Levels of a sequential Dense/Conv2D model, or an Error naming what alignment cannot handle. */
export function levelLayouts(model: tf.LayersModel): LevelLayout[] {
  const levels = splitLevels(model);
  const weights = model.weights;
  const indexOf = (variable: tf.LayerVariable, layerName: string): number => {
    const i = weights.indexOf(variable);
    if (i < 0) throw new Error(`layer ${layerName}: weight ${variable.originalName} is not among the model's weights`);
    return i;
  };
  const layouts: LevelLayout[] = [];
  levels.forEach((level, l) => {
    const [kernel, bias] = level.weightLayer.weights;
    const kernelIndex = indexOf(kernel, level.weightLayer.name);
    const biasIndex = indexOf(bias, level.weightLayer.name);
    let inputRepeat = 0;
    if (l > 0) {
      const prev = levels[l - 1];
      if (prev.followers.some((f) => f.getClassName() === 'Reshape')) {
        throw new Error(`layer ${level.weightLayer.name}: a Reshape between levels is not supported by neuron alignment`);
      }
      // Dense kernels are [in, out], conv kernels [kh, kw, inChannels, out]: the input axis is second to last.
      const inputs = kernel.shape[kernel.shape.length - 2] as number;
      if (level.kind === 'conv2d') {
        if (prev.kind !== 'conv2d' || inputs !== prev.width) {
          throw new Error(
            `layer ${level.weightLayer.name}: conv input has ${inputs} channels but the previous level has ${prev.width} neurons`,
          );
        }
        inputRepeat = 1;
      } else if (prev.kind === 'dense') {
        if (inputs !== prev.width) {
          throw new Error(
            `layer ${level.weightLayer.name}: dense input has ${inputs} features but the previous level has ${prev.width} neurons`,
          );
        }
        inputRepeat = 1;
      } else {
        if (inputs % prev.width !== 0) {
          throw new Error(
            `layer ${level.weightLayer.name}: dense input size ${inputs} is not a multiple of the previous conv's ${prev.width} channels`,
          );
        }
        inputRepeat = inputs / prev.width;
      }
    }
    layouts.push({ index: l, kind: level.kind, width: level.width, kernelIndex, biasIndex, inputRepeat });
  });
  return layouts;
}

/** Checks that a weight list fits the layouts (count, kernel output width, bias size); throws naming the mismatch. */
export function checkWeightsFitLayouts(weights: readonly WeightTensor[], layouts: readonly LevelLayout[], who: string): void {
  for (const layout of layouts) {
    const kernel = weights[layout.kernelIndex];
    const bias = weights[layout.biasIndex];
    if (!kernel || !bias) throw new Error(`${who}: level ${layout.index} kernel/bias missing from the weight list`);
    const out = kernel.shape[kernel.shape.length - 1];
    if (out !== layout.width || bias.values.length !== layout.width) {
      throw new Error(`${who}: level ${layout.index} has ${out} neurons, the architecture says ${layout.width}`);
    }
    if (product(kernel.shape) !== kernel.values.length) {
      throw new Error(`${who}: level ${layout.index} kernel has ${kernel.values.length} values for shape ${kernel.shape.join('x')}`);
    }
  }
}

/** Checks that two models can be aligned level by level (same depth, kinds, input and output sizes). */
export function checkCompatibleLayouts(
  a: readonly LevelLayout[],
  b: readonly LevelLayout[],
  aWeights: readonly WeightTensor[],
  bWeights: readonly WeightTensor[],
  who: string,
): void {
  if (a.length !== b.length) throw new Error(`${who}: has ${b.length} levels, the anchor has ${a.length}`);
  a.forEach((la, l) => {
    const lb = b[l];
    if (la.kind !== lb.kind) throw new Error(`${who}: level ${l} is ${lb.kind}, the anchor's is ${la.kind}`);
    const ka = aWeights[la.kernelIndex].shape;
    const kb = bWeights[lb.kernelIndex].shape;
    if (la.kind === 'conv2d' && (ka[0] !== kb[0] || ka[1] !== kb[1])) {
      throw new Error(`${who}: level ${l} has a ${kb[0]}x${kb[1]} conv kernel, the anchor's is ${ka[0]}x${ka[1]}`);
    }
    if (la.inputRepeat !== lb.inputRepeat) {
      throw new Error(`${who}: level ${l} sees ${lb.inputRepeat} positions per input neuron, the anchor ${la.inputRepeat}`);
    }
    if (l === 0 && ka[ka.length - 2] !== kb[kb.length - 2]) {
      throw new Error(`${who}: input size ${kb[kb.length - 2]} differs from the anchor's ${ka[ka.length - 2]}`);
    }
  });
  const last = a.length - 1;
  if (a[last].width !== b[last].width) {
    throw new Error(`${who}: has ${b[last].width} outputs, the anchor has ${a[last].width}`);
  }
}
