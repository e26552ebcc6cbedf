// Sketched grouping geometry for k-means over many parents' neurons: each neuron as its coordinates in the r principal
// directions of all neurons (importance-weighted, centred), instead of the exact M × M Gram matrix.
//
// Why: the exact form costs O(M²·samples) time and M² memory (M = 256 neurons × parents: 100 parents are a 5 GB Gram
// matrix and minutes of products). Neurons' targets are strongly correlated — on MNIST MLPs the top 64 directions of
// 2,560 first-level neurons hold 96-97% of their spread — so distances in a few dozen directions decide nearly the same
// clusters. The directions come from a subsample of neurons (their covariance, then subspace iteration), so finding them
// costs the same for 10 parents as for 100; projecting every neuron costs O(M·samples·r).
import { clusterWeights } from './kmeans.js';
import type { NeuronFeatures } from './kmeans-features.js';
import type { TargetProjection } from './least-squares.js';
import { mat, rowDots, rowGram, rowSquaredNorms, transpose, type Mat } from './matrix-products.js';
import { shuffledIndices } from './random.js';
import { symmetricEigen } from './symmetric-eigen.js';

/** Neurons whose covariance picks the directions (beyond it the directions barely move, measured). */
const SAMPLE = 2048;
/** Extra directions iterated alongside the r wanted, and subspace iterations: enough for a decaying spectrum. */
const OVERSAMPLE = 8;
const POWER_ITERATIONS = 4;

/** Removes from row i its components along rows 0..i−1 and normalises it; false when (nearly) nothing is left. */
function orthogonaliseRow(data: Float64Array, cols: number, i: number): boolean {
  const oi = i * cols;
  const norm = (): number => {
    let s = 0;
    for (let t = 0; t < cols; t++) s += data[oi + t] * data[oi + t];
    return Math.sqrt(s);
  };
  const before = norm();
  // Twice (re-orthogonalisation keeps the rows orthonormal to rounding).
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < i; j++) {
      const oj = j * cols;
      let dot = 0;
      for (let t = 0; t < cols; t++) dot += data[oi + t] * data[oj + t];
      for (let t = 0; t < cols; t++) data[oi + t] -= dot * data[oj + t];
    }
  }
  const after = norm();
  // What is left of a row the others span is rounding noise: no direction of its own.
  if (!(after > 1e-10 * before) || !(after > 0)) return false;
  for (let t = 0; t < cols; t++) data[oi + t] /= after;
  return true;
}

/** Modified Gram–Schmidt on the rows (rows ≤ cols). A row the others span becomes a unit vector they do not. */
export function orthonormalizeRows(a: Mat): void {
  const { rows, cols, data } = a;
  if (rows > cols) throw new Error(`cannot make ${rows} rows of length ${cols} orthonormal`);
  for (let i = 0; i < rows; i++) {
    for (let attempt = 0; !orthogonaliseRow(data, cols, i); attempt++) {
      if (attempt >= cols) throw new Error('orthonormalisation: no direction left');
      data.fill(0, i * cols, (i + 1) * cols);
      data[i * cols + ((i + attempt) % cols)] = 1;
    }
  }
}

/**
 * The r leading principal directions (orthonormal rows, r × dim) of the rows of `vectors`, weighted by `weights` and
 * centred on their weighted mean, from at most SAMPLE rows drawn with `random`.
 */
