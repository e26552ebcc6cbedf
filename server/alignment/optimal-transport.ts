// Optimal-transport coupling between two levels' neurons with uniform marginals, turned into a neuron map.
// With equal widths, exact OT with uniform marginals has a permutation among its optimal plans (Birkhoff), i.e. it is
// the linear assignment problem, solved exactly by the Hungarian method. Otherwise (or on request) entropic OT.
import { hungarian } from '../fusion/hungarian.js';
import { mat } from '../fusion/matrix-products.js';
import { couplingMap, permutationMap, type NeuronMap } from './neuron-map.js';
import { sinkhorn, uniformMarginal, type SinkhornOptions } from './sinkhorn.js';

export type CouplingSolver = 'auto' | 'exact' | 'sinkhorn';

export interface CouplingOptions {
  /** 'auto' (default): exact when widths are equal, Sinkhorn otherwise. */
  solver?: CouplingSolver;
  sinkhorn?: SinkhornOptions;
}

export interface Coupling {
  map: NeuronMap;
  /** Row-major target × source plan (uniform marginals, total mass 1). */
  plan: Float64Array;
  solver: 'exact' | 'sinkhorn';
  /** Sinkhorn only: largest marginal violation. */
  marginalError: number;
}

/** Coupling of target neurons (cost rows) with source neurons (cost columns). */
export function solveCoupling(cost: Float64Array, targetCount: number, sourceCount: number, options: CouplingOptions = {}): Coupling {
  const solver = options.solver ?? 'auto';
  const exact = solver === 'exact' || (solver === 'auto' && targetCount === sourceCount);
  if (exact) {
    if (targetCount !== sourceCount) {
      throw new Error(
        `exact OT needs equal widths (got ${targetCount} vs ${sourceCount} neurons); use solver 'sinkhorn' for different widths`,
      );
    }
    const perm = hungarian(mat(targetCount, sourceCount, cost));
    const plan = new Float64Array(cost.length);
    for (let j = 0; j < targetCount; j++) plan[j * sourceCount + perm[j]] = 1 / targetCount;
    return { map: permutationMap(perm), plan, solver: 'exact', marginalError: 0 };
  }
  const result = sinkhorn(
    cost,
    targetCount,
    sourceCount,
    uniformMarginal(targetCount),
    uniformMarginal(sourceCount),
    options.sinkhorn,
  );
  return {
    map: couplingMap(result.plan, targetCount, sourceCount),
    plan: result.plan,
    solver: 'sinkhorn',
    marginalError: result.marginalError,
  };
}
