// IID split: a seeded shuffle of all examples cut into nearly equal consecutive slices (McMahan et al.'s IID case).
import { Random } from '../random.js';
import { checkPartitionInput, cutBySizes, evenSizes } from './common.js';

export type IidOptions = Record<string, never>;

export function iidPartition(labels: Int32Array, numClients: number, _opts: IidOptions, seed: number): number[][] {
  checkPartitionInput('iid', labels, numClients);
  const order = new Random(seed).permutation(labels.length);
  return cutBySizes(order, evenSizes(labels.length, numClients));
}
