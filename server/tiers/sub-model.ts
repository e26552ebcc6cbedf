// Sub-models of one global model as plain arrays (no TF.js): which units of every hidden level a narrower model keeps,
// the weights it gets (the global model sliced to those units), and the way nested-slice methods (HeteroFL, FedRolex)
// put narrower models back: every global parameter becomes the example-weighted mean over the clients whose
// sub-model holds it, and a parameter no client holds keeps its value.
//
// A model's weights are [kernel, bias] per weight layer (Dense [in, out], Conv2D [kh, kw, in, out]); a level's inputs
// are positions × the previous level's units (a Dense after a Flatten of channels-last feature maps), so keeping
// units U of the previous level keeps inputs p · n + u for every position p and u in U.
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import type { WeightTensor } from '@fedfuse/client/internal/model/weights.js';
import { topologyWithWidths } from '../../common/model/width-scaling.js';

/** Units of every level (the output level too) of a model, read from its kernels' last dimension. */
export function levelWidthsOf(weights: readonly WeightTensor[]): number[] {
  if (weights.length === 0 || weights.length % 2 !== 0) {
    throw new Error(`a tiered model needs [kernel, bias] per weight layer, got ${weights.length} weight tensors`);
  }
  const widths: number[] = [];
  for (let i = 0; i < weights.length; i += 2) {
    const kernel = weights[i];
    const bias = weights[i + 1];
    const out = kernel.shape[kernel.shape.length - 1];
    if (kernel.shape.length < 2 || bias.shape.length !== 1 || bias.shape[0] !== out) {
      throw new Error(`weight layer ${i / 2} (${kernel.name}): expected a kernel [..., in, out] and a bias [out], got [${kernel.shape}] and [${bias.shape}]`);
    }
    widths.push(out);
  }
  return widths;
}

/** Per hidden level, the global units a sub-model keeps, in its own unit order. */
export type UnitSelection = readonly (readonly number[])[];

/** The first k_l units of every hidden level (HeteroFL's nested slices, and the plain slice of a tier). */
export function firstUnits(hiddenWidths: readonly number[]): UnitSelection {
  return hiddenWidths.map((k) => Array.from({ length: k }, (_, i) => i));
}

/** FedRolex's window in round `round`: units (round + i) mod n_l for i < k_l. */
export function rollingUnits(globalHidden: readonly number[], hiddenWidths: readonly number[], round: number): UnitSelection {
  return hiddenWidths.map((k, l) => Array.from({ length: k }, (_, i) => (round + i) % globalHidden[l]));
}

/** The weight shapes of a model with `widths` units per level (output included), from the global shapes. */
export function weightShapesAt(global: readonly WeightTensor[], widths: readonly number[]): number[][] {
  const globalWidths = levelWidthsOf(global);
  if (widths.length !== globalWidths.length) throw new Error(`${widths.length} widths for a model of ${globalWidths.length} levels`);
  const shapes: number[][] = [];
  globalWidths.forEach((n, l) => {
    const kernel = global[2 * l].shape;
    const inGlobal = kernel[kernel.length - 2];
    const inputs = l === 0 ? inGlobal : (inGlobal / globalWidths[l - 1]) * widths[l - 1];
    shapes.push([...kernel.slice(0, -2), inputs, widths[l]], [widths[l]]);
    if (n < widths[l]) throw new Error(`level ${l}: ${widths[l]} units asked of a level of ${n}`);
  });
  return shapes;
}

export function parameterCount(shapes: readonly (readonly number[])[]): number {
  return shapes.reduce((a, s) => a + s.reduce((x, y) => x * y, 1), 0);
}

interface LevelIndex {
  /** Kernel: leading positions (kh · kw for conv, 1 for dense), global inputs and outputs. */
  lead: number;
  inGlobal: number;
  outGlobal: number;
  /** Global input and output indices the sub-model keeps, in its order. */
  inputs: number[];
  outputs: number[];
}

