import { expect } from 'chai';
import fc from 'fast-check';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { buildModel } from '../../common/model/model-spec.js';
import { modelToState, type ModelState } from '@fedfuse/client/internal/model/model-state.js';
import type { WeightTensor } from '@fedfuse/client/internal/model/weights.js';
import { median, medianAbsoluteDeviation } from '../../server/defence/robust-statistics.js';
import { updateNorm } from '../../server/defence/update-norm.js';
import { maxExclusions, screenUpdates, type UpdateScore } from '../../server/defence/screening-rule.js';
import {
  DEFAULT_DISTANCE_MEDIAN_MULTIPLE,
  DEFAULT_GUARD,
  DEFAULT_MAX_ABS_WEIGHT,
  parseScreeningOptions,
  type ScreeningOptions,
} from '../../server/defence/screening-options.js';
import { screenRound } from '../../server/defence/screen-round.js';
import { probeAccuracies } from '../../server/defence/probe-accuracy.js';
import { parseServerConfig } from '../../server/config.js';
import { parseScenario } from '../../scenarios/load-scenario.js';
import type { ClientUpdate } from '../../server/strategies/strategy.js';
import { quietServer } from '../federation/helpers.js';

const settings = (o: ScreeningOptions) => parseScreeningOptions(o, 'test');
const NORM = settings({ norm: {} });
const BOTH = settings({ norm: { madMultiple: 3 }, probeAccuracy: { margin: 0.2 } });

function weightsOf(values: number[][]): WeightTensor[] {
  return values.map((v, i) => ({ name: `w${i}`, shape: [v.length], values: Float32Array.from(v) }));
}

function updateOf(clientId: string, weights: WeightTensor[]): ClientUpdate {
  return { clientId, round: 1, weights, numExamples: 10, activations: [], importance: [], metrics: {}, labelHistogram: [] };
}

/** global + scale · delta, tensor by tensor. */
function moved(global: WeightTensor[], delta: number[][], scale: number): WeightTensor[] {
  return global.map((w, t) => ({ ...w, values: w.values.map((v, i) => v + scale * delta[t][i]) }));
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `c${String(i).padStart(2, '0')}`);

describe('defence: robust statistics and update norm', () => {
  it('median and MAD of small lists', () => {
    expect(median([3, 1, 2])).to.equal(2);
    expect(median([4, 1, 3, 2])).to.equal(2.5);
    expect(medianAbsoluteDeviation([1, 2, 3, 4, 100])).to.equal(1);
    expect(() => median([])).to.throw(/empty/);
  });

  it('the norm is the L2 distance over all tensors and scales with the update', () => {
    const global = weightsOf([[0, 0], [1]]);
    expect(updateNorm(weightsOf([[3, 0], [5]]), global)).to.equal(5);
    expect(() => updateNorm(weightsOf([[1]]), global)).to.throw(/1 weight tensors but the global model has 2/);
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: -100, max: 100 }),
        (delta, c) => {
          const g = weightsOf([delta.map(() => 0)]);
          const base = updateNorm(weightsOf([delta]), g);
          const scaled = updateNorm(weightsOf([delta.map((d) => c * d)]), g);
          // Weights are float32: c·d is rounded to 24 bits.
          return Math.abs(scaled - Math.abs(c) * base) <= 1e-6 * (1e-30 + Math.abs(c) * base);
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });
});

