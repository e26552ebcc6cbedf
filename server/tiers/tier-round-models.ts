// The models the tiers train in a round: derived once per round from the global model by the strategy (after the
// previous round's aggregation, or at start), checked against each tier's shapes, and kept until the next round's.
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import type { ClientUpdate, ProbeSet, Strategy } from '../strategies/strategy.js';
import { modelTiers, type ModelTier } from './model-tiers.js';
import type { TierSpec } from './tier-options.js';

export interface DerivedTierModels {
  round: number;
  /** The global model they were derived from. */
  global: ModelState;
  /** Per tier name. */
  models: ReadonlyMap<string, ModelState>;
  seconds: number;
}

export class TierRoundModels {
  readonly tiers: readonly ModelTier[];
  private derived: DerivedTierModels | undefined;

  constructor(
    specs: readonly TierSpec[],
    initial: ModelState,
    private readonly strategy: Strategy,
    private readonly context: { probe?: ProbeSet; seed: number },
  ) {
    if (!strategy.tierModels) {
      throw new Error(
        `strategy ${strategy.name} cannot aggregate models of different widths, so it cannot run tiers ` +
          '(use neuron-interpolation, heterofl or fedrolex; or run without tiers at one width)',
      );
    }
    this.tiers = modelTiers(specs, initial.weights);
  }

  /** The models derived last (those the tiers run from now on). */
  get latest(): DerivedTierModels | undefined {
    return this.derived;
  }

  /**
   * Derives the models of `round` from `global` (again only when either changed) and the previous round's `updates`
   * it was made from (when known); returns them.
   */
  async derive(round: number, global: ModelState, updates?: readonly ClientUpdate[]): Promise<DerivedTierModels> {
    if (this.derived?.round === round && this.derived.global === global) return this.derived;
    const started = performance.now();
    const states = await this.strategy.tierModels!({ round, global, tiers: this.tiers, ...this.context }, updates);
    if (states.length !== this.tiers.length) {
      throw new Error(`strategy ${this.strategy.name} derived ${states.length} tier models for ${this.tiers.length} tiers`);
    }
    const models = new Map<string, ModelState>();
    this.tiers.forEach((tier, i) => {
      const shapes = states[i].weights.map((w) => w.shape.join('x'));
      const want = tier.weightShapes.map((s) => s.join('x'));
      if (shapes.join(',') !== want.join(',')) {
        throw new Error(`strategy ${this.strategy.name} derived a model for tier ${tier.name} with weight shapes ${shapes.join(', ')}, expected ${want.join(', ')}`);
      }
      models.set(tier.name, states[i]);
    });
    this.derived = { round, global, models, seconds: (performance.now() - started) / 1000 };
    return this.derived;
  }

  /** The models derived for `round` from `global` (derive() must have run for them). */
  modelsOf(round: number, global: ModelState): ReadonlyMap<string, ModelState> {
    const d = this.derived;
    if (!d || d.round !== round || d.global !== global) {
      throw new Error(`the tier models of round ${round} were not derived from the current global model (internal error)`);
    }
    return d.models;
  }
}
