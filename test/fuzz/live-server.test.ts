// Property-based tests at the live server's handlers: a real FederationServer, a real honest SDK client training on
// MNIST, and a raw socket.io peer authenticated as "bob" that throws fast-check-generated frames at the server. One
// federation carries every case; the round only completes when bob finally sends a valid update.
import { expect } from 'chai';
import fc from 'fast-check';
import '@fedfuse/client/internal/proto/protobuf-runtime.js';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { encodeEnvelope, PROTOCOL_VERSION } from '@fedfuse/client/internal/proto/envelope.js';
import { encodeFloatTensor } from '@fedfuse/client/internal/proto/tensor-codec.js';
import { modelStateToPayload, payloadToModelState } from '@fedfuse/client/internal/proto/model-payload.js';
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { FederatedClient, type LocalData } from '@fedfuse/client';
import type { FederationServer } from '../../server/federation-server.js';
import { disposeData, mnistSlice, quietServer, silent, TOKENS } from '../federation/helpers.js';
import { RawPeer } from '../reliability/raw-peer.js';
import { MAX_JOIN_MESSAGE_BYTES } from '../../server/transport/socket-server.js';
import {
  byteEdits,
  chunkStreamCase,
  chunkStreamFrames,
  CrashWatch,
  FrameLink,
  mutateBytes,
  SYNC_HEARTBEAT,
  within,
  fuzzRuns,
  fuzzSeed,
  type FrameOutcome,
} from './frame-link.js';

const MAX_MESSAGE = 512 * 1024;
const ALL_BODIES = ['join', 'welcome', 'trainTask', 'clientUpdate', 'updateAck', 'roundResult', 'error', 'heartbeat'];

/** What one frame should make the server answer. */
type Expected =
  | { kind: 'none' }
  | { kind: 'heartbeat' }
  | { kind: 'error'; code: string; includes: string[] }
  | { kind: 'error-or-ack' }
  | { kind: 'welcome-or-error' };

/** The server's answer to an envelope the mirror says it decodes, from a joined (bob) or unjoined socket. */
function replyTo(env: fedfuse.v1.Envelope, joinedAs: string | undefined): Expected {
  switch (env.body) {
    case 'heartbeat':
      return { kind: 'heartbeat' };
    case 'error':
      // A joined client's Error is logged only; from a socket that has not joined it is a protocol error.
      return joinedAs ? { kind: 'none' } : { kind: 'error', code: 'UNKNOWN_CLIENT', includes: ['send Join before any Error message'] };
    case 'clientUpdate':
      return joinedAs ? { kind: 'error-or-ack' } : { kind: 'error', code: 'UNKNOWN_CLIENT', includes: ['send Join before any ClientUpdate'] };
    case 'join': {
      const id = env.join!.clientId ?? '';
      if (joinedAs && id !== joinedAs) return { kind: 'error', code: 'UNAUTHORIZED', includes: [`already joined as ${joinedAs}; it cannot speak for ${id}`] };
      return { kind: 'welcome-or-error' };
    }
    default:
      return { kind: 'error', code: 'BAD_MESSAGE', includes: [`a client may not send ${env.body} messages`] };
  }
}

function expectationOf(outcome: FrameOutcome, joinedAs: string | undefined): Expected {
  if (outcome.kind === 'error') return { kind: 'error', code: outcome.code, includes: [outcome.message] };
  if (outcome.kind === 'pending') return { kind: 'none' };
  return replyTo(outcome.env, joinedAs);
}

function describeReply(env: fedfuse.v1.Envelope): string {
  return env.body === 'error' ? `error ${fedfuse.v1.ErrorCode[env.error!.code ?? 0]}: ${env.error!.message}` : (env.body ?? '?');
}

function matches(exp: Expected, env: fedfuse.v1.Envelope): boolean {
  const isError = env.body === 'error' && (env.error!.message ?? '').length > 0;
  switch (exp.kind) {
    case 'none':
      return false;
    case 'heartbeat':
      return env.body === 'heartbeat';
    case 'error':
      return isError && fedfuse.v1.ErrorCode[env.error!.code ?? 0] === exp.code && exp.includes.every((s) => env.error!.message!.includes(s));
    case 'error-or-ack':
      return isError || env.body === 'updateAck';
    case 'welcome-or-error':
      return isError || env.body === 'welcome';
  }
}

