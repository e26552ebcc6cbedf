import { expect } from 'chai';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { ProtocolError } from '@fedfuse/client/internal/proto/errors.js';
import { ENVELOPE_BODY_NAMES, PROTOCOL_VERSION, decodeEnvelope, encodeEnvelope, type EnvelopeBodyName } from '@fedfuse/client/internal/proto/envelope.js';
import { encodeFloatTensor, encodeInt32Tensor } from '@fedfuse/client/internal/proto/tensor-codec.js';

const { ErrorCode } = fedfuse.v1;

function protocolErrorOf(fn: () => unknown): ProtocolError {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(ProtocolError);
    return e as ProtocolError;
  }
  return expect.fail('expected a ProtocolError');
}

const model: fedfuse.v1.IModelPayload = {
  topologyJson: '{"class_name":"Sequential"}',
  weights: [encodeFloatTensor('dense/kernel', [3, 2], new Float32Array([1, 2, 3, 4, 5, 6]))],
};

/** One fully populated example of every body type (uint64 fields above 2^32 to catch Long handling). */
const EXAMPLES: Record<EnvelopeBodyName, fedfuse.v1.IEnvelope> = {
  join: { join: { protocolVersion: 1, clientId: 'c-1', authToken: 't0k3n', numSamples: 6_000_000_000, labelHistogram: [5, 0, 7] } },
  welcome: { welcome: { protocolVersion: 1, clientId: 'c-1', currentRound: 4, totalRounds: 20 } },
  trainTask: {
    trainTask: {
      round: 4,
      globalModel: model,
      config: {
        localEpochs: 2,
        batchSize: 32,
        learningRate: 0.5,
        optimizer: 'adam',
        proximalMu: 0.25,
        sendActivations: true,
        importanceMethod: 'conductance',
        seed: 99,
        halfPrecision: true,
      },
      probeInputs: encodeFloatTensor('probe', [2, 3], new Float32Array(6).fill(0.5)),
      probeLabels: encodeInt32Tensor('labels', [2], new Int32Array([3, 9])),
      deadlineUnixMs: 1_795_716_000_123,
      probeSha256: 'ab'.repeat(32),
    },
  },
  clientUpdate: {
    clientUpdate: {
      round: 4,
      clientId: 'c-1',
      weights: model.weights,
      numExamples: 5_000_000_001,
      activations: [encodeFloatTensor('level0', [2, 2], new Float32Array([1, -1, 0.5, 2]), { half: true })],
      importance: [encodeFloatTensor('level0', [2], new Float32Array([0.25, 0.75]))],
      metrics: { train_loss: 0.125, train_accuracy: 0.875 },
    },
  },
  updateAck: { updateAck: { round: 4 } },
  roundResult: { roundResult: { round: 4, globalModel: model, metrics: { test_accuracy: 0.9 }, participants: ['c-1', 'c-2'], final: true } },
  error: { error: { code: ErrorCode.UNAVAILABLE, message: 'store unreachable', round: 3, retryAfterMs: 500 } },
  heartbeat: { heartbeat: { sentUnixMs: 1_795_716_000_999 } },
  probeRequest: { probeRequest: { round: 4, probeSha256: 'cd'.repeat(32) } },
  serverStatus: { serverStatus: { state: fedfuse.v1.ServerState.WAITING_FOR_STORE, message: 'waiting for its store', round: 4 } },
};

