// Which worker trains which clients. Every round's clients train at once and the round waits for the slowest worker,
// so the clients are spread by their example counts (training time is proportional to them): largest first, each
// to the worker with the fewest examples so far (LPT scheduling; within 4/3 of the best split).

/**
 * `sizes[k]` is the example count of the k-th client given; returns, per worker, the positions k of its clients
 * (ascending). Ties go to the lower worker and the earlier client, so the split is the same on every run.
 */
export function assignToWorkers(sizes: readonly number[], workers: number): number[][] {
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`workers must be a positive integer, got ${workers}`);
  const count = Math.min(workers, sizes.length);
  const load = new Array<number>(count).fill(0);
  const assigned: number[][] = Array.from({ length: count }, () => []);
  const order = sizes.map((_, k) => k).sort((a, b) => sizes[b] - sizes[a] || a - b);
  for (const k of order) {
    let best = 0;
    for (let w = 1; w < count; w++) if (load[w] < load[best]) best = w;
    load[best] += sizes[k];
    assigned[best].push(k);
  }
  return assigned.map((ks) => ks.sort((a, b) => a - b));
}
