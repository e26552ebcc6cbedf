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
//  - dense levels (one row per probe input): exact leave-one-out residuals for every λ from one tridiagonal reduction
//    of the smaller Gram matrix (XXᵀ or XᵀX);
//  - conv levels (many rows per probe input, correlated): K-fold over whole probe inputs; each fold's Gram matrix
//    (XᵀX minus the fold's rows) is formed once and factorised once per λ (d is small for conv levels).
// Held-out residuals are scored by mean squared error unless the caller scores them otherwise (the output level
// scores the held-out logits by cross-entropy on the probe labels).
import { choleskyFactor, choleskySolveRows } from './cholesky.js';
import { mat, matMul, rowDots, rowGram, transpose, type Mat } from './matrix-products.js';
import { symmetricTridiagonal, type SymmetricTridiagonal } from './symmetric-eigen.js';
import { ShiftedTridiagonal } from './tridiagonal.js';

/** Relative ridges tried by default (relative to the mean diagonal of the smaller Gram, as LeastSquares takes). */
export const DEFAULT_RIDGE_GRID: readonly number[] = [1e-6, 1e-5, 1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1, 3, 10];

/** Residual mean square, relative to the targets', below which the prior counts as exact (float16 rounding: ~3e-7). */
const EXACT_PRIOR = 1e-6;

export interface RidgeSelectionOptions {
  /** Relative ridges to try (all > 0). */
  grid?: readonly number[];
  /** Also try λ = ∞ (keep the prior: predict a zero change). Only meaningful when the fit is a change from a prior. */
  includeInfinity: boolean;
  /** Mean square of the targets themselves (before the prior): a residual this much smaller keeps the prior. */
  targetScale?: number;
  /**
   * Scores held-out residuals (target − held-out prediction, one row per target, one column per design row);
   * lower is better. Default: their mean square.
   */
  score?: (heldOut: Mat) => number;
}

export interface RidgeSelection {
  /** The chosen relative ridge; Infinity = keep the prior unchanged. */
  ridge: number;
  /** Held-out score of the chosen ridge (mean squared error unless a score was given). */
  heldOutScore: number;
  /** Held-out score of every ridge tried, in grid order (Infinity last when included). */
  tried: { ridge: number; heldOutScore: number }[];
}

export function meanSquare(r: Mat): number {
  let s = 0;
  for (let i = 0; i < r.data.length; i++) s += r.data[i] * r.data[i];
  return s / r.data.length;
}

/** Rows [start, end) of a row-major matrix, copied. */
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

/**
 * Held-out residuals of ridge fits on one design matrix, for any targets and any λ. Decomposes the design once
 * (lazily), so several target sets (e.g. differently weighted output targets) share the work.
 */
export class HeldOutRidge {
  readonly method: 'leave-one-out' | 'k-fold';
  /** Absolute λ of relative ridge 1 (the mean diagonal of the smaller Gram matrix). */
  readonly scale: number;
  private readonly design: Mat;
  private readonly rowsPerInput: number;
  private readonly folds: number;
  private tridiagonal?: { t: SymmetricTridiagonal; a?: Mat };
  private fullGram?: Mat;
  private sampleGram?: Mat;

  /**
   * @param rowsPerInput design rows per probe input (1 for dense levels, output positions for conv levels)
   * @param folds folds of the K-fold used when inputs span several rows (default 5)
   * @param grouped the row groups are copies of one input (always K-fold: leave-one-out would score a row by its copies)
   */
  constructor(design: Mat, rowsPerInput: number, folds = 5, grouped = false) {
    if (!(Number.isInteger(rowsPerInput) && rowsPerInput >= 1 && design.rows % rowsPerInput === 0)) {
      throw new Error(`ridge selection: ${design.rows} design rows are not a whole number of inputs of ${rowsPerInput} rows`);
    }
    if (design.rows / rowsPerInput < 2) {
      throw new Error(`ridge selection needs at least 2 probe inputs, got ${design.rows / rowsPerInput}`);
    }
    this.design = design;
    this.rowsPerInput = rowsPerInput;
    this.folds = Math.min(folds, design.rows / rowsPerInput);
    this.method = grouped || (rowsPerInput > 1 && design.rows > design.cols) ? 'k-fold' : 'leave-one-out';
    let trace = 0;
    for (let i = 0; i < design.data.length; i++) trace += design.data[i] * design.data[i];
    const scale = trace / Math.min(design.rows, design.cols);
    this.scale = scale > 0 ? scale : 1;
  }

  /**
   * Held-out mean squared error of the targets for each relative ridge. Same numbers as the mean square of
   * residuals(), but K-fold gets them from each fold's Gram and cross products alone — ‖R − WXᵀ‖² =
   * ‖R‖² − 2⟨W, RX⟩ + ⟨WXᵀX, W⟩ — without predicting every held-out row once per ridge (a conv level has 10⁵ rows).
   */
  heldOutMse(targets: Mat, ridges: readonly number[]): number[] {
    if (this.method === 'leave-one-out') return this.residuals(targets, ridges).map(meanSquare);
    this.checkTargets(targets);
    return this.kFold(targets, ridges.map((r) => r * this.scale), false).map((e) => e.data[0] / targets.data.length);
  }

