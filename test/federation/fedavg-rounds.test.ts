import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { FederatedClient, modelToState, type LocalData } from '@fedfuse/client';
import type { RoundSummary, UpdateAcceptedEvent } from '../../server/federation-server.js';
import { disposeData, evaluateState, mnistSlice, quietServer, silent, TOKENS } from './helpers.js';

/** Σ n_i·w_i / Σ n_i in float64, rounded to float32 like the server's result. */
function handAverage(updates: UpdateAcceptedEvent[]): Float32Array[] {
  const total = updates.reduce((s, u) => s + u.update.numExamples, 0);
  return updates[0].update.weights.map((_, t) => {
    const out = new Float64Array(updates[0].update.weights[t].values.length);
    for (const u of updates) {
      const c = u.update.numExamples / total;
      const v = u.update.weights[t].values;
      for (let i = 0; i < v.length; i++) out[i] += c * v[i];
    }
    return Float32Array.from(out);
  });
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('federation: FedAvg over real sockets on MNIST slices', function () {
  this.timeout(120_000);
  let alice: LocalData;
  let bob: LocalData;
  let test: LocalData;

  before(async () => {
    await initBackend();
    // Different sizes, so the example-count weighting matters.
    alice = await mnistSlice(0, 400);
    bob = await mnistSlice(400, 250);
    test = await mnistSlice(20_000, 1000);
  });
  after(() => disposeData(alice, bob, test));

  it('runs two rounds: model changes, accuracy above chance, FedAvg = weighted mean of the uploads, no tensor leak', async () => {
    const tensorsAtEvaluate: number[] = [];
    const { server } = quietServer({
      rounds: 2,
      // Default example weights: each update weighed as its client declared (plain FedAvg: 400 and 250 examples).
      evaluate: async (state) => {
        // Every client has uploaded and is idle while the server evaluates: a quiet point to count tensors.
        tensorsAtEvaluate.push(tf.memory().numTensors);
        return evaluateState(state, test);
      },
    });
    const initial: ModelState = server.global;
    const accepted: UpdateAcceptedEvent[] = [];
    const globals = new Map<number, ModelState>();
    const summaries: RoundSummary[] = [];
    server.on('update-accepted', (e) => accepted.push(e));
    server.on('round-finished', (s) => {
      summaries.push(s);
      globals.set(s.round, server.global);
    });
    const { url } = await server.start();

    const clients = [
      new FederatedClient({ serverUrl: url, clientId: 'alice', token: TOKENS.alice, data: alice, logger: silent }),
      new FederatedClient({ serverUrl: url, clientId: 'bob', token: TOKENS.bob, data: bob, logger: silent }),
    ];
    const uploadedRounds: number[] = [];
    clients[0].on('uploaded', (e) => uploadedRounds.push(e.round));
    try {
      await Promise.all(clients.map((c) => c.start()));
      const history = await server.finished();
      const finals = await Promise.all(clients.map(async (c) => modelToState(await c.finished())));

      expect(history.map((h) => h.round)).to.deep.equal([1, 2]);
      expect(summaries.map((s) => s.participants)).to.deep.equal([
        ['alice', 'bob'],
        ['alice', 'bob'],
      ]);
      expect(uploadedRounds).to.deep.equal([1, 2]);
      for (const s of summaries) {
        expect(s.stragglers).to.deep.equal([]);
        expect(s.rejected).to.deep.equal([]);
        expect(s.bytesReceived).to.be.greaterThan(2 * 4 * 25_000); // two float32 MLP uploads
        expect(s.bytesSent).to.be.greaterThan(4 * 4 * 25_000); // two tasks + two results
      }

      // FedAvg equals the hand-computed example-weighted average of exactly the uploads of each round.
      for (const round of [1, 2]) {
        const ups = accepted.filter((e) => e.round === round).sort((a, b) => a.clientId.localeCompare(b.clientId));
        expect(ups.map((u) => [u.clientId, u.update.numExamples])).to.deep.equal([
          ['alice', 400],
          ['bob', 250],
        ]);
        const expected = handAverage(ups);
        globals.get(round)!.weights.forEach((w, t) => expect(maxAbsDiff(w.values, expected[t])).to.be.below(1e-6));
      }

      // The model moved and learned; both clients ended with the server's final model.
      const changed = server.global.weights.some((w, t) => maxAbsDiff(w.values, initial.weights[t].values) > 1e-3);
      expect(changed).to.equal(true);
      expect(history[1].accuracy).to.be.greaterThan(0.3);
      for (const f of finals) {
        f.weights.forEach((w, t) => expect(maxAbsDiff(w.values, server.global.weights[t].values)).to.equal(0));
      }

      // Round 1 is the warm-up (models get built); across round 2 the tensor count must not grow.
      expect(tensorsAtEvaluate).to.have.length(2);
      expect(tensorsAtEvaluate[1]).to.equal(tensorsAtEvaluate[0]);
    } finally {
      await Promise.all(clients.map((c) => c.stop()));
      await server.stop();
      clients.forEach((c) => c.model?.dispose());
    }
  });
});
