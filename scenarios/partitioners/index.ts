// One entry point for all partitioners, driven by a scenario's partition spec.
import type { PartitionSpec } from '../scenario-schema.js';
import { dirichletPartition } from './dirichlet.js';
import { iidPartition } from './iid.js';
import { orderedDirichletPartition } from './ordered-dirichlet.js';
import { shardsPartition } from './shards.js';

export { labelHistogram } from './label-histogram.js';
export { iidPartition, dirichletPartition, shardsPartition, orderedDirichletPartition };
export type { PartitionSpec };

/** Example indices per client; every index of `labels` appears exactly once. Same inputs → same output. */
export function partition(spec: PartitionSpec, labels: Int32Array, numClients: number, seed: number): number[][] {
  switch (spec.kind) {
    case 'iid':
      return iidPartition(labels, numClients, {}, seed);
    case 'dirichlet':
      return dirichletPartition(labels, numClients, { alpha: spec.alpha, minPerClient: spec.minPerClient }, seed);
    case 'shards':
      return shardsPartition(labels, numClients, { classesPerClient: spec.classesPerClient }, seed);
    case 'ordered-dirichlet':
      return orderedDirichletPartition(labels, numClients, { minAlpha: spec.minAlpha, maxAlpha: spec.maxAlpha }, seed);
    default: {
      const unknown: never = spec;
      throw new Error(`unknown partition kind ${JSON.stringify((unknown as { kind: unknown }).kind)}`);
    }
  }
}