  /** Held-out residuals (k × n) of the targets (k × n) for each relative ridge. */
  residuals(targets: Mat, ridges: readonly number[]): Mat[] {
    this.checkTargets(targets);
    const lambdas = ridges.map((r) => r * this.scale);
    return this.method === 'k-fold' ? this.kFold(targets, lambdas, true) : this.leaveOneOut(targets, lambdas);
  }

  /** XᵀX of the whole design (formed once; least squares on this level may reuse it). */
  gram(): Mat {
    this.fullGram ??= rowGram(transpose(this.design));
    return this.fullGram;
  }

  /** The smaller of XᵀX and XXᵀ (formed once, shared with leave-one-out): what LeastSquares factorises. */
  smallerGram(): Mat {
    if (this.design.rows > this.design.cols) return this.gram();
    this.sampleGram ??= rowGram(this.design);
    return this.sampleGram;
  }

  private checkTargets(targets: Mat): void {
    if (targets.cols !== this.design.rows) {
      throw new Error(`ridge selection: targets have ${targets.cols} samples, design matrix has ${this.design.rows}`);
    }
  }

  private leaveOneOut(targets: Mat, lambdas: readonly number[]): Mat[] {
    const design = this.design;
    const n = design.rows;
    const k = targets.rows;
    // The smaller Gram matrix as Q·T·Qᵀ (T tridiagonal): Gram + λI = Q(T + λI)Qᵀ for every λ, so each λ costs
    // tridiagonal solves, not a factorisation (a full eigendecomposition gives the same numbers at ~4x the work).
    if (!this.tridiagonal) {
      if (n <= design.cols) {
        this.tridiagonal = { t: symmetricTridiagonal(this.smallerGram()) };
      } else {
        const t = symmetricTridiagonal(this.gram());
        this.tridiagonal = { t, a: matMul(design, t.vectors) };
      }
    }
    const { t } = this.tridiagonal;
    if (n <= design.cols) {
      // K = XXᵀ. LOO residual of sample i: [(K+λ)⁻¹R]ᵢ / [(K+λ)⁻¹]ᵢᵢ (stable as λ → 0).
      const Q = t.vectors;
      const projected = matMul(targets, Q); // rows (Qᵀr)ᵀ, k × n
      return lambdas.map((lambda) => {
        const shifted = new ShiftedTridiagonal(t, lambda);
        const solved = mat(k, n, projected.data.slice());
        shifted.solveRows(solved);
        const z = rowDots(solved, Q); // (K+λ)⁻¹ applied to each target row
        const h = shifted.quadraticForms(Q); // [(K+λ)⁻¹]ᵢᵢ = qᵢᵀ(T+λ)⁻¹qᵢ, qᵢ row i of Q
        for (let i = 0; i < n; i++) for (let r = 0; r < k; r++) z.data[r * n + i] /= h[i];
        return z;
      });
    }
    // G = XᵀX, A = XQ. Hat diagonal hᵢ = aᵢᵀ(T+λ)⁻¹aᵢ; LOO residual = (rᵢ − fittedᵢ)/(1 − hᵢ).
    const d = design.cols;
    const A = this.tridiagonal.a!; // n × d
    const P = matMul(targets, A); // k × d
    return lambdas.map((lambda) => {
      const shifted = new ShiftedTridiagonal(t, lambda);
      const solved = mat(k, d, P.data.slice());
      shifted.solveRows(solved);
      const out = rowDots(solved, A); // fitted, k × n; turned into LOO residuals in place
      const h = shifted.quadraticForms(A);
      for (let i = 0; i < n; i++) {
        const leverage = Math.max(1 - h[i], 1e-12);
        for (let r = 0; r < k; r++) out.data[r * n + i] = (targets.data[r * n + i] - out.data[r * n + i]) / leverage;
      }
      return out;
    });
  }

