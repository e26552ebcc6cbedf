// Cluster mode against one process: the same clients, seed and FedAvg over 3 nodes (clients spread over them)
// must end with the model one node ends with — exactly with flat aggregation, to float rounding with hierarchical.
import { expect } from 'chai';
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import type { FederationServer, RoundSummary } from '../../server/federation-server.js';
import type { ClusterEvent } from '../../server/cluster/cluster-host.js';
import { quietServer } from '../federation/helpers.js';
import { clientOf, clusterNode, clusterSuite, maxAbsDiff } from './helpers.js';

const ROUNDS = 2;
const IDS = ['alice', 'bob', 'carol'] as const;

describe('cluster: 3 nodes over Redis end with the same model as one node (FedAvg, same seed)', function () {
  this.timeout(120_000);
  // Different sizes, so the example weighting matters.
  const suite = clusterSuite([[0, 300], [300, 200], [500, 120]]);

  async function federate(servers: FederationServer[], urlsOf: (urls: string[], i: number) => string | string[]) {
    const urls: string[] = [];
    for (const s of servers) urls.push((await s.start()).url);
    const clients = IDS.map((id, i) => clientOf(id, urlsOf(urls, i), suite.data[i]));
    try {
      await Promise.all(clients.map((c) => c.start()));
      const histories = await Promise.all(servers.map((s) => s.finished()));
      await Promise.all(clients.map((c) => c.finished()));
      // What the dashboard shows of a cluster: every node, alive, one of them leading (read with the heartbeats).
      const deadline = Date.now() + 10_000;
      const shown = () => servers[0].clusterNodes.filter((n) => n.alive).length === servers.length && servers[0].clusterNodes.some((n) => n.leader);
      while (servers.length > 1 && !shown() && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      const nodes = servers[0].clusterNodes.map((n) => [n.nodeId, n.alive, n.leader]);
      return { histories, finals: clients.map((c) => c.finalState!), global: servers[0].global, nodes };
    } finally {
      await Promise.all(clients.map((c) => c.stop()));
      await Promise.all(servers.map((s) => s.stop()));
      clients.forEach((c) => c.model?.dispose());
    }
  }

  let single: { histories: RoundSummary[][]; finals: ModelState[]; global: ModelState; nodes: unknown[] };
  before(async () => {
    single = await federate([quietServer({ rounds: ROUNDS, minClients: 3 }).server], (urls) => urls[0]);
  });

  for (const aggregation of ['flat', 'hierarchical'] as const) {
    it(`${aggregation} aggregation: every round has all clients; the final model equals one node's${aggregation === 'flat' ? ' bit for bit' : ' to 1e-6'}`, async () => {
      const federation = `same-model-${aggregation}`;
      const events: ClusterEvent[] = [];
      // The default distance screen needs every update at the leader: hierarchical aggregation runs with it off.
      const defence = aggregation === 'hierarchical' ? { defence: { norm: false as const } } : {};
      const nodes = ['n1', 'n2', 'n3'].map((id) => clusterNode(suite.redis.url, id, { rounds: ROUNDS, ...defence }, { federation, aggregation }).server);
      for (const n of nodes) n.on('cluster', (e) => events.push(e));
      // Client i connects to node i (its list starts there).
      const cluster = await federate(nodes, (urls, i) => [...urls.slice(i), ...urls.slice(0, i)]);

      for (const h of [...cluster.histories, ...single.histories]) {
        expect(h.map((s) => [s.round, s.participants])).to.deep.equal([
          [1, ['alice', 'bob', 'carol']],
          [2, ['alice', 'bob', 'carol']],
        ]);
      }
      const leaders = events.filter((e) => e.type === 'leader');
      expect(leaders).to.have.length(1);
      const leaderId = (leaders[0] as Extract<ClusterEvent, { type: 'leader' }>).nodeId;
      expect(cluster.nodes).to.deep.equal(['n1', 'n2', 'n3'].map((id) => [id, true, id === leaderId]));
      expect(single.nodes).to.deep.equal([]);
      const aggregated = events.filter((e): e is Extract<ClusterEvent, { type: 'aggregated' }> => e.type === 'aggregated');
      expect(aggregated.map((e) => [e.round, e.mode])).to.deep.equal([
        [1, aggregation],
        [2, aggregation],
      ]);
      if (aggregation === 'flat') {
        expect(aggregated.map((e) => e.updatesRead)).to.deep.equal([3, 3]);
      } else {
        // One pre-aggregate per node: the leader computes its own, reads the other two.
        expect(aggregated.map((e) => [e.updatesRead, e.partialsRead, e.computedForNodes])).to.deep.equal([
          [0, 2, []],
          [0, 2, []],
        ]);
      }
      const tolerance = aggregation === 'flat' ? 0 : 1e-6;
      for (const state of [cluster.global, ...cluster.finals]) {
        state.weights.forEach((w, t) => expect(maxAbsDiff(w.values, single.global.weights[t].values)).to.be.at.most(tolerance));
      }
    });
  }
});
