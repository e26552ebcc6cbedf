import { expect } from 'chai';
import fc from 'fast-check';
import { Random } from '../../scenarios/random.js';

function moments(draws: number[]): { mean: number; variance: number } {
  const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
  const variance = draws.reduce((a, b) => a + (b - mean) ** 2, 0) / draws.length;
  return { mean, variance };
}

describe('scenarios/random: seeded PRNG', () => {
  it('is reproducible for a seed and differs across seeds', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const seqA = Array.from({ length: 50 }, () => a.next());
    expect(Array.from({ length: 50 }, () => b.next())).to.deep.equal(seqA);
    expect(Array.from({ length: 50 }, () => c.next())).to.not.deep.equal(seqA);
    expect(seqA.every((v) => v >= 0 && v < 1)).to.equal(true);
  });

  it('int(n) is uniform-looking over 0..n-1 and shuffle is a permutation', () => {
    const r = new Random(1);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60000; i++) counts[r.int(6)]++;
    for (const c of counts) expect(c).to.be.within(9500, 10500);
    expect(() => r.int(0)).to.throw(/positive integer/);
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 40 }), fc.integer(), (items, seed) => {
        const shuffled = new Random(seed).shuffle([...items]);
        expect([...shuffled].sort((x, y) => x - y)).to.deep.equal([...items].sort((x, y) => x - y));
      }),
    );
  });

  it('gamma(alpha) has mean alpha and variance alpha, for shapes below and above 1', () => {
    const r = new Random(7);
    for (const alpha of [0.1, 0.5, 1, 2.5, 10]) {
      const { mean, variance } = moments(Array.from({ length: 40000 }, () => r.gamma(alpha)));
      expect(mean, `mean of Gamma(${alpha})`).to.be.closeTo(alpha, 0.04 * alpha + 0.01);
      expect(variance, `variance of Gamma(${alpha})`).to.be.closeTo(alpha, 0.1 * alpha + 0.01);
    }
    expect(() => r.gamma(0)).to.throw(/shape must be positive/);
  });

  it('dirichlet(alphas) lies on the simplex with mean alphas/sum', () => {
    const r = new Random(3);
    const alphas = [1, 2, 5];
    const sums = [0, 0, 0];
    const n = 20000;
    let worstSum = 0;
    for (let i = 0; i < n; i++) {
      const p = r.dirichlet(alphas);
      worstSum = Math.max(worstSum, Math.abs(p.reduce((a, b) => a + b, 0) - 1));
      p.forEach((v, j) => (sums[j] += v));
    }
    expect(worstSum).to.be.below(1e-9);
    sums.forEach((s, j) => expect(s / n).to.be.closeTo(alphas[j] / 8, 0.01));
    // tiny alphas put (almost) all mass on one component
    const sparse = r.dirichlet([0.01, 0.01, 0.01, 0.01]);
    expect(Math.max(...sparse)).to.be.above(0.9);
  });
});
