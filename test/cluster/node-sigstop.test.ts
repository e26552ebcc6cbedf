// A node frozen (SIGSTOP) for longer than its lease, then continued: meanwhile the leader drops the frozen node's
// clients from the cluster's registry, though their connections stay open to it. Found by the fault campaign
// (issue 23): the node never registered them again, so the next round waited for ever for clients that were there.
import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { FederatedClient } from '@fedfuse/client';
import { disposeData, mnistSlice } from '../federation/helpers.js';
import { ChildScript } from '../faults/child-process.js';
import { clientOf, clusterSuite } from './helpers.js';

const NODE = 'test/cluster/fixtures/cluster-node.ts';

describe('cluster: a node frozen (SIGSTOP) past its lease, then continued', function () {
  this.timeout(120_000);
  const suite = clusterSuite([[0, 200]]);

  it("keeps its clients: the leader dropped them from the registry, the node registers them again, the next round has them", async () => {
    const federation = 'freeze';
    const ids = ['s1', 's2'];
    const nodes = ids.map((id) => new ChildScript(NODE, [suite.redis.url, id, federation, '2', '2']));
    const inspect = new Redis(suite.redis.url);
    const bobData = await mnistSlice(200, 200);
    let alice: FederatedClient | undefined;
    let bob: FederatedClient | undefined;
    try {
      const urls = await Promise.all(nodes.map((n) => n.line('listening')));
      while (!nodes.some((n) => n.all('leader').length > 0)) await new Promise((r) => setTimeout(r, 50));
      const leader = nodes.findIndex((n) => n.all('leader').length > 0);
      const frozen = nodes[1 - leader];
      // alice only knows the node that will be frozen: she stays connected to it throughout.
      alice = clientOf('alice', urls[1 - leader], suite.data[0]);
      bob = clientOf('bob', urls[leader], bobData);
      const aliceTask = new Promise<void>((resolve) => alice!.once('task', () => resolve()));
      await Promise.all([alice.start(), bob.start()]);
      await aliceTask;
      process.kill(frozen.process.pid!, 'SIGSTOP');
      // The leader sees the frozen node's heartbeat expire and drops alice from the registry.
      while ((await inspect.hget(`fedfuse:${federation}:clients`, 'alice')) !== null) await new Promise((r) => setTimeout(r, 100));
      process.kill(frozen.process.pid!, 'SIGCONT');
      const expected = [
        [1, ['alice', 'bob']],
        [2, ['alice', 'bob']],
      ];
      for (const n of nodes) expect(JSON.parse(await n.line('finished'))).to.deep.equal(expected);
      await Promise.all([alice.finished(), bob.finished()]);
    } finally {
      inspect.disconnect();
      await Promise.all([alice?.stop(), bob?.stop()]);
      alice?.model?.dispose();
      bob?.model?.dispose();
      disposeData(bobData);
      for (const n of nodes) if (n.process.exitCode === null && n.process.signalCode === null) n.process.kill('SIGCONT');
      await Promise.all(nodes.map((n) => n.kill()));
    }
  });
});
