// The neuron-interpolation strategy: configure, verify uploaded activations against the weights, aggregate.
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { collectPreActivations } from '@fedfuse/client/internal/model/levels.js';
import { buildModel } from '../../common/model/model-spec.js';
import { modelToState, stateToModel, type ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { readWeights } from '@fedfuse/client/internal/model/weights.js';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { float16ToFloat32, float32ToFloat16 } from '@fedfuse/client/internal/proto/float16.js';
import { NeuronInterpolation } from '../../server/strategies/neuron-interpolation.js';
import type { ClientUpdate, PlainTensor, RoundContext, TrainingConfig } from '../../server/strategies/strategy.js';
import { permuteLevel, permutation, predict, randomInputs, relativeMaxError } from '../fusion/helpers.js';

const SPEC = { kind: 'mlp' as const, widths: [12, 16, 8, 3], activation: 'relu' as const };
const PROBE = 64;

const BASE: TrainingConfig = {
  localEpochs: 1,
  batchSize: 32,
  learningRate: 0.01,
  optimizer: 'sgd',
  proximalMu: 0,
  sendActivations: false,
  importanceMethod: '',
  seed: 1,
  halfPrecision: true,
};

function plain(t: tf.Tensor): PlainTensor {
  return { shape: [...t.shape], values: Float32Array.from(t.dataSync()) };
}

/** What an honest client uploads: weights, float16-rounded pre-activations on the probe set, uniform importance. */
function honestUpdate(model: tf.LayersModel, probe: tf.Tensor, clientId: string, numExamples: number): ClientUpdate {
  const acts = collectPreActivations(model, probe);
  const activations = acts.map((a) => {
    const p = plain(a);
    return { shape: p.shape, values: float16ToFloat32(float32ToFloat16(p.values)) };
  });
  tf.dispose(acts);
  return {
    clientId,
    round: 1,
    weights: readWeights(model),
    numExamples,
    activations,
    importance: activations.map((a) => new Float32Array(a.shape[a.shape.length - 1]).fill(1)),
    metrics: {},
    labelHistogram: [],
  };
}

async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  return 'accepted';
}

