// The label skew of the neuron-interpolation paper (Luenam et al., arXiv 2507.00037), as its reference code
// (utils/dataset_utils.py, create_non_iid_splits) builds it:
//   alphas = linspace(minAlpha, maxAlpha, numClients)   (the paper: 1 .. 1/0.2 = 5)
//   for each class, in ascending label order:
//     shuffle that class's example indices;
//     shuffle the alphas array IN PLACE (so the permutation carries over from the previous class);
//     p ~ Dirichlet(alphas);
//     counts[i] = floor(p[i] * classSize); the LAST client also takes the remainder (classSize − Σ counts);
//     client i receives the next counts[i] shuffled indices.
// So each client favours different classes (its alpha changes per class), with milder skew than Dir(0.1).
// The reference code leaves each client's list grouped by class; its data loaders shuffle later. We shuffle each
// client's list here (same set, so the semantics are unchanged) so consumers that batch in order see mixed classes.
import { Random } from '../random.js';
import { checkPartitionInput, indicesByClass, shuffleEach } from './common.js';

export interface OrderedDirichletOptions {
  minAlpha?: number;
  maxAlpha?: number;
}

/** numpy.linspace(start, stop, count) with the endpoint included. */
export function linspace(start: number, stop: number, count: number): number[] {
  if (count === 1) return [start];
  const step = (stop - start) / (count - 1);
  return Array.from({ length: count }, (_, i) => (i === count - 1 ? stop : start + i * step));
}

/** Per-class client counts exactly as the reference code computes them (floor, remainder to the last client). */
export function orderedDirichletCounts(proportions: readonly number[], classSize: number): number[] {
  const counts = proportions.map((p) => Math.floor(p * classSize));
  counts[counts.length - 1] += classSize - counts.reduce((a, b) => a + b, 0);
  return counts;
}

/** The random operations the split uses; tests substitute a recording source to check the exact procedure. */
export interface PartitionRandomSource {
  shuffle<A extends { length: number; [i: number]: unknown }>(items: A): A;
  dirichlet(alphas: readonly number[]): number[];
}

export function orderedDirichletPartition(
  labels: Int32Array,
  numClients: number,
  opts: OrderedDirichletOptions,
  seed: number,
): number[][] {
  const random = new Random(seed);
  return shuffleEach(orderedDirichletSplit(labels, numClients, opts, random), random);
}

/** The reference procedure itself, before the final per-client shuffle. */
export function orderedDirichletSplit(
  labels: Int32Array,
  numClients: number,
  opts: OrderedDirichletOptions,
  random: PartitionRandomSource,
): number[][] {
  checkPartitionInput('ordered-dirichlet', labels, numClients);
  const minAlpha = opts.minAlpha ?? 1;
  const maxAlpha = opts.maxAlpha ?? 5;
  if (!(minAlpha > 0) || !(maxAlpha >= minAlpha) || !Number.isFinite(maxAlpha)) {
    throw new Error(`ordered-dirichlet partition: need 0 < minAlpha ≤ maxAlpha, got ${minAlpha} and ${maxAlpha}`);
  }
  const alphas = linspace(minAlpha, maxAlpha, numClients);
  const clients: number[][] = Array.from({ length: numClients }, () => []);
  for (const members of indicesByClass(labels)) {
    if (members.length === 0) continue; // np.unique only lists classes that occur
    const order = random.shuffle([...members]);
    random.shuffle(alphas);
    const counts = orderedDirichletCounts(random.dirichlet(alphas), order.length);
    let start = 0;
    counts.forEach((c, client) => {
      for (let k = start; k < start + c; k++) clients[client].push(order[k]);
      start += c;
    });
  }
  return clients;
}
