import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { FederatedClient, type LocalData } from '@fedfuse/client';
import { createStrategy } from '../../server/strategies/index.js';
import type { UpdateAcceptedEvent, UpdateRejectedEvent } from '../../server/federation-server.js';
import { disposeData, evaluateState, mnistSlice, quietServer, silent } from '../federation/helpers.js';

const TOKENS = { alice: 'alice-token-0001', bob: 'bob-token-0002', carol: 'carol-token-0003', dave: 'dave-token-0004' };
// The helpers' MLP 784-32-10 at width 0.25: 784-8-10.
const FULL_SHAPES = [[784, 32], [32], [32, 10], [10]];
const SMALL_SHAPES = [[784, 8], [8], [8, 10], [10]];
const SMALL_PARAMETERS = 784 * 8 + 8 + 8 * 10 + 10;
const shapesOf = (weights: readonly { shape: number[] }[]) => weights.map((w) => w.shape);

describe('tiers: a two-tier federation over real sockets (neuron interpolation)', function () {
  this.timeout(120_000);
  let data: LocalData[];
  let probe: LocalData;
  let test: LocalData;

  before(async () => {
    await initBackend();
    data = [await mnistSlice(0, 300), await mnistSlice(300, 300), await mnistSlice(600, 300), await mnistSlice(900, 100)];
    probe = await mnistSlice(30_000, 100);
    test = await mnistSlice(20_000, 500);
  });
  after(() => disposeData(...data, probe, test));

  it('each tier trains its own width, the global model keeps its widths; capacity picks the tier; wrong shapes and unfitting clients are refused', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const { server } = quietServer({
      rounds: 2,
      minClients: 3,
      minUpdates: 2,
      roundDeadlineMs: 6_000,
      tokens: TOKENS,
      strategy: await createStrategy('neuron-interpolation'),
      tiers: [
        { name: 'small', width: 0.25 },
        { name: 'full', width: 1 },
      ],
      probe: { x: { shape: [...probe.xs.shape], values: probe.xs.dataSync() as Float32Array }, y: probe.ys.dataSync() as Int32Array },
      evaluate: (state) => evaluateState(state, test),
    });
    const accepted: UpdateAcceptedEvent[] = [];
    const rejected: UpdateRejectedEvent[] = [];
    server.on('update-accepted', (e) => accepted.push(e));
    server.on('update-rejected', (e) => rejected.push(e));
    const { url } = await server.start();
    const client = (id: keyof typeof TOKENS, i: number, extra: Partial<ConstructorParameters<typeof FederatedClient>[0]>) =>
      new FederatedClient({ serverUrl: url, clientId: id, token: TOKENS[id], data: data[i], logger: silent, ...extra });
    const alice = client('alice', 0, { tier: 'full' });
    // An edge app that can train at most a little more than the small model: it gets the small tier.
    const bob = client('bob', 1, { maxParameters: SMALL_PARAMETERS + 100 });
    const carol = client('carol', 2, { maxParameters: 1000 });
    // A small-tier client that uploads one unit too many.
    const dave = client('dave', 3, {
      tier: 'small',
      transformUpdate: ({ weights }) => [{ ...weights[0], shape: [784, 9], values: new Float32Array(784 * 9) }, ...weights.slice(1)],
    });
    const clients = [alice, bob, carol, dave];
    try {
      const refused = await carol.start().then(() => undefined, (e: Error) => e);
      expect(refused?.message).to.match(/NO_FITTING_TIER: no tier fits max_parameters 1000: the tiers are small \(6370 parameters\), full \(25450 parameters\)/);
      await Promise.all([alice.start(), bob.start(), dave.start()]);
      expect(alice.tier).to.deep.equal({ name: 'full', parameters: 25450 });
      expect(bob.tier).to.deep.equal({ name: 'small', parameters: SMALL_PARAMETERS });
      expect(dave.tier?.name).to.equal('small');

      const history = await server.finished();
      // dave's update is refused every round, and every round goes on with the other two.
      expect(history.map((h) => h.participants)).to.deep.equal([['alice', 'bob'], ['alice', 'bob']]);
      const daves = rejected.filter((r) => r.clientId === 'dave');
      expect(daves.map((r) => r.round)).to.deep.equal([1, 2]);
      expect(daves[0].reason).to.match(/update does not fit tier small: weight 0: .*expected \[784, 8\]/);
      expect(rejected.filter((r) => r.clientId !== 'dave')).to.deep.equal([]);

      // Each tier's clients trained their tier's widths; the global model kept its own.
      for (const e of accepted) expect(shapesOf(e.update.weights), e.clientId).to.deep.equal(e.clientId === 'alice' ? FULL_SHAPES : SMALL_SHAPES);
      expect(accepted.map((e) => e.update.tier).sort()).to.deep.equal(['full', 'full', 'small', 'small']);
      expect(shapesOf(server.global.weights)).to.deep.equal(FULL_SHAPES);
      // Every round evaluates each tier's model and counts its clients' bytes.
      for (const h of history) {
        expect(Object.keys(h.tiers ?? {}).sort()).to.deep.equal(['full', 'small']);
        expect(h.tiers!.small).to.include({ participants: 1, parameters: SMALL_PARAMETERS });
        expect(h.tiers!.full).to.include({ participants: 1, parameters: 25450 });
        for (const t of Object.values(h.tiers!)) {
          expect(t.accuracy).to.be.within(0.1, 1);
          expect(t.bytesSent).to.be.greaterThan(0);
          expect(t.bytesReceived).to.be.greaterThan(0);
        }
        // The small tier's task carries the small model: fewer bytes than the full tier's.
        expect(h.tiers!.small.bytesSent).to.be.lessThan(h.tiers!.full.bytesSent);
      }
      expect(history[1].tiers!.full.accuracy).to.equal(history[1].accuracy);

      // Each client ends with its tier's model.
      const [aliceModel, bobModel] = await Promise.all([alice.finished(), bob.finished()]);
      expect(aliceModel.getWeights().map((w) => w.shape)).to.deep.equal(FULL_SHAPES);
      expect(bobModel.getWeights().map((w) => w.shape)).to.deep.equal(SMALL_SHAPES);
      expect(shapesOf(bob.finalState!.weights)).to.deep.equal(SMALL_SHAPES);
    } finally {
      await Promise.all(clients.map((c) => c.stop()));
      await server.stop();
      for (const c of clients) c.model?.dispose();
    }
    // Nothing the tiered rounds made (tier models, fusions, evaluations) stays behind.
    expect(tf.memory().numTensors).to.equal(tensorsBefore);
  });
});
