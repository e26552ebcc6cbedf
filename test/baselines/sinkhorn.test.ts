import { expect } from 'chai';
import { couplingMap, mapAsPermutation } from '../../server/alignment/neuron-map.js';
import { solveCoupling } from '../../server/alignment/optimal-transport.js';
import { sinkhorn } from '../../server/alignment/sinkhorn.js';
import { seededRandom } from '../../server/fusion/random.js';
import { randomPermutation } from './fixtures.js';

function marginals(plan: Float64Array, rows: number, cols: number): { row: number[]; col: number[] } {
  const row = new Array<number>(rows).fill(0);
  const col = new Array<number>(cols).fill(0);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) {
    row[i] += plan[i * cols + j];
    col[j] += plan[i * cols + j];
  }
  return { row, col };
}

/** Cost with a clear optimum: ~0 on (j, perm[j]), ≥ 1 elsewhere, plus noise. */
function clearCost(perm: Int32Array, seed: number): Float64Array {
  const n = perm.length;
  const random = seededRandom(seed);
  const cost = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) cost[j * n + i] = (i === perm[j] ? 0 : 1) + 0.2 * random();
  return cost;
}

describe('baselines: Sinkhorn and OT couplings', () => {
  it('converges to the exact permutation plan on a clear case with small regularisation, marginals respected', () => {
    const n = 12;
    const perm = randomPermutation(n, 3);
    const result = sinkhorn(clearCost(perm, 4), n, n, undefined, undefined, { epsilon: 0.01, tolerance: 1e-10 });
    expect(result.converged).to.equal(true);
    expect(result.marginalError).to.be.lessThan(1e-9);
    const { row, col } = marginals(result.plan, n, n);
    row.forEach((r) => expect(r).to.be.closeTo(1 / n, 1e-9));
    col.forEach((c) => expect(c).to.be.closeTo(1 / n, 1e-9));
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) expect(result.plan[j * n + i]).to.be.closeTo(i === perm[j] ? 1 / n : 0, 1e-6);
    }
    expect(Array.from(mapAsPermutation(couplingMap(result.plan, n, n)) ?? [])).to.deep.equal(Array.from(perm));
  });

  it('spreads mass with large regularisation but still respects the marginals', () => {
    const n = 6;
    const result = sinkhorn(clearCost(randomPermutation(n, 5), 6), n, n, undefined, undefined, { epsilon: 10 });
    expect(result.converged).to.equal(true);
    // Close to the independent coupling 1/n²: every entry carries mass.
    for (const p of result.plan) expect(p).to.be.greaterThan(0.5 / (n * n));
  });

  it('couples levels of different widths with the requested (non-uniform) marginals', () => {
    const rows = 3;
    const cols = 5;
    const random = seededRandom(9);
    const cost = Float64Array.from({ length: rows * cols }, () => random());
    const a = Float64Array.from([0.2, 0.3, 0.5]);
    const b = Float64Array.from([0.1, 0.1, 0.2, 0.25, 0.35]);
    const result = sinkhorn(cost, rows, cols, a, b, { epsilon: 0.05 });
    const m = marginals(result.plan, rows, cols);
    m.row.forEach((r, i) => expect(r).to.be.closeTo(a[i], 1e-8));
    m.col.forEach((c, j) => expect(c).to.be.closeTo(b[j], 1e-8));
    const coupling = solveCoupling(cost, rows, cols);
    expect(coupling.solver).to.equal('sinkhorn');
    // Barycentric rows are convex combinations.
    for (const row of coupling.map.rows) expect(row.weight.reduce((s, w) => s + w, 0)).to.be.closeTo(1, 1e-12);
  });

  it('solves equal widths exactly with the assignment solver', () => {
    const n = 9;
    const perm = randomPermutation(n, 11);
    const coupling = solveCoupling(clearCost(perm, 12), n, n);
    expect(coupling.solver).to.equal('exact');
    expect(Array.from(mapAsPermutation(coupling.map) ?? [])).to.deep.equal(Array.from(perm));
    const { row, col } = marginals(coupling.plan, n, n);
    [...row, ...col].forEach((x) => expect(x).to.be.closeTo(1 / n, 1e-15));
  });

  it('reports bad input clearly', () => {
    expect(() => solveCoupling(new Float64Array(6), 2, 3, { solver: 'exact' })).to.throw(/exact OT needs equal widths.*sinkhorn/);
    expect(() => sinkhorn(new Float64Array(4), 2, 2, Float64Array.from([0.7, 0.7]))).to.throw(/marginal a must sum to 1/);
    expect(() => sinkhorn(new Float64Array(5), 2, 2)).to.throw(/cost has 5 entries, expected 2x2/);
    expect(() => sinkhorn(Float64Array.from([0, NaN, 1, 1]), 2, 2)).to.throw(/non-finite/);
    expect(() => sinkhorn(new Float64Array(4), 2, 2, undefined, undefined, { epsilon: 0 })).to.throw(/epsilon must be positive/);
  });
});
