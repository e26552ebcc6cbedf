// Issue 11, item 6 (neuron interpolation with activationsFrom: 'clients'): the check of uploaded activations cannot
// be beaten by resending. A failed check costs the client the round, the next check of that client looks at more
// probe rows, uploaded values are bounded by what its weights produce, and rows that are statistical outliers among
// the upload's own rows are refused whether or not they were sampled.
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import '@fedfuse/client/internal/proto/protobuf-runtime.js';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { collectPreActivations } from '@fedfuse/client/internal/model/levels.js';
import { modelToState, stateToModel, type ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { readWeights } from '@fedfuse/client/internal/model/weights.js';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { modelStateToPayload, payloadToModelState } from '@fedfuse/client/internal/proto/model-payload.js';
import { encodeFloatTensor, decodeFloatTensor } from '@fedfuse/client/internal/proto/tensor-codec.js';
import { buildModel } from '../../common/model/model-spec.js';
import { NeuronInterpolation } from '../../server/strategies/neuron-interpolation.js';
import type { ClientUpdate, PlainTensor, RoundContext } from '../../server/strategies/strategy.js';
import { quietServer } from '../federation/helpers.js';
import { JoinedPeers } from './joined-peers.js';
import { within } from '../fuzz/frame-link.js';
import { randomInputs } from '../fusion/helpers.js';
import { largestOutlier, OUTLIER_SPREADS } from '../../server/strategies/activation-screen.js';
import { loadScenario } from '../../scenarios/load-scenario.js';
import { loadFashionMnist } from '../../scenarios/data/fashion-mnist.js';
import { toTensors } from '../../scenarios/data/dataset.js';
import { trainLocally } from '@fedfuse/client/internal/training/local-training.js';

const SPEC = { kind: 'mlp' as const, widths: [12, 16, 8, 3], activation: 'relu' as const };
const PROBE = 64;
const FAKED_ROWS = [5, 30, 51];

function activationsOf(model: tf.LayersModel, x: tf.Tensor): PlainTensor[] {
  const acts = collectPreActivations(model, x);
  const out = acts.map((a) => ({ shape: [...a.shape], values: Float32Array.from(a.dataSync()) }));
  tf.dispose(acts);
  return out;
}

function update(model: tf.LayersModel, x: tf.Tensor, clientId: string): ClientUpdate {
  const activations = activationsOf(model, x);
  return {
    clientId,
    round: 1,
    weights: readWeights(model),
    numExamples: 10,
    activations,
    importance: activations.map((a) => new Float32Array(a.shape[a.shape.length - 1]).fill(1)),
    metrics: {},
    labelHistogram: [],
  };
}

/** Sets every value of the given rows of every level to `value(level, i)`. */
function fakeRows(u: ClientUpdate, rows: readonly number[], value: (level: number, i: number) => number): ClientUpdate {
  const activations = u.activations.map((a, l) => {
    const values = Float32Array.from(a.values);
    // A row is every value of one probe input: its neurons (dense), or its positions × channels (conv).
    const rowSize = a.values.length / a.shape[0];
    for (const r of rows) for (let j = 0; j < rowSize; j++) values[r * rowSize + j] = value(l, r * rowSize + j);
    return { ...a, values };
  });
  return { ...u, activations };
}

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'accepted';
  } catch (e) {
    return (e as Error).message;
  }
}

