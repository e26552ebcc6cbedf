// Realistic parents for the fusion-speed benches: N MLPs 784-256-10 trained briefly on label-skewed (Dirichlet α 0.5)
// slices of real MNIST, either from one common initialisation (the federation case: every client starts the round from
// the same global model) or each from its own (the paper's independently trained parents). Trained parents are cached
// under bench/.cache/ (git-ignored) as weight files, so a rerun of a bench skips training.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { readWeights, writeWeights, type WeightTensor } from '@fedfuse/client/internal/model/weights.js';
import { trainLocally } from '@fedfuse/client/internal/training/local-training.js';
import { buildModel } from '../../common/model/model-spec.js';
import { subset, toTensors, type Dataset } from '../../scenarios/data/dataset.js';
import { loadMnist } from '../../scenarios/data/mnist.js';
import { dirichletPartition, labelHistogram } from '../../scenarios/partitioners/index.js';

export const PARENT_SPEC = { kind: 'mlp' as const, widths: [784, 256, 10], activation: 'relu' as const };
export const PROBE_ROWS = 400;
/** Default cache directory, relative to the working directory. */
export const PARENT_CACHE = join('bench', '.cache', 'fusion-parents');

export type ParentCase = 'federation' | 'independent';

export interface ParentSet {
  /** The common initialisation (federation case): the round's global model. */
  global: WeightTensor[];
  parents: { weights: WeightTensor[]; numExamples: number; labelHistogram: number[] }[];
  /** The server's probe set: training images no client trained on, with labels. */
  probe: Dataset;
  test: Dataset;
}

interface CachedParent {
  numExamples: number;
  labelHistogram: number[];
  shapes: number[][];
}

async function saveWeights(path: string, weights: readonly WeightTensor[], meta: Omit<CachedParent, 'shapes'>): Promise<void> {
  const total = weights.reduce((a, w) => a + w.values.length, 0);
  const flat = new Float32Array(total);
  let o = 0;
  for (const w of weights) {
    flat.set(w.values, o);
    o += w.values.length;
  }
  await writeFile(`${path}.bin`, new Uint8Array(flat.buffer));
  await writeFile(`${path}.json`, JSON.stringify({ ...meta, shapes: weights.map((w) => w.shape), names: weights.map((w) => w.name) }));
}

async function loadWeights(path: string): Promise<{ weights: WeightTensor[]; meta: CachedParent }> {
  const meta = JSON.parse(await readFile(`${path}.json`, 'utf8')) as CachedParent & { names: string[] };
  const buf = await readFile(`${path}.bin`);
  const flat = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  let o = 0;
  const weights = meta.shapes.map((shape, i) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const values = flat.slice(o, o + n);
    o += n;
    return { name: meta.names[i], shape, values };
  });
  return { weights, meta };
}

/**
 * `count` parents of one case (the first `count` of a fixed 100-client split of 50,000 training images, so 10 parents
 * are a prefix of 100), trained `epochs` epochs with Adam; the probe is 400 training images past the split.
 */
export async function loadParents(
  kind: ParentCase,
  count: number,
  opts: { epochs?: number; testRows?: number; cacheDir?: string; log?: (s: string) => void } = {},
): Promise<ParentSet> {
  const clients = 100;
  if (count > clients) throw new Error(`at most ${clients} parents, asked for ${count}`);
  const epochs = opts.epochs ?? 2;
  const all = await loadMnist({ split: 'train', limit: 50_000 + PROBE_ROWS });
  const train = subset(all, Array.from({ length: 50_000 }, (_, i) => i));
  const probe = subset(all, Array.from({ length: PROBE_ROWS }, (_, i) => 50_000 + i));
  const test = await loadMnist({ split: 'test', limit: opts.testRows ?? 5000 });
  const dir = join(opts.cacheDir ?? PARENT_CACHE, `${kind}-e${epochs}`);
  await mkdir(dir, { recursive: true });
  const globalModel = buildModel(PARENT_SPEC, 7);
  const global = readWeights(globalModel);
  globalModel.dispose();
  const split = dirichletPartition(train.y, clients, { alpha: 0.5, minPerClient: 50 }, 11);
  const parents: ParentSet['parents'] = [];
  for (let i = 0; i < count; i++) {
    const path = join(dir, `client-${i}`);
    if (existsSync(`${path}.json`)) {
      const { weights, meta } = await loadWeights(path);
      parents.push({ weights, numExamples: meta.numExamples, labelHistogram: meta.labelHistogram });
      continue;
    }
    const model = buildModel(PARENT_SPEC, kind === 'federation' ? 7 : 1000 + i);
    const { xs, ys } = toTensors(subset(train, split[i]));
    await trainLocally(model, { xs, ys, numClasses: 10 }, {
      localEpochs: epochs,
      batchSize: 32,
      learningRate: 1e-3,
      optimizer: 'adam',
      proximalMu: 0,
      seed: 100 + i,
    });
    tf.dispose([xs, ys]);
    const weights = readWeights(model);
    model.dispose();
    const meta = { numExamples: split[i].length, labelHistogram: labelHistogram(train.y, split[i], 10) };
    await saveWeights(path, weights, meta);
    parents.push({ weights, ...meta });
    opts.log?.(`trained ${kind} parent ${i + 1}/${count} (${meta.numExamples} examples)`);
  }
  return { global, parents, probe, test };
}

/** A model with the given weights (the caller disposes it). */
export function modelWith(weights: readonly WeightTensor[]): tf.LayersModel {
  const model = buildModel(PARENT_SPEC, 0);
  writeWeights(model, weights);
  return model;
}
