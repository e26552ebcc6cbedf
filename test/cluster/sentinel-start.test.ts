// A node that starts while Sentinel fails over (found by the long fault campaign, seed 1: a leader restarted right
// after the Redis primary's SIGKILL exited with "cannot reach Redis ... ECONNREFUSED", because the sentinels still
// named the dead primary). It must wait for the promoted replica and then serve; unreachable sentinels still fail
// the start at once (test/cluster/bad-redis.test.ts).
import { expect } from 'chai';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { quietServer } from '../federation/helpers.js';
import { requireRedisSentinel, SentinelGroup } from './sentinel-group.js';

describe('cluster: a node started during a Sentinel failover', function () {
  this.timeout(90_000);
  let group: SentinelGroup | undefined;

  before(async function () {
    requireRedisSentinel(this);
    await initBackend();
    group = await SentinelGroup.start({ replicas: 1, sentinels: 3, downAfterMs: 2000, failoverTimeoutMs: 5000 });
  });
  after(async () => {
    await group?.stop();
  });

  it('waits for the promoted replica instead of failing on the dead primary, then serves', async () => {
    const primary = await group!.primary();
    await primary.kill();
    const killedAt = Date.now();
    const { server } = quietServer({ rounds: 1, cluster: { ...group!.clusterTarget, nodeId: 'late', federation: 'start-during-failover' } });
    try {
      const started = server.start();
      const promoted = await group!.untilPromotedFrom(primary.port);
      const { url } = await started;
      const startedAfterMs = Date.now() - killedAt;
      expect(promoted.port).to.not.equal(primary.port);
      expect((await fetch(`${url}/healthz`)).status).to.equal(200);
      // The start came after the promotion (the sentinels need downAfterMs to agree the primary is gone).
      expect(startedAfterMs).to.be.at.least(2000);
    } finally {
      await server.stop();
    }
  });
});