describe('hardening: the activation check cannot be beaten by resending (issue 11, item 6)', function () {
  this.timeout(60_000);
  let model: tf.LayersModel;
  let probe: tf.Tensor;
  let ctx: RoundContext;

  before(async () => {
    await initBackend();
    const global = buildModel(SPEC, 1);
    probe = randomInputs([PROBE, 12], 3);
    ctx = { round: 1, global: modelToState(global), probe: { x: { shape: [PROBE, 12], values: Float32Array.from(probe.dataSync()) } }, seed: 7 };
    global.dispose();
    model = buildModel(SPEC, 2);
  });
  after(() => {
    model.dispose();
    probe.dispose();
  });

  it('3 of 64 rows set to ±3e38: refused on every one of 10 tries (fresh strategies: no memory of earlier tries)', async () => {
    for (let i = 0; i < 10; i++) {
      const forged = fakeRows(update(model, probe, 'mallory'), FAKED_ROWS, (_, k) => (k % 2 ? 3e38 : -3e38));
      const message = await outcome(new NeuronInterpolation({ activationsFrom: 'clients', verifySamples: 16 }).validateUpdate(ctx, forged));
      expect(message, `try ${i + 1}`).to.match(/client mallory: (uploaded activations at level \d+, probe row (5|30|51)|uploaded activations do not match)/);
    }
  });

  it('3 of 64 rows shifted far from the others (plausible magnitude, 1 row sampled): refused by the statistical screen on every one of 10 tries', async () => {
    const honest = update(model, probe, 'mallory');
    for (let i = 0; i < 10; i++) {
      const forged = fakeRows(honest, FAKED_ROWS, (l, k) => honest.activations[l].values[k] + 40 * (1 + Math.abs(honest.activations[l].values[k])));
      const message = await outcome(new NeuronInterpolation({ activationsFrom: 'clients', verifySamples: 1 }).validateUpdate(ctx, forged));
      expect(message, `try ${i + 1}`).to.match(/client mallory: uploaded activations at level \d+, probe row (5|30|51)/);
    }
    // Honest uploads pass the screen.
    expect(await outcome(new NeuronInterpolation({ activationsFrom: 'clients', verifySamples: 1 }).validateUpdate(ctx, honest))).to.equal('accepted');
  });

  it('after a failed check the same client is checked on twice as many rows', async () => {
    const strategy = new NeuronInterpolation({ activationsFrom: 'clients', verifySamples: 16 });
    const scaled = (clientId: string) => {
      const u = update(model, probe, clientId);
      for (let r = 0; r < PROBE; r++) u.activations[1].values[r * 8 + 3] *= 1.1; // one neuron off by 10% everywhere
      return u;
    };
    expect(await outcome(strategy.validateUpdate(ctx, scaled('mallory')))).to.match(/on 16 sampled probe inputs/);
    expect(await outcome(strategy.validateUpdate(ctx, scaled('mallory')))).to.match(/on 32 sampled probe inputs/);
    expect(await outcome(strategy.validateUpdate(ctx, scaled('mallory')))).to.match(/on 64 sampled probe inputs/);
    expect(await outcome(strategy.validateUpdate(ctx, scaled('eve')))).to.match(/on 16 sampled probe inputs/);
  });

  it('a failed check costs the client the round: its honest resend is refused, the round goes on without it', async () => {
    const { server } = quietServer({
      rounds: 1,
      initialModel: ctx.global,
      strategy: new NeuronInterpolation({ activationsFrom: 'clients' }),
      probe: ctx.probe,
      roundDeadlineMs: 3000,
      minUpdates: 1,
    });
    const joined = new JoinedPeers();
    try {
      const { url } = await server.start();
      const peers = [await joined.join(url, 'alice'), await joined.join(url, 'bob')];
      const tasks = new Map<string, fedfuse.v1.ITrainTask>();
      for (const [i, id] of (['alice', 'bob'] as const).entries()) tasks.set(id, (await within(peers[i].nextOf('trainTask'), 'task')).trainTask!);
      const wire = async (id: string, forge: boolean): Promise<fedfuse.v1.IClientUpdate> => {
        const task = tasks.get(id)!;
        const global = payloadToModelState(task.globalModel!);
        const m = await stateToModel(global);
        const x = decodeFloatTensor(task.probeInputs!);
        const xt = tf.tensor(x.values, x.shape);
        let u = update(m, xt, id);
        if (forge) u = fakeRows(u, FAKED_ROWS, (_, k) => (k % 2 ? 3e38 : -3e38));
        m.dispose();
        xt.dispose();
        return {
          round: 1,
          clientId: id,
          numExamples: 10,
          weights: modelStateToPayload(global).weights,
          activations: u.activations.map((a, l) => encodeFloatTensor(`level_${l}`, a.shape, a.values)),
          importance: u.importance.map((s, l) => encodeFloatTensor(`importance_${l}`, [s.length], s)),
        };
      };
      const [alice, bob] = peers;
      bob.channel.send({ clientUpdate: await wire('bob', true) });
      await bob.expectError('REJECTED_UPDATE', /client bob: uploaded activations/);
      bob.channel.send({ clientUpdate: await wire('bob', false) });
      await bob.expectError('REJECTED_UPDATE', /client bob failed the check of its update in round 1; it may send again in the next round/);
      alice.channel.send({ clientUpdate: await wire('alice', false) });
      expect((await within(alice.nextOf('updateAck', 'error'), 'alice is acked')).body).to.equal('updateAck');
      const [summary] = await within(server.finished(), 'the round completes at the deadline');
      expect(summary.participants).to.deep.equal(['alice']);
      expect(summary.rejected.map((r) => [r.code, r.count])).to.deep.equal([['REJECTED_UPDATE', 2]]);
    } finally {
      joined.closeAll();
      await server.stop();
    }
  });
});