describe('envelope', () => {
  for (const name of ENVELOPE_BODY_NAMES) {
    it(`round-trips a ${name} envelope`, () => {
      const env = decodeEnvelope(encodeEnvelope(EXAMPLES[name]));
      expect(env.protocolVersion).to.equal(PROTOCOL_VERSION);
      expect(env.body).to.equal(name);
      const want = fedfuse.v1.Envelope.toObject(fedfuse.v1.Envelope.fromObject({ ...EXAMPLES[name], protocolVersion: PROTOCOL_VERSION }), {
        longs: Number,
        bytes: Array,
      });
      expect(fedfuse.v1.Envelope.toObject(env, { longs: Number, bytes: Array })).to.deep.equal(want);
    });
  }

  it('gives 64-bit fields back as plain numbers', () => {
    expect(decodeEnvelope(encodeEnvelope(EXAMPLES.join)).join!.numSamples).to.equal(6_000_000_000);
    expect(decodeEnvelope(encodeEnvelope(EXAMPLES.trainTask)).trainTask!.deadlineUnixMs).to.equal(1_795_716_000_123);
    expect(decodeEnvelope(encodeEnvelope(EXAMPLES.clientUpdate)).clientUpdate!.numExamples).to.equal(5_000_000_001);
    expect(decodeEnvelope(encodeEnvelope(EXAMPLES.heartbeat)).heartbeat!.sentUnixMs).to.equal(1_795_716_000_999);
    expect(decodeEnvelope(encodeEnvelope({ heartbeat: {} })).heartbeat!.sentUnixMs).to.equal(0);
  });

  it('rejects 64-bit values that a JS number cannot hold exactly', () => {
    // Hand-built: Envelope{protocol_version=PROTOCOL_VERSION, heartbeat{sent_unix_ms = 2^63}}.
    const inner = fedfuse.v1.Heartbeat.encode({ sentUnixMs: 0 }).finish();
    expect(inner.byteLength).to.equal(0);
    const huge = [0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01];
    const bytes = new Uint8Array([0x08, PROTOCOL_VERSION, 0x8a, 0x01, huge.length, ...huge]);
    const err = protocolErrorOf(() => decodeEnvelope(bytes));
    expect(err.code).to.equal(ErrorCode.BAD_MESSAGE);
    expect(err.message).to.include('heartbeat.sent_unix_ms');
  });

  it('turns garbage into BAD_MESSAGE "malformed protobuf"', () => {
    for (const garbage of [[0xff, 0xff, 0xff], [0x0a, 0x10, 0x01], [0x08], [0x8a, 0x01, 0x05, 0x08]]) {
      const err = protocolErrorOf(() => decodeEnvelope(new Uint8Array(garbage)));
      expect(ErrorCode[err.code]).to.equal('BAD_MESSAGE');
      expect(err.message).to.match(/^malformed protobuf: /);
    }
  });

  it('rejects another protocol version', () => {
    const other = fedfuse.v1.Envelope.encode({ protocolVersion: PROTOCOL_VERSION + 1, heartbeat: { sentUnixMs: 1 } }).finish();
    const err = protocolErrorOf(() => decodeEnvelope(other));
    expect(ErrorCode[err.code]).to.equal('PROTOCOL_VERSION');
    expect(err.message).to.include(`version ${PROTOCOL_VERSION + 1}`);
    expect(ErrorCode[protocolErrorOf(() => decodeEnvelope(new Uint8Array(0))).code]).to.equal('PROTOCOL_VERSION');
  });

  it('rejects an envelope without a body', () => {
    const bare = fedfuse.v1.Envelope.encode({ protocolVersion: PROTOCOL_VERSION }).finish();
    const err = protocolErrorOf(() => decodeEnvelope(bare));
    expect(ErrorCode[err.code]).to.equal('BAD_MESSAGE');
    expect(err.message).to.include('no body');
  });

  it('refuses to encode no body, two bodies, or ill-typed fields', () => {
    expect(protocolErrorOf(() => encodeEnvelope({})).message).to.include('no body set');
    expect(protocolErrorOf(() => encodeEnvelope({ heartbeat: {}, updateAck: { round: 1 } })).message).to.include('updateAck, heartbeat');
    const bad = { updateAck: { round: 'four' } } as unknown as fedfuse.v1.IEnvelope;
    expect(protocolErrorOf(() => encodeEnvelope(bad)).message).to.include('round');
  });

  it('stamps the protocol version even if the caller sets another', () => {
    const env = decodeEnvelope(encodeEnvelope({ protocolVersion: 7, updateAck: { round: 1 } }));
    expect(env.protocolVersion).to.equal(PROTOCOL_VERSION);
  });
});
