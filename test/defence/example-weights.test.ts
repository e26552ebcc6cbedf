import { expect } from 'chai';
import { boundExampleWeights, exampleWeightOptionsSchema } from '../../server/defence/example-weights.js';
import type { ClientUpdate } from '../../server/strategies/strategy.js';

function update(clientId: string, numExamples: number): ClientUpdate {
  return { clientId, round: 1, weights: [], numExamples, activations: [], importance: [], metrics: {}, labelHistogram: [] };
}

const settings = (o: object = {}) => exampleWeightOptionsSchema.parse(o);

describe('defence: bounded example weights (issue 11, item 8)', () => {
  it('by default believes claims up to 10 × the round’s lower median (FedAvg) and weighs an implausible one as the median (issue 19); medianMultiple 1 caps every claim at the median, saying why', () => {
    const round = [update('a', 400), update('b', 400), update('m', 1e12), update('c', 300)];
    expect(boundExampleWeights(round, new Map(), settings()).capped).to.deep.equal([
      { clientId: 'm', claimed: 1e12, weighed: 400, reason: "the round's median of 400: a claim above 10 × the median is not believed" },
    ]);
    expect(boundExampleWeights(round, new Map(), settings({ implausibleMultiple: false })).capped).to.deep.equal([]);
    // The most skewed honest split measured (5.2 × its lower median): weighed as claimed.
    expect(boundExampleWeights([6468, 822, 825, 914, 2387, 4522, 1246, 2416].map((n, i) => update(`c${i}`, n)), new Map(), settings()).capped).to.deep.equal([]);
    // Just under the multiple is believed: the rule stops implausible claims, not a liar who stays plausible.
    expect(boundExampleWeights([update('a', 400), update('b', 400), update('m', 3999)], new Map(), settings()).capped).to.deep.equal([]);
    expect(() => settings({ implausibleMultiple: 0.5 })).to.throw(/must be a number ≥ 1, or false/);
    const { updates, capped } = boundExampleWeights(round, new Map(), settings({ medianMultiple: 1 }));
    expect(updates.map((u) => u.numExamples)).to.deep.equal([400, 400, 400, 300]);
    expect(capped).to.deep.equal([{ clientId: 'm', claimed: 1e12, weighed: 400, reason: "1 × the round's median of 400" }]);
  });

  it('two clients: the lower median, so the larger claim cannot lift the cap; medianMultiple relaxes it', () => {
    expect(boundExampleWeights([update('a', 250), update('m', 1e12)], new Map(), settings({ medianMultiple: 1 })).updates.map((u) => u.numExamples)).to.deep.equal([250, 250]);
    expect(boundExampleWeights([update('a', 250), update('b', 400)], new Map(), settings({ medianMultiple: 2 })).capped).to.deep.equal([]);
  });

  it('never more than declared at the first join, nor than maxExamples', () => {
    const declared = new Map([['a', 100]]);
    const { updates, capped } = boundExampleWeights([update('a', 5000), update('b', 5000), update('c', 5000)], declared, settings({ maxExamples: 1000, medianMultiple: 10 }));
    expect(updates.map((u) => u.numExamples)).to.deep.equal([100, 1000, 1000]);
    expect(capped[0].reason).to.equal('the 100 examples it declared when it first joined');
    expect(capped[1].reason).to.equal('maxExamples 1000');
  });

  it('leaves updates that are within every bound untouched (the same objects)', () => {
    const ups = [update('a', 10), update('b', 10)];
    expect(boundExampleWeights(ups, new Map(), settings()).updates).to.deep.equal(ups);
  });
});
