// Ridge-stabilised linear least squares, min over W of ‖X·W − T‖² + λ‖W‖², one column of T per fused neuron.
// Both branches compute the same ridge solution W = (XᵀX + λI)⁻¹XᵀT = Xᵀ(XXᵀ + λI)⁻¹T; they differ in which Gram
// matrix is smaller. With fewer samples than features (first MNIST level: 400 probe rows, 785 columns) the system is
// underdetermined and, as λ → 0, Xᵀ(XXᵀ)⁻¹T is the minimum-norm solution the reference's pseudo-inverse returns.
// Never an explicit inverse: Cholesky on the small Gram matrix, in float64.
import { choleskyFactor, choleskySolveRows, forwardSolveRows } from './cholesky.js';
import { mat, matMul, rowDots, rowGram, rowSquaredNorms, transpose, type Mat } from './matrix-products.js';
import { symmetricEigen } from './symmetric-eigen.js';

export type LeastSquaresMode = 'min-norm' | 'normal-equations';

/**
 * What the grouping geometry needs from a level's fit: how P (what X·w can produce) acts on targets. LeastSquares is
 * the general one; TargetsInRange the one for targets X·w already produces.
 */
export interface TargetProjection {
  readonly mode: LeastSquaresMode;
  projectedGram(targets: Mat): Mat;
  neuronVectors(targets: Mat): Mat;
  featuresInBasis(vectors: Mat, basis: Mat): Mat;
  projectedSquaredNorms(targets: Mat): Float64Array;
}

/**
 * P·a = a: targets that are themselves outputs X·w of the design (a first level's targets, computed from the parents'
 * own weights on the shared input). Their geometry needs no decomposition of X: ⟨P·aᵢ, aⱼ⟩ = ⟨aᵢ, aⱼ⟩ up to the grouping
 * ridge's shrinkage, at most λ‖w‖² (a relative 1e-6 with the default ridge).
 */
export class TargetsInRange implements TargetProjection {
  readonly mode = 'min-norm' as const;

  constructor(private readonly samples: number) {}

  projectedGram(targets: Mat): Mat {
    return rowGram(this.check(targets));
  }

  neuronVectors(targets: Mat): Mat {
    return this.check(targets);
  }

  featuresInBasis(vectors: Mat, basis: Mat): Mat {
    return rowDots(this.check(vectors), basis);
  }

  projectedSquaredNorms(targets: Mat): Float64Array {
    return rowSquaredNorms(this.check(targets));
  }

  private check(targets: Mat): Mat {
    if (targets.cols !== this.samples) throw new Error(`targets have ${targets.cols} samples, the design has ${this.samples}`);
    return targets;
  }
}

export class LeastSquares implements TargetProjection {
  readonly samples: number;
  readonly features: number;
  readonly mode: LeastSquaresMode;
  /** The absolute ridge λ actually added to the Gram diagonal. */
  readonly lambda: number;
  /** min-norm: X (samples × features); normal-equations: Xᵀ (features × samples). */
  private readonly design: Mat;
  private readonly factor: Mat;

  /**
   * @param design X, one row per sample (row-major samples × features), bias column included by the caller.
   * @param ridge λ relative to the mean diagonal of the Gram matrix (scale-free); 0 = plain least squares.
   * @param smallerGram the smaller Gram matrix when the caller has it already: XᵀX with more samples than features,
   *   XXᵀ otherwise (a level's fits with several ridges, and its ridge selection, share one).
   */
  constructor(design: Mat, ridge: number, smallerGram?: Mat) {
    if (!(ridge >= 0) || !Number.isFinite(ridge)) throw new Error(`ridge must be a finite number >= 0, got ${ridge}`);
    if (design.rows === 0 || design.cols === 0) throw new Error(`least squares needs a non-empty design matrix`);
    this.samples = design.rows;
    this.features = design.cols;
    this.mode = this.samples <= this.features ? 'min-norm' : 'normal-equations';
    this.design = this.mode === 'min-norm' ? design : transpose(design);
    const side = Math.min(this.samples, this.features);
    if (smallerGram && (smallerGram.rows !== side || smallerGram.cols !== side)) {
      throw new Error(`least squares: the given Gram matrix is ${smallerGram.rows}x${smallerGram.cols}, expected ${side}x${side}`);
    }
    // A copy: the ridge is added to its diagonal below.
    const gram = smallerGram ? mat(side, side, smallerGram.data.slice()) : rowGram(this.design);
    const n = gram.rows;
    let trace = 0;
    for (let i = 0; i < n; i++) trace += gram.data[i * n + i];
    this.lambda = trace > 0 ? (ridge * trace) / n : ridge;
    for (let i = 0; i < n; i++) gram.data[i * n + i] += this.lambda;
    this.factor = choleskyFactor(gram);
  }

  /** Weights W (one row per target, `features` long) for targets given one row per target (`samples` long). */
  solve(targets: Mat): Mat {
    this.checkTargets(targets);
    if (this.mode === 'min-norm') {
      const z = mat(targets.rows, targets.cols, targets.data.slice());
      choleskySolveRows(this.factor, z);
      return matMul(z, this.design); // Wᵀ = Zᵀ·X with Z = (XXᵀ+λI)⁻¹T
    }
    const b = rowDots(targets, this.design); // rows of Tᵀ·X
    choleskySolveRows(this.factor, b);
    return b;
  }