/**
 * Sends the sync heartbeat after a batch and checks the server's replies to the batch, in order, against `expected`
 * (one reply per expectation except 'none'). Returns the replies.
 */
async function settle(peer: RawPeer, link: FrameLink, expected: Expected[], what: string): Promise<fedfuse.v1.Envelope[]> {
  link.sendEnvelope(SYNC_HEARTBEAT);
  const wanted = expected.filter((e) => e.kind !== 'none');
  const heartbeats = wanted.filter((e) => e.kind === 'heartbeat').length + 1;
  const replies: fedfuse.v1.Envelope[] = [];
  let seen = 0;
  while (seen < heartbeats) {
    const env = await within(peer.nextOf(...ALL_BODIES), `${what}: server replies (got ${replies.map(describeReply).join(' | ')})`);
    replies.push(env);
    if (env.body === 'heartbeat') seen++;
  }
  replies.pop(); // the sync heartbeat's own reply
  const got = replies.map(describeReply);
  expect(replies.length, `${what}: expected ${JSON.stringify(wanted)}, got ${JSON.stringify(got)}`).to.equal(wanted.length);
  wanted.forEach((exp, i) => expect(matches(exp, replies[i]), `${what}: reply ${i} ${got[i]} does not match ${JSON.stringify(exp)}`).to.equal(true));
  return replies;
}

/**
 * Like settle, for a socket that has not joined: a refused Join (bad token, backoff) silences and closes the
 * connection, so the replies may end early with that error and the disconnect instead of the sync heartbeat.
 */
async function settleUntilClosed(peer: RawPeer, link: FrameLink, expected: Expected[], what: string): Promise<void> {
  link.sendEnvelope(SYNC_HEARTBEAT);
  const wanted = expected.filter((e) => e.kind !== 'none');
  const replies: fedfuse.v1.Envelope[] = [];
  const closed = peer.disconnected.then(() => 'closed' as const);
  for (;;) {
    const env = await within(Promise.race([peer.nextOf(...ALL_BODIES), closed]), `${what}: server replies`);
    if (env === 'closed') {
      const last = replies.at(-1);
      expect(last?.body, `${what}: closed without a refused Join`).to.equal('error');
      expect(fedfuse.v1.ErrorCode[last!.error!.code ?? 0]).to.be.oneOf(['UNAUTHORIZED', 'RATE_LIMITED', 'PROTOCOL_VERSION']);
      break;
    }
    if (env.body === 'heartbeat' && replies.length === wanted.length) break; // the sync heartbeat's own reply
    replies.push(env);
  }
  const got = replies.map(describeReply);
  replies.forEach((r, i) => expect(matches(wanted[i], r), `${what}: reply ${i} ${got[i]} does not match ${JSON.stringify(wanted[i])}`).to.equal(true));
}

/** Bytes the server holds for bob's partial transfers (private fields; element access is TypeScript's escape hatch). */
function serverPendingBytes(server: FederationServer, clientId: string): number {
  const conn = server['transport']!['sessions'].get(clientId);
  if (!conn) throw new Error(`${clientId} has no session on the server`);
  return conn.channel.pendingBytes;
}

// ---- bad ClientUpdates with exactly one defect --------------------------------------------------------------------

const metricKey = fc.stringMatching(/^[a-z_]{1,20}$/);

const defect = fc.oneof(
  fc.record({ kind: fc.constant('non-finite' as const), tensor: fc.nat(3), index: fc.nat(), value: fc.constantFrom(Number.NaN, Infinity, -Infinity) }),
  fc.record({ kind: fc.constant('transposed' as const), tensor: fc.constantFrom(0, 2) }),
  fc.record({ kind: fc.constant('other-width' as const), tensor: fc.nat(3), delta: fc.integer({ min: -9, max: 40 }).filter((d) => d !== 0) }),
  fc.record({ kind: fc.constant('extra-tensor' as const), size: fc.integer({ min: 1, max: 100 }) }),
  fc.record({ kind: fc.constant('missing-tensor' as const), tensor: fc.nat(3) }),
  fc.record({ kind: fc.constant('wrong-round' as const), round: fc.integer({ min: 0, max: 2 ** 32 - 1 }).filter((r) => r !== 1) }),
  fc.record({ kind: fc.constant('other-client' as const), id: fc.string({ maxLength: 20 }).filter((s) => s !== 'bob') }),
  fc.record({ kind: fc.constant('long-client-id' as const), length: fc.integer({ min: 257, max: 200_000 }) }),
  fc.record({ kind: fc.constant('bad-examples' as const), n: fc.constantFrom(0, 1e12 + 1, 2 ** 53 - 1) }),
  fc.record({ kind: fc.constant('short-data' as const), tensor: fc.nat(3), cut: fc.integer({ min: 1, max: 7 }) }),
  fc.record({ kind: fc.constant('int32-dtype' as const), tensor: fc.nat(3) }),
  fc.record({ kind: fc.constant('unasked-activations' as const), count: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('unasked-importance' as const), count: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('bad-metric' as const), key: metricKey, value: fc.constantFrom(Number.NaN, Infinity, -Infinity) }),
);
type Defect = typeof defect extends fc.Arbitrary<infer D> ? D : never;
type Benign = typeof benign extends fc.Arbitrary<infer B> ? B : never;

