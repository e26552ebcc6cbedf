// Chooses a level's ridge λ from held-out probe rows instead of fixing it.
//
// Why: a probe set of a few hundred inputs leaves a level's least-squares fit nearly or fully underdetermined (400
// rows, 257-785 weights per neuron). With a tiny fixed ridge the fit reproduces the probe targets with large weights
// along directions the probe barely covers; in a federation that fuses every round those corrections pile up
// (output-weight RMS 0.1 → 2.7 over nine rounds, measured) and test loss climbs. Held-out error says how much of
// the fit generalises: with the fit written as the smallest change from a prior (the parents' own weights), a large
// λ keeps the prior and λ = ∞ is the prior itself, so the choice ranges from "trust the parents" to "trust the probe".
//
// How, at the cost of one decomposition per level rather than one solve per ridge:
//  - dense levels (one row per probe input): exact leave-one-out error for every λ from one eigendecomposition of
//    the smaller Gram matrix (XXᵀ or XᵀX);
//  - conv levels (many rows per probe input, correlated): K-fold over whole probe inputs; each fold's Gram matrix
//    (XᵀX minus the fold's rows) is formed once and factorised once per λ (d is small for conv levels).
import { choleskyFactor, choleskySolveRows } from './cholesky.js';
import { mat, matMul, rowDots, rowGram, transpose, type Mat } from './matrix-products.js';
import { symmetricEigen } from './symmetric-eigen.js';

/** Relative ridges tried by default (relative to the mean diagonal of the smaller Gram, as LeastSquares takes). */
export const DEFAULT_RIDGE_GRID: readonly number[] = [1e-6, 1e-5, 1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1, 3, 10];

/** Residual mean square, relative to the targets', below which the prior counts as exact (float16 rounding: ~3e-7). */
const EXACT_PRIOR = 1e-6;

export interface RidgeSelectionOptions {
  /** Relative ridges to try (all > 0). */
  grid?: readonly number[];
  /** Also try λ = ∞ (keep the prior: predict a zero change). Only meaningful when the fit is a change from a prior. */
  includeInfinity: boolean;
  /** Design rows per probe input (1 for dense levels, output positions for conv levels). */
  rowsPerInput: number;
  /** Folds for grouped K-fold (conv levels); default 5. */
  folds?: number;
  /** Mean square of the targets themselves (before the prior): a residual this much smaller keeps the prior. */
  targetScale?: number;
}

export interface RidgeSelection {
  /** The chosen relative ridge; Infinity = keep the prior unchanged. */
  ridge: number;
  /** Held-out mean squared error of the chosen ridge (same units as the targets). */
  heldOutMse: number;
  /** Held-out MSE of every ridge tried, in grid order (Infinity last when included). */
  tried: { ridge: number; heldOutMse: number }[];
  method: 'leave-one-out' | 'k-fold';
}

function checkGrid(grid: readonly number[]): void {
  if (grid.length === 0) throw new Error('ridge selection needs at least one ridge to try');
  for (const r of grid) {
    if (!(r > 0) || !Number.isFinite(r)) throw new Error(`ridge grid values must be finite and > 0, got ${r}`);
  }
}

/** Mean of the diagonal of the smaller Gram matrix (what LeastSquares scales a relative ridge by). */
function gramScale(design: Mat): number {
  let trace = 0;
  for (let i = 0; i < design.data.length; i++) trace += design.data[i] * design.data[i];
  return trace / Math.min(design.rows, design.cols);
}

export function meanSquare(r: Mat): number {
  let s = 0;
  for (let i = 0; i < r.data.length; i++) s += r.data[i] * r.data[i];
  return s / r.data.length;
}

function pick(tried: { ridge: number; heldOutMse: number }[], method: RidgeSelection['method']): RidgeSelection {
  let best = tried[0];
  for (const t of tried) if (t.heldOutMse < best.heldOutMse) best = t;
  return { ridge: best.ridge, heldOutMse: best.heldOutMse, tried, method };
}

/**
 * Leave-one-out errors of ridge regression for every λ, dense rows. `targets` holds one row per target neuron
 * (k × n), `design` one row per sample (n × d).
 */
function leaveOneOut(design: Mat, targets: Mat, lambdas: readonly number[]): number[] {
  const n = design.rows;
  const k = targets.rows;
  const errors: number[] = [];
  if (n <= design.cols) {
    // K = XXᵀ = UΣUᵀ. LOO residual of sample i: [(K+λ)⁻¹R]ᵢ / [(K+λ)⁻¹]ᵢᵢ (stable as λ → 0).
    const { values, vectors: U } = symmetricEigen(rowGram(design));
    const Q = matMul(targets, U); // rows r·U (k × n)
    const U2 = U.data.map((v) => v * v);
    for (const lambda of lambdas) {
      const inv = values.map((s) => 1 / (s + lambda));
      const scaled = mat(k, n, Q.data.slice());
      for (let t = 0; t < k; t++) for (let j = 0; j < n; j++) scaled.data[t * n + j] *= inv[j];
      const z = rowDots(scaled, U); // (K+λ)⁻¹ applied to each target row
      const h = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += U2[i * n + j] * inv[j];
        h[i] = s;
      }
      let sum = 0;
      for (let t = 0; t < k; t++) {
        for (let i = 0; i < n; i++) {
          const e = z.data[t * n + i] / h[i];
          sum += e * e;
        }
      }
      errors.push(sum / (n * k));
    }
    return errors;
  }
  // G = XᵀX = VΣVᵀ, A = XV. Hat diagonal hᵢ = Σⱼ A²ᵢⱼ/(σⱼ+λ); LOO residual = (rᵢ − fittedᵢ)/(1 − hᵢ).
  const d = design.cols;
  const { values, vectors: V } = symmetricEigen(rowGram(transpose(design)));
  const A = matMul(design, V); // n × d
  const P = matMul(targets, A); // k × d: each target row projected on the eigen-directions
  const A2 = A.data.map((v) => v * v);
  for (const lambda of lambdas) {
    const inv = values.map((s) => 1 / (s + lambda));
    const scaled = mat(k, d, P.data.slice());
    for (let t = 0; t < k; t++) for (let j = 0; j < d; j++) scaled.data[t * d + j] *= inv[j];
    const fitted = rowDots(scaled, A); // k × n
    let sum = 0;
    for (let i = 0; i < n; i++) {
      let h = 0;
      for (let j = 0; j < d; j++) h += A2[i * d + j] * inv[j];
      const leverage = Math.max(1 - h, 1e-12);
      for (let t = 0; t < k; t++) {
        const e = (targets.data[t * n + i] - fitted.data[t * n + i]) / leverage;
        sum += e * e;
      }
    }
    errors.push(sum / (n * k));
  }
  return errors;
}

