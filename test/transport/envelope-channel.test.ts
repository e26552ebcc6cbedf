import { expect } from 'chai';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { io, type Socket as ClientSocket } from 'socket.io-client';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { ProtocolError } from '@fedfuse/client/internal/proto/errors.js';
import { modelStateToPayload, payloadToModelState } from '@fedfuse/client/internal/proto/model-payload.js';
import { splitIntoChunks } from '@fedfuse/client/internal/proto/chunking.js';
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import {
  DEFAULT_CHUNK_BYTES,
  EnvelopeChannel,
  recommendedMaxHttpBufferSize,
  type FrameSocket,
} from '@fedfuse/client/internal/transport/envelope-channel.js';

const { ErrorCode } = fedfuse.v1;
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** Collects values pushed by callbacks and lets the test await the n-th one (no timers). */
class Inbox<T> {
  private readonly items: T[] = [];
  private waiters: { n: number; resolve: (items: T[]) => void }[] = [];
  readonly push = (item: T): void => {
    this.items.push(item);
    this.waiters = this.waiters.filter((w) => (this.items.length >= w.n ? (w.resolve(this.items.slice(0, w.n)), false) : true));
  };
  take(n: number): Promise<T[]> {
    if (this.items.length >= n) return Promise.resolve(this.items.slice(0, n));
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }
  get length(): number {
    return this.items.length;
  }
}

interface Pair {
  server: EnvelopeChannel;
  client: EnvelopeChannel;
  serverSocket: ServerSocket;
  clientSocket: ClientSocket;
}

