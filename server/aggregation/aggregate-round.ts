// One round's aggregation, without sockets or files: the defence screening, the bounds on example weights, the
// strategy, and the checks on what the strategy returned. Returns everything the caller reports (exclusions, capped
// weights, the fusion report) instead of changing shared state.
import { sameShapes } from '@fedfuse/client/internal/model/weights.js';
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { screenRound } from '../defence/screen-round.js';
import type { ScreeningSettings } from '../defence/screening-options.js';
import type { Exclusion } from '../defence/screening-rule.js';
import { boundExampleWeights, type CappedWeight, type ExampleWeightSettings } from '../defence/example-weights.js';
import type { ClientUpdate, FusionRoundReport, ProbeSet, RoundContext, Strategy } from '../strategies/strategy.js';

export interface RoundAggregation {
  model: ModelState;
  fusion?: FusionRoundReport;
  /** Ids of the updates that went into the model, in id order. */
  participants: string[];
  /** Left out by the defence screening, and flagged but kept (excluding them would exclude a majority). */
  excluded: Exclusion[];
  spared: Exclusion[];
  /** Updates weighed with fewer examples than they claimed. */
  capped: CappedWeight[];
  seconds: number;
}

export interface AggregationSettings {
  strategy: Strategy;
  screening?: ScreeningSettings;
  exampleWeights: ExampleWeightSettings;
  probe?: ProbeSet;
  minUpdates: number;
}

/** Screens, bounds the example weights, and screens again what the strategy made of it. */
export async function aggregateRound(
  ctx: RoundContext,
  updates: readonly ClientUpdate[],
  declared: ReadonlyMap<string, number>,
  settings: AggregationSettings,
): Promise<RoundAggregation> {
  const started = performance.now();
  const screening = settings.screening
    ? await screenRound(ctx.global, updates, settings.screening, settings.probe, settings.minUpdates)
    : { kept: [...updates], excluded: [], spared: [] };
  const bounded = boundExampleWeights(screening.kept, declared, settings.exampleWeights);
  const { model, fusion } = await settings.strategy.aggregate(ctx, bounded.updates);
  checkStrategyModel(settings.strategy.name, model, ctx.global);
  return {
    model,
    ...(fusion ? { fusion } : {}),
    participants: bounded.updates.map((u) => u.clientId).sort(),
    excluded: screening.excluded,
    spared: screening.spared,
    capped: bounded.capped,
    seconds: (performance.now() - started) / 1000,
  };
}

/** A strategy's model must keep the global model's shapes and hold finite values only. */
export function checkStrategyModel(strategyName: string, next: ModelState, global: ModelState): void {
  if (!sameShapes(next.weights, global.weights)) {
    throw new Error(`strategy ${strategyName} returned a model whose weight shapes differ from the global model`);
  }
  for (const w of next.weights) {
    for (let i = 0; i < w.values.length; i++) {
      const v = w.values[i];
      if (v - v !== 0) throw new Error(`strategy ${strategyName} produced a non-finite value in weight ${w.name}`);
    }
  }
}
