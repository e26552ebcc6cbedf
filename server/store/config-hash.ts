// What a stored federation must have been started with to be resumed (a checkpoint) or joined (a cluster's Redis):
// the model's weight shapes, the strategy, the seed and the training config. Rounds, tokens and deadlines may change.
import { createHash } from 'node:crypto';
import type { FederationServerOptions } from '../federation-options.js';

export function federationConfigHash(o: Pick<FederationServerOptions, 'initialModel' | 'strategy' | 'seed' | 'training'>): string {
  const material = {
    weightShapes: o.initialModel.weights.map((w) => w.shape),
    strategy: o.strategy.name,
    seed: o.seed ?? 0,
    training: o.training,
  };
  return createHash('sha256').update(JSON.stringify(material)).digest('hex');
}
