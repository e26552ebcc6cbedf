// Hierarchical aggregation with neuron interpolation on a real cluster: each node fuses the updates it accepted and
// the leader fuses the node models, weighted by their clients' examples. The result must be exactly that two-stage
// fusion, recomputed here from the accepted updates with the same strategy.
import { expect } from 'chai';
import { createStrategy } from '../../server/strategies/index.js';
import type { RoundSummary, UpdateAcceptedEvent } from '../../server/federation-server.js';
import type { ClusterEvent } from '../../server/cluster/cluster-host.js';
import type { ClientUpdate, ProbeSet } from '../../server/strategies/strategy.js';
import { partialAsUpdate, fusedPartial } from '../../server/aggregation/partial-aggregation.js';
import { clientOf, clusterNode, clusterSuite, maxAbsDiff } from './helpers.js';

describe('cluster: hierarchical neuron interpolation (per-node fusion, then the node models fused)', function () {
  this.timeout(120_000);
  // alice, bob, carol, then the probe set.
  const suite = clusterSuite([[0, 300], [300, 200], [500, 250], [30_000, 100]]);

  it('the global model is the fusion of n1\'s fused alice+carol with n2\'s bob, weighted 550 : 200', async () => {
    const probeData = suite.data[3];
    const probe: ProbeSet = { x: { shape: [...probeData.xs.shape], values: probeData.xs.dataSync() as Float32Array }, y: probeData.ys.dataSync() as Int32Array };
    const nodes = await Promise.all(
      ['n1', 'n2'].map(async (id) => clusterNode(suite.redis.url, id, { rounds: 1, strategy: await createStrategy('neuron-interpolation'), probe, defence: { norm: false } }, { federation: 'ni', aggregation: 'hierarchical' }).server),
    );
    const accepted: UpdateAcceptedEvent[] = [];
    const events: ClusterEvent[] = [];
    const initial = nodes[0].global;
    for (const n of nodes) {
      n.on('update-accepted', (e) => accepted.push(e));
      n.on('cluster', (e) => events.push(e));
    }
    const urls: string[] = [];
    for (const n of nodes) urls.push((await n.start()).url);
    // alice and carol on n1, bob on n2.
    const clients = [clientOf('alice', urls, suite.data[0]), clientOf('bob', [urls[1], urls[0]], suite.data[1]), clientOf('carol', urls, suite.data[2])];
    let histories: RoundSummary[][];
    try {
      await Promise.all(clients.map((c) => c.start()));
      histories = await Promise.all(nodes.map((n) => n.finished()));
      await Promise.all(clients.map((c) => c.finished()));
    } finally {
      await Promise.all(clients.map((c) => c.stop()));
      clients.forEach((c) => c.model?.dispose());
    }
    try {
      for (const h of histories) {
        expect(h[0].participants).to.deep.equal(['alice', 'bob', 'carol']);
        expect(h[0].fusion?.path).to.be.oneOf(['fused', 'fallback']);
      }
      const aggregated = events.find((e): e is Extract<ClusterEvent, { type: 'aggregated' }> => e.type === 'aggregated')!;
      expect([aggregated.mode, aggregated.updatesRead, aggregated.partialsRead]).to.deep.equal(['hierarchical', 0, 1]);

      // The same two stages by hand, with a fresh strategy (same seed, probe and global model).
      const byId = new Map(accepted.map((e) => [e.clientId, e.update]));
      const strategy = await createStrategy('neuron-interpolation');
      const ctx = { round: 1, global: initial, probe, seed: 0 };
      const stage = async (nodeId: string, updates: ClientUpdate[]) => {
        const { model } = await strategy.aggregate(ctx, updates);
        const p = fusedPartial(nodeId, updates, model.weights);
        return partialAsUpdate(p, 1, model.weights);
      };
      const n1 = await stage('n1', [byId.get('alice')!, byId.get('carol')!]);
      const n2 = await stage('n2', [byId.get('bob')!]);
      expect([n1.numExamples, n2.numExamples]).to.deep.equal([550, 200]);
      const { model: expected } = await strategy.aggregate(ctx, [n1, n2]);
      for (const n of nodes) {
        n.global.weights.forEach((w, t) => expect(maxAbsDiff(w.values, expected.weights[t].values)).to.be.at.most(1e-6));
      }
      // And not the flat fusion of the three updates.
      const { model: flat } = await strategy.aggregate(ctx, [byId.get('alice')!, byId.get('bob')!, byId.get('carol')!]);
      expect(Math.max(...flat.weights.map((w, t) => maxAbsDiff(w.values, expected.weights[t].values)))).to.be.greaterThan(1e-4);
    } finally {
      await Promise.all(nodes.map((n) => n.stop()));
    }
  });
});
