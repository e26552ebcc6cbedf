// A server learning rate on the aggregate: global + η · (aggregate − global). η = 1 is the aggregate itself; η > 1
// extrapolates along the round's direction (as FedExP / FedAvg with a server learning rate do), for rounds whose
// clients' drift makes the aggregate's step too short.
import type { WeightTensor } from '@fedfuse/client/internal/model/weights.js';

export function serverStep(global: readonly WeightTensor[], aggregate: readonly WeightTensor[], eta: number): WeightTensor[] {
  if (!(Number.isFinite(eta) && eta > 0)) throw new Error(`server step must be a finite number > 0, got ${eta}`);
  if (global.length !== aggregate.length) {
    throw new Error(`server step: the aggregate has ${aggregate.length} weight tensors, the global model ${global.length}`);
  }
  return aggregate.map((a, t) => {
    const g = global[t];
    if (g.values.length !== a.values.length) {
      throw new Error(`server step: weight ${t} (${a.name}) has ${a.values.length} values, the global model's ${g.values.length}`);
    }
    const values = new Float32Array(a.values.length);
    for (let i = 0; i < values.length; i++) values[i] = g.values[i] + eta * (a.values[i] - g.values[i]);
    return { name: a.name, shape: [...a.shape], values };
  });
}