describe('EnvelopeChannel over real socket.io', function () {
  this.timeout(60_000);
  let http: HttpServer;
  let ioServer: Server;
  let url = '';
  const sockets: ClientSocket[] = [];

  before(async () => {
    http = createServer();
    ioServer = new Server(http, { maxHttpBufferSize: recommendedMaxHttpBufferSize(DEFAULT_CHUNK_BYTES) });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });

  after(async () => {
    for (const s of sockets) s.disconnect();
    await new Promise<void>((resolve) => ioServer.close(() => resolve()));
  });

  async function connectPair(opts: { maxMessageBytes?: number } = {}): Promise<Pair> {
    const maxMessageBytes = opts.maxMessageBytes ?? MAX_MESSAGE_BYTES;
    const accepted = new Promise<ServerSocket>((resolve) => ioServer.once('connection', resolve));
    const clientSocket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
    sockets.push(clientSocket);
    const serverSocket = await accepted;
    if (!clientSocket.connected) await new Promise<void>((resolve) => clientSocket.once('connect', () => resolve()));
    // Both socket.io socket types satisfy FrameSocket as they are (this line is also a compile-time check).
    const serverSide: FrameSocket = serverSocket;
    const clientSide: FrameSocket = clientSocket;
    return {
      server: new EnvelopeChannel(serverSide, { maxMessageBytes }),
      client: new EnvelopeChannel(clientSide, { maxMessageBytes }),
      serverSocket,
      clientSocket,
    };
  }

  it('round-trips a 50 MB ModelPayload byte-exactly (and 12.5 MB back)', async () => {
    const { server, client } = await connectPair();
    // 4 tensors of 3.125M float32 = 50 MB, filled with a cheap pseudo-random pattern (every bit matters).
    const state: ModelState = { topologyJson: '{"class_name":"Sequential","config":{}}', weights: [] };
    for (let t = 0; t < 4; t++) {
      const values = new Float32Array(3_125_000);
      const bits = new Uint32Array(values.buffer);
      let s = 0x9e3779b9 ^ t;
      for (let i = 0; i < bits.length; i++) {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        bits[i] = s & 0xbf7fffff; // clear the top exponent bit: always finite
      }
      state.weights.push({ name: `dense_${t}/kernel`, shape: [3125, 1000], values });
    }

    const atClient = new Inbox<[fedfuse.v1.Envelope, number]>();
    client.onEnvelope((env, bytes) => atClient.push([env, bytes]));
    const sent = server.send({ trainTask: { round: 1, globalModel: modelStateToPayload(state) } });
    expect(sent).to.be.greaterThan(50_000_000);
    const [[task, taskBytes]] = await atClient.take(1);
    expect(task.body).to.equal('trainTask');
    expect(taskBytes).to.be.greaterThan(50_000_000).and.lessThan(sent);
    const received = payloadToModelState(task.trainTask!.globalModel!);
    expectSameState(received, state);

    // And a quarter of it back up as a client update (the client->server direction, kept smaller for time).
    const atServer = new Inbox<fedfuse.v1.Envelope>();
    server.onEnvelope((env) => atServer.push(env));
    const firstTensor: ModelState = { topologyJson: state.topologyJson, weights: received.weights.slice(0, 1) };
    client.send({ clientUpdate: { round: 1, clientId: 'c', numExamples: 7, weights: modelStateToPayload(firstTensor).weights } });
    const [update] = await atServer.take(1);
    const back = payloadToModelState({ topologyJson: state.topologyJson, weights: update.clientUpdate!.weights });
    expectSameState(back, { topologyJson: state.topologyJson, weights: state.weights.slice(0, 1) });

    expect(server.stats.messagesSent).to.equal(1);
    expect(server.stats.framesSent).to.equal(Math.ceil(taskBytes / DEFAULT_CHUNK_BYTES));
    expect(client.stats.bytesReceived).to.equal(sent);
    expect(client.stats.messagesReceived).to.equal(1);
    expect(server.stats.messagesReceived).to.equal(1);
    expect(server.pendingBytes).to.equal(0);
    expect(client.pendingBytes).to.equal(0);
  });

  it('reports bad frames via onProtocolError and still delivers the next good message', async () => {
    const { server, client, clientSocket } = await connectPair({ maxMessageBytes: 1024 * 1024 });
    const errors = new Inbox<ProtocolError>();
    const envelopes = new Inbox<fedfuse.v1.Envelope>();
    server.onProtocolError(errors.push);
    server.onEnvelope(envelopes.push);

    clientSocket.emit('frame', 'not binary'); // a string
    clientSocket.emit('frame', new Uint8Array([0xff, 0xff, 0xff])); // not a Chunk
    clientSocket.emit('frame', splitIntoChunks(new Uint8Array(2 * 1024 * 1024), 1, 2 * 1024 * 1024)[0].subarray(0, 40)); // truncated frame
    clientSocket.emit('frame', fedfuse.v1.Chunk.encode({ transferId: 5, index: 0, count: 2, totalBytes: 1e12, data: new Uint8Array(8) }).finish());
    clientSocket.emit('frame', splitIntoChunks(new Uint8Array([0xde, 0xad]), 6, 100)[0]); // chunks fine, envelope garbage
    clientSocket.emit('frame', splitIntoChunks(fedfuse.v1.Envelope.encode({ protocolVersion: 9, updateAck: { round: 1 } }).finish(), 7, 100)[0]);
    client.send({ updateAck: { round: 42 } });

    const [good] = await envelopes.take(1);
    expect(good.updateAck!.round).to.equal(42);
    const errs = await errors.take(6);
    expect(errs.map((e) => ErrorCode[e.code])).to.deep.equal(['BAD_MESSAGE', 'BAD_MESSAGE', 'BAD_MESSAGE', 'TOO_LARGE', 'BAD_MESSAGE', 'PROTOCOL_VERSION']);
    expect(errs[0].message).to.include('not binary (got string)');
    expect(server.stats.protocolErrors).to.equal(6);
    expect(server.stats.messagesReceived).to.equal(1);
  });

  it('the sender refuses an envelope larger than maxMessageBytes', async () => {
    const { client } = await connectPair({ maxMessageBytes: 1000 });
    const big = { clientUpdate: { round: 1, weights: [{ name: 'w', shape: [500], data: new Uint8Array(2000) }] } };
    expect(() => client.send(big)).to.throw(ProtocolError, /exceeds the limit of 1000 bytes/);
    expect(client.stats.messagesSent).to.equal(0);
    expect(client.send({ heartbeat: { sentUnixMs: 1 } })).to.be.greaterThan(0);
  });

  it('close() detaches the channel; reset() drops partial transfers', async () => {
    const { server, client, clientSocket, serverSocket } = await connectPair();
    const first = new Inbox<fedfuse.v1.Envelope>();
    server.onEnvelope(first.push);
    // Half of a two-chunk transfer, then reset: the remaining chunk alone must not complete anything.
    const frames = splitIntoChunks(new Uint8Array(10), 99, 5);
    clientSocket.emit('frame', frames[0]);
    client.send({ updateAck: { round: 1 } });
    await first.take(1);
    expect(server.pendingBytes).to.equal(5);
    server.reset();
    expect(server.pendingBytes).to.equal(0);

    server.close();
    const second = new EnvelopeChannel(serverSocket, { maxMessageBytes: 1000 });
    const after = new Inbox<fedfuse.v1.Envelope>();
    second.onEnvelope(after.push);
    clientSocket.emit('frame', frames[1]);
    client.send({ updateAck: { round: 2 } });
    const [env] = await after.take(1);
    expect(env.updateAck!.round).to.equal(2);
    expect(first.length).to.equal(1); // the closed channel saw nothing more
    expect(() => server.send({ heartbeat: {} })).to.throw(/closed/);
  });
});

function expectSameState(got: ModelState, want: ModelState): void {
  expect(got.topologyJson).to.equal(want.topologyJson);
  expect(got.weights.length).to.equal(want.weights.length);
  got.weights.forEach((w, i) => {
    expect(w.name).to.equal(want.weights[i].name);
    expect(w.shape).to.deep.equal(want.weights[i].shape);
    const a = Buffer.from(w.values.buffer, w.values.byteOffset, w.values.byteLength);
    const b = Buffer.from(want.weights[i].values.buffer, want.weights[i].values.byteOffset, want.weights[i].values.byteLength);
    expect(a.equals(b), `weights ${i} differ`).to.equal(true);
  });
}
