import { expect } from 'chai';
import { weightedMedian } from '../../server/strategies/fedmedian.js';
import { createStrategy } from '../../server/strategies/index.js';

const set = (...values: number[]) => [{ name: 'w', shape: [values.length], values: Float32Array.from(values) }];

describe('fedmedian: coordinate-wise weighted median', () => {
  it('takes per coordinate the value where the sorted weights reach half the total', () => {
    const out = weightedMedian([set(1, 10), set(2, 20), set(1000, -1000)], [1, 1, 1]);
    expect(Array.from(out[0].values)).to.deep.equal([2, 10]);
    // A heavier client pulls the median to its value, but only with at least half the weight.
    expect(Array.from(weightedMedian([set(1), set(2), set(3)], [1, 1, 3])[0].values)).to.deep.equal([3]);
    expect(Array.from(weightedMedian([set(1), set(2), set(3)], [1, 1, 1.9])[0].values)).to.deep.equal([2]);
  });

  it('one outlier among five cannot move any coordinate beyond the honest values', () => {
    const honest = [set(0.1, 0.2), set(0.12, 0.18), set(0.09, 0.21), set(0.11, 0.19)];
    const out = weightedMedian([...honest, set(1e30, -1e30)], [1, 1, 1, 1, 1])[0].values;
    expect(out[0]).to.be.within(0.09, 0.12);
    expect(out[1]).to.be.within(0.18, 0.21);
  });

  it('is registered as fedmedian and takes no options', async () => {
    expect((await createStrategy('fedmedian')).name).to.equal('fedmedian');
    await createStrategy('fedmedian', { mu: 1 }).then(
      () => expect.fail('accepted an unknown option'),
      (e: Error) => expect(e.message).to.match(/strategy fedmedian does not take option\(s\) mu/),
    );
  });
});