describe('defence: the screening rule', () => {
  it('never excludes anything when all updates are identical (any count, either rule, any minUpdates)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 15 }),
        fc.array(fc.float({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 20 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 15 }),
        async (n, delta, accuracy, minUpdates) => {
          const global = weightsOf([delta.map(() => 0.5)]);
          const same = moved(global, [delta], 1);
          const updates = ids(n).map((id) => updateOf(id, same));
          const byNorm = await screenRound({ topologyJson: '{}', weights: global }, updates, NORM, undefined, minUpdates);
          const scores = ids(n).map((clientId) => ({ clientId, norm: byNorm.scores[0].norm, probeAccuracy: accuracy }));
          const both = screenUpdates(scores, BOTH, minUpdates);
          return byNorm.excluded.length + byNorm.spared.length + both.excluded.length + both.spared.length === 0 &&
            byNorm.kept.length === n;
        },
      ),
      { numRuns: 300, seed: 12 },
    );
  });

  it('always excludes an update scaled ×100 among ≥ 3 honest ones (weights differ, norms within a factor of 3)', async () => {
    const entry = fc.tuple(fc.double({ min: 0.5, max: 1.5, noNaN: true }), fc.boolean()).map(([m, neg]) => (neg ? -m : m));
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 40 }).chain((d) =>
          fc.record({
            global: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: d, maxLength: d }),
            honest: fc.array(fc.array(entry, { minLength: d, maxLength: d }), { minLength: 3, maxLength: 12 }),
            attack: fc.array(entry, { minLength: d, maxLength: d }),
          }),
        ),
        fc.nat(),
        fc.nat(),
        async ({ global, honest, attack }, minPick, slot) => {
          const g = weightsOf([global]);
          const updates = honest.map((delta, i) => updateOf(`honest-${i}`, moved(g, [delta], 1)));
          updates.splice(slot % (updates.length + 1), 0, updateOf('attacker', moved(g, [attack], 100)));
          const minUpdates = 1 + (minPick % honest.length); // ≤ the honest count: leaves room to exclude one
          const r = await screenRound({ topologyJson: '{}', weights: g }, updates, NORM, undefined, minUpdates);
          // The default rule (5 × the median distance): honest distances within ×3 of each other are never flagged.
          return r.excluded.length === 1 && r.excluded[0]?.clientId === 'attacker' &&
            /update distance .* from the global model is above 5 × the round's median/.test(r.excluded[0].reason) &&
            !r.kept.some((u) => u.clientId === 'attacker');
        },
      ),
      { numRuns: 200, seed: 13 },
    );
  });

  it('never excludes a majority nor leaves fewer than minUpdates; excluded + spared = every flagged update, most outlying first', () => {
    const score = fc.record({
      norm: fc.oneof(fc.double({ min: 0, max: 10, noNaN: true }), fc.double({ min: 0, max: 1e6, noNaN: true })),
      probeAccuracy: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.array(score, { minLength: 1, maxLength: 20 }),
        fc.nat(),
        fc.double({ min: 0.5, max: 5, noNaN: true }),
        fc.option(fc.double({ min: 0.1, max: 100, noNaN: true }), { nil: undefined }),
        (raw, minPick, madMultiple, maxNorm) => {
          const n = raw.length;
          const scores: UpdateScore[] = raw.map((s, i) => ({ clientId: ids(n)[i], ...s }));
          const minUpdates = 1 + (minPick % n);
          const s = settings({ norm: { madMultiple, maxNorm }, probeAccuracy: { margin: 0.1 } });
          const { excluded, spared } = screenUpdates(scores, s, minUpdates);
          const cap = maxExclusions(n, minUpdates);
          expect(excluded.length).to.be.at.most(cap);
          expect(excluded.length).to.be.below(n / 2);
          expect(n - excluded.length).to.be.at.least(minUpdates);
          if (spared.length > 0) expect(excluded.length).to.equal(cap);
          const all = [...excluded, ...spared].map((e) => e.clientId);
          expect(new Set(all).size).to.equal(all.length);
          // With the relative norm rule alone, severity grows with the norm: the largest norms go first.
          const byNorm = screenUpdates(scores, settings({ norm: { madMultiple } }), minUpdates);
          const normOf = (e: { clientId: string }) => scores.find((x) => x.clientId === e.clientId)!.norm;
          const lowestExcluded = Math.min(...byNorm.excluded.map(normOf));
          expect(byNorm.spared.every((e) => normOf(e) <= lowestExcluded)).to.equal(true);
        },
      ),
      { numRuns: 500, seed: 14 },
    );
    expect([1, 2, 3, 4, 5, 6].map((n) => maxExclusions(n, 1))).to.deep.equal([0, 0, 1, 1, 2, 2]);
    expect(maxExclusions(5, 4)).to.equal(1);
    expect(maxExclusions(3, 5)).to.equal(0);
  });

  it('excludes the most outlying first when more are flagged than the cap allows, and reports the rest as spared', () => {
    const scores: UpdateScore[] = [
      { clientId: 'a', norm: 1 },
      { clientId: 'b', norm: 1.1 },
      { clientId: 'c', norm: 0.9 },
      { clientId: 'd', norm: 30 },
      { clientId: 'e', norm: 50 },
    ];
    const r = screenUpdates(scores, settings({ norm: {} }), 4);
    expect(r.excluded.map((e) => e.clientId)).to.deep.equal(['e']);
    expect(r.spared.map((e) => e.clientId)).to.deep.equal(['d']);
    expect(screenUpdates(scores, settings({ norm: {} }), 1).excluded.map((e) => e.clientId)).to.deep.equal(['e', 'd']);
  });

  it('maxNorm excludes above an absolute bound, but two clients never exclude each other', () => {
    const s = settings({ norm: { madMultiple: 100, maxNorm: 2 } });
    const three = screenUpdates([{ clientId: 'a', norm: 1 }, { clientId: 'b', norm: 1.5 }, { clientId: 'c', norm: 2.5 }], s, 1);
    expect(three.excluded).to.deep.equal([{ clientId: 'c', reason: 'update norm 2.500 is above maxNorm 2.000' }]);
    const two = screenUpdates([{ clientId: 'a', norm: 1 }, { clientId: 'b', norm: 9 }], s, 1);
    expect(two.excluded).to.deep.equal([]);
    expect(two.spared.map((e) => e.clientId)).to.deep.equal(['b']);
  });

  it('probe accuracy: excludes below median − margin with a reason giving the numbers; off without its block', () => {
    const scores: UpdateScore[] = [0.91, 0.88, 0.9, 0.12, 0.86].map((probeAccuracy, i) => ({
      clientId: ids(5)[i],
      norm: 1,
      probeAccuracy,
    }));
    const r = screenUpdates(scores, settings({ probeAccuracy: {} }), 1);
    expect(r.excluded).to.deep.equal([
      { clientId: 'c03', reason: "probe accuracy 12.0% is below the round's median 88.0% − margin 20.0% = 68.0%" },
    ]);
    expect(screenUpdates(scores, settings({ norm: {} }), 1).excluded).to.deep.equal([]);
    expect(screenUpdates(scores, settings({}), 1).excluded).to.deep.equal([]);
  });

  it("evaluates each update's model on the labelled probe set", async () => {
    await initBackend();
    const model = buildModel({ kind: 'mlp', widths: [2, 2], activation: 'relu' }, 1);
    const global: ModelState = modelToState(model);
    model.dispose();
    // A linear 2→2 layer: identity kernel predicts argmax(x), the negated one the other class.
    const identity = weightsOf([[1, 0, 0, 1], [0, 0]]).map((w, i) => ({ ...w, shape: global.weights[i].shape }));
    const flipped = identity.map((w) => ({ ...w, values: w.values.map((v) => -v) }));
    const x = { shape: [4, 2], values: Float32Array.from([1, 0, 0, 1, 2, 1, 0.5, 3]) };
    const y = Int32Array.from([0, 1, 0, 1]);
    expect(await probeAccuracies(global, [identity, flipped], { x, y })).to.deep.equal([1, 0]);
  });
});

