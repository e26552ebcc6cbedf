import { expect } from 'chai';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { FederatedClient, type LocalData } from '@fedfuse/client';
import { createStrategy } from '../../server/strategies/index.js';
import type { UpdateAcceptedEvent } from '../../server/federation-server.js';
import { disposeData, evaluateState, mnistSlice, quietServer, silent, TOKENS, TRAINING } from './helpers.js';

describe('federation: neuron interpolation with activation and importance uploads (float16)', function () {
  this.timeout(120_000);
  let data: LocalData[];
  let probe: LocalData;
  let test: LocalData;

  before(async () => {
    await initBackend();
    data = [await mnistSlice(0, 300), await mnistSlice(300, 300)];
    probe = await mnistSlice(30_000, 100);
    test = await mnistSlice(20_000, 1000);
  });
  after(() => disposeData(...data, probe, test));

  it('clients upload per-level pre-activations and conductance importance; the server validates and fuses them', async () => {
    const { server } = quietServer({
      rounds: 2,
      strategy: await createStrategy('neuron-interpolation', { importanceMethod: 'conductance', activationsFrom: 'clients' }),
      training: { ...TRAINING, halfPrecision: true },
      probe: {
        x: { shape: [...probe.xs.shape], values: probe.xs.dataSync() as Float32Array },
        y: probe.ys.dataSync() as Int32Array,
      },
      evaluate: (state) => evaluateState(state, test),
    });
    const accepted: UpdateAcceptedEvent[] = [];
    const rejected: string[] = [];
    server.on('update-accepted', (e) => accepted.push(e));
    server.on('update-rejected', (e) => rejected.push(e.reason));
    const { url } = await server.start();
    const ids = ['alice', 'bob'] as const;
    const clients = ids.map(
      (id, i) => new FederatedClient({ serverUrl: url, clientId: id, token: TOKENS[id], data: data[i], logger: silent }),
    );
    try {
      await Promise.all(clients.map((c) => c.start()));
      const history = await server.finished();
      expect(rejected).to.deep.equal([]);
      expect(history.map((h) => h.participants)).to.deep.equal([
        ['alice', 'bob'],
        ['alice', 'bob'],
      ]);
      expect(accepted).to.have.length(4);
      for (const e of accepted) {
        expect(e.update.activations.map((a) => a.shape)).to.deep.equal([
          [100, 32],
          [100, 10],
        ]);
        expect(e.update.importance.map((s) => s.length)).to.deep.equal([32, 10]);
        // Non-negative everywhere; a neuron dead on every probe input may score 0 (the SDK's 1e-8 floor underflows
        // float16), but no level is all zero.
        expect(e.update.importance.every((s) => s.every((v) => v >= 0) && s.some((v) => v > 0))).to.equal(true);
      }
      expect(history[1].accuracy).to.be.greaterThan(0.3);
      // The probe set (100 × 784 float32) went to each client with its first task only.
      const probeBytes = 100 * 784 * 4;
      expect(history[0].bytesSent - history[1].bytesSent).to.be.greaterThan(2 * probeBytes);
    } finally {
      await Promise.all(clients.map((c) => c.stop()));
      await server.stop();
      clients.forEach((c) => c.model?.dispose());
    }
  });

  it('by default clients send weights only (no probe, no activations), and every round says how the fusion went', async () => {
    const { server } = quietServer({
      rounds: 2,
      strategy: await createStrategy('neuron-interpolation'),
      training: TRAINING,
      probe: {
        x: { shape: [...probe.xs.shape], values: probe.xs.dataSync() as Float32Array },
        y: probe.ys.dataSync() as Int32Array,
      },
      evaluate: (state) => evaluateState(state, test),
    });
    const accepted: UpdateAcceptedEvent[] = [];
    server.on('update-accepted', (e) => accepted.push(e));
    const { url } = await server.start();
    const ids = ['alice', 'bob'] as const;
    const clients = ids.map(
      (id, i) => new FederatedClient({ serverUrl: url, clientId: id, token: TOKENS[id], data: data[i], logger: silent }),
    );
    try {
      await Promise.all(clients.map((c) => c.start()));
      const history = await server.finished();
      expect(accepted).to.have.length(4);
      for (const e of accepted) expect([e.update.activations, e.update.importance]).to.deep.equal([[], []]);
      // What a round sends is the model (and its result) only: well under the 100-input probe set's 314 KB.
      for (const h of history) {
        expect(h.fusion).to.have.property('path').that.is.oneOf(['fused', 'fallback']);
        expect(h.fusion!.checkRows).to.equal(20);
        expect(h.bytesSent).to.be.lessThan(4 * 110_000);
      }
      expect(history[1].accuracy).to.be.greaterThan(0.3);
    } finally {
      await Promise.all(clients.map((c) => c.stop()));
      await server.stop();
      clients.forEach((c) => c.model?.dispose());
    }
  });
});
