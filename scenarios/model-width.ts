// A scenario at one model width for every client, without device tiers: the FedAvg references of a tiered scenario
// (the smallest tier's width, which is what a federation runs today when small devices take part; or full width, as
// if every device could train the big model).
import { scaleModelSpec } from '../common/model/width-scaling.js';
import type { Scenario } from './scenario-schema.js';

/** `scenario` without tiers, its model at width rate `width` ('smallest': the smallest of its tiers' widths, 1 without tiers). */
export function atModelWidth(scenario: Scenario, width: number | 'smallest'): Scenario {
  const rate = width === 'smallest' ? Math.min(1, ...(scenario.tiers ?? []).map((t) => t.width)) : width;
  const { tiers: _tiers, ...rest } = scenario;
  return { ...rest, model: scaleModelSpec(scenario.model, rate) };
}