function levelIndices(global: readonly WeightTensor[], units: UnitSelection): LevelIndex[] {
  const widths = levelWidthsOf(global);
  if (units.length !== widths.length - 1) throw new Error(`unit selection for ${units.length} hidden levels, the model has ${widths.length - 1}`);
  return widths.map((n, l) => {
    const kernel = global[2 * l].shape;
    const inGlobal = kernel[kernel.length - 2];
    const lead = kernel.slice(0, -2).reduce((a, b) => a * b, 1);
    let inputs: number[];
    if (l === 0) inputs = Array.from({ length: inGlobal }, (_, i) => i);
    else {
      const prev = widths[l - 1];
      const positions = inGlobal / prev;
      if (!Number.isInteger(positions)) throw new Error(`level ${l}: ${inGlobal} inputs are not positions × ${prev} units`);
      inputs = [];
      for (let p = 0; p < positions; p++) for (const u of units[l - 1]) inputs.push(p * prev + u);
    }
    const outputs = l === widths.length - 1 ? Array.from({ length: n }, (_, i) => i) : [...units[l]];
    for (const u of outputs) if (!(Number.isInteger(u) && u >= 0 && u < n)) throw new Error(`level ${l}: unit ${u} is not in [0, ${n})`);
    return { lead, inGlobal, outGlobal: n, inputs, outputs };
  });
}

/** Calls `visit(subIndex, globalIndex)` for every value of every weight tensor of the sub-model. */
function forEachHeld(idx: readonly LevelIndex[], visit: (tensor: number, sub: number, global: number) => void): void {
  idx.forEach((lv, l) => {
    const ki = lv.inputs.length;
    const ko = lv.outputs.length;
    for (let p = 0; p < lv.lead; p++) {
      for (let i = 0; i < ki; i++) {
        const gRow = (p * lv.inGlobal + lv.inputs[i]) * lv.outGlobal;
        const sRow = (p * ki + i) * ko;
        for (let o = 0; o < ko; o++) visit(2 * l, sRow + o, gRow + lv.outputs[o]);
      }
    }
    for (let o = 0; o < ko; o++) visit(2 * l + 1, o, lv.outputs[o]);
  });
}

/** The global model cut to `units` (a sub-model that the tier's clients train), with its own topology. */
export function sliceModel(global: ModelState, units: UnitSelection): ModelState {
  const idx = levelIndices(global.weights, units);
  const widths = idx.map((lv) => lv.outputs.length);
  const shapes = weightShapesAt(global.weights, widths);
  const weights = global.weights.map((w, t) => ({ name: w.name, shape: shapes[t], values: new Float32Array(parameterCount([shapes[t]])) }));
  forEachHeld(idx, (t, sub, g) => {
    weights[t].values[sub] = global.weights[t].values[g];
  });
  return { topologyJson: topologyWithWidths(global.topologyJson, widths), weights };
}

/** One client's sub-model weights, which global units they hold, and the weight of its update. */
export interface HeldUpdate {
  weights: readonly WeightTensor[];
  units: UnitSelection;
  numExamples: number;
}

/**
 * HeteroFL / FedRolex aggregation: each global value becomes the numExamples-weighted mean over the updates that hold
 * it; values no update holds keep the global model's.
 */
export function aggregateHeld(global: readonly WeightTensor[], updates: readonly HeldUpdate[]): WeightTensor[] {
  const sums = global.map((w) => new Float64Array(w.values.length));
  const totals = global.map((w) => new Float64Array(w.values.length));
  for (const u of updates) {
    const idx = levelIndices(global, u.units);
    const shapes = weightShapesAt(global, idx.map((lv) => lv.outputs.length));
    u.weights.forEach((w, t) => {
      if (w.shape.join('x') !== shapes[t].join('x')) {
        throw new Error(`weight ${t} (${w.name}) has shape [${w.shape}], the sub-model holds [${shapes[t]}]`);
      }
    });
    const c = u.numExamples;
    forEachHeld(idx, (t, sub, g) => {
      sums[t][g] += c * u.weights[t].values[sub];
      totals[t][g] += c;
    });
  }
  return global.map((w, t) => {
    const out = new Float32Array(w.values);
    for (let i = 0; i < out.length; i++) if (totals[t][i] > 0) out[i] = sums[t][i] / totals[t][i];
    return { name: w.name, shape: [...w.shape], values: out };
  });
}