const benign = fc.record({
  half: fc.boolean(),
  numExamples: fc.integer({ min: 1, max: 1e9 }),
  metrics: fc.dictionary(metricKey, fc.double({ noNaN: true, noDefaultInfinity: true }), { maxKeys: 4 }),
});

function shapeText(shape: readonly number[]): string {
  return shape.join('x');
}

/** A ClientUpdate from bob with one defect, and the error it must get. */
function defectiveUpdate(global: ModelState, d: Defect, b: Benign): { body: fedfuse.v1.IEnvelope; code: string; includes: string[] } {
  const { half } = b;
  const weights = global.weights.map((w) => encodeFloatTensor(w.name, w.shape, w.values, { half }));
  const update: fedfuse.v1.IClientUpdate = { round: 1, clientId: 'bob', weights, numExamples: b.numExamples, metrics: { ...b.metrics } };
  const random = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i + 1) / 10);
  const at = (t: number) => `weight ${t}: tensor '${global.weights[t].name}'`;
  switch (d.kind) {
    case 'non-finite': {
      const w = global.weights[d.tensor];
      const values = new Float32Array(w.values);
      const index = d.index % values.length;
      values[index] = d.value;
      weights[d.tensor] = encodeFloatTensor(w.name, w.shape, values, { half });
      return { body: { clientUpdate: update }, code: 'BAD_TENSOR', includes: [at(d.tensor), `non-finite value ${d.value} at index ${index}`] };
    }
    case 'transposed':
    case 'other-width': {
      const w = global.weights[d.tensor];
      const shape = d.kind === 'transposed' ? [...w.shape].reverse() : [...w.shape.slice(0, -1), Math.max(1, w.shape.at(-1)! + d.delta)];
      if (shapeText(shape) === shapeText(w.shape)) shape[shape.length - 1] += 1;
      weights[d.tensor] = encodeFloatTensor(w.name, shape, random(shape.reduce((a, x) => a * x, 1)), { half });
      return { body: { clientUpdate: update }, code: 'BAD_TENSOR', includes: [at(d.tensor), `has shape ${shapeText(shape)}, expected ${shapeText(w.shape)}`] };
    }
    case 'extra-tensor':
      weights.push(encodeFloatTensor('extra', [d.size], random(d.size), { half }));
      return { body: { clientUpdate: update }, code: 'BAD_TENSOR', includes: [`update has 5 weight tensors, the global model has 4`] };
    case 'missing-tensor':
      weights.splice(d.tensor, 1);
      return { body: { clientUpdate: update }, code: 'BAD_TENSOR', includes: [`update has 3 weight tensors, the global model has 4`] };
    case 'wrong-round':
      update.round = d.round;
      return { body: { clientUpdate: update }, code: 'WRONG_ROUND', includes: [`update is for round ${d.round}, but the current round is 1`] };
    case 'other-client':
      update.clientId = d.id;
      return { body: { clientUpdate: update }, code: 'UNAUTHORIZED', includes: [`client bob may only send updates for itself, not for "${d.id}"`] };
    case 'long-client-id':
      update.clientId = 'b'.repeat(d.length);
      return { body: { clientUpdate: update }, code: 'BAD_MESSAGE', includes: [`client_update.client_id is ${d.length} characters long, at most 256 are allowed`] };
    case 'bad-examples':
      update.numExamples = d.n;
      return { body: { clientUpdate: update }, code: 'BAD_MESSAGE', includes: [`num_examples must be an integer in [1, 1000000000000], got ${d.n}`] };
    case 'short-data': {
      const data = weights[d.tensor].data!;
      weights[d.tensor] = { ...weights[d.tensor], data: data.subarray(0, data.byteLength - d.cut) };
      return { body: { clientUpdate: update }, code: 'BAD_TENSOR', includes: [at(d.tensor), `but carries ${data.byteLength - d.cut} bytes`] };
    }
    case 'int32-dtype':
      weights[d.tensor] = { ...weights[d.tensor], dtype: fedfuse.v1.DType.INT32 };
      return { body: { clientUpdate: update }, code: 'BAD_TENSOR', includes: [at(d.tensor), 'has dtype INT32, expected FLOAT32 or FLOAT16'] };
    case 'unasked-activations':
      update.activations = Array.from({ length: d.count }, (_, l) => encodeFloatTensor(`level_${l}`, [2], random(2)));
      return { body: { clientUpdate: update }, code: 'BAD_MESSAGE', includes: [`update carries ${d.count} activation tensors, but this round did not ask for activations`] };
    case 'unasked-importance':
      update.importance = Array.from({ length: d.count }, (_, l) => encodeFloatTensor(`importance_${l}`, [2], random(2)));
      return { body: { clientUpdate: update }, code: 'BAD_MESSAGE', includes: [`update carries ${d.count} importance tensors, but this round did not ask for importance`] };
    case 'bad-metric':
      update.metrics = { ...update.metrics, [d.key]: d.value };
      return { body: { clientUpdate: update }, code: 'BAD_MESSAGE', includes: [`update metric ${d.key} is not a finite number`] };
  }
}

