// Redis itself SIGKILLed and restarted mid-round on its own directory: with AOF and an fsync per write, every update
// a node acknowledged is still there after the restart, the nodes reconnect by themselves, and every round finishes;
// meanwhile each node's /healthz says it cannot take updates.
import { expect } from 'chai';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { FederatedClient } from '@fedfuse/client';
import type { FederationServer } from '../../server/federation-server.js';
import { TOKENS } from '../federation/helpers.js';
import { ChildScript } from '../faults/child-process.js';
import { clientOf, clusterNode, clusterSuite } from './helpers.js';

const SLOW_CLIENT = 'test/faults/fixtures/slow-client.ts';

describe('cluster: Redis restarted mid-round (AOF, fsync always)', function () {
  this.timeout(120_000);
  const suite = clusterSuite([[0, 200]], 'fedfuse-redis-restart-');

  it('keeps the update acknowledged before the kill; nodes reconnect; every round finishes without retraining', async () => {
    const release = join(suite.dir, 'release-bob');
    const nodes: FederationServer[] = ['r1', 'r2'].map((id) => clusterNode(suite.redis.url, id, { rounds: 3, minClients: 2 }, { federation: 'restart' }).server);
    let a: FederatedClient | undefined;
    let bob: ChildScript | undefined;
    const trained: number[] = [];
    const logs: string[] = [];
    for (const n of nodes) n.on('log', (l) => logs.push(l));
    try {
      const urls: string[] = [];
      for (const n of nodes) urls.push((await n.start()).url);
      a = clientOf('alice', urls, suite.data[0]);
      a.on('trained', (e) => trained.push(e.round));
      bob = new ChildScript(SLOW_CLIENT, [[...urls].reverse().join(','), 'bob', TOKENS.bob, '200', '200', '2', release]);
      await bob.line('joined');
      const aliceAcked2 = new Promise<void>((resolve) => a!.on('uploaded', (e) => e.round === 2 && resolve()));
      await a.start();
      await bob.line('task 2');
      await aliceAcked2;
      // A load balancer's health check follows Redis: 503 while a node cannot record updates, 200 again after.
      const health = async () => {
        const res = await fetch(`${urls[0]}/healthz`);
        return [res.status, ((await res.json()) as { ok: boolean; node: string }).node];
      };
      expect(await health()).to.deep.equal([200, 'r1']);
      await suite.redis.kill();
      while ((await health())[0] !== 503) await new Promise((r) => setTimeout(r, 50));
      await suite.redis.restart();
      while ((await health())[0] !== 200) await new Promise((r) => setTimeout(r, 50));
      const inspect = new Redis(suite.redis.url);
      try {
        expect(await inspect.hkeys('fedfuse:restart:owners:2')).to.deep.equal(['alice']);
      } finally {
        inspect.disconnect();
      }
      await writeFile(release, 'go');
      const histories = await Promise.all(nodes.map((n) => n.finished()));
      for (const h of histories) {
        expect(h.map((s) => [s.round, s.participants])).to.deep.equal([
          [1, ['alice', 'bob']],
          [2, ['alice', 'bob']],
          [3, ['alice', 'bob']],
        ]);
      }
      await a.finished();
      await bob.line('finished');
      expect(trained).to.deep.equal([1, 2, 3]);
      expect(bob.all('trained')).to.deep.equal(['1', '2', '3']);
      expect(logs.some((l) => l.includes('unreachable'))).to.equal(true);
      expect(logs.some((l) => l.includes('reachable again'))).to.equal(true);
    } finally {
      await a?.stop();
      a?.model?.dispose();
      await bob?.kill();
      await Promise.all(nodes.map((n) => n.stop()));
    }
  });
});
