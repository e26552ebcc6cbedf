// Redis itself fails over (issue 23, item 1): a primary, a replica and 3 sentinels (real redis-server and
// redis-sentinel processes), 2 node processes that find the primary through the sentinels. The primary is SIGKILLed
// right after a client's update was acked mid-round. The ack waited until the replica had the update, so after
// Sentinel promotes the replica the update is still there and counts; the nodes follow the new primary by themselves;
// meanwhile a client whose ack waits is told so, and a client that joins is told to retry; the rounds finish and
// nobody trains a round twice or sees an error.
import { expect } from 'chai';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FederatedClient } from '@fedfuse/client';
import { disposeData, mnistSlice, TOKENS } from '../federation/helpers.js';
import { ChildScript } from '../faults/child-process.js';
import { clientOf, ClusterSuite } from './helpers.js';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { MASTER_NAME, requireRedisSentinel, SentinelGroup } from './sentinel-group.js';

const NODE = 'test/cluster/fixtures/cluster-node.ts';
// bob stalls again before his round-3 upload until carol has joined: without that, rounds 3.. were over ~0.5 s after
// the promotion, before carol's Join (retried ~1 s after her deferral) came back, and her start() never resolved.
// Round 4 then has all three.
const ROUNDS = 4;
const SLOW_CLIENT = 'test/faults/fixtures/slow-client.ts';

describe('cluster: Redis Sentinel promotes the replica mid-round (primary SIGKILLed after an ack)', function () {
  this.timeout(150_000);
  let group: SentinelGroup;
  const suite = new ClusterSuite();
  // Run by after() as well as by the test's finally: a test that times out never reaches its finally, and clients or
  // node processes left running would reconnect into later test files' servers.
  let cleanup: (() => Promise<void>) | undefined;

  before(async function () {
    requireRedisSentinel(this);
    await initBackend();
    group = await SentinelGroup.start({ replicas: 1, sentinels: 3, downAfterMs: 2000, failoverTimeoutMs: 5000 });
    suite.dir = await mkdtemp(join(tmpdir(), 'fedfuse-sentinel-test-'));
    suite.data.push(await mnistSlice(0, 200), await mnistSlice(400, 200));
  });
  after(async () => {
    await cleanup?.();
    disposeData(...suite.data);
    await group?.stop();
    if (suite.dir) await rm(suite.dir, { recursive: true, force: true });
  });

  it('the acked update survives on the promoted replica and counts; clients see a delay, not an error', async () => {
    const federation = 'failover';
    const release = join(suite.dir, 'release-bob');
    const target = `sentinel:${MASTER_NAME}@${group.sentinelAddresses.join(',')}`;
    const nodes = ['f1', 'f2'].map((id) => new ChildScript(NODE, [target, id, federation, String(ROUNDS), '2']));
    let alice: FederatedClient | undefined;
    let carol: FederatedClient | undefined;
    let bob: ChildScript | undefined;
    const aliceSeen: string[] = [];
    const carolSeen: string[] = [];
    cleanup = async () => {
      cleanup = undefined;
      await Promise.all([alice?.stop(), carol?.stop()]);
      alice?.model?.dispose();
      carol?.model?.dispose();
      await Promise.all([...nodes.map((n) => n.kill()), bob?.kill()]);
    };
    try {
      const urls = await Promise.all(nodes.map((n) => n.line('listening')));
      alice = clientOf('alice', urls, suite.data[0]);
      alice.on('trained', (e) => aliceSeen.push(`trained ${e.round}`));
      alice.on('error', (e) => aliceSeen.push(`error ${e.code} ${e.round} ${e.message}`));
      // bob (a process) stalls in rounds 2 and 3 after training: his upload leaves the moment he is released.
      bob = new ChildScript(SLOW_CLIENT, [[...urls].reverse().join(','), 'bob', TOKENS.bob, '200', '200', '2,3', release, 'upload']);
      await bob.line('joined');
      const aliceAcked2 = new Promise<void>((resolve) => alice!.on('uploaded', (e) => e.round === 2 && resolve()));
      await alice.start();
      await Promise.all([aliceAcked2, bob.line('trained 2')]);

      // The ack waited for the replica: it holds alice's round-2 update before the primary goes.
      const primary = await group.primary();
      const replica = group.servers.find((s) => s !== primary)!;
      const onReplica = group.connect(replica);
      try {
        expect(await onReplica.hkeys(`fedfuse:${federation}:owners:2`)).to.deep.equal(['alice']);
      } finally {
        onReplica.disconnect();
      }
      await primary.kill();
      const killedAt = Date.now();
      const health = async (url: string) => (await fetch(`${url}/healthz`)).status;
      while ((await health(urls[0])) !== 503) await new Promise((r) => setTimeout(r, 50));

      // During the outage: bob uploads (his ack must wait), carol joins (she must be told to retry).
      await writeFile(release, 'go');
      carol = clientOf('carol', urls, suite.data[1]);
      carol.on('status', (e) => carolSeen.push(e.state));
      carol.on('error', (e) => carolSeen.push(`error ${e.code}`));
      const carolJoined = carol.start();
      const promoted = await group.untilPromotedFrom(primary.port);
      const promotedAt = Date.now();
      expect(promoted).to.equal(replica);
      await carolJoined;
      await writeFile(`${release}.3`, 'go');
      console.log(`      (Sentinel promoted the replica ${promotedAt - killedAt} ms after the SIGKILL; carol joined ${Date.now() - killedAt} ms after it)`);

      const histories = await Promise.all(nodes.map(async (n) => JSON.parse(await n.line('finished')) as [number, string[]][]));
      for (const h of histories) {
        expect(h.slice(0, 2)).to.deep.equal([
          [1, ['alice', 'bob']],
          [2, ['alice', 'bob']],
        ]);
        expect(h.map(([round]) => round)).to.deep.equal(Array.from({ length: ROUNDS }, (_, i) => i + 1));
        expect(h[2][1]).to.include.members(['alice', 'bob']);
        expect(h[3][1]).to.deep.equal(['alice', 'bob', 'carol']);
      }
      await Promise.all([alice.finished(), carol.finished(), bob.line('finished')]);
      // alice's update came from the promoted replica: no node accepted it again; nobody trained a round twice.
      expect(nodes.flatMap((n) => n.all('accepted 2')).sort()).to.deep.equal(['alice', 'bob']);
      const allRounds = Array.from({ length: ROUNDS }, (_, i) => String(i + 1));
      expect(aliceSeen).to.deep.equal(allRounds.map((r) => `trained ${r}`));
      expect(bob.all('trained')).to.deep.equal(allRounds);
      // A delay, not an error: bob was told his ack waits for the store, carol that her join must wait.
      expect(bob.all('status')).to.include('waiting-for-store 2');
      expect(bob.all('error')).to.deep.equal([]);
      expect(carolSeen).to.include('join-deferred');
      expect(carolSeen.filter((s) => s.startsWith('error'))).to.deep.equal([]);
      // One commit per round, in order, under non-decreasing fencing tokens (the new primary's audit trail).
      const now = group.connect(promoted);
      try {
        const commits = (await now.lrange(`fedfuse:${federation}:commits`, 0, -1)).map((j) => JSON.parse(j) as { round: number; token: number });
        expect(commits.map((c) => String(c.round))).to.deep.equal(allRounds);
        for (let i = 1; i < commits.length; i++) expect(commits[i].token).to.be.at.least(commits[i - 1].token);
      } finally {
        now.disconnect();
      }
    } finally {
      await cleanup?.();
    }
  });
});
