// Re-expresses a model's weights in another neuron order (or neuron mixture): per level, the map acts on the
// kernel's output axis and the bias, and the previous level's map acts on the kernel's input axis (repeated per
// position after a conv→Flatten). Pure array math on WeightTensors; nothing here touches TF.js.
import type { WeightTensor } from '@fedfuse/client/internal/model/weights.js';
import type { LevelLayout } from './level-layout.js';
import { permutationMap, type NeuronMap } from './neuron-map.js';

/**
 * Views `values` as [outer, axisLength, inner] and maps the middle axis: out[o, j, r] = Σ_k w_k · in[o, idx_k, r].
 */
export function mapAxis(
  values: Float32Array,
  outer: number,
  axisLength: number,
  inner: number,
  map: NeuronMap,
): Float32Array {
  if (map.sourceCount !== axisLength) {
    throw new Error(`neuron map expects ${map.sourceCount} source neurons, the axis has ${axisLength}`);
  }
  if (values.length !== outer * axisLength * inner) {
    throw new Error(`tensor has ${values.length} values, expected ${outer}x${axisLength}x${inner}`);
  }
  const m = map.targetCount;
  const out = new Float32Array(outer * m * inner);
  for (let o = 0; o < outer; o++) {
    const src = o * axisLength * inner;
    const dst = o * m * inner;
    for (let j = 0; j < m; j++) {
      const { index, weight } = map.rows[j];
      const d = dst + j * inner;
      if (index.length === 1 && weight[0] === 1) {
        // Permutation rows: a plain copy keeps the values bit-exact.
        const s = src + index[0] * inner;
        for (let r = 0; r < inner; r++) out[d + r] = values[s + r];
        continue;
      }
      for (let r = 0; r < inner; r++) {
        let acc = 0;
        for (let k = 0; k < index.length; k++) acc += weight[k] * values[src + index[k] * inner + r];
        out[d + r] = acc;
      }
    }
  }
  return out;
}

/** [outer, width, inner] view of a kernel along its output axis (last axis for both dense and conv). */
function outputView(kernel: WeightTensor): [number, number, number] {
  const width = kernel.shape[kernel.shape.length - 1];
  return [kernel.values.length / width, width, 1];
}

/** [outer, neurons, inner] view of a kernel along the previous level's neurons on its input axis. */
function inputView(kernel: WeightTensor, layout: LevelLayout, previousWidth: number): [number, number, number] {
  const out = kernel.shape[kernel.shape.length - 1];
  if (layout.kind === 'conv2d') return [kernel.shape[0] * kernel.shape[1], previousWidth, out];
  // Dense after Flatten: rows are position·C + channel, so the channel axis sits between positions and outputs.
  return [layout.inputRepeat, previousWidth, out];
}

function withShape(w: WeightTensor, shape: number[], values: Float32Array): WeightTensor {
  return { name: w.name, shape, values };
}

/**
 * Weights re-expressed through `maps[l]` (level l's neurons; undefined = unchanged). Level l's output axis and bias use
 * maps[l]; level l+1's input axis uses maps[l] too, so the network computes the same function when every map is a
 * permutation. Returns new tensors; the input is not modified.
 */
export function alignWeights(
  weights: readonly WeightTensor[],
  layouts: readonly LevelLayout[],
  maps: readonly (NeuronMap | undefined)[],
): WeightTensor[] {
  if (maps.length > layouts.length) throw new Error(`got ${maps.length} neuron maps for ${layouts.length} levels`);
  const out = weights.map((w) => ({ name: w.name, shape: [...w.shape], values: w.values }));
  layouts.forEach((layout, l) => {
    const own = maps[l];
    const previous = l > 0 ? maps[l - 1] : undefined;
    let kernel = out[layout.kernelIndex];
    if (previous) {
      const [outer, n, inner] = inputView(kernel, layout, previous.sourceCount);
      const values = mapAxis(kernel.values, outer, n, inner, previous);
      const shape = [...kernel.shape];
      shape[shape.length - 2] = layout.kind === 'conv2d' ? previous.targetCount : layout.inputRepeat * previous.targetCount;
      kernel = withShape(kernel, shape, values);
    }
    if (own) {
      const [outer, n, inner] = outputView(kernel);
      const values = mapAxis(kernel.values, outer, n, inner, own);
      const shape = [...kernel.shape];
      shape[shape.length - 1] = own.targetCount;
      kernel = withShape(kernel, shape, values);
      const bias = out[layout.biasIndex];
      out[layout.biasIndex] = withShape(bias, [own.targetCount], mapAxis(bias.values, 1, bias.values.length, 1, own));
    }
    out[layout.kernelIndex] = kernel;
  });
  // Tensors no map touched still share their buffer with the input: copy so callers may mutate the result.
  return out.map((w, i) => (w.values === weights[i].values ? { ...w, values: new Float32Array(w.values) } : w));
}

/** The same network with level l's neurons reordered by perms[l] (new neuron j = old neuron perms[l][j]). */
export function permuteWeights(
  weights: readonly WeightTensor[],
  layouts: readonly LevelLayout[],
  perms: readonly (ArrayLike<number> | undefined)[],
): WeightTensor[] {
  return alignWeights(
    weights,
    layouts,
    perms.map((p) => (p ? permutationMap(p) : undefined)),
  );
}
