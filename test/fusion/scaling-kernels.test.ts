// The kernels that let fusion scale with the round: the symmetric eigensolver and tridiagonal reduction, shifted
// tridiagonal solves, k-means over explicit features (Elkan-bounded Lloyd) against the Gram form, and the sketched
// k-means geometry against the exact one.
import { expect } from 'chai';
import fc from 'fast-check';
import { EigenvalueDecomposition, Matrix, solve } from 'ml-matrix';
import { weightedKMeans } from '../../server/fusion/kmeans.js';
import { weightedKMeansFeatures } from '../../server/fusion/kmeans-features.js';
import { LeastSquares, TargetsInRange } from '../../server/fusion/least-squares.js';
import { mat, rowDots, rowGram, rowSquaredNorms, transpose, type Mat } from '../../server/fusion/matrix-products.js';
import { exactObjective, orthonormalizeRows, principalBasis, sketchedFeatures } from '../../server/fusion/neuron-sketch.js';
import { seededRandom } from '../../server/fusion/random.js';
import { symmetricEigen, symmetricTridiagonal } from '../../server/fusion/symmetric-eigen.js';
import { ShiftedTridiagonal } from '../../server/fusion/tridiagonal.js';

function randomMat(rows: number, cols: number, seed: number): Mat {
  const r = seededRandom(seed);
  return mat(rows, cols, Float64Array.from({ length: rows * cols }, () => r() * 2 - 1));
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Q·diag·Qᵀ (or Q·T·Qᵀ with the off-diagonal), Q given by its columns. */
function rebuild(q: Mat, diagonal: Float64Array, offDiagonal?: Float64Array): Mat {
  const n = q.rows;
  const t = mat(n, n);
  for (let i = 0; i < n; i++) {
    t.data[i * n + i] = diagonal[i];
    if (offDiagonal && i > 0) t.data[i * n + i - 1] = t.data[(i - 1) * n + i] = offDiagonal[i];
  }
  const qt = rowDots(q, transpose(t)); // Q·T
  return rowDots(qt, q); // Q·T·Qᵀ
}

/** Points around `clusters` random centres, one row each. */
function clusteredPoints(n: number, dim: number, clusters: number, spread: number, seed: number): Mat {
  const centres = randomMat(clusters, dim, seed);
  const r = seededRandom(seed + 1);
  const out = mat(n, dim);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(r() * clusters);
    for (let t = 0; t < dim; t++) out.data[i * dim + t] = 4 * centres.data[c * dim + t] + spread * (r() - 0.5);
  }
  return out;
}