  /**
   * Each fold's Gram matrix X_fᵀX_f, cross products R_f·X_f and ‖R_f‖², in one pass over the design's rows (a conv
   * level has 10⁵ of them: no transposed copies, and the whole-design Gram is their sum).
   */
  private foldStatistics(targets: Mat): { grams: Mat[]; crosses: Mat[]; squares: number[]; bounds: number[] } {
    const design = this.design;
    const n = design.rows;
    const d = design.cols;
    const k = targets.rows;
    const inputs = n / this.rowsPerInput;
    const bounds = Array.from({ length: this.folds + 1 }, (_, f) => Math.floor((f * inputs) / this.folds) * this.rowsPerInput);
    const grams = bounds.slice(1).map(() => mat(d, d));
    const crosses = bounds.slice(1).map(() => mat(k, d));
    const squares = bounds.slice(1).map(() => 0);
    const X = design.data;
    const R = targets.data;
    for (let f = 0; f < this.folds; f++) {
      const G = grams[f].data;
      const B = crosses[f].data;
      for (let row = bounds[f]; row < bounds[f + 1]; row++) {
        const o = row * d;
        for (let i = 0; i < d; i++) {
          const xi = X[o + i];
          if (xi === 0) continue;
          const gi = i * d;
          for (let j = 0; j <= i; j++) G[gi + j] += xi * X[o + j];
        }
        for (let t = 0; t < k; t++) {
          const r = R[t * n + row];
          if (r === 0) continue;
          squares[f] += r * r;
          const bt = t * d;
          for (let j = 0; j < d; j++) B[bt + j] += r * X[o + j];
        }
      }
      for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) G[j * d + i] = G[i * d + j];
    }
    if (!this.fullGram) {
      const full = mat(d, d);
      for (const g of grams) for (let i = 0; i < full.data.length; i++) full.data[i] += g.data[i];
      this.fullGram = full;
    }
    return { grams, crosses, squares, bounds };
  }

  /**
   * K-fold over whole probe inputs (contiguous row groups), normal equations with each fold's Gram formed once.
   * With `residuals` the held-out residuals (k × n) per λ; without, a 1 × 1 matrix per λ holding the summed
   * squared held-out error, from the fold statistics alone: ‖R_f‖² − 2⟨W, R_f X_f⟩ + ⟨W·X_fᵀX_f, W⟩.
   */
  private kFold(targets: Mat, lambdas: readonly number[], residuals: boolean): Mat[] {
    const design = this.design;
    const n = design.rows;
    const d = design.cols;
    const k = targets.rows;
    const { grams, crosses, squares, bounds } = this.foldStatistics(targets);
    const gram = this.gram();
    const cross = mat(k, d);
    for (const c of crosses) for (let i = 0; i < cross.data.length; i++) cross.data[i] += c.data[i];
    const out = lambdas.map(() => (residuals ? mat(k, n) : mat(1, 1)));
    for (let fold = 0; fold < this.folds; fold++) {
      const foldGram = grams[fold];
      const foldCross = crosses[fold];
      const g = mat(d, d, gram.data.map((v, i) => v - foldGram.data[i]));
      const b = mat(k, d, cross.data.map((v, i) => v - foldCross.data[i]));
      const [start, end] = [bounds[fold], bounds[fold + 1]];
      const xs = residuals ? rowBlock(design, start, end) : undefined;
      const rs = residuals ? colBlock(targets, start, end) : undefined;
      lambdas.forEach((lambda, li) => {
        const sys = mat(d, d, g.data.slice());
        for (let i = 0; i < d; i++) sys.data[i * d + i] += lambda;
        const w = mat(k, d, b.data.slice());
        choleskySolveRows(choleskyFactor(sys), w);
        if (!xs || !rs) {
          const wg = matMul(w, foldGram);
          let cross2 = 0;
          let quad = 0;
          for (let i = 0; i < w.data.length; i++) {
            cross2 += w.data[i] * foldCross.data[i];
            quad += wg.data[i] * w.data[i];
          }
          out[li].data[0] += Math.max(0, squares[fold] - 2 * cross2 + quad);
          return;
        }
        const pred = rowDots(w, xs); // k × fold rows
        const m = end - start;
        for (let t = 0; t < k; t++) {
          for (let i = 0; i < m; i++) out[li].data[t * n + start + i] = rs.data[t * m + i] - pred.data[t * m + i];
        }
      });
    }
    return out;
  }
}

function checkGrid(grid: readonly number[]): void {
  if (grid.length === 0) throw new Error('ridge selection needs at least one ridge to try');
  for (const r of grid) {
    if (!(r > 0) || !Number.isFinite(r)) throw new Error(`ridge grid values must be finite and > 0, got ${r}`);
  }
}

/**
 * Picks the ridge whose held-out score on `targets` is lowest. `targets` are what the fit must produce from the
 * design — with a prior, the residual targets minus the prior's own prediction (then λ = ∞, a zero change, is
 * held out by construction: its held-out residuals are the targets themselves).
 */
export function selectRidge(heldOut: HeldOutRidge, targets: Mat, opts: RidgeSelectionOptions): RidgeSelection {
  const grid = opts.grid ?? DEFAULT_RIDGE_GRID;
  checkGrid(grid);
  const score = opts.score ?? meanSquare;
  // A prior that already reproduces the targets (up to float16 upload rounding) needs no change. Always so on a
  // first level, whose input every parent shares: the members' mean weights give exactly their mean pre-activation.
  if (opts.includeInfinity && opts.targetScale !== undefined && meanSquare(targets) <= EXACT_PRIOR * opts.targetScale) {
    return { ridge: Infinity, heldOutScore: score(targets), tried: [] };
  }
  const scores = opts.score ? heldOut.residuals(targets, grid).map(opts.score) : heldOut.heldOutMse(targets, grid);
  const tried = grid.map((ridge, i) => ({ ridge, heldOutScore: scores[i] }));
  if (opts.includeInfinity) tried.push({ ridge: Infinity, heldOutScore: score(targets) });
  let best = tried[0];
  for (const t of tried) if (t.heldOutScore < best.heldOutScore) best = t;
  return { ridge: best.ridge, heldOutScore: best.heldOutScore, tried };
}
