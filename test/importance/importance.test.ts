import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { buildModel, modelSpecSchema } from '../../common/model/model-spec.js';
import { splitLevels } from '@fedfuse/client/internal/model/levels.js';
import {
  computeImportance,
  IMPORTANCE_EPSILON,
  interpolationAlphas,
  labelsOrPredictions,
  layerConductance,
  layerDeepLift,
  levelOutputShapes,
  walkModel,
  type ImportanceMethod,
} from '@fedfuse/client/internal/importance/index.js';
import { loadMnist } from '../../scenarios/data/mnist.js';

const METHODS: ImportanceMethod[] = ['uniform', 'conductance', 'feature-ablation', 'deeplift'];

/** A model from a spec, with random non-zero biases so that the zero baseline's outputs are not trivial. */
function model(spec: unknown, seed: number): tf.LayersModel {
  const m = buildModel(modelSpecSchema.parse(spec), seed);
  tf.tidy(() => {
    m.layers.forEach((layer, i) => {
      const w = layer.getWeights();
      if (w.length === 2) layer.setWeights([w[0], tf.randomNormal(w[1].shape, 0, 0.3, 'float32', seed * 100 + i)]);
    });
  });
  return m;
}

const mlp = () => model({ kind: 'mlp', widths: [20, 16, 8, 5] }, 1);
// Linear conv → max pool: negative maxima matter. Then conv + relu, average pooling, two dense levels.
const convNet = () =>
  model(
    {
      kind: 'sequential',
      inputShape: [12, 12, 1],
      layers: [
        { type: 'conv2d', filters: 4, kernelSize: 3, activation: 'linear' },
        { type: 'maxPooling2d' },
        { type: 'conv2d', filters: 6, kernelSize: 3, padding: 'same' },
        { type: 'averagePooling2d' },
        { type: 'flatten' },
        { type: 'dense', units: 16 },
        { type: 'dense', units: 5, activation: 'linear' },
      ],
    },
    2,
  );

/** F_t(x) − F_t(0) per example. */
function outputDelta(m: tf.LayersModel, x: tf.Tensor, labels: Int32Array): number[] {
  return tf.tidy(() => {
    const fx = (m.predict(x) as tf.Tensor).arraySync() as number[][];
    const f0 = (m.predict(tf.zerosLike(x)) as tf.Tensor).arraySync() as number[][];
    return Array.from(labels, (t, i) => fx[i][t] - f0[i][t]);
  });
}

/** Per example, the sum of a level's attributions over all its neurons (and positions). */
function perExampleSums(attribution: tf.Tensor): number[] {
  return tf.tidy(() => tf.sum(tf.reshape(attribution, [attribution.shape[0], -1]), 1).arraySync() as number[]);
}

function argmax(a: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
  return best;
}

