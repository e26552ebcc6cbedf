// Minimum-cost assignment (Hungarian method, shortest augmenting paths with potentials — Kuhn/Munkres as refined
// by Jonker–Volgenant), O(n²·m). HF fusion pairs the neurons of two parents with it.
import type { Mat } from './matrix-products.js';

/**
 * Assigns every row to a distinct column minimising the total cost (rows ≤ columns).
 * Returns rowToColumn: for each row, its column.
 */
export function hungarian(cost: Mat): Int32Array {
  const n = cost.rows;
  const m = cost.cols;
  if (n > m) throw new Error(`hungarian: needs rows <= columns, got ${n}x${m}`);
  const C = cost.data;
  for (let i = 0; i < C.length; i++) {
    if (!Number.isFinite(C[i])) throw new Error(`hungarian: cost matrix has a non-finite entry at ${i}`);
  }
  // 1-based arrays; index 0 is the virtual start of each augmenting path.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const rowOfColumn = new Int32Array(m + 1); // 0 = column free
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    rowOfColumn[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = rowOfColumn[j0];
      const base = (i0 - 1) * m;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const reduced = C[base + j - 1] - u[i0] - v[j];
        if (reduced < minv[j]) {
          minv[j] = reduced;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[rowOfColumn[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (rowOfColumn[j0] !== 0);
    do {
      const j1 = way[j0];
      rowOfColumn[j0] = rowOfColumn[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const rowToColumn = new Int32Array(n);
  for (let j = 1; j <= m; j++) if (rowOfColumn[j] > 0) rowToColumn[rowOfColumn[j] - 1] = j - 1;
  return rowToColumn;
}