// Issue 23, item 4: the screen calibrated on conv levels. The CNN scenario's net (bench/matrix/fashion-cnn-4.yaml:
// conv 6 → conv 12 → max-pool → dense 10), trained one epoch on real Fashion-MNIST images, uploads activations of
// shape [probe, 26, 26, 6] and [probe, 24, 24, 12]: a channel is the neuron there (bench/activation-screen-
// calibration.ts measures the scenario itself: honest conv uploads at most 42 spreads out, the threshold 100).
describe('hardening: the activation screen on Conv2D levels (issue 23, item 4)', function () {
  this.timeout(120_000);
  let model: tf.LayersModel;
  let probe: tf.Tensor;
  let ctx: RoundContext;

  before(async () => {
    await initBackend();
    const scenario = await loadScenario('bench/matrix/fashion-cnn-4.yaml');
    const global = buildModel(scenario.model, scenario.seed);
    const train = toTensors(await loadFashionMnist({ split: 'train', limit: 300 }), 'image');
    const held = await loadFashionMnist({ split: 'train', offset: 9000, limit: PROBE });
    probe = toTensors(held, 'image').xs;
    ctx = { round: 1, global: modelToState(global), probe: { x: { shape: [...probe.shape], values: Float32Array.from(probe.dataSync()) } }, seed: 7 };
    global.dispose();
    model = await stateToModel(ctx.global);
    await trainLocally(model, { xs: train.xs, ys: train.ys, numClasses: 10 }, { localEpochs: 1, batchSize: 32, learningRate: 0.05, optimizer: 'sgd', proximalMu: 0, seed: 1 });
    tf.dispose([train.xs, train.ys]);
  });
  after(() => {
    model.dispose();
    probe.dispose();
  });

  it('an honest CNN upload passes: every level within the threshold, conv levels screened per channel', async () => {
    const honest = update(model, probe, 'alice');
    expect(honest.activations.map((a) => a.shape)).to.deep.equal([
      [PROBE, 26, 26, 6],
      [PROBE, 24, 24, 12],
      [PROBE, 10],
    ]);
    const distances = honest.activations.map((a) => largestOutlier(a).distance);
    console.log(`      (honest CNN upload: largest distance per level ${distances.map((d) => d.toFixed(1)).join(' / ')} robust spreads; threshold ${OUTLIER_SPREADS})`);
    for (const d of distances) expect(d).to.be.below(OUTLIER_SPREADS);
    expect(await outcome(new NeuronInterpolation({ activationsFrom: 'clients', verifySamples: 4 }).validateUpdate(ctx, honest))).to.equal('accepted');
  });

  it('3 rows of a conv level shifted far (1 row sampled), or set to ±3e38: refused, naming the level, row, position and channel', async () => {
    const honest = update(model, probe, 'mallory');
    const shifted = fakeRows(honest, FAKED_ROWS, (l, k) => honest.activations[l].values[k] + 40 * (1 + Math.abs(honest.activations[l].values[k])));
    const onlyConv = { ...honest, activations: [shifted.activations[0], ...honest.activations.slice(1)] };
    const refusal = await outcome(new NeuronInterpolation({ activationsFrom: 'clients', verifySamples: 1 }).validateUpdate(ctx, onlyConv));
    expect(refusal, refusal).to.match(
      /client mallory: uploaded activations at level 0, probe row (5|30|51), position \d+, channel \d: .* robust spreads from its channel's median/,
    );
    const huge = fakeRows(honest, FAKED_ROWS, (_, k) => (k % 2 ? 3e38 : -3e38));
    expect(await outcome(new NeuronInterpolation({ activationsFrom: 'clients', verifySamples: 1 }).validateUpdate(ctx, huge))).to.match(/client mallory: uploaded activations at level 0, probe row (5|30|51)/);
  });
});
