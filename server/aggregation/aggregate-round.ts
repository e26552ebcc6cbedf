// One round's aggregation, without sockets or files: the defence screening, the bounds on example weights, the
// strategy, the checks on what the strategy returned, and the publish guard. Returns everything the caller reports
// (exclusions, capped weights, the fusion report, the guard's decision) instead of changing shared state.
import { sameShapes } from '@fedfuse/client/internal/model/weights.js';
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { screenRound, type UpdateStats } from '../defence/screen-round.js';
import { screensUpdates, type ScreeningSettings } from '../defence/screening-options.js';
import type { Exclusion } from '../defence/screening-rule.js';
import { boundExampleWeights, type CappedWeight, type ExampleWeightSettings } from '../defence/example-weights.js';
import { guardPublication, type GuardReport } from '../defence/publish-guard.js';
import { isStateful } from '../strategies/index.js';
import type { Aggregation, ClientUpdate, FusionRoundReport, ProbeSet, RoundContext, Strategy } from '../strategies/strategy.js';

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
  /** How far the round's updates moved from the global model (when the screening ran). */
  updateStats?: UpdateStats;
  /** What the publish guard decided: the model above is the candidate, the robust aggregate or the previous model. */
  guard: GuardReport;
  seconds: number;
}

export interface AggregationSettings {
  strategy: Strategy;
  screening: ScreeningSettings;
  exampleWeights: ExampleWeightSettings;
  probe?: ProbeSet;
  minUpdates: number;
}

/** Screens, bounds the example weights, aggregates, and publishes only what the guard lets through. */
export async function aggregateRound(
  ctx: RoundContext,
  updates: readonly ClientUpdate[],
  declared: ReadonlyMap<string, number>,
  settings: AggregationSettings,
  tierModels: readonly ModelState[] = [],
): Promise<RoundAggregation> {
  const started = performance.now();
  const screening = screensUpdates(settings.screening)
    ? await screenRound(ctx.global, updates, settings.screening, settings.probe, settings.minUpdates, tierModels)
    : { kept: [...updates], excluded: [], spared: [], updateStats: undefined };
  const bounded = boundExampleWeights(screening.kept, declared, settings.exampleWeights);
  const { model, fusion, guard } = await guardedAggregate(settings.strategy, ctx, bounded.updates, settings.screening);
  return {
    model,
    ...(fusion ? { fusion } : {}),
    participants: bounded.updates.map((u) => u.clientId).sort(),
    excluded: screening.excluded,
    spared: screening.spared,
    capped: bounded.capped,
    ...(screening.updateStats ? { updateStats: screening.updateStats } : {}),
    guard,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * The strategy's candidate through the publish guard. A refused candidate leaves a stateful strategy (server
 * optimiser moments) as it was before the round, so the refused round does not steer later ones.
 */
export async function guardedAggregate(
  strategy: Strategy,
  ctx: RoundContext,
  updates: readonly ClientUpdate[],
  screening: ScreeningSettings,
): Promise<Aggregation & { guard: GuardReport }> {
  const before = isStateful(strategy) ? strategy.exportState() : undefined;
  const { model: candidate, fusion } = await strategy.aggregate(ctx, updates);
  checkStrategyModel(strategy.name, candidate, ctx.global);
  const { model, report } = await guardPublication({ ctx, candidate, updates, settings: screening.guard, maxAbsWeight: screening.maxAbsWeight });
  if (report.published !== 'candidate' && isStateful(strategy)) strategy.importState(before);
  return { model, ...(fusion ? { fusion } : {}), guard: report };
}

/**
 * A strategy's model must keep the global model's shapes (anything else is a bug). Its values are the publish
 * guard's to judge: a non-finite candidate is refused there, and the round keeps a model.
 */
export function checkStrategyModel(strategyName: string, next: ModelState, global: ModelState): void {
  if (!sameShapes(next.weights, global.weights)) {
    throw new Error(`strategy ${strategyName} returned a model whose weight shapes differ from the global model`);
  }
}
