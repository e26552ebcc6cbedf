// `fedfuse data export`: the datasets as .npy files with exactly the preprocessing the scenarios apply (pixels
// normalised with the dataset's mean and std), so a real server's probe and evaluation sets, and an app's training
// data, match what the models were built for. The probe is drawn like a scenario's held-out-train probe.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadDataset, type DatasetName } from '../../scenarios/data/index.js';
import { subset, type Dataset } from '../../scenarios/data/dataset.js';
import { heldOutProbeRows } from '../../scenarios/prepare-split.js';
import { writeNpy } from '../../common/io/npy-file.js';
import { outputFor, type OutputFlags } from '../output.js';

export interface DataExportFlags extends OutputFlags {
  out: string;
  probe?: number;
  /** true = the whole test split, a number = its first N examples. */
  test?: boolean | number;
  train?: number;
  trainOffset: number;
  seed: number;
  shape: 'flat' | 'image';
}

function shapeOf(ds: Dataset, shape: 'flat' | 'image'): number[] {
  const size = ds.exampleShape.reduce((a, b) => a * b, 1);
  if (shape === 'flat') return [ds.n, size];
  const side = Math.round(Math.sqrt(size));
  return [ds.n, side, side, 1];
}

export async function dataExportCommand(dataset: DatasetName, o: DataExportFlags): Promise<void> {
  const output = outputFor(o);
  if (o.probe === undefined && o.test === undefined && o.train === undefined) {
    throw new Error('nothing to export: give --probe <n>, --test [n] and/or --train <n>');
  }
  await mkdir(o.out, { recursive: true });
  const write = async (name: string, ds: Dataset) => {
    await writeNpy(join(o.out, `${name}-x.npy`), ds.x, shapeOf(ds, o.shape));
    await writeNpy(join(o.out, `${name}-y.npy`), ds.y, [ds.n]);
    output.result(`${join(o.out, `${name}-x.npy`)}  [${shapeOf(ds, o.shape).join(', ')}] float32; ${name}-y.npy  [${ds.n}] int32`);
  };
  let probeRows: number[] = [];
  if (o.probe !== undefined || o.train !== undefined) {
    const train = await loadDataset(dataset, { split: 'train' });
    if (o.probe !== undefined) {
      probeRows = heldOutProbeRows(train, o.probe, o.seed);
      await write('probe', subset(train, probeRows));
    }
    if (o.train !== undefined) {
      // Training rows never include the probe's (a server's probe should be data no client trains on).
      const taken = new Set(probeRows);
      const rest: number[] = [];
      for (let i = 0; i < train.n; i++) if (!taken.has(i)) rest.push(i);
      if (o.trainOffset + o.train > rest.length) {
        throw new Error(`--train-offset ${o.trainOffset} + --train ${o.train} is past the ${rest.length} training examples left after the probe`);
      }
      await write('train', subset(train, rest.slice(o.trainOffset, o.trainOffset + o.train)));
    }
  }
  if (o.test !== undefined) {
    const limit = typeof o.test === 'number' ? o.test : undefined;
    await write('test', await loadDataset(dataset, { split: 'test', ...(limit !== undefined ? { limit } : {}) }));
  }
  output.info(`preprocessing: pixels / 255, then (v - mean) / std with ${dataset}'s mean and std, as the scenarios do`);
}
