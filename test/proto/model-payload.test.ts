import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { buildModel, modelSpecSchema } from '../../common/model/model-spec.js';
import { modelToState, stateToModel, type ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { ProtocolError } from '@fedfuse/client/internal/proto/errors.js';
import { decodeEnvelope, encodeEnvelope } from '@fedfuse/client/internal/proto/envelope.js';
import { modelStateToPayload, payloadToModelState } from '@fedfuse/client/internal/proto/model-payload.js';

const { ErrorCode } = fedfuse.v1;

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(ProtocolError);
    return ErrorCode[(e as ProtocolError).code];
  }
  return 'no error';
}

function viaTrainTask(state: ModelState, half = false): ModelState {
  const env = decodeEnvelope(encodeEnvelope({ trainTask: { round: 3, globalModel: modelStateToPayload(state, { half }) } }));
  return payloadToModelState(env.trainTask!.globalModel!);
}

describe('model payload', () => {
  before(async () => {
    await initBackend();
  });

  it('a real model survives the trip through a TrainTask envelope and predicts identically', async () => {
    const model = buildModel(modelSpecSchema.parse({ kind: 'mlp', widths: [784, 32, 10] }), 7);
    const state = modelToState(model);
    const before = tf.memory().numTensors;
    const back = viaTrainTask(state);
    expect(back.topologyJson).to.equal(state.topologyJson);
    expect(back.weights.map((w) => w.name)).to.deep.equal(state.weights.map((w) => w.name));
    back.weights.forEach((w, i) => {
      expect(w.shape).to.deep.equal(state.weights[i].shape);
      expect(Buffer.from(w.values.buffer, w.values.byteOffset, w.values.byteLength).equals(Buffer.from(state.weights[i].values.buffer, state.weights[i].values.byteOffset, state.weights[i].values.byteLength))).to.equal(true);
    });
    expect(tf.memory().numTensors).to.equal(before); // the codec itself touches no tensors

    const rebuilt = await stateToModel(back);
    const x = tf.randomUniform([4, 784], 0, 1, 'float32', 1);
    const [a, b] = [model.predict(x) as tf.Tensor, rebuilt.predict(x) as tf.Tensor];
    expect(Array.from(await a.data())).to.deep.equal(Array.from(await b.data()));
    tf.dispose([x, a, b]);
    model.dispose();
    rebuilt.dispose();
  });

  it('half precision payload is about half the size and close to the original', () => {
    const state: ModelState = {
      topologyJson: '{"class_name":"Sequential"}',
      weights: [{ name: 'k', shape: [50, 20], values: new Float32Array(1000).map((_, i) => Math.sin(i)) }],
    };
    const full = fedfuse.v1.ModelPayload.encode(modelStateToPayload(state)).finish().byteLength;
    const half = fedfuse.v1.ModelPayload.encode(modelStateToPayload(state, { half: true })).finish().byteLength;
    expect(half).to.be.lessThan(full * 0.55);
    const back = viaTrainTask(state, true);
    back.weights[0].values.forEach((v, i) => expect(Math.abs(v - state.weights[0].values[i])).to.be.at.most(2 ** -11));
  });

  it('rejects empty or invalid topology JSON, too many weights and bad weights', () => {
    const w = [{ name: 'k', shape: [2], values: new Float32Array([1, 2]) }];
    expect(codeOf(() => payloadToModelState({ topologyJson: '', weights: [] }))).to.equal('BAD_MESSAGE');
    expect(codeOf(() => payloadToModelState({ weights: [] }))).to.equal('BAD_MESSAGE');
    expect(codeOf(() => payloadToModelState({ topologyJson: '{"class_name":', weights: [] }))).to.equal('BAD_MESSAGE');
    expect(codeOf(() => payloadToModelState({ topologyJson: '42', weights: [] }))).to.equal('BAD_MESSAGE');
    const ok = modelStateToPayload({ topologyJson: '{}', weights: w });
    expect(codeOf(() => payloadToModelState(ok))).to.equal('no error');
    expect(codeOf(() => payloadToModelState(ok, { maxTensors: 0 }))).to.equal('BAD_MESSAGE');
    expect(codeOf(() => payloadToModelState(ok, { maxTotalElements: 1 }))).to.equal('BAD_TENSOR');
    expect(codeOf(() => payloadToModelState(ok, { expectShapes: [[3]] }))).to.equal('BAD_TENSOR');
    expect(codeOf(() => payloadToModelState(ok, { expectShapes: [[2], [2]] }))).to.equal('BAD_TENSOR');
    const nan = modelStateToPayload({ topologyJson: '{}', weights: [{ name: 'k', shape: [2], values: new Float32Array([1, NaN]) }] });
    expect(codeOf(() => payloadToModelState(nan))).to.equal('BAD_TENSOR');
  });
});
