// Cholesky factorisation K = L·Lᵀ of a symmetric positive-definite matrix, and triangular solves, in float64.
// Hand-written (ml-matrix has one) because the solves run on hundreds or thousands of right-hand sides stored as rows,
// and the row-oriented loops below keep every inner loop on contiguous memory.
import { mat, type Mat } from './matrix-products.js';

/** Lower-triangular factor L (row-major, upper part zero). Throws naming the pivot when K is not positive definite. */
export function choleskyFactor(k: Mat): Mat {
  const n = k.rows;
  if (k.cols !== n) throw new Error(`Cholesky needs a square matrix, got ${k.rows}x${k.cols}`);
  const K = k.data;
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = K[ri + j];
      for (let t = 0; t < j; t++) s -= L[ri + t] * L[rj + t];
      if (i === j) {
        if (!(s > 0) || !Number.isFinite(s)) {
          throw new Error(
            `Cholesky: matrix is not positive definite (pivot ${i} is ${s}); the least-squares system is singular — use a ridge > 0`,
          );
        }
        L[ri + i] = Math.sqrt(s);
      } else {
        L[ri + j] = s / L[rj + j];
      }
    }
  }
  return mat(n, n, L);
}

/** Solves L·y = b for every row b of `rhs` (rows × n), in place. */
export function forwardSolveRows(l: Mat, rhs: Mat): void {
  const n = l.rows;
  if (rhs.cols !== n) throw new Error(`forward solve: right-hand sides have length ${rhs.cols}, expected ${n}`);
  const L = l.data;
  const B = rhs.data;
  for (let r = 0; r < rhs.rows; r++) {
    const o = r * n;
    for (let i = 0; i < n; i++) {
      const li = i * n;
      let s = B[o + i];
      for (let t = 0; t < i; t++) s -= L[li + t] * B[o + t];
      B[o + i] = s / L[li + i];
    }
  }
}

/** Solves Lᵀ·x = y for every row y of `rhs`, in place (column-sweep form so L is read by rows). */
export function backwardSolveRows(l: Mat, rhs: Mat): void {
  const n = l.rows;
  if (rhs.cols !== n) throw new Error(`backward solve: right-hand sides have length ${rhs.cols}, expected ${n}`);
  const L = l.data;
  const B = rhs.data;
  for (let r = 0; r < rhs.rows; r++) {
    const o = r * n;
    for (let i = n - 1; i >= 0; i--) {
      const li = i * n;
      const x = B[o + i] / L[li + i];
      B[o + i] = x;
      for (let t = 0; t < i; t++) B[o + t] -= L[li + t] * x;
    }
  }
}

/** Solves K·x = b for every row b of `rhs` (K = L·Lᵀ), in place. */
export function choleskySolveRows(l: Mat, rhs: Mat): void {
  forwardSolveRows(l, rhs);
  backwardSolveRows(l, rhs);
}
