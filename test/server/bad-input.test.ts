import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import '@fedfuse/client/internal/proto/protobuf-runtime.js';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { PROTOCOL_VERSION } from '@fedfuse/client/internal/proto/envelope.js';
import { splitIntoChunks } from '@fedfuse/client/internal/proto/chunking.js';
import { encodeFloatTensor } from '@fedfuse/client/internal/proto/tensor-codec.js';
import { payloadToModelState } from '@fedfuse/client/internal/proto/model-payload.js';
import { EnvelopeChannel } from '@fedfuse/client/internal/transport/envelope-channel.js';
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { FederatedClient, type LocalData } from '@fedfuse/client';
import { disposeData, mnistSlice, quietServer, silent, TOKENS } from '../federation/helpers.js';

const MAX_MESSAGE = 2 * 1024 * 1024;

/** A hand-driven peer: speaks raw frames and envelopes, records what the server answers. */
class RawPeer {
  readonly socket: Socket;
  readonly channel: EnvelopeChannel;
  private readonly inbox: fedfuse.v1.Envelope[] = [];
  private waiters: (() => void)[] = [];

  constructor(url: string) {
    this.socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
    this.channel = new EnvelopeChannel(this.socket, { maxMessageBytes: 64 * 1024 * 1024 });
    this.channel.onEnvelope((env) => {
      this.inbox.push(env);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  connected(): Promise<void> {
    return new Promise((r) => (this.socket.connected ? r() : this.socket.once('connect', () => r())));
  }

  /** The next received envelope with `body`, skipping others. */
  async next(body: string): Promise<fedfuse.v1.Envelope> {
    for (;;) {
      const i = this.inbox.findIndex((e) => e.body === body);
      if (i >= 0) return this.inbox.splice(i, 1)[0];
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  async expectError(code: keyof typeof fedfuse.v1.ErrorCode, message: RegExp): Promise<void> {
    const env = await this.next('error');
    expect(fedfuse.v1.ErrorCode[env.error!.code ?? 0], env.error!.message ?? '').to.equal(code);
    expect(env.error!.message).to.match(message);
  }

  close(): void {
    this.channel.close();
    this.socket.disconnect();
  }
}

function updateOf(global: ModelState, patch: Partial<fedfuse.v1.IClientUpdate> = {}, mutate?: (w: Float32Array, t: number) => Float32Array) {
  return {
    clientUpdate: {
      round: 1,
      clientId: 'bob',
      numExamples: 100,
      weights: global.weights.map((w, t) => encodeFloatTensor(w.name, w.shape, mutate ? mutate(new Float32Array(w.values), t) : w.values)),
      ...patch,
    },
  };
}

describe('server: bad input at the handlers', function () {
  this.timeout(60_000);
  let alice: LocalData;

  before(async () => {
    await initBackend();
    alice = await mnistSlice(0, 200);
  });
  after(() => disposeData(alice));

  it('answers every bad message with a clear Error to that client only, keeps serving, and completes the round', async () => {
    const { server, logs } = quietServer({ rounds: 1, maxMessageBytes: MAX_MESSAGE, roundDeadlineMs: 30_000 });
    const rejected: string[] = [];
    server.on('update-rejected', (e) => rejected.push(e.code));
    const { url } = await server.start();
    const good = new FederatedClient({ serverUrl: url, clientId: 'alice', token: TOKENS.alice, data: alice, logger: silent });
    const goodErrors: string[] = [];
    good.on('error', (e) => goodErrors.push(e.message));
    const bob = new RawPeer(url);
    const stranger = new RawPeer(url);
    const intruder = new RawPeer(url);
    try {
      await bob.connected();
      bob.channel.send({ join: { protocolVersion: PROTOCOL_VERSION, clientId: 'bob', authToken: TOKENS.bob, numSamples: 100 } });
      await bob.next('welcome');
      await good.start();
      const task = (await bob.next('trainTask')).trainTask!;
      const global = payloadToModelState(task.globalModel!);
      const logLinesBefore = logs.length;

      bob.socket.emit('frame', randomBytes(64));
      await bob.expectError('BAD_MESSAGE', /malformed chunk frame/);

      bob.socket.emit('frame', 'not binary');
      await bob.expectError('BAD_MESSAGE', /frame is not binary \(got string\)/);

      bob.socket.emit('frame', splitIntoChunks(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]), 9001, 1024)[0]);
      await bob.expectError('BAD_MESSAGE', /malformed protobuf/);

      const v2 = fedfuse.v1.Envelope.encode({ protocolVersion: PROTOCOL_VERSION + 1, heartbeat: { sentUnixMs: 1 } }).finish();
      bob.socket.emit('frame', splitIntoChunks(v2, 9002, 1024)[0]);
      await bob.expectError('PROTOCOL_VERSION', new RegExp(`peer speaks protocol version ${PROTOCOL_VERSION + 1}, this side speaks ${PROTOCOL_VERSION}`));

      const huge = fedfuse.v1.Chunk.encode({ transferId: 9003, index: 0, count: 2, totalBytes: 3 * MAX_MESSAGE, data: new Uint8Array(10) }).finish();
      bob.socket.emit('frame', huge);
      await bob.expectError('TOO_LARGE', new RegExp(`declares ${3 * MAX_MESSAGE} bytes, more than the limit of ${MAX_MESSAGE}`));

      bob.channel.send({ welcome: { protocolVersion: PROTOCOL_VERSION } });
      await bob.expectError('BAD_MESSAGE', /a client may not send welcome messages/);

      const transposed = updateOf(global);
      transposed.clientUpdate.weights![0] = encodeFloatTensor('w0', [32, 784], global.weights[0].values);
      bob.channel.send(transposed);
      await bob.expectError('BAD_TENSOR', /weight 0: .*has shape 32x784, expected 784x32/);

      bob.channel.send(updateOf(global, { weights: global.weights.slice(1).map((w) => encodeFloatTensor(w.name, w.shape, w.values)) }));
      await bob.expectError('BAD_TENSOR', /update has 3 weight tensors, the global model has 4/);

      bob.channel.send(updateOf(global, {}, (w, t) => (t === 2 ? (w.fill(Number.NaN, 5, 6), w) : w)));
      await bob.expectError('BAD_TENSOR', /weight 2: .*non-finite value NaN at index 5/);

      bob.channel.send(updateOf(global, { numExamples: 0 }));
      await bob.expectError('BAD_MESSAGE', /num_examples must be an integer/);

      bob.channel.send(updateOf(global, { round: 7 }));
      await bob.expectError('WRONG_ROUND', /update is for round 7, but the current round is 1/);

      bob.channel.send(updateOf(global, { clientId: 'alice' }));
      await bob.expectError('UNAUTHORIZED', /client bob may only send updates for itself, not for "alice"/);

      bob.channel.send(updateOf(global, { activations: [encodeFloatTensor('a', [1], new Float32Array(1))] }));
      await bob.expectError('BAD_MESSAGE', /this round did not ask for activations/);

      // A socket that never joined, and one with a bad token.
      await stranger.connected();
      // Before Join only a Join-sized message is taken: a whole update is refused by its declared size ...
      stranger.channel.send(updateOf(global));
      await stranger.expectError('TOO_LARGE', /declares \d+ bytes, more than the limit of 65536 for a connection that has not joined; send Join first/);
      // ... and a small one for what it is.
      stranger.channel.send({ clientUpdate: { round: 1, clientId: 'bob', numExamples: 1 } });
      await stranger.expectError('UNKNOWN_CLIENT', /send Join before any ClientUpdate/);
      await intruder.connected();
      intruder.channel.send({ join: { protocolVersion: PROTOCOL_VERSION, clientId: 'carol', authToken: 'guess' } });
      await intruder.expectError('UNAUTHORIZED', /authentication failed for client "carol"/);

      // One server log line per bad input.
      expect(logs.length - logLinesBefore).to.be.at.least(15);

      // The same connection is still usable: a valid update is accepted.
      bob.channel.send(updateOf(global));
      expect((await bob.next('updateAck')).updateAck!.round).to.equal(1);
      const [summary] = await server.finished();
      expect(summary.participants).to.deep.equal(['alice', 'bob']);
      expect(summary.stragglers).to.deep.equal([]);
      expect(summary.rejected.every((r) => r.clientIds.every((id) => id === 'bob'))).to.equal(true);
      expect(summary.rejected.reduce((n, r) => n + r.count, 0)).to.equal(rejected.length);
      expect(rejected).to.deep.equal(['BAD_TENSOR', 'BAD_TENSOR', 'BAD_TENSOR', 'BAD_MESSAGE', 'WRONG_ROUND', 'UNAUTHORIZED', 'BAD_MESSAGE']);
      const result = (await bob.next('roundResult')).roundResult!;
      expect(result.final).to.equal(true);
      expect(result.participants).to.deep.equal(['alice', 'bob']);
      await good.finished();
      expect(goodErrors).to.deep.equal([]);
    } finally {
      for (const p of [bob, stranger, intruder]) p.close();
      await good.stop();
      await server.stop();
      good.model?.dispose();
    }
  });

  it('acknowledges a repeated update again without counting it twice', async () => {
    const { server, logs } = quietServer({ rounds: 1, maxMessageBytes: MAX_MESSAGE });
    const accepted: string[] = [];
    server.on('update-accepted', (e) => accepted.push(e.clientId));
    const { url } = await server.start();
    const peers = { bob: new RawPeer(url), carol: new RawPeer(url) };
    try {
      for (const [id, peer] of Object.entries(peers)) {
        await peer.connected();
        peer.channel.send({ join: { protocolVersion: PROTOCOL_VERSION, clientId: id, authToken: TOKENS[id as 'bob'], numSamples: 100 } });
        await peer.next('welcome');
      }
      const global = payloadToModelState((await peers.bob.next('trainTask')).trainTask!.globalModel!);
      peers.bob.channel.send(updateOf(global));
      peers.bob.channel.send(updateOf(global));
      expect((await peers.bob.next('updateAck')).updateAck!.round).to.equal(1);
      expect((await peers.bob.next('updateAck')).updateAck!.round).to.equal(1);
      expect(accepted).to.deep.equal(['bob']);
      expect(logs.some((l) => l.includes('duplicate update from bob'))).to.equal(true);
      peers.carol.channel.send(updateOf(global, { clientId: 'carol', numExamples: 300 }));
      const [summary] = await server.finished();
      expect(summary.participants).to.deep.equal(['bob', 'carol']);
      expect(accepted).to.deep.equal(['bob', 'carol']);
    } finally {
      peers.bob.close();
      peers.carol.close();
      await server.stop();
    }
  });
});
