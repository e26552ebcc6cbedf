// Coordinate-wise weighted median (a robust alternative to FedAvg's mean, Yin et al. 2018): each weight of the next
// global model is the example-weighted median of the clients' values for it, so a minority of clients — whatever
// they upload and whatever counts they claim — cannot drag it anywhere. Claims are trusted only up to the round's
// lower median claim here, whatever the server's own bounds: a median weighted by one 1e12 claim is that client.
import type { WeightTensor } from '@fedfuse/client/internal/model/weights.js';
import { FedAvg } from './fedavg.js';
import type { Aggregation, ClientUpdate, RoundContext, Strategy, TrainingConfig } from './strategy.js';

/** Per coordinate, the value at which the cumulative weight of the sorted values first reaches half the total. */
export function weightedMedian(sets: readonly WeightTensor[][], coefficients: readonly number[]): WeightTensor[] {
  if (sets.length === 0) throw new Error('weightedMedian needs at least one weight set');
  const total = coefficients.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new Error(`weightedMedian needs a positive total weight, got ${total}`);
  const n = sets.length;
  const order = Array.from({ length: n }, (_, i) => i);
  const column = new Float64Array(n);
  return sets[0].map((first, t) => {
    const out = new Float32Array(first.values.length);
    for (const set of sets) {
      if (set[t].values.length !== out.length) throw new Error(`weight ${t} (${first.name}) differs in size between updates`);
    }
    for (let i = 0; i < out.length; i++) {
      for (let s = 0; s < n; s++) column[s] = sets[s][t].values[i];
      order.sort((a, b) => column[a] - column[b]);
      let acc = 0;
      for (const s of order) {
        acc += coefficients[s];
        if (2 * acc >= total) {
          out[i] = column[s];
          break;
        }
      }
    }
    return { name: first.name, shape: [...first.shape], values: out };
  });
}

export class FedMedian implements Strategy {
  readonly name = 'fedmedian';
  private readonly fedavg = new FedAvg();

  configureRound(ctx: RoundContext, base: TrainingConfig): TrainingConfig {
    return this.fedavg.configureRound(ctx, base);
  }

  async aggregate(ctx: RoundContext, updates: readonly ClientUpdate[]): Promise<Aggregation> {
    const claims = updates.map((u) => u.numExamples);
    const cap = [...claims].sort((a, b) => a - b)[Math.floor((claims.length - 1) / 2)];
    const weights = weightedMedian(
      updates.map((u) => u.weights),
      claims.map((c) => Math.min(c, cap)),
    );
    return { model: { topologyJson: ctx.global.topologyJson, weights } };
  }
}