describe('neuron importance', function () {
  this.timeout(60_000);
  before(async () => {
    await initBackend();
  });

  const x = () => tf.randomNormal([7, 20], 0, 1, 'float32', 5);
  const xImg = () => tf.randomNormal([6, 12, 12, 1], 0, 1, 'float32', 6);
  const labels7 = Int32Array.from([0, 1, 2, 3, 4, 0, 1]);
  const labels6 = Int32Array.from([4, 3, 2, 1, 0, 2]);

  it('uniform: one array of ones per level, as wide as the level', async () => {
    for (const m of [mlp(), convNet()]) {
      const probe = m.inputs[0].shape.length === 2 ? x() : xImg();
      const scores = await computeImportance(m, probe, undefined, 'uniform');
      expect(scores.map((s) => s.length)).to.deep.equal(splitLevels(m).map((l) => l.width));
      for (const s of scores) expect([...s].every((v) => v === 1)).to.equal(true);
      probe.dispose();
      m.dispose();
    }
  });

  it('all methods: non-negative, finite, one score per neuron, no tensor leaks', async () => {
    for (const [m, probe, labels] of [
      [mlp(), x(), labels7],
      [convNet(), xImg(), labels6],
    ] as const) {
      const widths = splitLevels(m).map((l) => l.width);
      for (const method of METHODS) {
        await computeImportance(m, probe, labels, method); // warm-up allocations (kernels, weights)
        const before = tf.memory().numTensors;
        const scores = await computeImportance(m, probe, labels, method, { batchSize: 4 });
        expect(tf.memory().numTensors, `${method} leaked tensors`).to.equal(before);
        expect(scores.map((s) => s.length), method).to.deep.equal(widths);
        for (const s of scores) for (const v of s) expect(Number.isFinite(v) && v > 0, `${method}: ${v}`).to.equal(true);
      }
      probe.dispose();
      m.dispose();
    }
  });

  it('uses Captum points: gauss-legendre nodes mapped to (0, 1), trapezoid from 0 to 1', () => {
    const gl = interpolationAlphas(3, 'gauss-legendre');
    const r = Math.sqrt(3 / 5); // 3-point Gauss-Legendre nodes: 0, ±sqrt(3/5)
    [0.5 * (1 - r), 0.5, 0.5 * (1 + r)].forEach((v, i) => expect(gl[i]).to.be.closeTo(v, 1e-12));
    expect(interpolationAlphas(11, 'gauss-legendre')[0]).to.be.within(0.005, 0.02);
    expect(interpolationAlphas(5, 'riemann-trapezoid')).to.deep.equal([0, 0.25, 0.5, 0.75, 1]);
  });

  it('conductance is complete: per example, each level sums to F(x) − F(0) (fine path), close with 10 steps', () => {
    for (const [m, probe, labels] of [
      [mlp(), x(), labels7],
      [convNet(), xImg(), labels6],
    ] as const) {
      const walk = walkModel(m);
      const shapes = levelOutputShapes(walk);
      const delta = outputDelta(m, probe, labels);
      const scale = Math.max(...delta.map(Math.abs));
      const fine = layerConductance(walk, shapes, probe, labels, 5, { steps: 300, quadrature: 'riemann-trapezoid' });
      const coarse = layerConductance(walk, shapes, probe, labels, 5);
      fine.forEach((a, level) => {
        expect(a.shape).to.deep.equal([probe.shape[0], ...shapes[level]]);
        perExampleSums(a).forEach((s, i) => expect(s, `level ${level} example ${i}`).to.be.closeTo(delta[i], 0.01 * scale));
      });
      coarse.forEach((a) => perExampleSums(a).forEach((s, i) => expect(s).to.be.closeTo(delta[i], 0.1 * scale)));
      tf.dispose([...fine, ...coarse, probe]);
      m.dispose();
    }
  });

  it('conductance follows the Captum formula: Σ_k ∂F/∂h(α_k x) · (h(α_{k+1} x) − h(α_k x)), left gradients', () => {
    // A [3, 4, 3, 2] tanh MLP computed by hand for one example: h = tanh(W1ᵀ(αx) + b1), F = W3ᵀ tanh(W2ᵀh + b2) + b3.
    // (tanh, not ReLU: the gradient must change along the path, or left and right sums would agree.)
    const m = model({ kind: 'mlp', widths: [3, 4, 3, 2], activation: 'tanh' }, 4);
    const weights = m.getWeights().map((w) => w.arraySync());
    const [W1, W2, W3] = [weights[0], weights[2], weights[4]] as number[][][];
    const [b1, b2] = [weights[1], weights[3]] as number[][];
    const xv = [1.7, -2.2, 1.4];
    const target = 1;
    const hidden = (a: number) => b1.map((b, j) => Math.tanh(b + xv.reduce((s, xi, i) => s + W1[i][j] * a * xi, 0)));
    const gradient = (h: number[]) =>
      h.map((_, j) =>
        b2.reduce((s, b, k) => {
          const z = b + h.reduce((t, hj, jj) => t + W2[jj][k] * hj, 0);
          return s + W2[j][k] * (1 - Math.tanh(z) ** 2) * W3[k][target];
        }, 0),
      );
    const alphas = interpolationAlphas(5, 'riemann-trapezoid');
    const expected = [0, 0, 0, 0];
    for (let k = 0; k + 1 < alphas.length; k++) {
      const g = gradient(hidden(alphas[k]));
      const [h0, h1] = [hidden(alphas[k]), hidden(alphas[k + 1])];
      expected.forEach((_, j) => (expected[j] += g[j] * (h1[j] - h0[j])));
    }
    const walk = walkModel(m);
    const probe = tf.tensor2d([xv]);
    const got = layerConductance(walk, levelOutputShapes(walk), probe, Int32Array.from([target]), 2, {
      steps: 4,
      quadrature: 'riemann-trapezoid',
    });
    const level0 = got[0].arraySync() as number[][];
    expected.forEach((v, j) => expect(level0[0][j]).to.be.closeTo(v, 1e-5));
    expect(Math.max(...expected.map(Math.abs))).to.be.greaterThan(1e-2);
    tf.dispose([...got, probe]);
    m.dispose();
  });

  it('deeplift sums to delta exactly at every level, through max pooling too', () => {
    for (const [m, probe, labels] of [
      [mlp(), x(), labels7],
      [convNet(), xImg(), labels6],
    ] as const) {
      const walk = walkModel(m);
      const delta = outputDelta(m, probe, labels);
      const scale = Math.max(...delta.map(Math.abs));
      const attributions = layerDeepLift(walk, levelOutputShapes(walk), probe, labels, 5);
      attributions.forEach((a, level) =>
        perExampleSums(a).forEach((s, i) => expect(s, `level ${level} example ${i}`).to.be.closeTo(delta[i], 1e-4 * scale)),
      );
      tf.dispose([...attributions, probe]);
      m.dispose();
    }
  });

  it('scores are the mean over probe examples of |attribution| summed over positions (+1e-8), whatever the chunking', async () => {
    const m = convNet();
    const probe = xImg();
    const walk = walkModel(m);
    const attributions = layerConductance(walk, levelOutputShapes(walk), probe, labels6, 5);
    const expected = attributions.map((a) =>
      tf.tidy(() => tf.sum(tf.abs(a), [...Array(a.rank - 1).keys()]).div(probe.shape[0]).dataSync()),
    );
    for (const batchSize of [1, 4, undefined]) {
      const scores = await computeImportance(m, probe, labels6, 'conductance', { batchSize });
      scores.forEach((s, level) =>
        s.forEach((v, j) => expect(v).to.be.closeTo(expected[level][j] + IMPORTANCE_EPSILON, 1e-5 * (1 + expected[level][j]))),
      );
    }
    tf.dispose([...attributions, probe]);
    m.dispose();
  });

  it('feature ablation: a neuron that feeds nothing scores 0, a neuron with amplified outgoing weights scores highest', async () => {
    const m = mlp();
    const levels = splitLevels(m);
    tf.tidy(() => {
      // Level 1 (8 neurons) feeds level 2 through its kernel [8, 5]: row 3 → 0 (dead end), row 5 → ×20.
      const [k, b] = levels[2].weightLayer.getWeights();
      const rowScale = tf.tensor2d([1, 1, 1, 0, 1, 20, 1, 1], [8, 1]);
      levels[2].weightLayer.setWeights([tf.mul(k, rowScale), b]);
    });
    const probe = x();
    const scores = await computeImportance(m, probe, labels7, 'feature-ablation');
    expect(scores[1][3]).to.equal(Math.fround(IMPORTANCE_EPSILON));
    expect(argmax(scores[1])).to.equal(5);
    // Same for a conv channel: channel 2 of the last conv feeds nothing once its dense rows are zero.
    const c = convNet();
    const img = xImg();
    const cBefore = await computeImportance(c, img, labels6, 'feature-ablation');
    expect(cBefore[1][2]).to.be.greaterThan(1e-4);
    const cLevels = splitLevels(c);
    tf.tidy(() => {
      const [k, b] = cLevels[2].weightLayer.getWeights(); // dense after flatten: row r reads channel r % 6
      const keep = tf.tensor2d(Array.from({ length: k.shape[0] }, (_, r) => (r % 6 === 2 ? 0 : 1)), [k.shape[0], 1]);
      cLevels[2].weightLayer.setWeights([tf.mul(k, keep), b]);
    });
    const cScores = await computeImportance(c, img, labels6, 'feature-ablation');
    expect(cScores[1][2]).to.equal(Math.fround(IMPORTANCE_EPSILON));
    tf.dispose([probe, img]);
    m.dispose();
    c.dispose();
  });

  it('without labels, attributes to the predicted classes and labelsOrPredictions says so', async () => {
    const m = mlp();
    const probe = x();
    const predicted = tf.tidy(() => tf.argMax(m.predict(probe) as tf.Tensor, 1).dataSync() as Int32Array);
    const fallback = await labelsOrPredictions(m, probe, undefined);
    expect(fallback.fromPredictions).to.equal(true);
    expect([...fallback.labels]).to.deep.equal([...predicted]);
    const given = await labelsOrPredictions(m, probe, labels7);
    expect(given).to.deep.equal({ labels: labels7, fromPredictions: false });
    for (const method of ['conductance', 'feature-ablation', 'deeplift'] as const) {
      const a = await computeImportance(m, probe, undefined, method);
      const b = await computeImportance(m, probe, Int32Array.from(predicted), method);
      expect(a.map((s) => [...s])).to.deep.equal(b.map((s) => [...s]));
      const c = await computeImportance(m, probe, labels7, method);
      expect(c[c.length - 1]).to.not.deep.equal(a[a.length - 1]); // the targets do matter
    }
    probe.dispose();
    m.dispose();
  });

  it('rejects bad input with messages that name the problem', async () => {
    const m = mlp();
    const probe = x();
    const wrong = tf.zeros([3, 21]);
    const fail = async (p: Promise<unknown>) => p.then(() => '', (e: Error) => e.message);
    expect(await fail(computeImportance(m, wrong, undefined, 'conductance'))).to.match(/probe inputs have shape \[3, 21\].*\[n, 20\]/);
    expect(await fail(computeImportance(m, probe, Int32Array.from([1, 2]), 'deeplift'))).to.match(/got 2 probe labels for 7 probe inputs/);
    expect(await fail(computeImportance(m, probe, Int32Array.from([0, 1, 2, 3, 4, 0, 9]), 'deeplift'))).to.match(/label 6 is 9, outside the model's classes 0..4/);
    expect(await fail(computeImportance(m, probe, labels7, 'saliency' as ImportanceMethod))).to.match(/unknown importance method 'saliency'/);
    expect(await fail(computeImportance(m, probe, labels7, 'conductance', { steps: 0 }))).to.match(/steps must be a positive integer/);
    // A softmax after the logits is downstream of the hidden level: DeepLIFT's rescale rule does not cover it.
    const withSoftmax = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [20], units: 4, activation: 'relu' }),
        tf.layers.dense({ units: 3 }),
        tf.layers.activation({ activation: 'softmax' }),
      ],
    });
    expect(await fail(computeImportance(withSoftmax, probe, Int32Array.from([0, 1, 2, 0, 1, 2, 0]), 'deeplift'))).to.match(/softmax/);
    tf.dispose([probe, wrong]);
    m.dispose();
    withSoftmax.dispose();
  });

  it('on a model trained on real MNIST, neurons that never fire on the probe set get (near) zero score', async () => {
    const train = await loadMnist({ split: 'train', limit: 600 });
    const probeData = await loadMnist({ split: 'train', offset: 600, limit: 100 });
    const m = buildModel(modelSpecSchema.parse({ kind: 'mlp', widths: [784, 64, 10] }), 7);
    const xs = tf.tensor2d(train.x, [train.n, 784]);
    const ys = tf.oneHot(tf.tensor1d(train.y, 'int32'), 10);
    m.compile({ optimizer: tf.train.adam(0.01), loss: (y: tf.Tensor, p: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, p) });
    await m.fit(xs, ys, { epochs: 3, batchSize: 64, verbose: 0 });
    const probe = tf.tensor2d(probeData.x, [probeData.n, 784]);
    const hidden = tf.tidy(() => {
      const [k, b] = splitLevels(m)[0].weightLayer.getWeights();
      return tf.max(tf.relu(tf.add(tf.matMul(probe, k), b)), 0).dataSync();
    });
    const silent = [...hidden.keys()].filter((j) => hidden[j] === 0);
    const active = [...hidden.keys()].filter((j) => hidden[j] > 0.5);
    expect(active.length).to.be.greaterThan(10);
    for (const method of ['conductance', 'feature-ablation', 'deeplift'] as const) {
      const s = await computeImportance(m, probe, probeData.y, method);
      for (const j of silent) expect(s[0][j], `${method} neuron ${j}`).to.be.lessThan(1e-6);
      const meanActive = active.reduce((a, j) => a + s[0][j], 0) / active.length;
      expect(meanActive, method).to.be.greaterThan(1e-3);
    }
    tf.dispose([xs, ys, probe]);
    m.dispose();
  });
});
