// How far an update moved from the global model it was trained from: the L2 norm of (update − global) over every
// weight tensor, summed in float64 so a large model does not lose the small differences.
import type { WeightTensor } from '@fedfuse/client/internal/model/weights.js';

export function updateNorm(update: readonly WeightTensor[], global: readonly WeightTensor[]): number {
  if (update.length !== global.length) {
    throw new Error(`update has ${update.length} weight tensors but the global model has ${global.length}`);
  }
  let sum = 0;
  for (let t = 0; t < update.length; t++) {
    const u = update[t].values;
    const g = global[t].values;
    if (u.length !== g.length) {
      throw new Error(`weight ${update[t].name} has ${u.length} values but the global model's has ${g.length}`);
    }
    for (let i = 0; i < u.length; i++) {
      const d = u[i] - g[i];
      sum += d * d;
    }
  }
  return Math.sqrt(sum);
}
