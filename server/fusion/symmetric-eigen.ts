// Eigendecomposition of a symmetric matrix (ml-matrix's tridiagonal QL), in the row-major Mat layout of the fusion
// engine. Used by ridge selection: once a Gram matrix is decomposed, the ridge solution for any λ is a diagonal
// rescaling, so a whole grid of ridges costs one decomposition.
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { mat, type Mat } from './matrix-products.js';

export interface SymmetricEigen {
  /** Eigenvalues, clamped at 0 (a Gram matrix is positive semi-definite; negative values are rounding). */
  values: Float64Array;
  /** Eigenvectors as the COLUMNS of a row-major n × n matrix: A = V·diag(values)·Vᵀ. */
  vectors: Mat;
}

export function symmetricEigen(a: Mat): SymmetricEigen {
  const n = a.rows;
  if (a.cols !== n) throw new Error(`symmetric eigendecomposition needs a square matrix, got ${a.rows}x${a.cols}`);
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(Array.from(a.data.subarray(i * n, (i + 1) * n)));
  const e = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const values = Float64Array.from(e.realEigenvalues, (v) => Math.max(0, v));
  const v = e.eigenvectorMatrix;
  const vectors = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vectors[i * n + j] = v.get(i, j);
  return { values, vectors: mat(n, n, vectors) };
}
