// Issue 11, item 5: a client that sends two different updates for one round back to back gets exactly one counted,
// journaled and acknowledged (the first); the other is refused with a clear error. Checked against a real server
// process SIGKILLed right after the replies, several times, and once restarted from its journal.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@fedfuse/client/internal/proto/protobuf-runtime.js';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { modelStateToPayload, payloadToModelState } from '@fedfuse/client/internal/proto/model-payload.js';
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { UpdateJournal, weightsSha256 } from '../../server/checkpoint/update-journal.js';
import { decodeFloatTensor } from '@fedfuse/client/internal/proto/tensor-codec.js';
import { ChildScript } from '../faults/child-process.js';
import { JoinedPeers } from './joined-peers.js';
import { within } from '../fuzz/frame-link.js';

const SERVER = 'test/faults/fixtures/server-process.ts';
const KILLS = 4;

function shifted(global: ModelState, by: number): fedfuse.v1.IClientUpdate['weights'] {
  return modelStateToPayload({ ...global, weights: global.weights.map((w) => ({ ...w, values: w.values.map((v) => v + by) })) }).weights;
}

/** The first weight value of a wire update, which tells update A (+0.5) from B (−0.5). */
function firstValue(update: fedfuse.v1.IClientUpdate): number {
  return decodeFloatTensor(update.weights![0]).values[0];
}

describe('hardening: two different updates for one round, back to back (issue 11, item 5)', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fedfuse-race-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it(`the first is counted, journaled and acked, the second refused — ${KILLS} server processes SIGKILLed right after the replies; a restart restores the first`, async () => {
    for (let run = 1; run <= KILLS; run++) {
      const checkpoints = join(dir, `run-${run}`);
      const server = new ChildScript(SERVER, ['0', checkpoints, '1']);
      const joined = new JoinedPeers();
      let restarted: ChildScript | undefined;
      try {
        const url = `http://127.0.0.1:${await server.line('listening')}`;
        const alice = await joined.join(url, 'alice');
        await joined.join(url, 'bob');
        const global = payloadToModelState((await within(alice.nextOf('trainTask'), 'the task')).trainTask!.globalModel!);
        const a = { round: 1, clientId: 'alice', numExamples: 10, weights: shifted(global, 0.5) };
        const b = { round: 1, clientId: 'alice', numExamples: 10, weights: shifted(global, -0.5) };
        alice.channel.send({ clientUpdate: a });
        alice.channel.send({ clientUpdate: b });
        const replies = [await within(alice.nextOf('updateAck', 'error'), 'reply 1'), await within(alice.nextOf('updateAck', 'error'), 'reply 2')];
        await server.kill();

        const acks = replies.filter((r) => r.body === 'updateAck');
        const errors = replies.filter((r) => r.body === 'error').map((r) => `${fedfuse.v1.ErrorCode[r.error!.code ?? 0]}: ${r.error!.message}`);
        expect(acks, `run ${run}: one ack`).to.have.length(1);
        expect(errors).to.deep.equal(['REJECTED_UPDATE: client alice already sent a different update for round 1; only the first one counts']);
        // What the server counted in memory is update A ...
        expect(server.all('accepted-first-value 1 alice').map(Number)).to.deep.equal([firstValue(a)]);
        // ... and so is what it journaled.
        const { entries, problems } = await new UpdateJournal(join(checkpoints, 'journal')).load(1, weightsSha256(global.weights));
        expect(problems).to.deep.equal([]);
        expect(entries.map((e) => [e.clientId, firstValue(e.message)])).to.deep.equal([['alice', firstValue(a)]]);

        if (run === KILLS) {
          // After a restart the journaled update A is what counts; B sent again is still refused, A again is a duplicate.
          joined.closeAll();
          restarted = new ChildScript(SERVER, ['0', checkpoints, '1']);
          const again = `http://127.0.0.1:${await restarted.line('listening')}`;
          expect(restarted.all('restored')).to.deep.equal(['1 alice']);
          const alice2 = await joined.join(again, 'alice');
          alice2.channel.send({ clientUpdate: b });
          await alice2.expectError('REJECTED_UPDATE', /already sent a different update for round 1/);
          alice2.channel.send({ clientUpdate: a });
          expect((await within(alice2.nextOf('updateAck', 'error'), 'the resend of A')).body).to.equal('updateAck');
        }
      } finally {
        joined.closeAll();
        await server.kill();
        await restarted?.kill();
      }
    }
  });
});
