import { expect } from 'chai';
import fc from 'fast-check';
import { sampleClients, sampleSize } from '../../server/rounds/client-sampler.js';

describe('client sampler', () => {
  it('sizes samples from a fraction or a count', () => {
    expect(sampleSize(10, 1)).to.equal(10);
    expect(sampleSize(10, 0.3)).to.equal(3);
    expect(sampleSize(10, 0.25)).to.equal(3);
    expect(sampleSize(3, 0.01)).to.equal(1);
    expect(sampleSize(10, 4)).to.equal(4);
    expect(sampleSize(3, 4)).to.equal(3);
    expect(sampleSize(0, 0.5)).to.equal(0);
    expect(() => sampleSize(10, 2.5)).to.throw(/integer count/);
    expect(() => sampleSize(10, 0)).to.throw(/positive/);
  });

  it('is reproducible and independent of connection order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 50 }),
        (ids, seed, round) => {
          const a = sampleClients(ids, 0.4, seed, round);
          const b = sampleClients([...ids].reverse(), 0.4, seed, round);
          expect(a).to.deep.equal(b);
          expect(a).to.have.length(sampleSize(ids.length, 0.4));
          expect(new Set(a).size).to.equal(a.length);
          for (const id of a) expect(ids).to.include(id);
        },
      ),
    );
  });

  it('varies the sample across rounds and seeds', () => {
    const ids = Array.from({ length: 20 }, (_, i) => `client-${i}`);
    const picks = new Set<string>();
    for (let round = 1; round <= 10; round++) picks.add(sampleClients(ids, 0.25, 1, round).join(','));
    expect(picks.size).to.be.greaterThan(5);
    expect(sampleClients(ids, 0.25, 1, 1)).to.not.deep.equal(sampleClients(ids, 0.25, 2, 1));
  });
});
