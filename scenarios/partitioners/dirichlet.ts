// Label-skewed split of Hsu et al. (2019), "Measuring the effects of non-identical data distribution": for every
// class independently, the fractions of that class given to each client are drawn from Dir(alpha·1). Small alpha
// concentrates each class on few clients; large alpha approaches IID. Client sizes are not controlled, so a client may
// end up (nearly) empty: the whole draw is repeated until every client holds at least minPerClient examples.
import { Random } from '../random.js';
import { checkPartitionInput, indicesByClass, shuffleEach } from './common.js';

export interface DirichletOptions {
  alpha: number;
  /** Minimum examples per client; the partition is redrawn until it holds (default 10). */
  minPerClient?: number;
  /** Give up after this many draws (default 1000). */
  maxAttempts?: number;
}

/** Splits `count` items by `proportions`: floors of the cumulative shares, so counts sum exactly to `count`. */
export function countsFromProportions(proportions: readonly number[], count: number): number[] {
  const counts: number[] = [];
  let cumulative = 0;
  let previousCut = 0;
  proportions.forEach((p, i) => {
    cumulative += p;
    const cut = i === proportions.length - 1 ? count : Math.min(count, Math.floor(cumulative * count));
    counts.push(cut - previousCut);
    previousCut = cut;
  });
  return counts;
}

export function dirichletPartition(
  labels: Int32Array,
  numClients: number,
  opts: DirichletOptions,
  seed: number,
): number[][] {
  checkPartitionInput('dirichlet', labels, numClients);
  const { alpha } = opts;
  if (!(alpha > 0) || !Number.isFinite(alpha)) throw new Error(`dirichlet partition: alpha must be positive, got ${alpha}`);
  const minPerClient = opts.minPerClient ?? 10;
  const maxAttempts = opts.maxAttempts ?? 1000;
  if (minPerClient * numClients > labels.length) {
    throw new Error(
      `dirichlet partition: minPerClient ${minPerClient} × ${numClients} clients exceeds the ${labels.length} examples`,
    );
  }
  const random = new Random(seed);
  const byClass = indicesByClass(labels);
  const alphas = new Array<number>(numClients).fill(alpha);
  let smallest = 0;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const clients: number[][] = Array.from({ length: numClients }, () => []);
    for (const members of byClass) {
      if (members.length === 0) continue;
      const order = random.shuffle([...members]);
      const counts = countsFromProportions(random.dirichlet(alphas), order.length);
      let start = 0;
      counts.forEach((c, client) => {
        for (let k = start; k < start + c; k++) clients[client].push(order[k]);
        start += c;
      });
    }
    smallest = Math.min(...clients.map((c) => c.length));
    if (smallest >= minPerClient) return shuffleEach(clients, random);
  }
  throw new Error(
    `dirichlet partition: after ${maxAttempts} draws with alpha ${alpha} some client still had fewer than ` +
      `${minPerClient} examples (last draw's smallest: ${smallest}); raise alpha, use fewer clients or lower minPerClient`,
  );
}
