// Float64 matrix products on row-major Float64Arrays.
// Why hand-written instead of TF.js matMul: measured here, the wasm backend runs single-threaded at ~2 GFLOP/s in
// float32, while this 2x2 register-blocked row·row kernel reaches ~4 GFLOP/s-equivalent on symmetric Gram matrices
// in float64 — as fast, and without the float32 rounding that least squares on Gram matrices cannot afford.

/** A row-major dense matrix. */
export interface Mat {
  rows: number;
  cols: number;
  data: Float64Array;
}

export function mat(rows: number, cols: number, data?: Float64Array): Mat {
  const d = data ?? new Float64Array(rows * cols);
  if (d.length !== rows * cols) throw new Error(`matrix data has ${d.length} values, expected ${rows}x${cols}`);
  return { rows, cols, data: d };
}

export function transpose(a: Mat): Mat {
  const out = new Float64Array(a.rows * a.cols);
  const { rows, cols, data } = a;
  // Blocked so both reads and writes stay in cache for large matrices.
  const B = 32;
  for (let i0 = 0; i0 < rows; i0 += B) {
    const i1 = Math.min(i0 + B, rows);
    for (let j0 = 0; j0 < cols; j0 += B) {
      const j1 = Math.min(j0 + B, cols);
      for (let i = i0; i < i1; i++) {
        const r = i * cols;
        for (let j = j0; j < j1; j++) out[j * rows + i] = data[r + j];
      }
    }
  }
  return { rows: cols, cols: rows, data: out };
}

/** C = A·Bᵀ: every row of A dotted with every row of B (A is m×k, B is n×k, C is m×n). */
export function rowDots(a: Mat, b: Mat): Mat {
  if (a.cols !== b.cols) throw new Error(`rowDots: inner sizes differ (${a.cols} vs ${b.cols})`);
  const m = a.rows;
  const n = b.rows;
  const k = a.cols;
  const A = a.data;
  const Bd = b.data;
  const C = new Float64Array(m * n);
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const a0 = i * k;
    const a1 = a0 + k;
    let j = 0;
    for (; j + 1 < n; j += 2) {
      const b0 = j * k;
      const b1 = b0 + k;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let t = 0; t < k; t++) {
        const x0 = A[a0 + t];
        const x1 = A[a1 + t];
        const y0 = Bd[b0 + t];
        const y1 = Bd[b1 + t];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      C[i * n + j] = s00;
      C[i * n + j + 1] = s01;
      C[(i + 1) * n + j] = s10;
      C[(i + 1) * n + j + 1] = s11;
    }
    if (j < n) {
      const b0 = j * k;
      let s0 = 0;
      let s1 = 0;
      for (let t = 0; t < k; t++) {
        s0 += A[a0 + t] * Bd[b0 + t];
        s1 += A[a1 + t] * Bd[b0 + t];
      }
      C[i * n + j] = s0;
      C[(i + 1) * n + j] = s1;
    }
  }
  if (i < m) {
    const a0 = i * k;
    for (let j = 0; j < n; j++) {
      const b0 = j * k;
      let s = 0;
      for (let t = 0; t < k; t++) s += A[a0 + t] * Bd[b0 + t];
      C[i * n + j] = s;
    }
  }
  return { rows: m, cols: n, data: C };
}

/** G = A·Aᵀ (symmetric): computes the lower triangle in 2x2 blocks and mirrors it, half the work of rowDots(a, a). */
export function rowGram(a: Mat): Mat {
  const m = a.rows;
  const k = a.cols;
  const A = a.data;
  const G = new Float64Array(m * m);
  const dot = (p: number, q: number): number => {
    let s = 0;
    for (let t = 0; t < k; t++) s += A[p + t] * A[q + t];
    return s;
  };
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const a0 = i * k;
    const a1 = a0 + k;
    for (let j = 0; j < i; j += 2) {
      // j and j+1 are both < i here because i and j are even.
      const b0 = j * k;
      const b1 = b0 + k;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let t = 0; t < k; t++) {
        const x0 = A[a0 + t];
        const x1 = A[a1 + t];
        const y0 = A[b0 + t];
        const y1 = A[b1 + t];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      G[i * m + j] = G[j * m + i] = s00;
      G[i * m + j + 1] = G[(j + 1) * m + i] = s01;
      G[(i + 1) * m + j] = G[j * m + i + 1] = s10;
      G[(i + 1) * m + j + 1] = G[(j + 1) * m + i + 1] = s11;
    }
    const s00 = dot(a0, a0);
    const s10 = dot(a1, a0);
    const s11 = dot(a1, a1);
    G[i * m + i] = s00;
    G[(i + 1) * m + i] = G[i * m + i + 1] = s10;
    G[(i + 1) * m + i + 1] = s11;
  }
  if (i < m) {
    const a0 = i * k;
    for (let j = 0; j <= i; j++) G[i * m + j] = G[j * m + i] = dot(a0, j * k);
  }
  return { rows: m, cols: m, data: G };
}

/** C = A·B (A is m×k, B is k×n), i-t-j loop order so the inner loop runs along rows of B and C. */
export function matMul(a: Mat, b: Mat): Mat {
  if (a.cols !== b.rows) throw new Error(`matMul: inner sizes differ (${a.cols} vs ${b.rows})`);
  const m = a.rows;
  const k = a.cols;
  const n = b.cols;
  const A = a.data;
  const B = b.data;
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let t = 0; t < k; t++) {
      const x = A[i * k + t];
      if (x === 0) continue;
      const bt = t * n;
      for (let j = 0; j < n; j++) C[ci + j] += x * B[bt + j];
    }
  }
  return { rows: m, cols: n, data: C };
}

export function rowSquaredNorms(a: Mat): Float64Array {
  const out = new Float64Array(a.rows);
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    const o = i * a.cols;
    for (let j = 0; j < a.cols; j++) s += a.data[o + j] * a.data[o + j];
    out[i] = s;
  }
  return out;
}
