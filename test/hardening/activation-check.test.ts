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
    importance: activations.map((a) => new Float32Array(a.shape[1]).fill(1)),
    metrics: {},
    labelHistogram: [],
  };
}

/** Sets every value of the given rows of every level to `value(row, i)`. */
function fakeRows(u: ClientUpdate, rows: readonly number[], value: (level: number, i: number) => number): ClientUpdate {
  const activations = u.activations.map((a, l) => {
    const values = Float32Array.from(a.values);
    const width = a.shape[1];
    for (const r of rows) for (let j = 0; j < width; j++) values[r * width + j] = value(l, r * width + j);
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