describe('defence: configuration', () => {
  before(() => initBackend());
  it('names the offending field in options, the server config file and scenario files', () => {
    expect(() => parseScreeningOptions({ norm: { k: 3 } }, 'defence')).to.throw(/defence\.norm: .*"k"/);
    expect(() => parseScreeningOptions({ norm: { madMultiple: -1 } }, 'defence')).to.throw(/defence\.norm\.madMultiple/);
    expect(() => parseScreeningOptions({ probeAccuracy: { margin: 2 } }, 'defence')).to.throw(/probeAccuracy\.margin/);
    const defaults = { maxAbsWeight: DEFAULT_MAX_ABS_WEIGHT, guard: DEFAULT_GUARD };
    expect(settings({ norm: {}, probeAccuracy: {} })).to.deep.equal({
      norm: { medianMultiple: DEFAULT_DISTANCE_MEDIAN_MULTIPLE },
      probeAccuracy: { margin: 0.2 },
      ...defaults,
    });
    // Parsed settings parse to themselves (a scenario hands its parsed block to the server).
    for (const raw of [undefined, 'off', { norm: { madMultiple: 3 } }, { norm: false, guard: false }] as const) {
      const once = parseScreeningOptions(raw, 'defence');
      expect(parseScreeningOptions(once, 'defence')).to.deep.equal(once);
    }
    // Issue 19: nothing configured is the defaults, not "off"; 'off' and false switch parts off.
    expect(parseScreeningOptions(undefined, 'defence')).to.deep.equal({ norm: { medianMultiple: DEFAULT_DISTANCE_MEDIAN_MULTIPLE }, ...defaults });
    expect(settings('off')).to.deep.equal({ norm: false, maxAbsWeight: false, guard: false });
    expect(settings(false)).to.deep.equal(settings('off'));
    expect(settings({ norm: false, guard: { maxLossIncrease: 2 } })).to.deep.equal({ norm: false, maxAbsWeight: DEFAULT_MAX_ABS_WEIGHT, guard: { maxLossIncrease: 2, standardErrors: 3 } });
    expect(settings({ norm: { medianMultiple: false, madMultiple: 3 } }).norm).to.deep.equal({ medianMultiple: false, madMultiple: 3 });
    expect(() => parseScreeningOptions({ norm: { medianMultiple: 1 } }, 'defence')).to.throw(/defence\.norm\.medianMultiple: must be a number above 1, or false/);
    expect(() => parseScreeningOptions({ maxAbsWeight: -5 }, 'defence')).to.throw(/defence\.maxAbsWeight: must be a number above 0, or false/);
    expect(() => parseScreeningOptions({ norm: true }, 'defence')).to.throw(/defence\.norm: expected false \(off\) or an object/);
    expect(() => parseScreeningOptions({ guard: { standardErrors: -1 } }, 'defence')).to.throw(/defence\.guard\.standardErrors/);
    expect(() => parseScreeningOptions('on', 'defence')).to.throw(/defence\.\(top level\)/);

    const base = { rounds: 1, tokens: { a: 'a-long-token' }, model: { kind: 'mlp', widths: [4, 2] } };
    expect(parseServerConfig({ ...base, defence: { norm: { maxNorm: 5 } } }).defence).to.deep.equal({
      norm: { medianMultiple: DEFAULT_DISTANCE_MEDIAN_MULTIPLE, maxNorm: 5 },
      ...defaults,
    });
    expect(parseServerConfig({ ...base, defence: 'off' }).defence).to.deep.equal({ norm: false, maxAbsWeight: false, guard: false });
    expect(() => parseServerConfig({ ...base, defence: { maxAbsWeight: 'big' } })).to.throw(/defence\.maxAbsWeight: must be a number/);
    expect(() => parseServerConfig({ ...base, defence: { nrom: {} } })).to.throw(/defence: .*"nrom"/);
    expect(() => parseServerConfig({ ...base, defence: { probeAccuracy: { margin: 0 } } })).to.throw(/defence\.probeAccuracy\.margin/);

    const scenario = {
      name: 's', dataset: 'mnist', partition: { kind: 'iid' }, clients: 3, rounds: 1, seed: 1,
      local: { epochs: 1, batchSize: 32, learningRate: 0.05 }, model: { kind: 'mlp', widths: [784, 10] },
      strategy: { name: 'fedavg' },
    };
    expect(parseScenario({ ...scenario, defence: { probeAccuracy: { margin: 0.3 } } }).defence).to.deep.equal({
      norm: { medianMultiple: DEFAULT_DISTANCE_MEDIAN_MULTIPLE },
      probeAccuracy: { margin: 0.3 },
      ...defaults,
    });
    expect(parseScenario(scenario).defence).to.equal(undefined);
    expect(() => parseScenario({ ...scenario, defence: { norm: { madMultiple: 'x' } } })).to.throw(/defence\.norm\.madMultiple/);
  });

  it('the server refuses probeAccuracy screening without a labelled probe set, and bad options', () => {
    expect(() => quietServer({ rounds: 1, defence: { probeAccuracy: {} } })).to.throw(/defence\.probeAccuracy needs a labelled probe set/);
    expect(() => quietServer({ rounds: 1, defence: { norm: { madMultiple: 0 } } })).to.throw(/defence\.norm\.madMultiple/);
  });
});
