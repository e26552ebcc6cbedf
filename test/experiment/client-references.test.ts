import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { buildModel } from '../../common/model/model-spec.js';
import { modelToState } from '@fedfuse/client/internal/model/model-state.js';
import { evaluateClientReferences } from '../../scenarios/client-references.js';

describe('client reference accuracies (one-shot and per round)', () => {
  before(async () => {
    await initBackend();
  });

  // 200 random inputs labelled by model A's own argmax: A scores 100%, an unrelated model B about chance.
  function fixture() {
    const spec = { kind: 'mlp' as const, widths: [8, 16, 4], activation: 'relu' as const };
    const a = buildModel(spec, 1);
    const b = buildModel(spec, 2);
    const xs = tf.randomNormal([200, 8], 0, 1, 'float32', 3);
    const ys = tf.tidy(() => tf.argMax(a.predict(xs) as tf.Tensor2D, 1).toFloat() as tf.Tensor1D);
    const sa = modelToState(a);
    const sb = modelToState(b);
    a.dispose();
    b.dispose();
    return { sa, sb, test: { xs, ys } };
  }

  it('identical parents: vanilla average and ensemble equal the parent; numTensors does not grow', async () => {
    const { sa, test } = fixture();
    const before = tf.memory().numTensors;
    const r = await evaluateClientReferences(sa.topologyJson, [sa.weights, sa.weights], test);
    expect(tf.memory().numTensors).to.equal(before);
    expect(r.parents).to.deep.equal([1, 1]);
    expect(r.vanilla).to.equal(1);
    expect(r.ensemble).to.equal(1);
    tf.dispose([test.xs, test.ys]);
  });

  it('different parents: each parent scored on its own, the references lie between them and differ from each other', async () => {
    const { sa, sb, test } = fixture();
    const r = await evaluateClientReferences(sa.topologyJson, [sa.weights, sb.weights], test);
    expect(r.parents[0]).to.equal(1);
    expect(r.parents[1]).to.be.below(0.8);
    expect(r.ensemble).to.be.within(r.parents[1], 1);
    expect(r.vanilla).to.be.below(1);
    await evaluateClientReferences(sa.topologyJson, [], test).then(
      () => expect.fail('no parents must be an error'),
      (e: Error) => expect(e.message).to.match(/at least one parent/),
    );
    tf.dispose([test.xs, test.ys]);
  });
});
