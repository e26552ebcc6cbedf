// FedProx (Li et al. 2020): FedAvg aggregation, but clients add mu/2·‖w − w_global‖² to their local loss, which
// keeps non-IID clients from drifting far from the global model. The proximal term itself lives in the SDK's local
// training (TrainingConfig.proximalMu); the server's only job is to ask for it.
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { FedAvg } from './fedavg.js';
import type { Aggregation, ClientUpdate, RoundContext, Strategy, TrainingConfig } from './strategy.js';

export const DEFAULT_PROXIMAL_MU = 0.01;

export class FedProx implements Strategy {
  readonly name = 'fedprox';
  readonly hierarchical = 'average';
  private readonly average = new FedAvg();

  constructor(readonly mu: number = DEFAULT_PROXIMAL_MU) {
    if (typeof mu !== 'number' || !(mu > 0) || !Number.isFinite(mu)) {
      throw new Error(`fedprox option "mu" must be a positive number, got ${String(mu)}`);
    }
  }

  configureRound(ctx: RoundContext, base: TrainingConfig): TrainingConfig {
    return { ...this.average.configureRound(ctx, base), proximalMu: this.mu };
  }

  aggregate(ctx: RoundContext, updates: readonly ClientUpdate[]): Promise<Aggregation> {
    return this.average.aggregate(ctx, updates);
  }
}