describe('fusion kernels for many parents', () => {
  describe('symmetric eigensolver and tridiagonal reduction', () => {
    for (const n of [1, 2, 7, 40]) {
      it(`n = ${n}: eigenpairs rebuild the matrix and match ml-matrix; Q·T·Qᵀ rebuilds it with Q orthogonal`, () => {
        const a = rowGram(randomMat(n, n + 3, 100 + n));
        const e = symmetricEigen(a);
        expect(maxAbsDiff(rebuild(e.vectors, e.values).data, a.data)).to.be.lessThan(1e-10);
        const ml = new EigenvalueDecomposition(new Matrix(Array.from({ length: n }, (_, i) => Array.from(a.data.subarray(i * n, (i + 1) * n)))), {
          assumeSymmetric: true,
        });
        expect(maxAbsDiff(e.values, ml.realEigenvalues)).to.be.lessThan(1e-10);
        const t = symmetricTridiagonal(a);
        expect(maxAbsDiff(rebuild(t.vectors, t.diagonal, t.offDiagonal).data, a.data)).to.be.lessThan(1e-10);
        const identity = mat(n, n);
        for (let i = 0; i < n; i++) identity.data[i * n + i] = 1;
        expect(maxAbsDiff(rowGram(transpose(t.vectors)).data, identity.data)).to.be.lessThan(1e-12);
      });
    }

    it('names a matrix that is not square or not finite', () => {
      expect(() => symmetricEigen(mat(2, 3))).to.throw(/square/);
      expect(() => symmetricTridiagonal(mat(2, 2, Float64Array.from([1, NaN, NaN, 1])))).to.throw(/not finite/);
    });
  });

  describe('shifted tridiagonal solves', () => {
    it('solve (T + λI)x = b and bᵀ(T + λI)⁻¹b as a dense solve does, for any shift', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 1000 }), fc.double({ min: 1e-6, max: 10, noNaN: true }), (n, seed, lambda) => {
          const t = symmetricTridiagonal(rowGram(randomMat(n, n, seed)));
          const dense = mat(n, n);
          for (let i = 0; i < n; i++) {
            dense.data[i * n + i] = t.diagonal[i] + lambda;
            if (i > 0) dense.data[i * n + i - 1] = dense.data[(i - 1) * n + i] = t.offDiagonal[i];
          }
          const b = randomMat(3, n, seed + 7);
          const expected = solve(new Matrix(Array.from({ length: n }, (_, i) => Array.from(dense.data.subarray(i * n, (i + 1) * n)))), new Matrix(Array.from({ length: n }, (_, i) => [0, 1, 2].map((r) => b.data[r * n + i]))));
          const shifted = new ShiftedTridiagonal(t, lambda);
          const forms = shifted.quadraticForms(b);
          const x = mat(3, n, b.data.slice());
          shifted.solveRows(x);
          const scale = Math.max(1, ...expected.to1DArray().map(Math.abs));
          for (let r = 0; r < 3; r++) {
            for (let i = 0; i < n; i++) expect(Math.abs(x.data[r * n + i] - expected.get(i, r))).to.be.lessThan(1e-8 * scale);
            let form = 0;
            for (let i = 0; i < n; i++) form += b.data[r * n + i] * expected.get(i, r);
            expect(Math.abs(forms[r] - form)).to.be.lessThan(1e-8 * Math.max(1, Math.abs(form)));
          }
        }),
        { numRuns: 40 },
      );
    });

    it('refuses a shift that leaves the system indefinite', () => {
      const t = symmetricTridiagonal(mat(2, 2, Float64Array.from([1, 0, 0, 1])));
      expect(() => new ShiftedTridiagonal(t, -2)).to.throw(/not positive definite/);
    });
  });

  describe('k-means over features', () => {
    it('on exact features, ends where the Gram form ends, from the same random draws (Elkan bounds skip, never decide otherwise)', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 2, max: 12 }), fc.double({ min: 0.1, max: 8, noNaN: true }), (seed, k, spread) => {
          const points = clusteredPoints(120, 6, Math.max(2, k - 2), spread, seed);
          const weights = Float64Array.from({ length: 120 }, (_, i) => 0.5 + ((i * 7919) % 13) / 13);
          const opts = { k, restarts: 3, iterations: 100 };
          const features = weightedKMeansFeatures({ features: points, norms: rowSquaredNorms(points) }, weights, { ...opts, random: seededRandom(seed) });
          const gram = weightedKMeans({ gram: rowGram(points), norms: rowSquaredNorms(points) }, weights, { ...opts, random: seededRandom(seed) });
          expect(Array.from(features.assignment)).to.deep.equal(Array.from(gram.assignment));
          expect(Math.abs(features.cost - gram.cost)).to.be.lessThan(1e-9 * Math.max(1, gram.cost));
        }),
        { numRuns: 30 },
      );
    });

    it('keeps every cluster non-empty, even with duplicate points, and names k > neurons', () => {
      const base = randomMat(4, 3, 5);
      const points = mat(12, 3);
      for (let i = 0; i < 12; i++) points.data.set(base.data.subarray((i % 4) * 3, (i % 4) * 3 + 3), i * 3);
      const res = weightedKMeansFeatures({ features: points, norms: rowSquaredNorms(points) }, new Float64Array(12).fill(1), {
        k: 6,
        restarts: 2,
        iterations: 20,
        random: seededRandom(3),
      });
      expect(new Set(res.assignment).size).to.equal(6);
      expect(() =>
        weightedKMeansFeatures({ features: points, norms: rowSquaredNorms(points) }, new Float64Array(12).fill(1), { k: 13, restarts: 1, iterations: 5, random: seededRandom(1) }),
      ).to.throw(/cannot form 13 groups from 12/);
    });
  });

  describe('sketched geometry', () => {
    it('principal basis: orthonormal rows spanning the leading eigenvectors of the weighted, centred covariance', () => {
      // Points with a steep spectrum: three strong directions, the rest small.
      const r = seededRandom(11);
      const dim = 20;
      const points = mat(300, dim);
      for (let i = 0; i < 300; i++) for (let t = 0; t < dim; t++) points.data[i * dim + t] = (t < 3 ? 10 / (t + 1) : 0.05) * (r() - 0.5) + 3;
      const basis = principalBasis(points, new Float64Array(300).fill(1), 3, seededRandom(12));
      const identity = Float64Array.from({ length: 9 }, (_, i) => (i % 4 === 0 ? 1 : 0));
      expect(maxAbsDiff(rowGram(basis).data, identity)).to.be.lessThan(1e-10);
      // Each basis row lies in the span of the first three coordinates (where the spread is).
      for (let b = 0; b < 3; b++) {
        let outside = 0;
        for (let t = 3; t < dim; t++) outside += basis.data[b * dim + t] ** 2;
        expect(outside).to.be.lessThan(1e-3);
      }
    });

    it('orthonormalises rows that repeat or vanish', () => {
      const a = mat(3, 4, Float64Array.from([1, 1, 0, 0, 2, 2, 0, 0, 0, 0, 0, 0]));
      orthonormalizeRows(a);
      const identity = Float64Array.from({ length: 9 }, (_, i) => (i % 4 === 0 ? 1 : 0));
      expect(maxAbsDiff(rowGram(a).data, identity)).to.be.lessThan(1e-12);
    });

    for (const [samples, inputs, label] of [
      [12, 20, 'min-norm'],
      [30, 7, 'normal equations'],
    ] as const) {
      it(`with as many directions as the space has, the features reproduce ⟨P·aᵢ, aⱼ⟩ and the exact objective the Gram form's cost (${label})`, () => {
        const design = randomMat(samples, inputs, 21);
        const targets = randomMat(40, samples, 22);
        const weights = Float64Array.from({ length: 40 }, (_, i) => 1 + (i % 3));
        const ls = new LeastSquares(design, 1e-3);
        const space = ls.mode === 'min-norm' ? samples : inputs;
        const { features, exactCost } = sketchedFeatures(ls, targets, weights, space, seededRandom(23));
        const gram = ls.projectedGram(targets);
        expect(maxAbsDiff(rowGram(features).data, gram.data)).to.be.lessThan(1e-9 * Math.max(...gram.data.map(Math.abs)));
        const norms = rowSquaredNorms(targets);
        const geom = { gram, norms };
        const res = weightedKMeans(geom, weights, { k: 5, restarts: 1, iterations: 30, random: seededRandom(24) });
        expect(Math.abs(exactObjective(ls, targets, norms, weights, res.assignment, 5) - res.cost)).to.be.lessThan(1e-9 * res.cost);
        if (exactCost) expect(Math.abs(exactCost(res.assignment, weights, 5) - res.cost)).to.be.lessThan(1e-9 * res.cost);
      });
    }

    it('targets in the design’s range: the geometry is their own Gram matrix, as the least-squares projection gives it', () => {
      const design = randomMat(12, 20, 31); // full row rank: every sample vector is some X·w
      const targets = rowDots(randomMat(15, 20, 32), design); // rows X·w
      const exact = new LeastSquares(design, 1e-9).projectedGram(targets);
      const own = new TargetsInRange(12).projectedGram(targets);
      expect(maxAbsDiff(own.data, exact.data)).to.be.lessThan(1e-6 * Math.max(...exact.data.map(Math.abs)));
    });
  });
});