  /** X·w for each row w of `weights`: one row of `samples` predictions per target. */
  predict(weights: Mat): Mat {
    if (weights.cols !== this.features) {
      throw new Error(`predict: weights have ${weights.cols} features, expected ${this.features}`);
    }
    return this.mode === 'min-norm' ? rowDots(weights, this.design) : matMul(weights, this.design);
  }

  /**
   * Inner products AᵀPA of targets (one per row) after projecting them on what X·w can produce
   * (P = X(XᵀX+λI)⁻¹Xᵀ). Entry (i, j) is ⟨P·aᵢ, aⱼ⟩ = ⟨P·aᵢ, P·aⱼ⟩ when λ = 0: everything the grouping costs need,
   * without materialising the projected targets.
   */
  projectedGram(targets: Mat): Mat {
    this.checkTargets(targets);
    if (this.mode === 'normal-equations') return rowGram(this.neuronVectors(targets)); // YᵀY = BᵀK⁻¹B
    // P = XXᵀ(XXᵀ+λI)⁻¹ = I − λK⁻¹, so AᵀPA = AᵀA − λ·(L⁻¹A)ᵀ(L⁻¹A).
    const g = rowGram(targets);
    if (this.lambda === 0) return g;
    const v = mat(targets.rows, targets.cols, targets.data.slice());
    forwardSolveRows(this.factor, v);
    const correction = rowGram(v);
    for (let i = 0; i < g.data.length; i++) g.data[i] -= this.lambda * correction.data[i];
    return g;
  }

  /**
   * Targets (one per row) as vectors of the space the grouping geometry lives in. Normal equations: yᵢ = L⁻¹Xᵀaᵢ,
   * so ⟨yᵢ, yⱼ⟩ = ⟨P·aᵢ, aⱼ⟩ (features as they are). Min-norm: the targets themselves, whose metric is P
   * (featuresInBasis applies it).
   */
  neuronVectors(targets: Mat): Mat {
    this.checkTargets(targets);
    if (this.mode === 'min-norm') return targets;
    const y = rowDots(targets, this.design); // B = XᵀA, rows per target
    forwardSolveRows(this.factor, y); // Y = L⁻¹B, so YᵀY = BᵀK⁻¹B
    return y;
  }

  /** ⟨P·v, v⟩ for every row v (targets, one per row): what a fused neuron reproduces of each. */
  projectedSquaredNorms(targets: Mat): Float64Array {
    this.checkTargets(targets);
    if (this.mode === 'normal-equations') return rowSquaredNorms(this.neuronVectors(targets));
    const out = rowSquaredNorms(targets);
    if (this.lambda === 0) return out;
    const v = mat(targets.rows, targets.cols, targets.data.slice());
    forwardSolveRows(this.factor, v);
    const correction = rowSquaredNorms(v);
    for (let i = 0; i < out.length; i++) out[i] -= this.lambda * correction[i];
    return out;
  }

  /**
   * Features in the span of `basis` (orthonormal rows in the space of neuronVectors): fᵢ with ⟨fᵢ, fⱼ⟩ =
   * ⟨P·Πaᵢ, Πaⱼ⟩, Π the projection on the basis. Normal equations: the coordinates B·yᵢ. Min-norm: S^½·B·aᵢ with
   * S = B·P·Bᵀ = I − λ(L⁻¹Bᵀ)ᵀ(L⁻¹Bᵀ) (r × r).
   */
  featuresInBasis(vectors: Mat, basis: Mat): Mat {
    const space = this.mode === 'min-norm' ? this.samples : this.features;
    if (vectors.cols !== space || basis.cols !== space) {
      throw new Error(`features: vectors have ${vectors.cols} and the basis ${basis.cols} columns, expected ${space}`);
    }
    const coordinates = rowDots(vectors, basis);
    if (this.mode === 'normal-equations' || this.lambda === 0) return coordinates;
    const v = mat(basis.rows, basis.cols, basis.data.slice());
    forwardSolveRows(this.factor, v);
    const s = rowGram(v);
    for (let i = 0; i < s.data.length; i++) s.data[i] = (i % (s.cols + 1) === 0 ? 1 : 0) - this.lambda * s.data[i];
    const { values, vectors: U } = symmetricEigen(s);
    const r = s.rows;
    const root = mat(r, r); // U·diag(√values)·Uᵀ, symmetric
    for (let i = 0; i < r; i++) {
      for (let j = 0; j <= i; j++) {
        let sum = 0;
        for (let t = 0; t < r; t++) sum += U.data[i * r + t] * Math.sqrt(values[t]) * U.data[j * r + t];
        root.data[i * r + j] = root.data[j * r + i] = sum;
      }
    }
    return rowDots(coordinates, root);
  }

  private checkTargets(targets: Mat): void {
    if (targets.cols !== this.samples) {
      throw new Error(`least squares: targets have ${targets.cols} samples, design matrix has ${this.samples}`);
    }
  }
}
