// The protocol-error flood limit (maxProtocolErrors): a connection that keeps sending bad frames is answered for
// each one and disconnected at the limit; other clients are unaffected, and the count belongs to the connection.
// Also the frame-size limit below it (socket.io's maxHttpBufferSize), which closes the connection without a reply.
import { expect } from 'chai';
import fc from 'fast-check';
import '@fedfuse/client/internal/proto/protobuf-runtime.js';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import type { FederationServer, FederationServerOptions } from '../../server/federation-server.js';
import { quietServer, TOKENS } from '../federation/helpers.js';
import { RawPeer } from '../reliability/raw-peer.js';
import { recommendedMaxHttpBufferSize } from '@fedfuse/client/internal/transport/envelope-channel.js';
import { CrashWatch, FrameLink, SYNC_HEARTBEAT, within } from './frame-link.js';

const MAX_MESSAGE = 64 * 1024;

/** Frames the server's channel always refuses, each for another reason. */
const badFrame = fc.oneof(
  fc.constant(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])), // malformed varint
  fc.nat().map((id) => fedfuse.v1.Chunk.encode({ transferId: id, index: 0, count: 0, totalBytes: 4, data: new Uint8Array(4) }).finish()),
  fc.integer({ min: MAX_MESSAGE + 1, max: 2 ** 50 }).map((total) => fedfuse.v1.Chunk.encode({ transferId: 3, index: 0, count: 1, totalBytes: total, data: new Uint8Array(8) }).finish()),
  fc.uint8Array({ minLength: 1, maxLength: 40 }).map((junk) => fedfuse.v1.Chunk.encode({ transferId: 9, index: 0, count: 1, totalBytes: junk.length, data: junk }).finish()),
);

/** Sends frames the mirror says are all refused; returns how many. */
function sendRefused(link: FrameLink, frames: Uint8Array[]): number {
  const outcomes = link.emitFrames(frames);
  return outcomes.filter((o) => o.kind === 'error').length;
}

async function errorsThenHeartbeat(peer: RawPeer): Promise<number> {
  let errors = 0;
  for (;;) {
    const env = await within(peer.nextOf('error', 'heartbeat'), 'replies to bad frames');
    if (env.body === 'heartbeat') return errors;
    errors++;
  }
}

type Join = (id: 'bob' | 'carol') => Promise<RawPeer>;

/**
 * A server where no round starts (minClients 3, two peers), so only the transport speaks; `body` gets a join function
 * for raw peers. Everything is closed afterwards.
 */
async function withTransportOnly(overrides: Partial<FederationServerOptions>, body: (server: FederationServer, logs: string[], join: Join) => Promise<void>): Promise<void> {
  const { server, logs } = quietServer({ rounds: 1, minClients: 3, maxMessageBytes: MAX_MESSAGE, ...overrides });
  const peers: RawPeer[] = [];
  try {
    const { url } = await server.start();
    await body(server, logs, async (id) => {
      const p = new RawPeer(url);
      peers.push(p);
      expect((await within(p.join(id, TOKENS[id]), `${id} joins`)).body).to.equal('welcome');
      return p;
    });
  } finally {
    for (const p of peers) p.close();
    await server.stop();
  }
}

describe('protocol-error flood: maxProtocolErrors', function () {
  this.timeout(60_000);
  const watch = new CrashWatch();
  before(async () => {
    watch.install();
    await initBackend();
  });
  after(() => watch.uninstall());

  it('answers each bad frame, disconnects the connection at the limit, leaves other clients alone; the count is per connection and rejected updates count too (fast-check, 8 runs: limits 1–10, seed 31)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 10 }), fc.array(badFrame, { minLength: 10, maxLength: 10 }), (limit, frames) =>
        withTransportOnly({ maxProtocolErrors: limit }, async (server, logs, join) => {
          const bob = await join('bob');
          const carol = await join('carol');
          const link = new FrameLink(bob.socket, MAX_MESSAGE);

          // limit - 1 bad frames: each answered, still connected.
          expect(sendRefused(link, frames.slice(0, limit - 1))).to.equal(limit - 1);
          link.sendEnvelope(SYNC_HEARTBEAT);
          expect(await errorsThenHeartbeat(bob)).to.equal(limit - 1);
          expect(bob.socket.connected).to.equal(true);

          // The limit-th: answered, then the connection is closed.
          expect(sendRefused(link, [frames[limit - 1]])).to.equal(1);
          expect((await within(bob.nextOf('error', 'heartbeat'), 'the last error')).error!.message).to.not.equal('');
          expect(await within(bob.disconnected, 'bob is disconnected')).to.equal('io server disconnect');
          expect(logs.filter((l) => l.includes(`${limit} protocol errors; disconnecting`))).to.have.length(1);
          expect(server.connectedClients).to.deep.equal(['carol']);

          // Carol never noticed.
          new FrameLink(carol.socket, MAX_MESSAGE).sendEnvelope(SYNC_HEARTBEAT);
          expect(await errorsThenHeartbeat(carol)).to.equal(0);

          // Bob rejoins with a fresh count; updates the server rejects (wrong round) count as protocol errors too.
          const again = await join('bob');
          const againLink = new FrameLink(again.socket, MAX_MESSAGE);
          for (let i = 0; i < limit - 1; i++) againLink.sendEnvelope({ clientUpdate: { round: 7, clientId: 'bob', numExamples: 1 } });
          againLink.sendEnvelope(SYNC_HEARTBEAT);
          expect(await errorsThenHeartbeat(again)).to.equal(limit - 1);
          expect(again.socket.connected).to.equal(true);
          expect(sendRefused(againLink, [frames[0]])).to.equal(1);
          expect(await within(again.disconnected, 'bob is disconnected again')).to.equal('io server disconnect');
        }),
      ),
      { numRuns: 8, seed: 31 },
    );
    expect(watch.crashes).to.deep.equal([]);
  });

  it('a raw frame over the socket frame limit (maxHttpBufferSize) closes only that connection; the server keeps serving and the client can rejoin', async () => {
    await withTransportOnly({}, async (server, logs, join) => {
      const bob = await join('bob');
      const carol = await join('carol');
      bob.socket.emit('frame', new Uint8Array(recommendedMaxHttpBufferSize() + 1024));
      expect(await within(bob.disconnected, 'the oversized frame closes bob')).to.equal('transport close');
      expect(logs).to.include('client bob: disconnected (transport error)');
      expect(server.connectedClients).to.deep.equal(['carol']);
      new FrameLink(carol.socket, MAX_MESSAGE).sendEnvelope(SYNC_HEARTBEAT);
      expect(await errorsThenHeartbeat(carol)).to.equal(0);
      await join('bob');
      expect(server.connectedClients).to.deep.equal(['bob', 'carol']);
    });
    expect(watch.crashes).to.deep.equal([]);
  });
});