describe('NeuronInterpolation strategy', function () {
  this.timeout(60000);
  let global: tf.LayersModel;
  let ctx: RoundContext;
  let probe: tf.Tensor;
  let clientA: tf.LayersModel;
  let clientB: tf.LayersModel;

  before(async () => {
    await initBackend();
    global = buildModel(SPEC, 1);
    probe = randomInputs([PROBE, 12], 3);
    ctx = { round: 1, global: modelToState(global), probe: { x: plain(probe) }, seed: 7 };
    clientA = buildModel(SPEC, 2);
    clientB = await permuteLevel(clientA, 0, permutation(16, 5));
  });

  after(() => {
    [global, clientA, clientB].forEach((m) => m.dispose());
    probe.dispose();
  });

  it('asks clients for nothing beyond their weights by default, and for activations and importance when told to', () => {
    expect(new NeuronInterpolation({ importanceMethod: 'conductance' }).configureRound(ctx, BASE)).to.deep.equal({
      ...BASE,
      sendActivations: false,
      importanceMethod: '',
    });
    const clients = new NeuronInterpolation({ importanceMethod: 'conductance', activationsFrom: 'clients' });
    expect(clients.configureRound(ctx, BASE)).to.deep.equal({ ...BASE, sendActivations: true, importanceMethod: 'conductance' });
    expect(new NeuronInterpolation({ activationsFrom: 'clients' }).configureRound(ctx, BASE).importanceMethod).to.equal('uniform');
  });

  it('computes the parents\' activations itself by default: uploads are ignored, so forged ones change nothing', async () => {
    const honest = [honestUpdate(clientA, probe, 'a', 30), honestUpdate(clientB, probe, 'b', 10)];
    const forged = honest.map((u) => ({ ...u, activations: u.activations.map((a) => ({ ...a, values: a.values.map(() => 99) })) }));
    const strategy = new NeuronInterpolation({ fusion: { grouping: 'match' } });
    expect(await rejection(strategy.validateUpdate(ctx, forged[0]))).to.equal('accepted');
    const a = await strategy.aggregate(ctx, honest);
    const b = await strategy.aggregate(ctx, forged);
    expect(b.model.weights).to.deep.equal(a.model.weights);
    expect(a.fusion!.path).to.equal('fused');
  });

  it('accepts honest float16 uploads', async () => {
    const strategy = new NeuronInterpolation({ activationsFrom: 'clients' });
    for (const m of [clientA, clientB]) {
      expect(await rejection(strategy.validateUpdate(ctx, honestUpdate(m, probe, 'a', 10)))).to.equal('accepted');
    }
  });

  it('rejects tampered activations, naming client, level and neuron', async () => {
    const strategy = new NeuronInterpolation({ verifySamples: 16, activationsFrom: 'clients' });
    // One neuron of level 1 inflated by 10% on every probe input.
    const scaled = honestUpdate(clientA, probe, 'mallory', 10);
    const level1 = scaled.activations[1];
    for (let r = 0; r < PROBE; r++) level1.values[r * 8 + 3] *= 1.1;
    expect(await rejection(strategy.validateUpdate(ctx, scaled))).to.match(
      /client mallory: uploaded activations do not match its weights at level 1, neuron 3 \(relative error/,
    );
    // Activations of another model (e.g. copied from a stronger client) under one's own weights.
    const swapped = honestUpdate(clientA, probe, 'eve', 10);
    swapped.activations = honestUpdate(global, probe, 'x', 1).activations;
    expect(await rejection(strategy.validateUpdate(ctx, swapped))).to.match(/client eve: uploaded activations do not match/);
    // Wrong shapes and bad importance.
    const short = honestUpdate(clientA, probe, 'bob', 10);
    short.activations = short.activations.slice(0, 2);
    expect(await rejection(strategy.validateUpdate(ctx, short))).to.match(/2 activation tensors, the model has 3 levels/);
    const negative = honestUpdate(clientA, probe, 'bob', 10);
    negative.importance[0][2] = -1;
    expect(await rejection(strategy.validateUpdate(ctx, negative))).to.match(/level 0 importance scores must be finite and >= 0/);
  });

  it('aggregates into the global architecture; a model and its permuted copy fuse back to the model', async () => {
    // A permuted copy is the paper's setting (neurons not aligned by index): group by matching.
    const strategy = new NeuronInterpolation({ method: 'kf-linear', heldOutFraction: 0, fusion: { grouping: 'match' } });
    const before = tf.memory().numTensors;
    const { model: state } = await strategy.aggregate(ctx, [
      honestUpdate(clientA, probe, 'a', 30),
      honestUpdate(clientB, probe, 'b', 10),
    ]);
    expect(tf.memory().numTensors).to.equal(before);
    expect(state.topologyJson).to.equal(ctx.global.topologyJson);
    expect(state.weights.map((w) => w.shape)).to.deep.equal(ctx.global.weights.map((w) => w.shape));
    const fused = await stateToModel(state);
    // On the probe set (fresh inputs would need more probe rows than inputs + 1 at every level).
    expect(relativeMaxError(predict(fused, probe), predict(clientA, probe))).to.be.lessThan(1e-2);
    fused.dispose();
  });

  it('fuses three different clients with HF refused and KF accepted', async () => {
    const others = [3, 4, 5].map((s) => buildModel(SPEC, s));
    const updates = others.map((m, i) => honestUpdate(m, probe, `c${i}`, 5 + i));
    expect(await rejection(new NeuronInterpolation({ method: 'hf' }).aggregate(ctx, updates))).to.match(
      /HF fusion needs exactly 2 parents, got 3/,
    );
    const { model: state } = await new NeuronInterpolation({ method: 'kf-linear', fusion: { kmeansRestarts: 2 } }).aggregate(ctx, updates);
    expect(state.weights.map((w) => w.shape)).to.deep.equal(ctx.global.weights.map((w) => w.shape));
    others.forEach((m) => m.dispose());
  });

  it('weights each output neuron by the client\'s examples of that class (and can be told not to)', async () => {
    // One-level models: the output level is the whole model, so the fused kernel is the weighted mean itself
    // (up to the float16 rounding of the uploaded targets).
    const spec = { kind: 'mlp' as const, widths: [12, 3], activation: 'relu' as const };
    const g = buildModel(spec, 1);
    const [a, b] = [2, 3].map((s) => buildModel(spec, s));
    const local: RoundContext = { ...ctx, global: modelToState(g) };
    const ua = { ...honestUpdate(a, probe, 'a', 10), labelHistogram: [10, 0, 0] };
    const ub = { ...honestUpdate(b, probe, 'b', 10), labelHistogram: [0, 6, 4] };
    const [ka, kb] = [a, b].map((m) => m.getWeights()[0].dataSync());
    const fuse = async (o: { classWeighting?: boolean }) =>
      (await new NeuronInterpolation({ ...o, heldOutFraction: 0 }).aggregate(local, [ua, ub])).model.weights[0].values;
    const weighted = await fuse({});
    const plainMean = await fuse({ classWeighting: false });
    for (let r = 0; r < 12; r++) {
      expect(weighted[r * 3]).to.be.closeTo(ka[r * 3], 2e-3); // class 0: only a saw it
      expect(weighted[r * 3 + 1]).to.be.closeTo(kb[r * 3 + 1], 2e-3); // classes 1, 2: only b
      expect(weighted[r * 3 + 2]).to.be.closeTo(kb[r * 3 + 2], 2e-3);
      for (let c = 0; c < 3; c++) expect(plainMean[r * 3 + c]).to.be.closeTo((ka[r * 3 + c] + kb[r * 3 + c]) / 2, 2e-3);
    }
    [g, a, b].forEach((m) => m.dispose());
  });

  it('keeps the fused model when it beats the plain average on probe rows held out from the fit', async () => {
    // A and its permuted twin: their plain average is a broken model, fusion recovers A. No probe labels, so the
    // decision compares both with the clients' prediction ensemble.
    const strategy = new NeuronInterpolation({ heldOutFraction: 0.25, fusion: { grouping: 'match' } });
    const before = tf.memory().numTensors;
    const { model, fusion } = await strategy.aggregate(ctx, [honestUpdate(clientA, probe, 'a', 30), honestUpdate(clientB, probe, 'b', 10)]);
    expect(tf.memory().numTensors).to.equal(before);
    expect(fusion).to.include({ path: 'fused', lossKind: 'ensemble-kl', checkRows: 16 });
    expect(fusion!.fusedProbeLoss).to.be.lessThan(fusion!.averageProbeLoss);
    expect(fusion!.ridges).to.have.length(3);
    const fused = await stateToModel(model);
    const unseen = randomInputs([32, 12], 11);
    // Fitted on 48 rows only, yet A's function on fresh inputs (a permutation is exactly representable).
    expect(relativeMaxError(predict(fused, unseen), predict(clientA, unseen))).to.be.lessThan(5e-2);
    fused.dispose();
    unseen.dispose();
  });

  it('with fitShifts, fits on shifted copies of the probe images (flat 3×4 inputs) and leaks no tensor', async () => {
    const strategy = new NeuronInterpolation({ heldOutFraction: 0.25, fitShifts: { pixels: 1, imageShape: [3, 4, 1] }, fusion: { grouping: 'match' } });
    const before = tf.memory().numTensors;
    const { model, fusion } = await strategy.aggregate(ctx, [honestUpdate(clientA, probe, 'a', 30), honestUpdate(clientB, probe, 'b', 10)]);
    expect(tf.memory().numTensors).to.equal(before);
    expect(fusion).to.include({ path: 'fused', checkRows: 16 });
    const fused = await stateToModel(model);
    const unseen = randomInputs([32, 12], 12);
    expect(relativeMaxError(predict(fused, unseen), predict(clientA, unseen))).to.be.lessThan(5e-2);
    fused.dispose();
    unseen.dispose();
    const wrongShape = new NeuronInterpolation({ fitShifts: { pixels: 1, imageShape: [2, 2, 2] } });
    const refused = await wrongShape.aggregate(ctx, [honestUpdate(clientA, probe, 'a', 30), honestUpdate(clientB, probe, 'b', 10)]).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(refused?.message).to.match(/fitShifts.imageShape/);
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('with serverStep, moves the global model that many times the way to the round result', async () => {
    const updates = () => [honestUpdate(clientA, probe, 'a', 30), honestUpdate(clientB, probe, 'b', 10)];
    const plainResult = await new NeuronInterpolation({ heldOutFraction: 0.25, fusion: { grouping: 'match' } }).aggregate(ctx, updates());
    const stepping = new NeuronInterpolation({ heldOutFraction: 0.25, serverStep: 2, fusion: { grouping: 'match' } });
    const stepped = await stepping.aggregate(ctx, updates());
    expect(stepped.fusion).to.deep.equal(plainResult.fusion);
    // A cluster node's pre-aggregate leaves the step to the leader, which takes it once.
    const nodeResult = await stepping.nodeAggregate(ctx, updates());
    nodeResult.model.weights.forEach((w, t) => expect(Array.from(w.values)).to.deep.equal(Array.from(plainResult.model.weights[t].values)));
    stepped.model.weights.forEach((w, t) => {
      const g = ctx.global.weights[t].values;
      const r = plainResult.model.weights[t].values;
      w.values.forEach((v, i) => expect(v).to.be.closeTo(2 * r[i] - g[i], 1e-4));
    });
  });

  it('by default (calibrateOutput) with probe labels, rescales the fused logits: same classes, lower held-out loss, scale reported', async () => {
    const labels = Int32Array.from({ length: PROBE }, (_, i) => i % 3);
    const labelled: RoundContext = { ...ctx, probe: { x: plain(probe), y: labels } };
    const updates = () => [honestUpdate(clientA, probe, 'a', 30), honestUpdate(clientB, probe, 'b', 10)];
    const options = { heldOutFraction: 0.25, fallbackStandardErrors: 1e6, fusion: { grouping: 'match' as const } };
    const plainRound = await new NeuronInterpolation({ ...options, calibrateOutput: false }).aggregate(labelled, updates());
    const before = tf.memory().numTensors;
    const calibrated = await new NeuronInterpolation(options).aggregate(labelled, updates());
    expect(tf.memory().numTensors).to.equal(before);
    expect(plainRound.fusion!.outputScale).to.equal(undefined);
    expect(calibrated.fusion!.outputScale).to.be.a('number').and.not.equal(1);
    expect(calibrated.fusion!.fusedProbeLoss).to.be.lessThan(plainRound.fusion!.fusedProbeLoss);
    const classes = async (state: ModelState) => {
      const m = await stateToModel(state);
      const c = tf.tidy(() => Array.from(tf.argMax(m.predict(probe) as tf.Tensor2D, 1).dataSync()));
      m.dispose();
      return c;
    };
    expect(await classes(calibrated.model)).to.deep.equal(await classes(plainRound.model));
    // Without labels there is nothing to calibrate on.
    expect((await new NeuronInterpolation({ ...options, calibrateOutput: true }).aggregate(ctx, updates())).fusion!.outputScale).to.equal(undefined);
  });

  it('falls back to the plain average when the fused model is worse on the held-out rows, and says so', async () => {
    // Two nearly equal clients (their average is good) whose uploaded output-level targets are the logits of an
    // unrelated model: learnable, so the fit follows them, and wrong. Without probe labels the held-out rows compare
    // both models with the clients' own prediction ensemble (computed from their weights, not from the uploads).
    const nearA = buildModel(SPEC, 2);
    nearA.setWeights(clientA.getWeights().map((w, i) => tf.tidy(() => tf.add(w, tf.mul(0.01, tf.randomNormal(w.shape, 0, 1, 'float32', 40 + i))))));
    const stranger = buildModel(SPEC, 9);
    const wrong = honestUpdate(stranger, probe, 'x', 1).activations[2];
    const misled = [honestUpdate(clientA, probe, 'a', 10), honestUpdate(nearA, probe, 'b', 11)].map((u) => {
      u.activations[2] = { shape: [...wrong.shape], values: wrong.values.map((v) => 5 * v) };
      return u;
    });
    const before = tf.memory().numTensors;
    const { model, fusion } = await new NeuronInterpolation({ heldOutFraction: 0.25, activationsFrom: 'clients' }).aggregate(ctx, misled);
    expect(tf.memory().numTensors).to.equal(before);
    expect(fusion).to.include({ path: 'fallback', lossKind: 'ensemble-kl', checkRows: 16 });
    expect(fusion!.fusedProbeLoss - fusion!.averageProbeLoss).to.be.greaterThan(2 * fusion!.standardError);
    const a = readWeights(clientA);
    const b = readWeights(nearA);
    model.weights.forEach((w, t) =>
      w.values.forEach((v, i) => expect(v).to.be.closeTo((10 * a[t].values[i] + 11 * b[t].values[i]) / 21, 1e-5)),
    );
    [nearA, stranger].forEach((m) => m.dispose());
  });

  it('with probe labels, keeps the plain mean output level when class-weighted targets do worse', async () => {
    // A logit vector is defined up to a per-input shift (softmax ignores it), and clients trained on different label
    // mixes shift differently. A and B predict exactly alike, but each adds its own input-dependent shift (u·h, v·h)
    // to every class. The plain mean shifts every class alike (harmless); class weighting takes class 0 from A and
    // classes 1-2 from B (not harmless). The probe labels say so, and the output level keeps the plain mean.
    const withShift = (seed: number) => {
      const m = buildModel(SPEC, 2);
      const weights = clientA.getWeights();
      const kernel = weights[4]; // output kernel [8, 3]
      const u = tf.randomNormal([8, 1], 0, 3, 'float32', seed);
      const shifted = tf.add(kernel, tf.tile(u, [1, 3]));
      m.setWeights([...weights.slice(0, 4), shifted, weights[5]]);
      tf.dispose([u, shifted]);
      return m;
    };
    const [a, b] = [withShift(71), withShift(72)];
    const labels = Int32Array.from(tf.tidy(() => tf.argMax(clientA.predict(probe) as tf.Tensor2D, 1).dataSync()));
    const labelled: RoundContext = { ...ctx, probe: { x: plain(probe), y: labels } };
    const updates = [
      { ...honestUpdate(a, probe, 'a', 10), labelHistogram: [10, 0, 0] },
      { ...honestUpdate(b, probe, 'b', 10), labelHistogram: [0, 6, 4] },
    ];
    const strategy = new NeuronInterpolation({ heldOutFraction: 0.25 });
    expect(await rejection(strategy.validateUpdate(labelled, updates[0]))).to.equal('accepted');
    const { fusion } = await strategy.aggregate(labelled, updates);
    expect(fusion).to.include({ lossKind: 'cross-entropy', outputImportance: 'uniform' });
    // Without labels nothing says the class weights are wrong: they are kept.
    const unlabelled = await strategy.aggregate(ctx, updates);
    expect(unlabelled.fusion!.outputImportance).to.equal(undefined);
    [a, b].forEach((m) => m.dispose());
  });

  it('needs a probe set, and says so', async () => {
    const strategy = new NeuronInterpolation();
    const noProbe = { ...ctx, probe: undefined };
    const u = honestUpdate(clientA, probe, 'a', 1);
    expect(await rejection(strategy.validateUpdate(noProbe, u))).to.match(/needs a probe set/);
    expect(await rejection(strategy.aggregate(noProbe, [u, u]))).to.match(/needs a probe set/);
  });

  it('validates its options, naming the field', () => {
    expect(() => new NeuronInterpolation({ method: 'avg' as 'hf' })).to.throw(/option method: /);
    expect(() => new NeuronInterpolation({ verifySamples: -1 })).to.throw(/option verifySamples: /);
    expect(() => new NeuronInterpolation({ fusion: { gradient: { epochs: 1.5 } } })).to.throw(/option fusion.gradient.epochs: /);
    expect(() => new NeuronInterpolation({ colour: 'red' } as object)).to.throw(/colour/);
    expect(() => new NeuronInterpolation({ heldOutFraction: 1 })).to.throw(/option heldOutFraction: /);
    expect(() => new NeuronInterpolation({ fusion: { ridge: 'big' as 'auto' } })).to.throw(/option fusion.ridge: /);
    expect(() => new NeuronInterpolation({ fitShifts: { pixels: 0 } })).to.throw(/option fitShifts.pixels: /);
    expect(() => new NeuronInterpolation({ serverStep: 0 })).to.throw(/option serverStep: /);
    expect(() => new NeuronInterpolation({ calibrateOutput: 'yes' as unknown as boolean })).to.throw(/option calibrateOutput: /);
    expect(() => new NeuronInterpolation({ fitShifts: { pixels: 1 }, activationsFrom: 'clients' })).to.throw(/fitShifts: needs activationsFrom 'server'/);
  });
});
