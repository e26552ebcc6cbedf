// Shifted symmetric tridiagonal systems (T + λI)x = b, T from symmetricTridiagonal: LDLᵀ without pivoting (T + λI is
// positive definite for λ > 0 when T comes from a Gram matrix), O(n) per right-hand side once factorised.
import type { Mat } from './matrix-products.js';
import type { SymmetricTridiagonal } from './symmetric-eigen.js';

export class ShiftedTridiagonal {
  /** Sub-diagonal of the unit lower bidiagonal L (entry 0 unused). */
  private readonly l: Float64Array;
  /** D of LDLᵀ. */
  private readonly pivots: Float64Array;

  constructor(t: SymmetricTridiagonal, lambda: number) {
    const n = t.diagonal.length;
    this.l = new Float64Array(n);
    this.pivots = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const off = i > 0 ? t.offDiagonal[i] : 0;
      const l = i > 0 ? off / this.pivots[i - 1] : 0;
      const pivot = t.diagonal[i] + lambda - l * off;
      if (!(pivot > 0)) throw new Error(`tridiagonal system with shift ${lambda} is not positive definite (pivot ${i} is ${pivot})`);
      this.l[i] = l;
      this.pivots[i] = pivot;
    }
  }

  /** Solves (T + λI)x = b for every row b of `rows`, in place. */
  solveRows(rows: Mat): void {
    const n = this.pivots.length;
    if (rows.cols !== n) throw new Error(`tridiagonal solve: right-hand sides have length ${rows.cols}, expected ${n}`);
    const { l, pivots } = this;
    const B = rows.data;
    for (let r = 0; r < rows.rows; r++) {
      const o = r * n;
      for (let i = 1; i < n; i++) B[o + i] -= l[i] * B[o + i - 1];
      B[o + n - 1] /= pivots[n - 1];
      for (let i = n - 2; i >= 0; i--) B[o + i] = B[o + i] / pivots[i] - l[i + 1] * B[o + i + 1];
    }
  }

  /** bᵀ(T + λI)⁻¹b for every row b of `rows` (rows untouched): one forward sweep each, Σ wᵢ²/Dᵢ with w = L⁻¹b. */
  quadraticForms(rows: Mat): Float64Array {
    const n = this.pivots.length;
    if (rows.cols !== n) throw new Error(`tridiagonal forms: rows have length ${rows.cols}, expected ${n}`);
    const { l, pivots } = this;
    const B = rows.data;
    const out = new Float64Array(rows.rows);
    for (let r = 0; r < rows.rows; r++) {
      const o = r * n;
      let w = 0;
      let s = 0;
      for (let i = 0; i < n; i++) {
        w = B[o + i] - (i > 0 ? l[i] * w : 0);
        s += (w * w) / pivots[i];
      }
      out[r] = s;
    }
    return out;
  }
}
