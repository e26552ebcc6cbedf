// The methods `fedfuse fuse` offers: neuron interpolation's and the baselines it compares with. Kept free of TF.js
// so that `fuse --help` lists them without loading it.
import { FUSION_METHODS, type FusionMethod } from '../server/fusion/types.js';

export const BASELINE_METHODS = ['otfusion', 'weight-matching', 'vanilla'] as const;
export type BaselineMethod = (typeof BASELINE_METHODS)[number];
export const FUSE_METHODS: readonly (FusionMethod | BaselineMethod)[] = [...FUSION_METHODS, ...BASELINE_METHODS];
export type FuseMethod = (typeof FUSE_METHODS)[number];

export function isBaseline(method: FuseMethod): method is BaselineMethod {
  return (BASELINE_METHODS as readonly string[]).includes(method);
}
