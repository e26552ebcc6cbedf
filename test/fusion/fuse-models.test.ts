// End-to-end behaviour of fuseModels on small models: permuted copies, one parent, importance, conv levels,
// width changes, tensor hygiene and error messages.
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { collectPreActivations } from '@fedfuse/client/internal/model/levels.js';
import { buildModel } from '../../common/model/model-spec.js';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { fuseModels, type FusionMethod } from '../../server/fusion/index.js';
import { groupHungarian, groupKMeans } from '../../server/fusion/grouping.js';
import { LeastSquares } from '../../server/fusion/least-squares.js';
import { denseDesign } from '../../server/fusion/im2col.js';
import { neuronRows, stackRows } from '../../server/fusion/level-data.js';
import { rowSquaredNorms } from '../../server/fusion/matrix-products.js';
import { seededRandom } from '../../server/fusion/random.js';
import { permuteLevel, permutation, predict, randomInputs, relativeMaxError } from './helpers.js';

const MLP = { kind: 'mlp' as const, widths: [12, 16, 8, 3], activation: 'relu' as const };
// More probe rows than inputs + 1 at every level, so least squares pins the weights down and a fused copy must
// also agree off the probe set.
const PROBE = 100;

const CONV = {
  kind: 'sequential' as const,
  inputShape: [6, 6, 1],
  layers: [
    { type: 'conv2d' as const, filters: 4, kernelSize: 3, strides: 1, padding: 'same' as const, activation: 'relu' as const },
    { type: 'maxPooling2d' as const, poolSize: 2 },
    { type: 'conv2d' as const, filters: 3, kernelSize: 2, strides: 1, padding: 'valid' as const, activation: 'relu' as const },
    { type: 'flatten' as const },
    { type: 'dense' as const, units: 3, activation: 'linear' as const },
  ],
};

/** max |a − b| over the weights, relative to max(1, max |b|) (untrained biases are all zero). */
function weightError(a: tf.LayersModel, b: tf.LayersModel): number {
  return Math.max(
    ...a.getWeights().map((w, i) => {
      const x = w.dataSync();
      const y = b.getWeights()[i].dataSync();
      let num = 0;
      let den = 1;
      for (let j = 0; j < y.length; j++) {
        num = Math.max(num, Math.abs(x[j] - y[j]));
        den = Math.max(den, Math.abs(y[j]));
      }
      return num / den;
    }),
  );
}

async function permutedCopy(model: tf.LayersModel, widths: number[], seed: number): Promise<tf.LayersModel> {
  let copy = model;
  for (let l = 0; l < widths.length; l++) {
    const next = await permuteLevel(copy, l, permutation(widths[l], seed + l));
    if (copy !== model) copy.dispose();
    copy = next;
  }
  return copy;
}

