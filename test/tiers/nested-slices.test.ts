import { expect } from 'chai';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import type { WeightTensor } from '@fedfuse/client/internal/model/weights.js';
import { createStrategy } from '../../server/strategies/index.js';
import { modelTiers } from '../../server/tiers/model-tiers.js';
import { rollingUnits } from '../../server/tiers/sub-model.js';
import type { ClientUpdate } from '../../server/strategies/strategy.js';
import { initialMlp } from '../federation/helpers.js';

const update = (clientId: string, weights: WeightTensor[], numExamples: number): ClientUpdate => ({
  clientId, round: 1, weights, numExamples, activations: [], importance: [], metrics: {}, labelHistogram: [],
});
const filled = (weights: readonly WeightTensor[], v: number) => weights.map((w) => ({ ...w, values: new Float32Array(w.values.length).fill(v) }));

describe('tiers: HeteroFL and FedRolex (nested slices)', () => {
  let global: ModelState;
  before(async () => {
    await initBackend();
    global = initialMlp(); // 784-32-10
  });

  it('HeteroFL: a tier trains the first units; each parameter becomes the mean over the clients holding it, the rest keep their value', async () => {
    const heterofl = await createStrategy('heterofl');
    const tiers = modelTiers([{ name: 'small', width: 0.25 }, { name: 'full', width: 1 }], global.weights);
    const [small, full] = await heterofl.tierModels!({ round: 1, global, seed: 1, tiers });
    expect(small.weights.map((w) => w.shape)).to.deep.equal([[784, 8], [8], [8, 10], [10]]);
    // Kernel row 5, unit 3 of the small model is the global kernel's row 5, unit 3.
    expect(small.weights[0].values[5 * 8 + 3]).to.equal(global.weights[0].values[5 * 32 + 3]);
    expect(small.weights[2].values[7 * 10 + 4]).to.equal(global.weights[2].values[7 * 10 + 4]);
    expect(full).to.equal(global);

    // A full client (3 examples, all 2s) and a small one (1 example, all 6s).
    const { model } = await heterofl.aggregate({ round: 1, global, seed: 1, tiers }, [
      update('a', filled(full.weights, 2), 3),
      update('b', filled(small.weights, 6), 1),
    ]);
    expect(model.weights[0].values[5 * 32 + 3]).to.be.closeTo(3, 1e-6); // (3·2 + 1·6) / 4: both hold it
    expect(model.weights[0].values[5 * 32 + 20]).to.equal(2); // unit 20: only the full client
    expect(model.weights[3].values[9]).to.be.closeTo(3, 1e-6); // output bias: everyone holds it
    // Only the small client this round: the units it does not hold keep the global values.
    const alone = await heterofl.aggregate({ round: 1, global, seed: 1, tiers }, [update('b', filled(small.weights, 6), 1)]);
    expect(alone.model.weights[0].values[5 * 32 + 3]).to.equal(6);
    expect(alone.model.weights[0].values[5 * 32 + 20]).to.equal(global.weights[0].values[5 * 32 + 20]);
    expect(alone.model.weights[2].values[20 * 10 + 1]).to.equal(global.weights[2].values[20 * 10 + 1]);
  });

  it('FedRolex: the window (round + i) mod n rolls by one unit per round and wraps', async () => {
    expect(rollingUnits([8], [3], 2)).to.deep.equal([[2, 3, 4]]);
    expect(rollingUnits([8], [3], 7)).to.deep.equal([[7, 0, 1]]);
    const fedrolex = await createStrategy('fedrolex');
    const tiers = modelTiers([{ name: 'small', width: 0.25 }], global.weights);
    const [small] = await fedrolex.tierModels!({ round: 30, global, seed: 1, tiers });
    // Round 30 of 32 units, 8 kept: units 30, 31, 0, ..., 5; small unit 2 is global unit 0.
    expect(small.weights[1].values[2]).to.equal(global.weights[1].values[0]);
    expect(small.weights[0].values[4 * 8 + 0]).to.equal(global.weights[0].values[4 * 32 + 30]);
    const { model } = await fedrolex.aggregate({ round: 30, global, seed: 1, tiers }, [update('b', filled(small.weights, 6), 1)]);
    expect(model.weights[1].values[31]).to.equal(6);
    expect(model.weights[1].values[6]).to.equal(global.weights[1].values[6]);
  });
});