/** Rows [start, end) of a row-major matrix (a view copied into its own storage). */
function rowBlock(a: Mat, start: number, end: number): Mat {
  return mat(end - start, a.cols, a.data.slice(start * a.cols, end * a.cols));
}

/** Columns [start, end) of a row-major matrix. */
function colBlock(a: Mat, start: number, end: number): Mat {
  const w = end - start;
  const out = new Float64Array(a.rows * w);
  for (let r = 0; r < a.rows; r++) out.set(a.data.subarray(r * a.cols + start, r * a.cols + end), r * w);
  return mat(a.rows, w, out);
}

/** K-fold over whole probe inputs (contiguous row groups), normal equations with each fold's Gram formed once. */
function groupedKFold(design: Mat, targets: Mat, lambdas: readonly number[], rowsPerInput: number, folds: number): number[] {
  const n = design.rows;
  const d = design.cols;
  const k = targets.rows;
  const inputs = n / rowsPerInput;
  const gram = rowGram(transpose(design)); // XᵀX
  const cross = matMul(targets, design); // R·X, k × d
  const sums = lambdas.map(() => 0);
  const f = Math.min(folds, inputs);
  for (let fold = 0; fold < f; fold++) {
    const start = Math.floor((fold * inputs) / f) * rowsPerInput;
    const end = Math.floor(((fold + 1) * inputs) / f) * rowsPerInput;
    const xs = rowBlock(design, start, end);
    const rs = colBlock(targets, start, end);
    const foldGram = rowGram(transpose(xs));
    const foldCross = matMul(rs, xs);
    const g = mat(d, d, gram.data.map((v, i) => v - foldGram.data[i]));
    const b = mat(k, d, cross.data.map((v, i) => v - foldCross.data[i]));
    lambdas.forEach((lambda, li) => {
      const sys = mat(d, d, g.data.slice());
      for (let i = 0; i < d; i++) sys.data[i * d + i] += lambda;
      const w = mat(k, d, b.data.slice());
      choleskySolveRows(choleskyFactor(sys), w);
      const pred = rowDots(w, xs); // k × fold rows
      let s = 0;
      for (let i = 0; i < pred.data.length; i++) {
        const e = rs.data[i] - pred.data[i];
        s += e * e;
      }
      sums[li] += s;
    });
  }
  return sums.map((s) => s / (n * k));
}

/**
 * Picks the ridge whose held-out error on `targets` is lowest. `targets` are what the fit must produce from
 * `design` — with a prior, the residual targets minus the prior's own prediction (then λ = ∞, a zero change, has
 * held-out error equal to their mean square).
 */
export function selectRidge(design: Mat, targets: Mat, opts: RidgeSelectionOptions): RidgeSelection {
  const grid = opts.grid ?? DEFAULT_RIDGE_GRID;
  checkGrid(grid);
  if (targets.cols !== design.rows) {
    throw new Error(`ridge selection: targets have ${targets.cols} samples, design matrix has ${design.rows}`);
  }
  const rowsPerInput = opts.rowsPerInput;
  if (!(Number.isInteger(rowsPerInput) && rowsPerInput >= 1 && design.rows % rowsPerInput === 0)) {
    throw new Error(`ridge selection: ${design.rows} design rows are not a whole number of inputs of ${rowsPerInput} rows`);
  }
  // A prior that already reproduces the targets (up to float16 upload rounding) needs no change. Always so on a
  // first level, whose input every parent shares: the members' mean weights give exactly their mean pre-activation.
  if (opts.includeInfinity && opts.targetScale !== undefined && meanSquare(targets) <= EXACT_PRIOR * opts.targetScale) {
    return { ridge: Infinity, heldOutMse: meanSquare(targets), tried: [], method: 'leave-one-out' };
  }
  const scale = gramScale(design);
  const lambdas = grid.map((r) => (scale > 0 ? r * scale : r));
  const grouped = rowsPerInput > 1 && design.rows > design.cols;
  const method: RidgeSelection['method'] = grouped ? 'k-fold' : 'leave-one-out';
  if (design.rows / rowsPerInput < 2) {
    throw new Error(`ridge selection needs at least 2 probe inputs, got ${design.rows / rowsPerInput}`);
  }
  const errors = grouped
    ? groupedKFold(design, targets, lambdas, rowsPerInput, opts.folds ?? 5)
    : leaveOneOut(design, targets, lambdas);
  const tried = grid.map((ridge, i) => ({ ridge, heldOutMse: errors[i] }));
  if (opts.includeInfinity) tried.push({ ridge: Infinity, heldOutMse: meanSquare(targets) });
  return pick(tried, method);
}