export function principalBasis(vectors: Mat, weights: Float64Array, r: number, random: () => number): Mat {
  const dim = vectors.cols;
  if (!(Number.isInteger(r) && r >= 1 && r <= dim)) throw new Error(`principal basis: need 1..${dim} directions, got ${r}`);
  const order = vectors.rows > SAMPLE ? shuffledIndices(vectors.rows, random).subarray(0, SAMPLE) : undefined;
  const rows = order ?? Int32Array.from({ length: vectors.rows }, (_, i) => i);
  let total = 0;
  for (const i of rows) total += weights[i];
  const uniform = !(total > 0);
  const w = (i: number) => (uniform ? 1 / rows.length : weights[i] / total);
  const mean = new Float64Array(dim);
  for (const i of rows) for (let t = 0; t < dim; t++) mean[t] += w(i) * vectors.data[i * dim + t];
  const centred = mat(rows.length, dim);
  rows.forEach((i, s) => {
    const scale = Math.sqrt(w(i));
    for (let t = 0; t < dim; t++) centred.data[s * dim + t] = scale * (vectors.data[i * dim + t] - mean[t]);
  });
  const covariance = rowGram(transpose(centred)); // dim × dim
  const width = Math.min(dim, r + OVERSAMPLE);
  let q = mat(width, dim, Float64Array.from({ length: width * dim }, () => random() - 0.5));
  orthonormalizeRows(q);
  for (let it = 0; it < POWER_ITERATIONS; it++) {
    q = rowDots(q, covariance); // rows of Q·C (C symmetric)
    orthonormalizeRows(q);
  }
  // Rayleigh–Ritz: the leading eigenvectors of Q·C·Qᵀ, taken back to the full space.
  const { vectors: u } = symmetricEigen(rowDots(rowDots(q, covariance), q));
  const basis = mat(r, dim);
  for (let b = 0; b < r; b++) {
    const col = width - 1 - b; // eigenvalues ascend
    for (let j = 0; j < width; j++) {
      const c = u.data[j * width + col];
      if (c === 0) continue;
      for (let t = 0; t < dim; t++) basis.data[b * dim + t] += c * q.data[j * dim + t];
    }
  }
  return basis;
}

/**
 * k-means features of a level's stacked parent targets (one row per neuron) in at most `rank` principal directions of
 * the fit's geometry; exact (⟨fᵢ, fⱼ⟩ = ⟨P·aᵢ, aⱼ⟩, raw norms) when that space has no more than `rank` dimensions.
 * A sketch measures distances within the sketch alone (norms ‖fᵢ‖²): a neuron's part outside it is not a distance
 * to any centroid the sketch can describe, and counting it skewed the k-means++ draws towards neurons with much of it
 * (two copies of one neuron were drawn as two seeds). Restarts are compared on the exact objective.
 */
export function sketchedFeatures(ls: TargetProjection, targets: Mat, weights: Float64Array, rank: number, random: () => number): NeuronFeatures {
  const vectors = ls.neuronVectors(targets);
  if (ls.mode === 'normal-equations' && vectors.cols <= rank) return { features: vectors, norms: rowSquaredNorms(targets) };
  const basis = principalBasis(vectors, weights, Math.min(rank, vectors.cols), random);
  const features = ls.featuresInBasis(vectors, basis);
  const norms = rowSquaredNorms(targets);
  return {
    features,
    norms: rowSquaredNorms(features),
    exactCost: (assignment, w, k) => exactObjective(ls, targets, norms, w, assignment, k),
  };
}

/**
 * The Gram form's objective Σᵢ sᵢ‖cⱼ₍ᵢ₎ − aᵢ‖² without the Gram matrix: with āⱼ the weighted mean of cluster j's
 * targets and Sⱼ its importance, it equals Σᵢ sᵢ‖aᵢ‖² − Σⱼ Sⱼ⟨P·āⱼ, āⱼ⟩ — O(M·samples) for the means, k projected norms.
 */
export function exactObjective(
  ls: TargetProjection,
  targets: Mat,
  norms: Float64Array,
  weights: Float64Array,
  assignment: Int32Array,
  k: number,
): number {
  const n = targets.cols;
  const omega = clusterWeights(assignment, weights, k);
  const totals = new Float64Array(k);
  const means = mat(k, n);
  let total = 0;
  for (let i = 0; i < assignment.length; i++) {
    const j = assignment[i];
    totals[j] += weights[i];
    total += weights[i] * norms[i];
    const w = omega[i];
    if (w === 0) continue;
    for (let t = 0; t < n; t++) means.data[j * n + t] += w * targets.data[i * n + t];
  }
  const projected = ls.projectedSquaredNorms(means);
  for (let j = 0; j < k; j++) total -= totals[j] * projected[j];
  return total;
}
