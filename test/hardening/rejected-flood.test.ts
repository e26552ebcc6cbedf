// Issue 11, item 4: a flood of small bad updates from an authenticated client cannot grow the round summary, the
// checkpoint or memory: rejected updates are protocol errors (disconnect at the limit) and the summary holds counts
// per reason, not one entry per rejection.
import { expect } from 'chai';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { modelStateToPayload, payloadToModelState } from '@fedfuse/client/internal/proto/model-payload.js';
import { quietServer } from '../federation/helpers.js';
import { JoinedPeers } from './joined-peers.js';
import { RawPeer } from '../reliability/raw-peer.js';
import { within } from '../fuzz/frame-link.js';

const LIMIT = 20;

/** Sends `n` updates for a round that is not running; returns the errors answered before the socket closed. */
async function floodWrongRound(peer: RawPeer, n: number): Promise<number> {
  for (let i = 0; i < n; i++) peer.channel.send({ clientUpdate: { round: 7, clientId: 'bob', numExamples: 1 } });
  await within(peer.disconnected, 'bob is disconnected at the protocol-error limit');
  return peer.inbox.filter((e) => e.body === 'error').length;
}

describe('hardening: rejected updates pile up (issue 11, item 4)', function () {
  this.timeout(60_000);

  it(`120 bad updates per connection: each connection is closed after ${LIMIT}; the round summary and round-state.json hold one count per reason`, async () => {
    await initBackend();
    const dir = await mkdtemp(join(tmpdir(), 'fedfuse-rejected-'));
    const { server, logs } = quietServer({ rounds: 1, maxProtocolErrors: LIMIT, checkpointDir: dir });
    const joined = new JoinedPeers();
    const { url } = await server.start();
    const joinAs = (id: 'alice' | 'bob') => joined.join(url, id);
    try {
      const alice = await joinAs('alice');
      const bob = await joinAs('bob');
      const task = (await within(alice.nextOf('trainTask'), 'the task')).trainTask!;
      const weights = modelStateToPayload(payloadToModelState(task.globalModel!)).weights;

      expect(await floodWrongRound(bob, 120)).to.equal(LIMIT);
      const bobAgain = await joinAs('bob');
      expect(await floodWrongRound(bobAgain, 120)).to.equal(LIMIT);

      const bobLast = await joinAs('bob');
      for (const [p, id] of [[alice, 'alice'], [bobLast, 'bob']] as const) {
        p.channel.send({ clientUpdate: { round: 1, clientId: id, numExamples: 10, weights } });
      }
      const [summary] = await within(server.finished(), 'the round completes');
      expect(summary.participants).to.deep.equal(['alice', 'bob']);
      expect(summary.rejected).to.deep.equal([
        { code: 'WRONG_ROUND', count: 2 * LIMIT, clientIds: ['bob'], example: 'update is for round 7, but the current round is 1' },
      ]);
      const state = await readFile(join(dir, 'round-000001', 'round-state.json'), 'utf8');
      console.log(`      round-state.json after 2 × 120 bad updates sent (the rest ignored once each connection was closing): ${state.length} bytes; summary.rejected = ${JSON.stringify(summary.rejected)}`);
      expect(state.length).to.be.below(4096);
      // The log gets at most 10 rejection lines per client and round, then says it stops listing them.
      expect(logs.filter((l) => /rejected update from bob/.test(l))).to.have.length(10);
      expect(logs.filter((l) => /further rejected updates from bob in round 1 are counted, not logged/.test(l))).to.have.length(1);
    } finally {
      joined.closeAll();
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
