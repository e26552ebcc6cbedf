// Datasets by the name scenario files use.
import type { Dataset } from './dataset.js';
import { loadFashionMnist } from './fashion-mnist.js';
import { loadMnist, type LoadOptions } from './mnist.js';

export type { Dataset } from './dataset.js';
export type { LoadOptions } from './mnist.js';
export type DatasetName = 'mnist' | 'fashion-mnist';

export function loadDataset(name: DatasetName, opts: LoadOptions): Promise<Dataset> {
  switch (name) {
    case 'mnist':
      return loadMnist(opts);
    case 'fashion-mnist':
      return loadFashionMnist(opts);
    default:
      throw new Error(`unknown dataset "${String(name)}" (known: mnist, fashion-mnist)`);
  }
}
