import { expect } from 'chai';
import fc from 'fast-check';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { ProtocolError } from '@fedfuse/client/internal/proto/errors.js';
import { decodeEnvelope, encodeEnvelope } from '@fedfuse/client/internal/proto/envelope.js';
import { Reassembler, splitIntoChunks } from '@fedfuse/client/internal/proto/chunking.js';
import { decodeFloatTensor, decodeInt32Tensor, encodeFloatTensor, encodeInt32Tensor } from '@fedfuse/client/internal/proto/tensor-codec.js';
import { modelStateToPayload, payloadToModelState } from '@fedfuse/client/internal/proto/model-payload.js';
import { byteEdits, mutateBytes } from '../fuzz/frame-link.js';

const RUNS = 3000;

/** Everything a receiver does with untrusted bytes: decode the envelope, then every tensor and model in it. */
function receive(bytes: Uint8Array): void {
  const env = decodeEnvelope(bytes);
  const limits = { maxElements: 1_000_000 };
  const floatTensors: fedfuse.v1.ITensor[] = [];
  if (env.trainTask) {
    if (env.trainTask.globalModel) payloadToModelState(env.trainTask.globalModel, { maxElementsPerTensor: 1_000_000 });
    if (env.trainTask.probeInputs) floatTensors.push(env.trainTask.probeInputs);
    if (env.trainTask.probeLabels) decodeInt32Tensor(env.trainTask.probeLabels, limits);
  }
  const u = env.clientUpdate;
  if (u) floatTensors.push(...(u.weights ?? []), ...(u.activations ?? []), ...(u.importance ?? []));
  if (env.roundResult?.globalModel) payloadToModelState(env.roundResult.globalModel);
  for (const t of floatTensors) decodeFloatTensor(t, limits);
}

function onlyProtocolErrors(fn: () => void): boolean {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e; // fast-check reports the input that produced it
  }
  return true;
}

const SEEDS: Uint8Array[] = [
  encodeEnvelope({ heartbeat: { sentUnixMs: 123456789 } }),
  encodeEnvelope({ join: { protocolVersion: 1, clientId: 'c', authToken: 'x', numSamples: 60, labelHistogram: [1, 2, 3] } }),
  encodeEnvelope({
    trainTask: {
      round: 2,
      globalModel: modelStateToPayload({ topologyJson: '{"a":1}', weights: [{ name: 'k', shape: [2, 2], values: new Float32Array([1, 2, 3, 4]) }] }),
      config: { localEpochs: 1, batchSize: 8, learningRate: 0.1, optimizer: 'sgd' },
      probeInputs: encodeFloatTensor('p', [2], new Float32Array([0.5, 1])),
      probeLabels: encodeInt32Tensor('l', [2], new Int32Array([1, 0])),
    },
  }),
  encodeEnvelope({
    clientUpdate: {
      round: 2,
      clientId: 'c',
      weights: [encodeFloatTensor('k', [3], new Float32Array([1, 2, 3]), { half: true })],
      numExamples: 10,
      activations: [encodeFloatTensor('a', [1, 2], new Float32Array([1, 2]))],
      metrics: { loss: 1 },
    },
  }),
  encodeEnvelope({ roundResult: { round: 1, participants: ['a'], metrics: { acc: 0.5 }, final: true } }),
];

/** A valid envelope with a few bytes flipped, dropped, inserted or truncated. */
const mutatedEnvelope = fc
  .tuple(fc.constantFrom(...SEEDS), byteEdits, fc.option(fc.nat(), { nil: undefined }))
  .map(([seed, edits, cut]) => mutateBytes(seed, edits, cut));

describe('fuzz: untrusted bytes only ever raise ProtocolError', () => {
  it(`random bytes into decodeEnvelope and the tensor decoders (${RUNS} runs)`, () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => onlyProtocolErrors(() => receive(b))), { numRuns: RUNS, seed: 1 });
  });

  it(`mutated valid envelopes into decodeEnvelope and the tensor decoders (${RUNS} runs)`, () => {
    let accepted = 0;
    fc.assert(
      fc.property(mutatedEnvelope, (b) =>
        onlyProtocolErrors(() => {
          receive(b);
          accepted++;
        }),
      ),
      { numRuns: RUNS, seed: 2 },
    );
    // Some mutations are harmless (e.g. inside a string), so the happy path was exercised too.
    expect(accepted).to.be.greaterThan(0);
  });

  it(`random and mutated chunk frames into one Reassembler (${RUNS} runs)`, () => {
    const r = new Reassembler({ maxMessageBytes: 4096, maxPendingTransfers: 3 });
    const frames = splitIntoChunks(SEEDS[2], 77, 16);
    const frame = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.tuple(fc.constantFrom(...frames), fc.nat(), fc.integer({ min: 0, max: 255 })).map(([f, pos, v]) => {
        const b = f.slice();
        b[pos % b.length] = v;
        return b;
      }),
      fc.constantFrom(...frames),
    );
    fc.assert(
      fc.property(frame, (f) =>
        onlyProtocolErrors(() => {
          const payload = r.push(f);
          if (payload) receive(payload);
          expect(r.pendingBytes).to.be.at.most(4096);
        }),
      ),
      { numRuns: RUNS, seed: 3 },
    );
  });
});
