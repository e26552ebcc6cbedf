// Eigendecomposition of a symmetric matrix (Householder tridiagonalisation, then implicit QL: EISPACK's tred2/tql2
// as JAMA and ml-matrix write them), in the row-major Mat layout of the fusion engine. Used by ridge selection (once a
// Gram matrix is decomposed, the ridge solution for any λ is a diagonal rescaling, so a whole grid of ridges costs one
// decomposition) and by the k-means features (the projection's square root).
// Hand-written on one Float64Array instead of calling ml-matrix's EigenvalueDecomposition: the same algorithm there
// reads and writes every element through Matrix.get/set, measured 5-8x slower at the sizes fusion decomposes
// (257 and 400: the output level's and the probe's Gram matrices), which made it the largest part of a 2-parent HF fusion.
import { mat, type Mat } from './matrix-products.js';

export interface SymmetricEigen {
  /** Eigenvalues in ascending order, clamped at 0 (a Gram matrix is positive semi-definite; negative values are rounding). */
  values: Float64Array;
  /** Eigenvectors as the COLUMNS of a row-major n × n matrix: A = V·diag(values)·Vᵀ. */
  vectors: Mat;
}

/**
 * Householder reduction to tridiagonal form. W holds Vᵀ (row j = logical column j) so the hot loops scan rows; on
 * return d is the diagonal, e the sub-diagonal (e[0] = 0) and W the accumulated transformation.
 */
function tridiagonalise(n: number, W: Float64Array, d: Float64Array, e: Float64Array): void {
  for (let j = 0; j < n; j++) d[j] = W[j * n + n - 1];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = W[j * n + i - 1];
        W[j * n + i] = 0;
        W[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        W[i * n + j] = f;
        const wj = j * n;
        g = e[j] + W[wj + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += W[wj + k] * d[k];
          e[k] += W[wj + k] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        const wj = j * n;
        for (let k = j; k <= i - 1; k++) W[wj + k] -= f * e[k] + g * d[k];
        d[j] = W[wj + i - 1];
        W[wj + i] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    W[i * n + n - 1] = W[i * n + i];
    W[i * n + i] = 1;
    const h = d[i + 1];
    const wi1 = (i + 1) * n;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = W[wi1 + k] / h;
      for (let j = 0; j <= i; j++) {
        const wj = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += W[wi1 + k] * W[wj + k];
        for (let k = 0; k <= i; k++) W[wj + k] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) W[wi1 + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = W[j * n + n - 1];
    W[j * n + n - 1] = 0;
  }
  W[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** Implicit QL on the tridiagonal (d, e), rotating the rows of W; eigenvalues come out in d, sorted ascending. */
function diagonalise(n: number, W: Float64Array, d: Float64Array, e: Float64Array): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = Number.EPSILON;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iterations = 0;
      do {
        if (++iterations > 60) throw new Error(`symmetric eigendecomposition did not converge (eigenvalue ${l} of ${n})`);
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          const wi = i * n;
          const wi1 = wi + n;
          for (let k = 0; k < n; k++) {
            const t = W[wi1 + k];
            W[wi1 + k] = s * W[wi + k] + c * t;
            W[wi + k] = c * W[wi + k] - s * t;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
  // Selection sort, ascending, moving the eigenvector rows along.
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i];
    for (let j = i + 1; j < n; j++) {
      if (d[j] < p) {
        k = j;
        p = d[j];
      }
    }
    if (k !== i) {
      d[k] = d[i];
      d[i] = p;
      const wi = i * n;
      const wk = k * n;
      for (let j = 0; j < n; j++) {
        const t = W[wi + j];
        W[wi + j] = W[wk + j];
        W[wk + j] = t;
      }
    }
  }
}

/** A = Q·T·Qᵀ with T symmetric tridiagonal and Q orthogonal. */
export interface SymmetricTridiagonal {
  /** T's diagonal. */
  diagonal: Float64Array;
  /** T's off-diagonal: entry i couples rows i−1 and i (entry 0 is 0). */
  offDiagonal: Float64Array;
  /** Q as the COLUMNS of a row-major n × n matrix. */
  vectors: Mat;
}

/** Checks a square, finite input and returns Vᵀ's starting value (only the lower triangle is read, as EISPACK does). */
function startTransform(a: Mat, what: string): Float64Array {
  const n = a.rows;
  if (a.cols !== n) throw new Error(`${what} needs a square matrix, got ${a.rows}x${a.cols}`);
  for (let i = 0; i < a.data.length; i++) {
    if (!Number.isFinite(a.data[i])) throw new Error(`${what}: entry ${Math.floor(i / n)},${i % n} is not finite`);
  }
  const W = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) W[j * n + i] = a.data[i * n + j];
  return W;
}

function columnsOf(W: Float64Array, n: number): Mat {
  const vectors = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) vectors[i * n + j] = W[j * n + i];
  return mat(n, n, vectors);
}

export function symmetricEigen(a: Mat): SymmetricEigen {
  const n = a.rows;
  const W = startTransform(a, 'symmetric eigendecomposition');
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n > 0) {
    tridiagonalise(n, W, d, e);
    diagonalise(n, W, d, e);
  }
  for (let i = 0; i < n; i++) d[i] = Math.max(0, d[i]);
  return { values: d, vectors: columnsOf(W, n) };
}

/**
 * The first half of symmetricEigen alone: about a quarter of its work at n = 257-400 (the QL sweeps that rotate the
 * eigenvectors cost the rest). Enough wherever only (A + λI)⁻¹ is needed for several λ: A + λI = Q(T + λI)Qᵀ, and a
 * tridiagonal system costs O(n) (tridiagonal.ts).
 */
export function symmetricTridiagonal(a: Mat): SymmetricTridiagonal {
  const n = a.rows;
  const W = startTransform(a, 'tridiagonal reduction');
  const diagonal = new Float64Array(n);
  const offDiagonal = new Float64Array(n);
  if (n > 0) tridiagonalise(n, W, diagonal, offDiagonal);
  return { diagonal, offDiagonal, vectors: columnsOf(W, n) };
}
