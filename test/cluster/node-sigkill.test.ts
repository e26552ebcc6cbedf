// Cluster nodes as real processes, SIGKILLed mid-round: the leader (another node takes the lease and resumes the
// round from Redis: the update it had acked counts, nobody retrains) and a node that does not lead (its clients
// move to another node by themselves and finish).
import { expect } from 'chai';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { FederatedClient } from '@fedfuse/client';
import { disposeData, mnistSlice, TOKENS } from '../federation/helpers.js';
import { ChildScript } from '../faults/child-process.js';
import { clientOf, clusterSuite } from './helpers.js';

const NODE = 'test/cluster/fixtures/cluster-node.ts';
const SLOW_CLIENT = 'test/faults/fixtures/slow-client.ts';

interface Node {
  id: string;
  process: ChildScript;
  url: string;
}

async function startNodes(redisUrl: string, federation: string, ids: string[], rounds: number): Promise<Node[]> {
  const processes = ids.map((id) => new ChildScript(NODE, [redisUrl, id, federation, String(rounds), '2']));
  const urls = await Promise.all(processes.map((p) => p.line('listening')));
  return ids.map((id, i) => ({ id, process: processes[i], url: urls[i] }));
}

/** The node that leads now (waits until one says so). */
async function leaderOf(nodes: Node[], alive: (n: Node) => boolean = () => true): Promise<Node> {
  for (;;) {
    const leading = nodes.filter(alive).filter((n) => n.process.all('leader').length > n.process.all('follower').length);
    if (leading.length > 0) return leading[0];
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('cluster: nodes SIGKILLed mid-round', function () {
  this.timeout(120_000);
  const suite = clusterSuite([[0, 200]], 'fedfuse-cluster-kill-');

  it('the leader: another node leads within the lease, the update it acked counts, nobody retrains, every round finishes', async () => {
    const federation = 'leader-kill';
    const release = join(suite.dir, 'release-bob');
    const nodes = await startNodes(suite.redis.url, federation, ['n1', 'n2', 'n3'], 3);
    let a: FederatedClient | undefined;
    let bob: ChildScript | undefined;
    const seen: string[] = [];
    const inspect = new Redis(suite.redis.url);
    try {
      const leader = await leaderOf(nodes);
      const others = nodes.filter((n) => n !== leader);
      // alice is connected to the leader's node; bob (another process) to another node and stalls on round 2.
      a = clientOf('alice', [leader.url, ...others.map((n) => n.url)], suite.data[0]);
      a.on('trained', (e) => seen.push(`trained ${e.round}`));
      a.on('reconnected', () => seen.push('reconnected'));
      bob = new ChildScript(SLOW_CLIENT, [others.map((n) => n.url).join(','), 'bob', TOKENS.bob, '200', '200', '2', release]);
      await bob.line('joined');
      const aliceAcked2 = new Promise<void>((resolve) => a!.on('uploaded', (e) => e.round === 2 && resolve()));
      await a.start();
      await bob.line('task 2');
      await aliceAcked2;
      // The ack means Redis holds it (appendfsync always): SIGKILL the leader with bob's update still owed.
      expect(await inspect.hkeys(`fedfuse:${federation}:owners:2`)).to.deep.equal(['alice']);
      await leader.process.kill();
      const killedAt = Date.now();
      const next = await leaderOf(others);
      // "leader <fencing token> <round it resumed>": a newer token, and round 2 resumed rather than restarted.
      const [token, resumed] = next.process.all('leader').at(-1)!.split(' ').map(Number);
      expect(token).to.be.greaterThan(Number(leader.process.all('leader')[0].split(' ')[0]));
      expect(resumed).to.equal(2);
      console.log(`      (new leader ${next.id} ${Date.now() - killedAt} ms after the SIGKILL)`);
      await writeFile(release, 'go');

      const expected = [
        [1, ['alice', 'bob']],
        [2, ['alice', 'bob']],
        [3, ['alice', 'bob']],
      ];
      for (const n of others) expect(JSON.parse(await n.process.line('finished'))).to.deep.equal(expected);
      await a.finished();
      await bob.line('finished');
      // alice's round-2 update came from Redis: no node accepted it again, and she trained each round once.
      expect(others.flatMap((n) => n.process.all('accepted 2'))).to.deep.equal(['bob']);
      expect(seen.filter((s) => s.startsWith('trained'))).to.deep.equal(['trained 1', 'trained 2', 'trained 3']);
      expect(seen).to.include('reconnected');
      expect(bob.all('trained')).to.deep.equal(['1', '2', '3']);
    } finally {
      inspect.disconnect();
      await a?.stop();
      a?.model?.dispose();
      await Promise.all([...nodes.map((n) => n.process.kill()), bob?.kill()]);
    }
  });

  it('a node that does not lead: its client moves to another node, trains its round once and finishes', async () => {
    const federation = 'follower-kill';
    const nodes = await startNodes(suite.redis.url, federation, ['m1', 'm2'], 2);
    let a: FederatedClient | undefined;
    let b: FederatedClient | undefined;
    const bobData = await mnistSlice(200, 200);
    const seen: string[] = [];
    try {
      const leader = await leaderOf(nodes);
      const follower = nodes.find((n) => n !== leader)!;
      a = clientOf('alice', [follower.url, leader.url], suite.data[0]);
      b = clientOf('bob', [leader.url, follower.url], bobData);
      a.on('trained', (e) => seen.push(`trained ${e.round}`));
      a.on('reconnected', () => seen.push('reconnected'));
      // SIGKILL alice's node as soon as her round-1 task arrives: her upload has nowhere to go until she moves.
      const killed = new Promise<void>((resolve) => a!.once('task', () => void follower.process.kill().then(resolve)));
      await Promise.all([a.start(), b.start()]);
      await killed;
      expect(JSON.parse(await leader.process.line('finished'))).to.deep.equal([
        [1, ['alice', 'bob']],
        [2, ['alice', 'bob']],
      ]);
      await Promise.all([a.finished(), b.finished()]);
      expect(seen.filter((s) => s.startsWith('trained'))).to.deep.equal(['trained 1', 'trained 2']);
      expect(seen).to.include('reconnected');
      expect(leader.process.all('accepted 1')).to.include('alice');
    } finally {
      await Promise.all([a?.stop(), b?.stop()]);
      a?.model?.dispose();
      b?.model?.dispose();
      disposeData(bobData);
      await Promise.all(nodes.map((n) => n.process.kill()));
    }
  });
});
