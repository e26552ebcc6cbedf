// The tiers of a federation measured against its global model: the units every tier's model keeps per level, its
// weight shapes and parameter count, and which tier a joining client gets (the one it names, or the largest whose
// model fits the parameter count it can train).
import type { WeightTensor } from '@fedfuse/client/internal/model/weights.js';
import { scaledHiddenWidths } from '../../common/model/width-scaling.js';
import { levelWidthsOf, parameterCount, weightShapesAt } from './sub-model.js';
import type { TierSpec } from './tier-options.js';

/** A device tier as the server and strategies see it. */
export interface ModelTier {
  name: string;
  /** Width rate in (0, 1]. */
  width: number;
  /** Units per level, output level included (the global model's at width 1). */
  widths: number[];
  weightShapes: number[][];
  parameters: number;
}

/** The tiers of `specs` for a global model with these weights, in the order given. */
export function modelTiers(specs: readonly TierSpec[], global: readonly WeightTensor[]): ModelTier[] {
  const globalWidths = levelWidthsOf(global);
  return specs.map((s) => {
    const widths = [...scaledHiddenWidths(globalWidths.slice(0, -1), s.width), globalWidths[globalWidths.length - 1]];
    const weightShapes = weightShapesAt(global, widths);
    return { name: s.name, width: s.width, widths, weightShapes, parameters: parameterCount(weightShapes) };
  });
}

/** What a joining client asks for: a tier by name ('' = none) and/or a parameter limit (0 = none). */
export interface TierRequest {
  tier: string;
  maxParameters: number;
}

const describe = (tiers: readonly ModelTier[]) => tiers.map((t) => `${t.name} (${t.parameters} parameters)`).join(', ');

/** The tier a client gets, or why none: the named tier (which must fit its limit), else the largest that fits. */
export function chooseTier(tiers: readonly ModelTier[], request: TierRequest): { tier: ModelTier } | { error: string } {
  const limit = request.maxParameters > 0 ? request.maxParameters : Infinity;
  if (request.tier !== '') {
    const tier = tiers.find((t) => t.name === request.tier);
    if (!tier) return { error: `tier "${request.tier}" is not one of this federation's tiers: ${describe(tiers)}` };
    if (tier.parameters > limit) {
      return { error: `tier ${tier.name} has ${tier.parameters} parameters, more than the client's max_parameters ${request.maxParameters}` };
    }
    return { tier };
  }
  const fitting = tiers.filter((t) => t.parameters <= limit);
  if (fitting.length === 0) {
    return { error: `no tier fits max_parameters ${request.maxParameters}: the tiers are ${describe(tiers)}` };
  }
  return { tier: fitting.reduce((best, t) => (t.parameters > best.parameters ? t : best)) };
}
