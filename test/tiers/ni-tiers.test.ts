import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import type { LocalData } from '@fedfuse/client';
import { createStrategy } from '../../server/strategies/index.js';
import { modelTiers } from '../../server/tiers/model-tiers.js';
import type { ClientUpdate, RoundContext } from '../../server/strategies/strategy.js';
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { disposeData, initialMlp, mnistSlice } from '../federation/helpers.js';

const shapes = (m: ModelState) => m.weights.map((w) => w.shape);

describe('tiers: neuron interpolation of models of different widths', function () {
  this.timeout(60_000);
  let probe: LocalData;
  before(async () => {
    await initBackend();
    probe = await mnistSlice(30_000, 100);
  });
  after(() => disposeData(probe));

  it('fuses a round whose updates are all narrower than the global model (the global model keeps the units they do not reach)', async () => {
    const global = initialMlp(); // 784-32-10
    const tiers = modelTiers([{ name: 'small', width: 0.25 }, { name: 'half', width: 0.5 }, { name: 'full', width: 1 }], global.weights);
    const ctx: RoundContext & { tiers: typeof tiers } = {
      round: 1, global, seed: 1, tiers,
      probe: { x: { shape: [...probe.xs.shape], values: probe.xs.dataSync() as Float32Array }, y: probe.ys.dataSync() as Int32Array },
    };
    const ni = await createStrategy('neuron-interpolation');
    const tensors = tf.memory().numTensors;
    const [small, half, full] = await ni.tierModels!(ctx);
    expect([shapes(small), shapes(half)]).to.deep.equal([[[784, 8], [8], [8, 10], [10]], [[784, 16], [16], [16, 10], [10]]]);
    expect(full).to.equal(global);
    // Only one small-tier client answered: 8 hidden neurons for a 32-unit global model, and for the 16-unit half tier.
    const update: ClientUpdate = { clientId: 'a', round: 1, weights: small.weights, numExamples: 50, activations: [], importance: [], metrics: {}, labelHistogram: [] };
    const { model } = await ni.aggregate(ctx, [update]);
    expect(shapes(model)).to.deep.equal(shapes(global));
    expect(model.weights.every((w) => w.values.every(Number.isFinite))).to.equal(true);
    const next = await ni.tierModels!({ ...ctx, round: 2, global: model }, [update]);
    expect(next.map(shapes)).to.deep.equal([shapes(small), shapes(half), shapes(global)]);
    expect(tf.memory().numTensors).to.equal(tensors);
  });
});
