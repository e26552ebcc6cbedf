// Issue 11, item 2: an unfinished upload of a joined client that goes quiet is dropped by a timer after the transfer
// timeout, not only when another frame happens to arrive; the client is told.
import { expect } from 'chai';
import '@fedfuse/client/internal/proto/protobuf-runtime.js';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import type { FederationServer } from '../../server/federation-server.js';
import { quietServer, TOKENS } from '../federation/helpers.js';
import { RawPeer } from '../reliability/raw-peer.js';
import { within } from '../fuzz/frame-link.js';

const MIB = 1024 * 1024;
const CHUNK = 256 * 1024;

/** Partial-upload bytes the server holds: bob's channel and all connections together (private fields). */
function held(server: FederationServer): { bob: number; all: number } {
  const transport = server['transport']!;
  return { bob: transport['sessions'].get('bob')!.channel.pendingBytes, all: transport['pendingBudget'].held };
}

describe('hardening: unfinished uploads expire on a timer (issue 11, item 2)', function () {
  this.timeout(60_000);

  it('a joined client that sent 3 of 8 chunks and went quiet: its partial upload is dropped after transferTimeoutMs without another frame, and it gets an Error saying so', async () => {
    await initBackend();
    const { server, logs } = quietServer({ rounds: 1, minClients: 3, maxMessageBytes: 4 * MIB, transferTimeoutMs: 400 });
    const bob = new RawPeer((await server.start()).url);
    try {
      expect((await within(bob.join('bob', TOKENS.bob), 'bob joins')).body).to.equal('welcome');
      for (let i = 0; i < 3; i++) {
        bob.socket.emit('frame', fedfuse.v1.Chunk.encode({ transferId: 5, index: i, count: 8, totalBytes: 8 * CHUNK, data: new Uint8Array(CHUNK) }).finish());
      }
      bob.channel.send({ heartbeat: { sentUnixMs: 1 } });
      await within(bob.nextOf('heartbeat'), 'the frames were handled');
      expect(held(server)).to.deep.equal({ bob: 3 * CHUNK, all: 3 * CHUNK });

      // Nothing more is sent: the timer alone must drop it.
      const env = await within(bob.nextOf('error'), 'an Error about the expired upload', 10_000);
      expect(fedfuse.v1.ErrorCode[env.error!.code!]).to.equal('BAD_MESSAGE');
      expect(env.error!.message).to.equal('transfer 5 received nothing for 400 ms; its partial data (786432 of 2097152 bytes) was dropped: send the message again');
      expect(held(server)).to.deep.equal({ bob: 0, all: 0 });
      expect(logs).to.include('client bob: transfer 5 received nothing for 400 ms; its partial data (786432 of 2097152 bytes) was dropped: send the message again');
      expect(bob.socket.connected).to.equal(true);
    } finally {
      bob.close();
      await server.stop();
    }
  });
});
