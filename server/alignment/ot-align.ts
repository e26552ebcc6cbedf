// Activation-based OTFusion alignment (Singh & Jaggi 2020): level by level, couple each parent's neurons with the
// anchor's by optimal transport on their probe activations, and re-express the parent's weights in the anchor's
// neurons (outgoing side with this level's coupling, incoming side with the previous level's). The output level is
// never permuted: its neurons are the classes. Averaging the aligned parents is left to the caller.
import type { WeightTensor } from '@fedfuse/client/internal/model/weights.js';
import { activationCost, type NeuronActivations } from './activation-cost.js';
import { alignWeights } from './align-weights.js';
import { checkCompatibleLayouts, checkWeightsFitLayouts, type LevelLayout } from './level-layout.js';
import type { NeuronMap } from './neuron-map.js';
import { solveCoupling, type CouplingOptions } from './optimal-transport.js';

export interface AlignmentParent {
  weights: readonly WeightTensor[];
  layouts: readonly LevelLayout[];
  /** Per level, the level's pre-activations on the shared probe set (neurons on the last axis). */
  activations: readonly NeuronActivations[];
}

export interface OTAlignment {
  /** Every parent's weights in the anchor's neuron order and shapes (the anchor's are a copy of its own). */
  aligned: WeightTensor[][];
  /** maps[k][l]: anchor neurons from parent k's neurons at level l; undefined for the anchor and the output level. */
  maps: (NeuronMap | undefined)[][];
  /** Largest Sinkhorn marginal violation over all couplings (0 when all were exact). */
  marginalError: number;
}

function checkActivations(parent: AlignmentParent, who: string): void {
  if (parent.activations.length !== parent.layouts.length) {
    throw new Error(`${who}: has activations for ${parent.activations.length} levels, the model has ${parent.layouts.length}`);
  }
  parent.layouts.forEach((layout, l) => {
    const shape = parent.activations[l].shape;
    if (shape[shape.length - 1] !== layout.width) {
      throw new Error(`${who}: level ${l} activations have ${shape[shape.length - 1]} neurons, the level has ${layout.width}`);
    }
  });
}

export function otAlign(parents: readonly AlignmentParent[], anchorIndex: number, options: CouplingOptions = {}): OTAlignment {
  if (parents.length === 0) throw new Error('OT fusion needs at least one parent');
  if (!Number.isInteger(anchorIndex) || anchorIndex < 0 || anchorIndex >= parents.length) {
    throw new Error(`anchor index ${anchorIndex} is out of range for ${parents.length} parents`);
  }
  const anchor = parents[anchorIndex];
  parents.forEach((p, k) => {
    const who = `parent ${k}`;
    checkWeightsFitLayouts(p.weights, p.layouts, who);
    checkActivations(p, who);
    if (k !== anchorIndex) checkCompatibleLayouts(anchor.layouts, p.layouts, anchor.weights, p.weights, who);
  });
  const levels = anchor.layouts.length;
  let marginalError = 0;
  const maps = parents.map((parent, k) => {
    if (k === anchorIndex) return new Array<NeuronMap | undefined>(levels).fill(undefined);
    return anchor.layouts.map((layout, l) => {
      if (l === levels - 1) return undefined;
      const { cost, rows, cols } = activationCost(anchor.activations[l], parent.activations[l]);
      const coupling = solveCoupling(cost, rows, cols, options);
      marginalError = Math.max(marginalError, coupling.marginalError);
      return coupling.map;
    });
  });
  const aligned = parents.map((parent, k) => {
    const weights = alignWeights(parent.weights, parent.layouts, maps[k]);
    if (weights.length !== anchor.weights.length) {
      throw new Error(`parent ${k}: has ${weights.length} weight tensors, the anchor has ${anchor.weights.length}`);
    }
    weights.forEach((w, t) => {
      const want = anchor.weights[t].shape.join('x');
      if (w.shape.join('x') !== want) {
        throw new Error(`parent ${k}: aligned weight ${t} (${w.name}) has shape ${w.shape.join('x')}, the anchor's is ${want}`);
      }
    });
    return weights;
  });
  return { aligned, maps, marginalError };
}