describe('fuseModels', function () {
  this.timeout(60000);
  let model: tf.LayersModel;
  let permuted: tf.LayersModel;
  let probe: tf.Tensor;
  let fresh: tf.Tensor;

  before(async () => {
    await initBackend();
    model = buildModel(MLP, 1);
    permuted = await permutedCopy(model, [16, 8], 3);
    probe = randomInputs([PROBE, 12], 5);
    fresh = randomInputs([64, 12], 6);
  });

  after(() => {
    model.dispose();
    permuted.dispose();
    tf.dispose([probe, fresh]);
  });

  it('the permuted copy computes the same function with different weights (test premise)', () => {
    expect(relativeMaxError(predict(permuted, fresh), predict(model, fresh))).to.be.lessThan(1e-5);
    const w0 = model.getWeights()[0].dataSync();
    const w1 = permuted.getWeights()[0].dataSync();
    expect(relativeMaxError(w1, w0)).to.be.greaterThan(0.1);
  });

  for (const method of ['hf', 'kf-linear', 'kf-gradient'] as FusionMethod[]) {
    it(`${method}: fusing a model with its neuron-permuted copy reproduces it on fresh inputs`, async () => {
      const { model: fused, perLevel } = await fuseModels([{ model }, { model: permuted }], probe, { method, seed: 1 });
      try {
        expect(relativeMaxError(predict(fused, fresh), predict(model, fresh))).to.be.lessThan(1e-3);
        expect(perLevel.map((p) => p.level)).to.deep.equal([0, 1, 2]);
        perLevel.forEach((p) => expect(p.fitMse).to.be.lessThan(1e-6));
      } finally {
        fused.dispose();
      }
    });
  }

  it('hf: keeps parent 0 neuron order, so the fused weights equal the original ones', async () => {
    // tanh: no neuron is silent on the probe set, so least squares pins down every weight.
    const smooth = buildModel({ ...MLP, activation: 'tanh' }, 2);
    const copy = await permutedCopy(smooth, [16, 8], 4);
    const { model: fused } = await fuseModels([{ model: smooth }, { model: copy }], probe, { method: 'hf' });
    expect(weightError(fused, smooth)).to.be.lessThan(1e-3);
    expect(weightError(copy, smooth)).to.be.greaterThan(0.1);
    [smooth, copy, fused].forEach((m) => m.dispose());
  });

  it('hf recovers the permutation and kf groups every neuron with its copy', () => {
    const perm = permutation(16, 3); // what permutedCopy applied to level 0
    const [ta, tb] = [model, permuted].map((m) => collectPreActivations(m, probe));
    const design = denseDesign(probe.dataSync() as Float32Array, PROBE, 12, true);
    const all = stackRows([neuronRows(ta[0], [PROBE], 16, 'a'), neuronRows(tb[0], [PROBE], 16, 'b')]);
    const ls = new LeastSquares(design, 1e-9);
    const geom = { gram: ls.projectedGram(all), norms: rowSquaredNorms(all) };
    const importance = new Float64Array(32).fill(1);
    const hf = groupHungarian(geom, importance, [16, 16]);
    // neuron j of the copy is neuron perm[j] of the original
    for (let j = 0; j < 16; j++) expect(hf.assignment[16 + j]).to.equal(perm[j]);
    const kf = groupKMeans(geom, importance, 16, { restarts: 3, iterations: 50, random: seededRandom(1) });
    for (let j = 0; j < 16; j++) expect(kf.assignment[16 + j]).to.equal(kf.assignment[perm[j]]);
    tf.dispose([...ta, ...tb]);
  });

  it('kf-linear with one parent reproduces it, weights and neuron order included', async () => {
    const smooth = buildModel({ ...MLP, activation: 'tanh' }, 2);
    const { model: fused } = await fuseModels([{ model: smooth }], probe, { method: 'kf-linear' });
    expect(relativeMaxError(predict(fused, fresh), predict(smooth, fresh))).to.be.lessThan(1e-3);
    expect(weightError(fused, smooth)).to.be.lessThan(1e-3);
    [smooth, fused].forEach((m) => m.dispose());
  });

  it('importance and scale pull the fused neurons toward the more important parent', async () => {
    // A single-level model: its only level is the (aligned) output, so the fused weights are the weighted mean.
    const spec = { kind: 'mlp' as const, widths: [12, 3], activation: 'relu' as const };
    const a = buildModel(spec, 11);
    const b = buildModel(spec, 12);
    const [wa, wb] = [a, b].map((m) => m.getWeights()[0].dataSync());
    const distanceTo = (w: ArrayLike<number>, v: ArrayLike<number>) => relativeMaxError(w, v);
    const weighted = await fuseModels([{ model: a, scale: 3 }, { model: b }], probe, { method: 'kf-linear' });
    const wf = weighted.model.getWeights()[0].dataSync();
    const expected = wa.map((v, i) => (3 * v + wb[i]) / 4);
    expect(relativeMaxError(wf, expected)).to.be.lessThan(1e-4);
    expect(distanceTo(wf, wa)).to.be.lessThan(distanceTo(wf, wb));
    // Per-neuron importance (each parent's scores are normalised to sum 1, so both sum to 11 here):
    // output 0 leans 9:1 to b, output 1 is the plain mean, output 2 leans 9:1 to a.
    const perNeuron = await fuseModels(
      [
        { model: a, importance: [Float32Array.from([1, 1, 9])] },
        { model: b, importance: [Float32Array.from([9, 1, 1])] },
      ],
      probe,
      { method: 'hf' },
    );
    const wp = perNeuron.model.getWeights()[0].dataSync();
    for (let r = 0; r < 12; r++) {
      // kernel is [12, 3], one column per output neuron
      expect(wp[r * 3]).to.be.closeTo(0.1 * wa[r * 3] + 0.9 * wb[r * 3], 1e-4);
      expect(wp[r * 3 + 1]).to.be.closeTo(0.5 * wa[r * 3 + 1] + 0.5 * wb[r * 3 + 1], 1e-4);
      expect(wp[r * 3 + 2]).to.be.closeTo(0.9 * wa[r * 3 + 2] + 0.1 * wb[r * 3 + 2], 1e-4);
    }
    [a, b, weighted.model, perNeuron.model].forEach((m) => m.dispose());
  });

  it('a hidden neuron follows its more important parent', async () => {
    const spec = { kind: 'mlp' as const, widths: [12, 4, 3], activation: 'relu' as const };
    const a = buildModel(spec, 21);
    const b = buildModel(spec, 22);
    const [ta, tb] = [a, b].map((m) => collectPreActivations(m, probe));
    const hiddenDistance = async (scaleA: number) => {
      const { model: fused } = await fuseModels([{ model: a, scale: scaleA }, { model: b }], probe, { method: 'hf' });
      const tf0 = collectPreActivations(fused, probe);
      const da = tf.tidy(() => tf.sum(tf.squaredDifference(tf0[0], ta[0])).dataSync()[0]);
      tf.dispose(tf0);
      fused.dispose();
      return da;
    };
    const even = await hiddenDistance(1);
    const leaning = await hiddenDistance(20);
    expect(leaning).to.be.lessThan(0.2 * even);
    tf.dispose([...ta, ...tb]);
    a.dispose();
    b.dispose();
  });

  for (const method of ['hf', 'kf-linear', 'kf-gradient'] as FusionMethod[]) {
    it(`${method}: conv levels (same/valid padding, pooling, flatten) pass the permuted-copy test`, async () => {
      const conv = buildModel(CONV, 7);
      const copy = await permutedCopy(conv, [4, 3], 9);
      const px = randomInputs([40, 6, 6, 1], 8);
      const fx = randomInputs([16, 6, 6, 1], 10);
      expect(relativeMaxError(predict(copy, fx), predict(conv, fx))).to.be.lessThan(1e-5);
      const { model: fused } = await fuseModels([{ model: conv }, { model: copy }], px, { method, gradient: { epochs: 3 } });
      expect(relativeMaxError(predict(fused, fx), predict(conv, fx))).to.be.lessThan(1e-3);
      [conv, copy, fused].forEach((m) => m.dispose());
      tf.dispose([px, fx]);
    });
  }

  it("index grouping: the first level is the parents' weighted mean weights, kept as they are (ridge ∞)", async () => {
    // Every parent sees the same input at the first level, so the mean of their weights reproduces the mean of their
    // pre-activations exactly: there is nothing to fit there.
    const a = buildModel(MLP, 31);
    const b = buildModel(MLP, 32);
    const { model: fused, perLevel } = await fuseModels([{ model: a, scale: 3 }, { model: b }], probe, { method: 'kf-linear', grouping: 'index' });
    const [wa, wb, wf] = [a, b, fused].map((m) => m.getWeights()[0].dataSync());
    expect(relativeMaxError(wf, wa.map((v, i) => (3 * v + wb[i]) / 4))).to.be.lessThan(1e-6);
    expect(perLevel[0].ridge).to.equal(Infinity);
    expect(perLevel[0].fitMse).to.be.lessThan(1e-9);
    [a, b, fused].forEach((m) => m.dispose());
  });

  it('kf-linear with a sketched k-means geometry (a few principal directions) still groups every neuron with its copy', async () => {
    const { model: fused } = await fuseModels([{ model }, { model: permuted }], probe, { method: 'kf-linear', kmeansSketch: 3, kmeansRestarts: 1 });
    expect(relativeMaxError(predict(fused, fresh), predict(model, fresh))).to.be.lessThan(1e-3);
    fused.dispose();
  });

  it('fewer probe rows than inputs: the parents prior keeps what the probe set cannot see; the zero prior loses it', async () => {
    // 30 probe rows for a first level with 41 weights per neuron: least squares alone cannot pin the weights down.
    const wide = buildModel({ kind: 'mlp', widths: [40, 16, 8, 3], activation: 'relu' }, 11);
    const copy = await permutedCopy(wide, [16, 8], 12);
    const px = randomInputs([30, 40], 13);
    const fx = randomInputs([50, 40], 14);
    const errors: Record<string, number> = {};
    for (const prior of ['parents', 'zero'] as const) {
      for (const method of ['hf', 'kf-linear'] as FusionMethod[]) {
        const { model: fused } = await fuseModels([{ model: wide }, { model: copy }], px, { method, prior, seed: 1 });
        errors[`${method}/${prior}`] = relativeMaxError(predict(fused, fx), predict(wide, fx));
        fused.dispose();
      }
    }
    expect(errors['hf/parents'], JSON.stringify(errors)).to.be.lessThan(1e-3);
    expect(errors['kf-linear/parents'], JSON.stringify(errors)).to.be.lessThan(1e-3);
    expect(errors['hf/zero'], JSON.stringify(errors)).to.be.greaterThan(0.05);
    expect(errors['kf-linear/zero'], JSON.stringify(errors)).to.be.greaterThan(0.05);
    await fuseModels([{ model: wide }, { model: copy }], px, { method: 'hf', prior: 'none' as 'zero' }).then(
      () => expect.fail('an unknown prior must be refused'),
      (e: Error) => expect(e.message).to.equal("prior must be 'parents' or 'zero', got none"),
    );
    [wide, copy].forEach((m) => m.dispose());
    tf.dispose([px, fx]);
  });

  it('kf-linear fuses to narrower hidden levels, including a conv feeding a Flatten', async () => {
    const conv = buildModel(CONV, 7);
    const other = buildModel(CONV, 8);
    const px = randomInputs([40, 6, 6, 1], 8);
    const { model: fused } = await fuseModels([{ model: conv }, { model: other }], px, { method: 'kf-linear', widths: [2, 5] });
    const shapes = fused.getWeights().map((w) => w.shape);
    expect(shapes).to.deep.equal([[3, 3, 1, 2], [2], [2, 2, 2, 5], [5], [20, 3], [3]]);
    expect((fused.predict(px) as tf.Tensor).shape).to.deep.equal([40, 3]);
    [conv, other, fused].forEach((m) => m.dispose());
    px.dispose();
  });

  it('leaks no tensors (every method, targets computed or given)', async () => {
    for (const method of ['hf', 'kf-linear', 'kf-gradient'] as FusionMethod[]) {
      const given = collectPreActivations(permuted, probe);
      const before = tf.memory().numTensors;
      const { model: fused } = await fuseModels([{ model }, { model: permuted, targets: given }], probe, {
        method,
        gradient: { epochs: 2, distillLast: method === 'kf-gradient' },
      });
      fused.dispose();
      expect(tf.memory().numTensors, method).to.equal(before);
      tf.dispose(given);
    }
  });

  it('reports progress per level and phase', async () => {
    const seen: string[] = [];
    const { model: fused } = await fuseModels([{ model }, { model: permuted }], probe, {
      method: 'kf-linear',
      onProgress: ({ level, levels, phase }) => seen.push(`${level}/${levels}:${phase}`),
    });
    fused.dispose();
    expect(seen).to.include.members(['0/3:grouping', '2/3:fit', '3/3:done']);
  });

  describe('errors', () => {
    it('names an unsupported layer type', async () => {
      const bad = tf.sequential({
        layers: [tf.layers.dense({ units: 4, inputShape: [12] }), tf.layers.batchNormalization(), tf.layers.dense({ units: 3 })],
      });
      let err: Error | undefined;
      await fuseModels([{ model }, { model: bad }], probe, { method: 'kf-linear' }).catch((e: Error) => (err = e));
      expect(err?.message).to.match(/parent 1: layer .* of type BatchNormalization is not supported/);
      bad.dispose();
    });

    it('names shape mismatches: input size, output classes, number of levels, probe shape', async () => {
      const cases: [tf.LayersModel, RegExp][] = [
        [buildModel({ ...MLP, widths: [10, 16, 8, 3] }, 2), /parent 1 input shape \[10\] differs from parent 0's \[12\]/],
        [buildModel({ ...MLP, widths: [12, 16, 8, 4] }, 2), /parent 1 has 4 outputs, parent 0 has 3/],
        [buildModel({ ...MLP, widths: [12, 16, 3] }, 2), /parent 1 has 2 levels, parent 0 has 3/],
        [buildModel({ ...MLP, activation: 'tanh' }, 2), /parent 1 layer 0 .* is .*"tanh".*parent 0 has .*"relu"/],
      ];
      for (const [other, pattern] of cases) {
        let err: Error | undefined;
        await fuseModels([{ model }, { model: other }], probe, { method: 'kf-linear' }).catch((e: Error) => (err = e));
        expect(err?.message).to.match(pattern);
        other.dispose();
      }
      const wrongProbe = randomInputs([10, 11], 1);
      let err: Error | undefined;
      await fuseModels([{ model }], wrongProbe, { method: 'kf-linear' }).catch((e: Error) => (err = e));
      expect(err?.message).to.match(/probe inputs have shape \[10, 11\], models expect \[n, 12\]/);
      wrongProbe.dispose();
    });

    it('names bad options, importance and targets', async () => {
      const attempts: [Promise<unknown>, RegExp][] = [
        [fuseModels([{ model }], probe, { method: 'hf' }), /HF fusion needs exactly 2 parents, got 1/],
        [fuseModels([{ model }, { model: permuted }], probe, { method: 'hf', widths: [8, 8] }), /HF fusion keeps widths/],
        [fuseModels([{ model }], probe, { method: 'kf-linear', widths: [40, 8] }), /fused width 40 exceeds the parents' 16 neurons/],
        [
          fuseModels([{ model, importance: [new Float32Array(16), new Float32Array(8)] }], probe, { method: 'kf-linear' }),
          /importance has 2 levels, model has 3/,
        ],
        [
          fuseModels([{ model, importance: [new Float32Array(16), new Float32Array(8), Float32Array.from([1, -1, 1])] }], probe, {
            method: 'kf-linear',
          }),
          /level 2: importance score -1/,
        ],
        [fuseModels([{ model, scale: 0 }], probe, { method: 'kf-linear' }), /scale must be a finite number > 0/],
        [fuseModels([{ model }], probe, { method: 'nope' as FusionMethod }), /unknown fusion method nope/],
        [fuseModels([{ model }], probe, { method: 'kf-linear', kmeansSketch: 0 }), /kmeansSketch must be 'exact', 'auto' or an integer >= 1, got 0/],
        [fuseModels([{ model }], probe, { method: 'kf-linear', kmeansRestarts: 1.5 }), /kmeansRestarts must be an integer >= 1 or 'auto', got 1.5/],
      ];
      for (const [attempt, pattern] of attempts) {
        let err: Error | undefined;
        await attempt.catch((e: Error) => (err = e));
        expect(err?.message, String(pattern)).to.match(pattern);
      }
      const shortTargets = collectPreActivations(model, probe.slice(0, 50));
      let err: Error | undefined;
      await fuseModels([{ model }, { model: permuted, targets: shortTargets }], probe, { method: 'kf-linear' }).catch(
        (e: Error) => (err = e),
      );
      expect(err?.message).to.match(/parent 1 level 0: targets have shape \[50, 16\], expected \[100, 16\]/);
      tf.dispose(shortTargets);
    });
  });
});
