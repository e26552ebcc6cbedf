// HeteroFL (Diao et al., ICLR 2021) and FedRolex (Alam et al., NeurIPS 2022): the nested-slice baselines of tiered
// federations. A tier's model is a slice of the global model's hidden units — HeteroFL's the first k_l units of every
// hidden level (a smaller tier's model inside a larger one's), FedRolex's a window (round + i) mod n_l that rolls by
// one unit per round so every unit gets trained by the small tiers over time. Aggregation puts every slice back:
// each global parameter becomes the example-weighted mean over the clients whose sub-model holds it, and a parameter
// no client holds keeps its value. (HeteroFL's 1/r output scaler during training is not implemented: it changes the
// clients' model, not the server's aggregation.)
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { aggregateHeld, firstUnits, levelWidthsOf, rollingUnits, sliceModel, type UnitSelection } from '../tiers/sub-model.js';
import type { ModelTier } from '../tiers/model-tiers.js';
import type { Aggregation, ClientUpdate, RoundContext, Strategy, TrainingConfig } from './strategy.js';

abstract class NestedSlices implements Strategy {
  abstract readonly name: string;

  /** The global units a sub-model of `hidden` widths holds in `round` (a full-width level keeps its order). */
  protected abstract units(round: number, globalHidden: readonly number[], hidden: readonly number[]): UnitSelection;

  configureRound(_ctx: RoundContext, base: TrainingConfig): TrainingConfig {
    return { ...base, sendActivations: false, importanceMethod: '' };
  }

  private unitsOf(ctx: RoundContext, widths: readonly number[]): UnitSelection {
    const globalHidden = levelWidthsOf(ctx.global.weights).slice(0, -1);
    return this.units(ctx.round, globalHidden, widths.slice(0, -1));
  }

  async tierModels(ctx: RoundContext & { tiers: readonly ModelTier[] }): Promise<ModelState[]> {
    const globalWidths = levelWidthsOf(ctx.global.weights);
    // A tier at the global widths trains the global model itself.
    return ctx.tiers.map((t) => (t.widths.every((w, l) => w === globalWidths[l]) ? ctx.global : sliceModel(ctx.global, this.unitsOf(ctx, t.widths))));
  }

  async aggregate(ctx: RoundContext, updates: readonly ClientUpdate[]): Promise<Aggregation> {
    // Which units an update holds follows from its widths and the round (the same slice its tier was sent).
    const held = updates.map((u) => ({ weights: u.weights, units: this.unitsOf(ctx, levelWidthsOf(u.weights)), numExamples: u.numExamples }));
    return { model: { topologyJson: ctx.global.topologyJson, weights: aggregateHeld(ctx.global.weights, held) } };
  }
}

export class HeteroFL extends NestedSlices {
  readonly name = 'heterofl';

  protected units(_round: number, _globalHidden: readonly number[], hidden: readonly number[]): UnitSelection {
    return firstUnits(hidden);
  }
}

export class FedRolex extends NestedSlices {
  readonly name = 'fedrolex';

  protected units(round: number, globalHidden: readonly number[], hidden: readonly number[]): UnitSelection {
    const rolling = rollingUnits(globalHidden, hidden, round);
    return rolling.map((u, l) => (hidden[l] === globalHidden[l] ? firstUnits([hidden[l]])[0] : u));
  }
}
