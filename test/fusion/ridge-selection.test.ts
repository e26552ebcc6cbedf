// Ridge selection from held-out rows: the closed-form leave-one-out and the per-fold K-fold errors must equal
// refitting without the held-out rows (brute force), and the choice must follow the data: a tiny ridge when the
// targets are an exact linear function of the inputs, a large one (or keeping the prior) when they are noise.
import { expect } from 'chai';
import { LeastSquares } from '../../server/fusion/least-squares.js';
import { mat, rowDots, type Mat } from '../../server/fusion/matrix-products.js';
import { seededRandom } from '../../server/fusion/random.js';
import { DEFAULT_RIDGE_GRID, HeldOutRidge, selectRidge } from '../../server/fusion/ridge-selection.js';

function randomMat(rows: number, cols: number, seed: number): Mat {
  const r = seededRandom(seed);
  return mat(rows, cols, Float64Array.from({ length: rows * cols }, () => r() * 2 - 1));
}

/** Rows of `a` whose index passes `keep`. */
function rowsWhere(a: Mat, keep: (i: number) => boolean): Mat {
  const idx = Array.from({ length: a.rows }, (_, i) => i).filter(keep);
  const out = new Float64Array(idx.length * a.cols);
  idx.forEach((r, i) => out.set(a.data.subarray(r * a.cols, (r + 1) * a.cols), i * a.cols));
  return mat(idx.length, a.cols, out);
}

/** Columns of `a` (targets are one row per neuron, one column per sample) whose index passes `keep`. */
function colsWhere(a: Mat, keep: (i: number) => boolean): Mat {
  const idx = Array.from({ length: a.cols }, (_, i) => i).filter(keep);
  const out = new Float64Array(a.rows * idx.length);
  for (let r = 0; r < a.rows; r++) idx.forEach((c, j) => (out[r * idx.length + j] = a.data[r * a.cols + c]));
  return mat(a.rows, idx.length, out);
}

/** Held-out MSE by refitting without each group of rows, with the ABSOLUTE ridge λ. */
function bruteForce(design: Mat, targets: Mat, lambda: number, groupOf: (row: number) => number, groups: number): number {
  let sum = 0;
  for (let g = 0; g < groups; g++) {
    const trainX = rowsWhere(design, (i) => groupOf(i) !== g);
    const testX = rowsWhere(design, (i) => groupOf(i) === g);
    const trainT = colsWhere(targets, (i) => groupOf(i) !== g);
    const testT = colsWhere(targets, (i) => groupOf(i) === g);
    // LeastSquares scales a relative ridge by the mean Gram diagonal; undo that to apply λ exactly.
    let trace = 0;
    for (const v of trainX.data) trace += v * v;
    const w = new LeastSquares(trainX, lambda / (trace / Math.min(trainX.rows, trainX.cols))).solve(trainT);
    const pred = rowDots(w, testX);
    for (let i = 0; i < pred.data.length; i++) sum += (pred.data[i] - testT.data[i]) ** 2;
  }
  return sum / (targets.rows * targets.cols);
}

function absoluteLambda(design: Mat, relative: number): number {
  let trace = 0;
  for (const v of design.data) trace += v * v;
  return (relative * trace) / Math.min(design.rows, design.cols);
}

describe('ridge selection', () => {
  for (const [rows, cols, label] of [
    [12, 20, 'fewer samples than features (min-norm side)'],
    [30, 7, 'more samples than features (normal equations)'],
  ] as const) {
    it(`leave-one-out errors equal refitting without each row: ${label}`, () => {
      const design = randomMat(rows, cols, 1);
      const targets = randomMat(3, rows, 2);
      const grid = [1e-3, 0.1, 2];
      const heldOut = new HeldOutRidge(design, 1);
      expect(heldOut.method).to.equal('leave-one-out');
      const result = selectRidge(heldOut, targets, { grid, includeInfinity: false });
      grid.forEach((r, i) => {
        const expected = bruteForce(design, targets, absoluteLambda(design, r), (row) => row, rows);
        expect(result.tried[i].heldOutScore).to.be.closeTo(expected, 1e-9 * Math.max(1, expected));
      });
    });
  }

  it('K-fold over whole inputs (conv rows) equals refitting without each fold', () => {
    const rowsPerInput = 4;
    const inputs = 10;
    const design = randomMat(inputs * rowsPerInput, 6, 3);
    const targets = randomMat(2, inputs * rowsPerInput, 4);
    const grid = [1e-4, 0.3];
    const heldOut = new HeldOutRidge(design, rowsPerInput, 5);
    expect(heldOut.method).to.equal('k-fold');
    const result = selectRidge(heldOut, targets, { grid, includeInfinity: false });
    // Folds are contiguous blocks of whole inputs: input i belongs to fold floor(i * 5 / 10).
    const foldOf = (row: number) => Math.floor((Math.floor(row / rowsPerInput) * 5) / inputs);
    grid.forEach((r, i) => {
      const expected = bruteForce(design, targets, absoluteLambda(design, r), foldOf, 5);
      expect(result.tried[i].heldOutScore).to.be.closeTo(expected, 1e-9 * Math.max(1, expected));
      // The same numbers from the per-fold Gram matrices alone, and from the full held-out residuals.
      const residuals = heldOut.residuals(targets, [r])[0];
      expect(residuals.data.reduce((a, v) => a + v * v, 0) / residuals.data.length).to.be.closeTo(expected, 1e-9 * Math.max(1, expected));
    });
  });

  it('picks a tiny ridge for an exact linear target and keeps the prior for pure noise', () => {
    const design = randomMat(40, 10, 5);
    const truth = randomMat(3, 10, 6);
    const exact = rowDots(truth, design);
    const heldOut = new HeldOutRidge(design, 1);
    const linear = selectRidge(heldOut, exact, { includeInfinity: true });
    expect(linear.ridge).to.equal(DEFAULT_RIDGE_GRID[0]);
    const noise = randomMat(3, 40, 7);
    const noisy = selectRidge(heldOut, noise, { includeInfinity: true });
    // Noise unrelated to the inputs is best predicted by no change at all (or a very large ridge).
    expect(noisy.ridge).to.be.at.least(3);
    expect(noisy.tried.at(-1)!.ridge).to.equal(Infinity);
  });

  it('keeps the prior without any work when the residual is already negligible against the targets', () => {
    const design = randomMat(40, 10, 8);
    const tiny = mat(3, 40, new Float64Array(120).fill(1e-6));
    const result = selectRidge(new HeldOutRidge(design, 1), tiny, { includeInfinity: true, targetScale: 1 });
    expect(result.ridge).to.equal(Infinity);
    expect(result.tried).to.deep.equal([]);
  });

  it('names bad input', () => {
    const design = randomMat(10, 3, 9);
    const heldOut = new HeldOutRidge(design, 1);
    expect(() => selectRidge(heldOut, randomMat(2, 9, 1), { includeInfinity: false })).to.throw(
      /targets have 9 samples, design matrix has 10/,
    );
    expect(() => selectRidge(heldOut, randomMat(2, 10, 1), { grid: [0], includeInfinity: false })).to.throw(/finite and > 0/);
    expect(() => new HeldOutRidge(design, 3)).to.throw(/not a whole number of inputs/);
  });
});
