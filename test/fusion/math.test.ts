// Unit tests of the fusion engine's numeric kernels: Hungarian, least squares (vs ml-matrix), im2col (vs tf.conv2d),
// k-means.
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import fc from 'fast-check';
import { Matrix, pseudoInverse, solve } from 'ml-matrix';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { choleskyFactor } from '../../server/fusion/cholesky.js';
import { hungarian } from '../../server/fusion/hungarian.js';
import { im2col, type ConvGeometry } from '../../server/fusion/im2col.js';
import { weightedKMeans } from '../../server/fusion/kmeans.js';
import { LeastSquares } from '../../server/fusion/least-squares.js';
import { mat, matMul, rowDots, rowGram, transpose, type Mat } from '../../server/fusion/matrix-products.js';
import { seededRandom } from '../../server/fusion/random.js';
import { rowSquaredNorms } from '../../server/fusion/matrix-products.js';

function randomMat(rows: number, cols: number, seed: number): Mat {
  const r = seededRandom(seed);
  return mat(rows, cols, Float64Array.from({ length: rows * cols }, () => r() * 2 - 1));
}

function toMl(a: Mat): Matrix {
  return new Matrix(Array.from({ length: a.rows }, (_, i) => Array.from(a.data.subarray(i * a.cols, (i + 1) * a.cols))));
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function bruteForceAssignment(cost: number[][]): number {
  const n = cost.length;
  let best = Infinity;
  const perm = Array.from({ length: n }, (_, i) => i);
  const rec = (k: number, acc: number) => {
    if (k === n) {
      best = Math.min(best, acc);
      return;
    }
    for (let i = k; i < n; i++) {
      [perm[k], perm[i]] = [perm[i], perm[k]];
      rec(k + 1, acc + cost[k][perm[k]]);
      [perm[k], perm[i]] = [perm[i], perm[k]];
    }
  };
  rec(0, 0);
  return best;
}

describe('fusion math', () => {
  before(async () => {
    await initBackend();
  });

  describe('matrix products', () => {
    it('rowDots, rowGram, matMul and transpose agree with ml-matrix', () => {
      const a = randomMat(7, 5, 1);
      const b = randomMat(6, 5, 2);
      const ml = toMl(a).mmul(toMl(b).transpose()).to1DArray();
      expect(maxAbsDiff(rowDots(a, b).data, ml)).to.be.lessThan(1e-12);
      expect(maxAbsDiff(rowGram(a).data, toMl(a).mmul(toMl(a).transpose()).to1DArray())).to.be.lessThan(1e-12);
      expect(maxAbsDiff(matMul(a, transpose(b)).data, ml)).to.be.lessThan(1e-12);
    });
  });

  describe('hungarian', () => {
    it('finds the minimum-cost assignment (brute force on random matrices)', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
          const c = randomMat(n, n, seed);
          const rows = Array.from({ length: n }, (_, i) => Array.from(c.data.subarray(i * n, (i + 1) * n)));
          const assignment = hungarian(c);
          expect(new Set(assignment).size).to.equal(n);
          const total = Array.from(assignment).reduce((s, j, i) => s + rows[i][j], 0);
          expect(total).to.be.closeTo(bruteForceAssignment(rows), 1e-9);
        }),
        { numRuns: 60 },
      );
    });

    it('recovers a hidden permutation from a distance matrix', () => {
      const n = 40;
      const pts = randomMat(n, 3, 5);
      const perm = Array.from({ length: n }, (_, i) => (i * 7 + 3) % n);
      const cost = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let d = 0;
          for (let t = 0; t < 3; t++) d += (pts.data[i * 3 + t] - pts.data[perm[j] * 3 + t]) ** 2;
          cost[i * n + j] = d;
        }
      }
      const a = hungarian(mat(n, n, cost));
      for (let i = 0; i < n; i++) expect(perm[a[i]]).to.equal(i);
    });

    it('rejects more rows than columns', () => {
      expect(() => hungarian(randomMat(3, 2, 1))).to.throw(/rows <= columns/);
    });
  });

  describe('least squares', () => {
    it('recovers known weights from an overdetermined system and matches ml-matrix', () => {
      const N = 60;
      const d = 8;
      const X = randomMat(N, d, 11);
      const W = randomMat(3, d, 12); // one row of weights per target
      const T = rowDots(W, X); // targets: 3 × N
      const ls = new LeastSquares(X, 0);
      expect(ls.mode).to.equal('normal-equations');
      const got = ls.solve(T);
      expect(maxAbsDiff(got.data, W.data)).to.be.lessThan(1e-9);
      const ml = solve(toMl(X), toMl(transpose(T))); // d × 3
      expect(maxAbsDiff(transpose(got).data, ml.to1DArray())).to.be.lessThan(1e-9);
    });

    it('returns the pseudo-inverse (minimum-norm) solution when underdetermined', () => {
      const N = 10;
      const d = 25;
      const X = randomMat(N, d, 21);
      const T = randomMat(4, N, 22);
      const ls = new LeastSquares(X, 1e-13);
      expect(ls.mode).to.equal('min-norm');
      const got = ls.solve(T); // 4 × d
      const want = pseudoInverse(toMl(X)).mmul(toMl(transpose(T))); // d × 4
      expect(maxAbsDiff(transpose(got).data, want.to1DArray())).to.be.lessThan(1e-7);
      // and it interpolates the targets exactly
      expect(maxAbsDiff(ls.predict(got).data, T.data)).to.be.lessThan(1e-8);
    });

    it('projectedGram equals ⟨P·a, P·b⟩ computed explicitly, in both modes', () => {
      for (const [N, d] of [
        [30, 6],
        [6, 30],
      ]) {
        const X = randomMat(N, d, 31 + N);
        const A = randomMat(5, N, 32 + N);
        const ls = new LeastSquares(X, 1e-12);
        const projected = ls.predict(ls.solve(A)); // P·a per row
        const want = rowGram(projected);
        expect(maxAbsDiff(ls.projectedGram(A).data, want.data)).to.be.lessThan(1e-8);
      }
    });

    it('survives a rank-deficient design with a ridge and explains a singular one without', () => {
      const X = randomMat(40, 5, 41);
      for (let r = 0; r < 40; r++) X.data[r * 5 + 4] = 0; // a dead input column
      const T = randomMat(2, 40, 42);
      const sol = new LeastSquares(X, 1e-8).solve(T);
      expect(Array.from(sol.data).every(Number.isFinite)).to.equal(true);
      expect(Math.abs(sol.data[4])).to.be.lessThan(1e-6);
      expect(() => new LeastSquares(X, 0)).to.throw(/not positive definite.*ridge/);
    });

    it('cholesky factor matches ml-matrix', () => {
      const A = randomMat(12, 12, 51);
      const K = rowGram(A);
      for (let i = 0; i < 12; i++) K.data[i * 13] += 1;
      const L = choleskyFactor(K);
      const rebuilt = rowDots(L, L);
      expect(maxAbsDiff(rebuilt.data, K.data)).to.be.lessThan(1e-10);
    });
  });

  describe('im2col', () => {
    const cases: { shape: [number, number, number, number]; g: ConvGeometry }[] = [
      { shape: [2, 6, 5, 3], g: { kernelSize: [3, 3], strides: [1, 1], dilation: [1, 1], padding: 'valid' } },
      { shape: [2, 7, 6, 2], g: { kernelSize: [3, 2], strides: [2, 2], dilation: [1, 1], padding: 'same' } },
      { shape: [1, 8, 8, 1], g: { kernelSize: [2, 2], strides: [1, 1], dilation: [2, 2], padding: 'same' } },
      { shape: [1, 9, 7, 2], g: { kernelSize: [3, 3], strides: [2, 1], dilation: [1, 1], padding: 'valid' } },
    ];
    for (const { shape, g } of cases) {
      it(`patches · kernel equals tf.conv2d (${shape.join('x')}, k=${g.kernelSize}, s=${g.strides}, d=${g.dilation}, ${g.padding})`, () => {
        const outC = 4;
        const x = tf.randomNormal(shape, 0, 1, 'float32', 1);
        const k = tf.randomNormal([...g.kernelSize, shape[3], outC], 0, 1, 'float32', 2);
        const conv = tf.conv2d(x as tf.Tensor4D, k as tf.Tensor4D, g.strides, g.padding, 'NHWC', g.dilation);
        const patches = im2col(x.dataSync() as Float32Array, shape, g, false);
        const kernel = mat(patches.cols, outC, Float64Array.from(k.dataSync()));
        const got = matMul(patches, kernel);
        expect(got.rows).to.equal(conv.shape[0] * conv.shape[1] * conv.shape[2]);
        expect(maxAbsDiff(got.data, conv.dataSync())).to.be.lessThan(1e-4);
        tf.dispose([x, k, conv]);
      });
    }
  });

  describe('weighted k-means', () => {
    function geometryOf(points: Mat) {
      return { gram: rowGram(points), norms: rowSquaredNorms(points) };
    }

    it('recovers well-separated clusters and puts copies together', () => {
      const centres = randomMat(6, 10, 61);
      const points = new Float64Array(30 * 10);
      const r = seededRandom(62);
      const truth: number[] = [];
      for (let i = 0; i < 30; i++) {
        const c = i % 6;
        truth.push(c);
        for (let t = 0; t < 10; t++) points[i * 10 + t] = 10 * centres.data[c * 10 + t] + 0.01 * r();
      }
      const res = weightedKMeans(geometryOf(mat(30, 10, points)), new Float64Array(30).fill(1), {
        k: 6,
        restarts: 5,
        iterations: 50,
        random: seededRandom(63),
      });
      for (let i = 0; i < 30; i++) {
        for (let j = 0; j < 30; j++) expect(res.assignment[i] === res.assignment[j]).to.equal(truth[i] === truth[j]);
      }
    });

    it('k = number of neurons gives singletons; k > neurons is an error', () => {
      const pts = randomMat(5, 4, 71);
      const res = weightedKMeans(geometryOf(pts), new Float64Array(5).fill(1), { k: 5, restarts: 2, iterations: 10, random: seededRandom(1) });
      expect(new Set(res.assignment).size).to.equal(5);
      expect(() =>
        weightedKMeans(geometryOf(pts), new Float64Array(5).fill(1), { k: 6, restarts: 1, iterations: 10, random: seededRandom(1) }),
      ).to.throw(/cannot form 6 groups from 5/);
    });
  });
});