// ---- the federation all cases share --------------------------------------------------------------------------------

const RUNS = { randomBytes: 500, nonBinary: 100, mutated: 600, streams: 400, updates: 400, joins: 100 };

describe('fuzz: the live server’s handlers (one federation, a raw peer sending generated frames)', function () {
  this.timeout(120_000);
  const watch = new CrashWatch();
  let alice: LocalData;
  let server: FederationServer;
  let logs: string[];
  let url: string;
  let honest: FederatedClient;
  const honestErrors: string[] = [];
  let bob: RawPeer;
  let link: FrameLink;
  let global: ModelState;
  /** Encoded envelopes the mutation family starts from (each carries a defect, so none is a valid update). */
  let seeds: Uint8Array[];

  before(async () => {
    watch.install();
    await initBackend();
    alice = await mnistSlice(0, 200);
    // The magnitude bound is off here: a mutated byte in an early tensor of a seed update can make a finite weight beyond
    // the bound, which the decoder refuses before it reaches the seed's own defect in a later tensor; such a refusal
    // costs bob the round (the defence's tests cover it), which would end this one-round federation early. Which byte a
    // mutation hits depends on the tensors' names (TF.js numbers layers per process: 'dense_Dense367' after the other
    // files, 'dense_Dense3' alone), so it happened in the full suite and not with this file alone.
    ({ server, logs } = quietServer({ rounds: 1, maxMessageBytes: MAX_MESSAGE, roundDeadlineMs: 300_000, maxProtocolErrors: 1_000_000, defence: { maxAbsWeight: false } }));
    ({ url } = await server.start());
    bob = new RawPeer(url);
    expect((await bob.join('bob', TOKENS.bob)).body).to.equal('welcome');
    honest = new FederatedClient({ serverUrl: url, clientId: 'alice', token: TOKENS.alice, data: alice, logger: silent });
    honest.on('error', (e) => honestErrors.push(e.message));
    await honest.start();
    global = payloadToModelState((await within(bob.nextOf('trainTask'), 'bob gets its task')).trainTask!.globalModel!);
    link = new FrameLink(bob.socket, MAX_MESSAGE);
    const nan = defectiveUpdate(global, { kind: 'non-finite', tensor: 3, index: 0, value: Number.NaN }, { half: false, numExamples: 50, metrics: {} }).body;
    const nanHalf = defectiveUpdate(global, { kind: 'non-finite', tensor: 1, index: 3, value: Infinity }, { half: true, numExamples: 50, metrics: { loss: 1 } }).body;
    seeds = [
      encodeEnvelope({ heartbeat: { sentUnixMs: Date.now() } }),
      encodeEnvelope(nan),
      encodeEnvelope(nanHalf),
      encodeEnvelope({ welcome: { protocolVersion: PROTOCOL_VERSION, clientId: 'bob', currentRound: 1, totalRounds: 1 } }),
      encodeEnvelope({ trainTask: { round: 1, globalModel: { topologyJson: '{}', weights: [] }, config: { localEpochs: 1 } } }),
      encodeEnvelope({ updateAck: { round: 1 } }),
      encodeEnvelope({ roundResult: { round: 1, participants: ['bob'], final: true } }),
      encodeEnvelope({ error: { code: 1, message: 'client-side trouble', round: 1 } }),
      fedfuse.v1.Envelope.encode({ protocolVersion: 2, heartbeat: { sentUnixMs: 5 } }).finish(),
    ];
  });

  after(async () => {
    bob?.close();
    await honest?.stop();
    await server?.stop();
    honest?.model?.dispose();
    if (alice) disposeData(alice);
    watch.uninstall();
  });

  afterEach(() => {
    expect(watch.crashes, 'uncaught exceptions / unhandled rejections').to.deep.equal([]);
  });

  it(`random bytes as frames and as envelopes in well-formed chunks: each gets the exact error its bytes deserve (${fuzzRuns(RUNS.randomBytes)} runs × 1–4 frames, seed 11)`, async () => {
    const frame = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((b) => ({ raw: true, bytes: b })),
      fc.uint8Array({ maxLength: 300 }).map((b) => ({ raw: false, bytes: b })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 4 }), async (frames) => {
        const outcomes = frames.flatMap((f) => link.emitFrames(f.raw ? [f.bytes] : link.framesOf(f.bytes)));
        await settle(bob, link, outcomes.map((o) => expectationOf(o, 'bob')), 'random bytes');
        expect(serverPendingBytes(server, 'bob')).to.equal(link.mirror.pendingBytes).and.to.be.at.most(MAX_MESSAGE);
      }),
      { numRuns: fuzzRuns(RUNS.randomBytes), seed: fuzzSeed(11) },
    );
  });

  it(`frames that are not binary (strings, numbers, null, arrays, objects) get BAD_MESSAGE naming the type (${fuzzRuns(RUNS.nonBinary)} runs, seed 12)`, async () => {
    const nonBinary = fc.oneof(
      fc.string({ maxLength: 50 }).map((v) => ({ v, kind: 'string' })),
      fc.integer().map((v) => ({ v, kind: 'number' })),
      fc.boolean().map((v) => ({ v, kind: 'boolean' })),
      fc.constant({ v: null, kind: 'null' }),
      fc.array(fc.nat(), { maxLength: 4 }).map((v) => ({ v, kind: 'array' })),
      fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.nat(), { maxKeys: 3 }).map((v) => ({ v, kind: 'object' })),
    );
    await fc.assert(
      fc.asyncProperty(nonBinary, async ({ v, kind }) => {
        bob.socket.emit('frame', v);
        await settle(bob, link, [{ kind: 'error', code: 'BAD_MESSAGE', includes: [`frame is not binary (got ${kind})`] }], `non-binary ${kind}`);
      }),
      { numRuns: fuzzRuns(RUNS.nonBinary), seed: fuzzSeed(12) },
    );
  });

  it(`mutated valid envelopes (Heartbeat, bad ClientUpdates fp32/fp16, server-only bodies, Error, protocol v2), mutated before or after chunking (${fuzzRuns(RUNS.mutated)} runs, seed 13)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(seeds.length - 1), byteEdits, fc.option(fc.nat(), { nil: undefined }), fc.boolean(), async (s, edits, cut, afterChunking) => {
        const frames = afterChunking
          ? link.framesOf(seeds[s]).map((f, i) => (i === 0 ? mutateBytes(f, edits, cut) : f))
          : link.framesOf(mutateBytes(seeds[s], edits, cut));
        const outcomes = link.emitFrames(frames);
        await settle(bob, link, outcomes.map((o) => expectationOf(o, 'bob')), `mutated seed ${s}`);
        expect(serverPendingBytes(server, 'bob')).to.equal(link.mirror.pendingBytes).and.to.be.at.most(MAX_MESSAGE);
      }),
      { numRuns: fuzzRuns(RUNS.mutated), seed: fuzzSeed(13) },
    );
  });

  it(`chunk streams in order, shuffled, truncated, duplicated, with a chunk missing, interleaved, with bad headers, declaring up to 2^50 bytes: memory held = data actually received (${fuzzRuns(RUNS.streams)} runs, seed 14)`, async () => {
    const payloads = [seeds[1], seeds[0], seeds[2]];
    let peakPending = 0;
    await fc.assert(
      fc.asyncProperty(chunkStreamCase(payloads.length), async (c) => {
        const outcomes = link.emitFrames(chunkStreamFrames(c, payloads, MAX_MESSAGE));
        await settle(bob, link, outcomes.map((o) => expectationOf(o, 'bob')), `stream ${c.op}`);
        const pending = serverPendingBytes(server, 'bob');
        peakPending = Math.max(peakPending, pending);
        expect(pending).to.equal(link.mirror.pendingBytes).and.to.be.at.most(MAX_MESSAGE);
      }),
      { numRuns: fuzzRuns(RUNS.streams), seed: fuzzSeed(14) },
    );
    expect(peakPending).to.be.greaterThan(0); // truncated transfers were really held (and bounded)
  });

  it(`ClientUpdates with one defect (NaN/±Inf fp32/fp16, transposed or other-width tensors, extra/missing tensors, wrong round, other or overlong client id, bad num_examples, short data, int32 dtype, unasked activations/importance, non-finite metric) each get the error naming it (${fuzzRuns(RUNS.updates)} runs, seed 15)`, async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(defect, benign, async (d, b) => {
        const { body, code, includes } = defectiveUpdate(global, d, b);
        seen.add(d.kind);
        const outcome = link.sendEnvelope(body);
        expect(outcome.kind).to.equal('envelope');
        await settle(bob, link, [{ kind: 'error', code, includes }], `defect ${d.kind}`);
      }),
      { numRuns: fuzzRuns(RUNS.updates), seed: fuzzSeed(15) },
    );
    expect(seen.size).to.equal(14);
  });

  it(`mutated Joins from fresh unjoined sockets get a Welcome or a clear error; the federation is untouched (${fuzzRuns(RUNS.joins)} runs, seed 16)`, async () => {
    const join = encodeEnvelope({ join: { protocolVersion: PROTOCOL_VERSION, clientId: 'carol', authToken: TOKENS.carol, numSamples: 10, labelHistogram: [1, 2, 3] } });
    await fc.assert(
      fc.asyncProperty(byteEdits, fc.option(fc.nat(), { nil: undefined }), async (edits, cut) => {
        const stranger = new RawPeer(url);
        try {
          await within(stranger.connected(), 'stranger connects');
          // Before it joins, a connection may send only a Join-sized message.
          const strangerLink = new FrameLink(stranger.socket, MAX_JOIN_MESSAGE_BYTES);
          const outcomes = strangerLink.emitFrames(strangerLink.framesOf(mutateBytes(join, edits, cut)));
          await settleUntilClosed(stranger, strangerLink, outcomes.map((o) => expectationOf(o, undefined)), 'mutated join');
        } finally {
          stranger.close();
        }
      }),
      { numRuns: fuzzRuns(RUNS.joins), seed: fuzzSeed(16) },
    );
    // An overlong id is refused before it could be echoed into replies and logs; a Join over the pre-join message
    // limit is refused before it is even buffered.
    for (const [length, message] of [
      [30_000, 'join.client_id is 30000 characters long, at most 256 are allowed'],
      [300_000, `transfer 1 declares 300032 bytes, more than the limit of ${MAX_JOIN_MESSAGE_BYTES} for a connection that has not joined; send Join first`],
    ] as const) {
      const stranger = new RawPeer(url);
      try {
        const reply = await within(stranger.join('x'.repeat(length), TOKENS.carol), 'join with a long id');
        expect(reply.error?.message).to.equal(message);
      } finally {
        stranger.close();
      }
    }
  });

  it('after all of it, bob’s valid update is acknowledged and the round completes with alice and bob; alice saw no error', async () => {
    const update = { round: 1, clientId: 'bob', numExamples: 100, weights: modelStateToPayload(global).weights };
    link.sendEnvelope({ clientUpdate: update });
    expect((await within(bob.nextOf('updateAck', 'error'), 'ack of the valid update')).body).to.equal('updateAck');
    const [summary] = await within(server.finished(), 'the round completes');
    expect(summary.participants).to.deep.equal(['alice', 'bob']);
    expect(summary.rejected.every((r) => r.clientIds.every((id) => id === 'bob'))).to.equal(true);
    await within(honest.finished(), 'alice gets the final model');
    expect(honestErrors).to.deep.equal([]);
    expect(logs.some((l) => /internal error/.test(l)), 'no internal server error').to.equal(false);
  });
});
