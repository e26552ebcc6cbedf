// McMahan et al. (2017)'s pathological non-IID split: sort the examples by label, cut them into
// numClients × classesPerClient shards and deal each client classesPerClient shards at random.
// Difference from the original: shards never straddle a class boundary (each class is cut into its own shards, their
// number proportional to the class's size), so a client provably holds at most classesPerClient classes.
// Every example is in exactly one shard, so shards of one class differ in size by at most one example.
import { Random } from '../random.js';
import { checkPartitionInput, cutBySizes, evenSizes, indicesByClass, shuffleEach } from './common.js';

export interface ShardsOptions {
  classesPerClient: number;
}

/** How many of `totalShards` each class gets: proportional to its size (largest remainder), at least one each. */
function shardsPerClass(classSizes: number[], totalShards: number): number[] {
  const present = classSizes.filter((s) => s > 0).length;
  const total = classSizes.reduce((a, b) => a + b, 0);
  const spare = totalShards - present;
  const exact = classSizes.map((s) => (s > 0 ? (spare * s) / total : 0));
  const counts = classSizes.map((s, c) => (s > 0 ? 1 + Math.floor(exact[c]) : 0));
  let left = totalShards - counts.reduce((a, b) => a + b, 0);
  const byRemainder = classSizes
    .map((s, c) => ({ c, r: s > 0 ? exact[c] - Math.floor(exact[c]) : -1 }))
    .sort((a, b) => b.r - a.r || a.c - b.c);
  for (let i = 0; left > 0; i = (i + 1) % byRemainder.length) {
    if (byRemainder[i].r < 0) continue;
    counts[byRemainder[i].c]++;
    left--;
  }
  return counts;
}

export function shardsPartition(labels: Int32Array, numClients: number, opts: ShardsOptions, seed: number): number[][] {
  checkPartitionInput('shards', labels, numClients);
  const k = opts.classesPerClient;
  if (!Number.isInteger(k) || k < 1) throw new Error(`shards partition: classesPerClient must be a positive integer, got ${k}`);
  const byClass = indicesByClass(labels);
  const classSizes = byClass.map((m) => m.length);
  const present = classSizes.filter((s) => s > 0).length;
  const totalShards = numClients * k;
  if (totalShards < present) {
    throw new Error(
      `shards partition: ${numClients} clients × ${k} classes per client = ${totalShards} shards cannot cover the ` +
        `${present} classes present, so some examples would belong to no client`,
    );
  }
  const perClass = shardsPerClass(classSizes, totalShards);
  const shards: number[][] = [];
  byClass.forEach((members, c) => {
    if (perClass[c] === 0) return;
    if (perClass[c] > members.length) {
      throw new Error(`shards partition: class ${c} has ${members.length} examples, too few for ${perClass[c]} shards`);
    }
    shards.push(...cutBySizes(members, evenSizes(members.length, perClass[c])));
  });
  const random = new Random(seed);
  const order = random.permutation(shards.length);
  const clients: number[][] = Array.from({ length: numClients }, () => []);
  order.forEach((shard, i) => clients[Math.floor(i / k)].push(...shards[shard]));
  return shuffleEach(clients, random);
}
