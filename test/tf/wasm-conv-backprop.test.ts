import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { registerWasmConvBackprop } from '@fedfuse/client/internal/tf/wasm-conv-backprop.js';
import { loadMnist } from '../../scenarios/data/mnist.js';

/** Deterministic pseudo-random values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

async function onBackend<T>(name: 'cpu' | 'wasm', f: () => T): Promise<T> {
  await tf.setBackend(name);
  return f();
}

interface Case {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number;
}

const CASES: Case[] = [
  { name: '3x3 valid stride 1', x: [2, 9, 9, 1], filter: [3, 3, 1, 4], strides: 1, pad: 'valid' },
  { name: '3x3 same stride 1, 3 channels', x: [3, 8, 7, 3], filter: [3, 3, 3, 5], strides: 1, pad: 'same' },
  { name: '3x3 same stride 2 (odd size)', x: [2, 9, 11, 2], filter: [3, 3, 2, 3], strides: 2, pad: 'same' },
  { name: '5x5 valid strides [2, 1]', x: [2, 12, 10, 2], filter: [5, 5, 2, 3], strides: [2, 1], pad: 'valid' },
  { name: '2x3 explicit pad 1 stride 3', x: [1, 10, 10, 4], filter: [2, 3, 4, 2], strides: 3, pad: 1 },
  { name: '2x2 same (asymmetric padding)', x: [2, 7, 6, 2], filter: [2, 2, 2, 3], strides: 1, pad: 'same' },
  { name: '1x1 valid', x: [4, 5, 5, 6], filter: [1, 1, 6, 7], strides: 1, pad: 'valid' },
];

describe('wasm conv training kernels (Conv2DBackpropFilter, MaxPoolGrad)', function () {
  this.timeout(60_000);

  let previous: string;
  before(async () => {
    await initBackend();
    previous = tf.getBackend();
    // Even if this process runs on another backend, these tests are about wasm.
    await import('@tensorflow/tfjs-backend-wasm');
    expect(await tf.setBackend('wasm')).to.equal(true);
    registerWasmConvBackprop();
  });
  after(async () => {
    await tf.setBackend(previous);
  });

  it('registers idempotently and fills the only conv-training gap of the wasm backend', () => {
    registerWasmConvBackprop();
    registerWasmConvBackprop();
    for (const k of ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPoolGrad', 'AvgPoolGrad']) {
      expect(tf.getKernel(k, 'wasm'), k).to.not.equal(undefined);
    }
  });

  for (const c of CASES) {
    it(`filter and input gradients match the cpu backend: ${c.name}`, async () => {
      const xv = values(c.x.reduce((a, b) => a * b, 1), 1);
      const fv = values(c.filter.reduce((a, b) => a * b, 1), 2);
      const grads = () =>
        tf.tidy(() => {
          const x = tf.tensor4d(xv, c.x);
          const f = tf.tensor4d(fv, c.filter);
          // A non-uniform upstream gradient: weight each output by a fixed pattern.
          const loss = (xx: tf.Tensor4D, ff: tf.Tensor4D) => {
            const y = tf.conv2d(xx, ff, c.strides, c.pad);
            const w = tf.tensor(values(y.size, 3), y.shape);
            return tf.sum(tf.mul(tf.square(y), w));
          };
          const [dx, df] = tf.grads(loss as (...a: tf.Tensor[]) => tf.Tensor)([x, f]);
          return { dx: dx.dataSync() as Float32Array, df: df.dataSync() as Float32Array };
        });
      const want = await onBackend('cpu', grads);
      const before = await onBackend('wasm', () => tf.memory().numTensors);
      const got = grads();
      expect(tf.memory().numTensors).to.equal(before);
      expect(got.df.length).to.equal(want.df.length);
      expect(maxAbsDiff(got.df, want.df)).to.be.lessThan(1e-4 * Math.max(1, maxAbs(want.df)));
      expect(maxAbsDiff(got.dx, want.dx)).to.be.lessThan(1e-4 * Math.max(1, maxAbs(want.dx)));
      expect(maxAbs(want.df)).to.be.greaterThan(0.1); // the comparison is not vacuous
    });
  }

  it('matches the cpu kernel for NCHW inputs', async () => {
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor(values(2 * 3 * 6 * 5, 4), [2, 3, 6, 5]);
        const dy = tf.tensor(values(2 * 4 * 4 * 3, 5), [2, 4, 4, 3]);
        const attrs = { strides: [1, 1], pad: 'valid', dataFormat: 'NCHW', filterShape: [3, 3, 3, 4] };
        const out = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap);
        return (out as tf.Tensor).dataSync() as Float32Array;
      });
    const want = await onBackend('cpu', run);
    const got = await onBackend('wasm', run);
    expect(maxAbsDiff(got, want)).to.be.lessThan(1e-4 * Math.max(1, maxAbs(want)));
  });

  it('matches a direct summation when the batch is split into several im2col chunks', async () => {
    // 150 examples of 28x28x8 with a 3x3 'same' window: > 8M im2col floats, so at least two chunks.
    const [n, h, w, ci, co] = [150, 28, 28, 8, 2];
    const xv = values(n * h * w * ci, 6);
    const dyv = values(n * h * w * co, 7);
    await tf.setBackend('wasm');
    const got = tf.tidy(() => {
      const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, ci, co] };
      const inputs = { x: tf.tensor4d(xv, [n, h, w, ci]), dy: tf.tensor4d(dyv, [n, h, w, co]) };
      return (tf.engine().runKernel('Conv2DBackpropFilter', inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor).dataSync();
    });
    const want = new Float64Array(9 * ci * co);
    for (let b = 0; b < n; b++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++)
          for (let r = 0; r < 3; r++)
            for (let c = 0; c < 3; c++) {
              const iy = y + r - 1;
              const ix = x + c - 1;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              for (let i = 0; i < ci; i++) {
                const xval = xv[((b * h + iy) * w + ix) * ci + i];
                for (let o = 0; o < co; o++) want[((r * 3 + c) * ci + i) * co + o] += xval * dyv[((b * h + y) * w + x) * co + o];
              }
            }
    expect(maxAbsDiff(got, want)).to.be.lessThan(1e-4 * Math.max(1, maxAbs(want)));
  });

  it('max-pool gradients match the cpu backend, also for windows whose values are all negative', async () => {
    const cases: [string, (z: tf.Tensor4D) => tf.Tensor][] = [
      ['2x2 valid stride 2', (z) => tf.maxPool(z, 2, 2, 'valid')],
      ['3x3 same stride 1 (overlapping windows)', (z) => tf.maxPool(z, 3, 1, 'same')],
      ['3x2 same strides [2, 3]', (z) => tf.maxPool(z, [3, 2], [2, 3], 'same')],
    ];
    for (const [name, pool] of cases) {
      const grad = () =>
        tf.tidy(() => {
          // Values in [-1.5, 0.5): most windows hold only negative numbers.
          const x = tf.sub(tf.tensor4d(values(2 * 9 * 7 * 3, 8), [2, 9, 7, 3]), 0.5);
          const loss = (z: tf.Tensor) => {
            const y = pool(z as tf.Tensor4D);
            return tf.sum(tf.mul(y, tf.tensor(values(y.size, 9), y.shape)));
          };
          return tf.grad(loss)(x).dataSync() as Float32Array;
        });
      const want = await onBackend('cpu', grad);
      const got = await onBackend('wasm', grad);
      expect(maxAbsDiff(got, want), name).to.be.lessThan(1e-6);
    }
  });

  it('gradients of a whole conv net (linear conv → max pool → tanh → dense) match the cpu backend', async () => {
    const grads = () =>
      tf.tidy(() => {
        const model = tf.sequential({
          layers: [
            tf.layers.conv2d({ inputShape: [10, 10, 2], filters: 4, kernelSize: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
            tf.layers.maxPooling2d({ poolSize: 2 }),
            tf.layers.activation({ activation: 'tanh' }), // keeps the negative maxima's gradients (relu would zero them)
            tf.layers.flatten(),
            tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }),
          ],
        });
        const x = tf.tensor4d(values(5 * 10 * 10 * 2, 10), [5, 10, 10, 2]);
        const { grads: g } = tf.variableGrads(() => tf.sum(tf.square(model.predict(x) as tf.Tensor)));
        const out = model.trainableWeights.map((w) => g[w.originalName ?? w.name].dataSync().slice());
        model.dispose();
        return out;
      });
    const want = await onBackend('cpu', grads);
    const got = await onBackend('wasm', grads);
    want.forEach((w, i) => expect(maxAbsDiff(got[i], w)).to.be.lessThan(1e-4 * Math.max(1, maxAbs(w))));
  });

  it('trains conv2d(8,3x3) relu → maxPool 2 → flatten → dense 10 on real MNIST on wasm: the loss decreases', async () => {
    await tf.setBackend('wasm');
    const data = await loadMnist({ split: 'train', limit: 256 });
    const xs = tf.tensor4d(data.x, [data.n, 28, 28, 1]);
    const ys = tf.oneHot(tf.tensor1d(data.y, 'int32'), 10);

    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 10, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.01), loss: (y: tf.Tensor, p: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, p) });
    const evalLoss = () => tf.tidy(() => tf.losses.softmaxCrossEntropy(ys, model.predict(xs) as tf.Tensor).dataSync()[0]);
    const initial = evalLoss();
    const kernelBefore = tf.tidy(() => model.layers[0].getWeights()[0].dataSync().slice());
    await model.fit(xs, ys, { epochs: 4, batchSize: 32, shuffle: false, verbose: 0 });
    const final = evalLoss();
    const kernelAfter = tf.tidy(() => model.layers[0].getWeights()[0].dataSync().slice());
    expect(maxAbsDiff(kernelAfter, kernelBefore)).to.be.greaterThan(1e-3); // the conv filters themselves moved
    expect(final).to.be.lessThan(0.5 * initial);
    model.dispose();
    tf.dispose([xs, ys]);
  });
});
