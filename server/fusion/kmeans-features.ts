// Importance-weighted k-means over neurons given as explicit feature vectors (one row per neuron), for rounds with
// many parents: the Gram form in kmeans.ts needs M² memory and O(M²·samples) to build (M = all parents' neurons:
// 25,600 for 100 parents of width 256, a 5 GB Gram matrix), this form O(M·k) memory and O(M·k·r) per full pass.
// Same objective, seeding and empty-cluster rule as kmeans.ts; the seeding and Lloyd's iterations skip every distance
// the triangle inequality already decides (Elkan's bounds), so the result is Lloyd's (up to ties), not an
// approximation of it.
//
// Distances: with features fᵢ (⟨fᵢ, fⱼ⟩ = ⟨P·aᵢ, aⱼ⟩) and raw norms ‖aᵢ‖², a centroid c = Σ ωₗ fₗ is at squared
// distance ‖c‖² − 2⟨c, fᵢ⟩ + ‖aᵢ‖² = ‖c − fᵢ‖² + eᵢ from neuron i, where eᵢ = ‖aᵢ‖² − ‖fᵢ‖² ≥ 0 does not depend on c:
// the bounds work on the Euclidean ‖c − fᵢ‖ and leave eᵢ out of every comparison.
import { clusterWeights, refillEmptyClusters, weightedPick, type KMeansOptions, type KMeansResult } from './kmeans.js';
import { rowDots, type Mat } from './matrix-products.js';

export interface NeuronFeatures {
  /** One row per neuron (M × r). */
  features: Mat;
  /** ‖aᵢ‖² of the raw targets (≥ ‖fᵢ‖²), as in the Gram form. */
  norms: Float64Array;
  /**
   * The k-means objective of an assignment in the exact geometry, when the features are a sketch of it: restarts are
   * compared on it (measured on 10 MNIST parents: picking the restart by the sketch's own cost gained nothing over one
   * restart, by the exact cost as much as the Gram form's restarts do).
   */
  exactCost?: (assignment: Int32Array, weights: Float64Array, k: number) => number;
}

/** Weighted centroids (k × r) of the clusters of an assignment. */
function centroids(F: Mat, assignment: Int32Array, weights: Float64Array, k: number): Float64Array {
  const r = F.cols;
  const omega = clusterWeights(assignment, weights, k);
  const out = new Float64Array(k * r);
  for (let i = 0; i < assignment.length; i++) {
    const w = omega[i];
    if (w === 0) continue;
    const o = assignment[i] * r;
    const f = i * r;
    for (let t = 0; t < r; t++) out[o + t] += w * F.data[f + t];
  }
  return out;
}

/** ‖a − b‖², row ia of A against row ib of B (both r wide). */
function squaredDistance(A: Float64Array, ia: number, B: Float64Array, ib: number, r: number): number {
  let s = 0;
  const a = ia * r;
  const b = ib * r;
  for (let t = 0; t < r; t++) {
    const d = A[a + t] - B[b + t];
    s += d * d;
  }
  return s;
}

function squaredRowNorms(A: Float64Array, rows: number, r: number): Float64Array {
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let t = 0; t < r; t++) s += A[i * r + t] * A[i * r + t];
    out[i] = s;
  }
  return out;
}

/**
 * k-means++ with importance (next seed ∝ sᵢ·D²(i)), drawing from `random` exactly as the Gram form does. A new seed
 * is measured only against neurons it might be nearer to: if it is at least twice as far from a neuron's nearest
 * seed as that seed is from the neuron, it is not nearer (triangle inequality).
 */
function seedAssignment(geom: NeuronFeatures, weights: Float64Array, k: number, random: () => number): Int32Array {
  const { features: F, norms } = geom;
  const M = F.rows;
  const r = F.cols;
  const X = F.data;
  const excess = excessNorms(geom);
  const chosen = new Uint8Array(M);
  const nearest = new Float64Array(M).fill(Infinity); // squared distance to the nearest seed, eᵢ included
  const gap = new Float64Array(M).fill(Infinity); // Euclidean ‖seed − fᵢ‖ of the nearest seed
  const assignment = new Int32Array(M);
  const scores = new Float64Array(M);
  const seeds = new Int32Array(k);
  const apart = new Float64Array(k); // distance from the new seed to each earlier seed
  let seed = weightedPick(weights, random);
  for (let c = 0; c < k; c++) {
    chosen[seed] = 1;
    seeds[c] = seed;
    for (let b = 0; b < c; b++) apart[b] = Math.sqrt(squaredDistance(X, seed, X, seeds[b], r));
    for (let i = 0; i < M; i++) {
      if (c > 0 && apart[assignment[i]] >= 2 * gap[i]) continue;
      const d = squaredDistance(X, seed, X, i, r);
      if (d + excess[i] < nearest[i]) {
        nearest[i] = d + excess[i];
        gap[i] = Math.sqrt(d);
        assignment[i] = c;
      }
    }
    assignment[seed] = c;
    nearest[seed] = 0;
    gap[seed] = 0;
    if (c + 1 < k) {
      for (let i = 0; i < M; i++) scores[i] = weights[i] * nearest[i];
      seed = weightedPick(scores, random, chosen);
    }
  }
  return assignment;
}

/** eᵢ = ‖aᵢ‖² − ‖fᵢ‖² ≥ 0: each neuron's part outside the features, the same for every centroid. */
function excessNorms(geom: NeuronFeatures): Float64Array {
  const own = squaredRowNorms(geom.features.data, geom.features.rows, geom.features.cols);
  return own.map((s, i) => Math.max(0, geom.norms[i] - s));
}

/** An iteration that moves fewer than one neuron in this many ends the iterations. */
const SETTLED_FRACTION = 1000;

/** Rows of the first pass at a time: a block's distances to every centroid (≤ 1 MB) come from one blocked product. */
const BLOCK = 512;

/**
 * Lloyd's iterations from an assignment with Elkan's bounds: a lower bound on the distance from each neuron to each
 * centroid, lowered by how far that centroid moved, an upper bound on the distance to its own, and half the distance
 * between centroids. Tried first and dropped, measured at 100 parents (25,600 neurons, k = 256): neurons of many
 * parents overlap (a neuron's second-nearest centroid is nearly as near as its own), so one bound on "all other
 * centroids" — Hamerly's, lowered by the largest move of any centroid; Yinyang's, one per group of ten centroids;
 * per-neuron lists of the nearest centroids with one bound for the rest — let nearly every neuron through every
 * iteration and computed up to 12x more distances: slower than checking the 256 bounds. Returns the assignment.
 */
function lloyd(
  geom: NeuronFeatures,
  weights: Float64Array,
  start: Int32Array,
  k: number,
  maxIterations: number,
): { assignment: Int32Array; iterations: number } {
  const { features: F } = geom;
  const M = F.rows;
  const r = F.cols;
  const X = F.data;
  const excess = excessNorms(geom);
  const assignment = Int32Array.from(start);
  const upper = new Float64Array(M);
  // Lower bounds, stored shifted: ‖cⱼ − fᵢ‖ ≥ lower[i·k + j] − travelled[j], where travelled[j] is how far centroid j has
  // moved in all; a move then lowers every bound on that centroid without touching M·k numbers per iteration.
  const lower = new Float64Array(M * k);
  const travelled = new Float64Array(k);
  const pointCost = new Float64Array(M);
  const between = new Float64Array(k * k); // ‖cₐ − c_b‖ / 2
  const half = new Float64Array(k);
  const moved = new Float64Array(k);
  let C = centroids(F, assignment, weights, k);
  // Converged when an iteration moves fewer neurons than this (below 1,000 neurons: none, as the Gram form). With 100
  // parents the last 30 of 68 iterations moved under 0.1% of the neurons each, measured, and test accuracy did not
  // change when the iterations were cut far shorter (bench/sections/fusion-speed.md).
  const settled = Math.max(1, Math.floor(M / SETTLED_FRACTION));

  // First pass: every distance, as ‖f‖² + ‖c‖² − 2⟨f, c⟩ from blocked products.
  const featureNorms = squaredRowNorms(X, M, r);
  const centroidNorms = squaredRowNorms(C, k, r);
  const centroidMat = { rows: k, cols: r, data: C };
  for (let b0 = 0; b0 < M; b0 += BLOCK) {
    const b1 = Math.min(M, b0 + BLOCK);
    const dots = rowDots({ rows: b1 - b0, cols: r, data: X.subarray(b0 * r, b1 * r) }, centroidMat).data;
    for (let i = b0; i < b1; i++) {
      let best = Infinity;
      let bestJ = 0;
      const o = (i - b0) * k;
      for (let j = 0; j < k; j++) {
        const d = Math.sqrt(Math.max(0, featureNorms[i] + centroidNorms[j] - 2 * dots[o + j]));
        lower[i * k + j] = d;
        if (d < best) {
          best = d;
          bestJ = j;
        }
      }
      assignment[i] = bestJ;
      upper[i] = best;
    }
  }
  let changed = assignment.some((c, i) => c !== start[i]);
  let iterations = 1;
  for (;;) {
    // An emptied cluster takes the worst-served neuron (exact costs needed: bounds are not distances).
    const counts = new Int32Array(k);
    for (let i = 0; i < M; i++) counts[assignment[i]]++;
    if (counts.some((c) => c === 0)) {
      for (let i = 0; i < M; i++) pointCost[i] = weights[i] * (squaredDistance(C, assignment[i], X, i, r) + excess[i]);
      const before = Int32Array.from(assignment);
      refillEmptyClusters(assignment, pointCost, k);
      for (let i = 0; i < M; i++) {
        if (assignment[i] === before[i]) continue;
        upper[i] = Math.sqrt(squaredDistance(C, assignment[i], X, i, r));
        changed = true;
      }
    }
    if (!changed || iterations >= maxIterations) break;
    const next = centroids(F, assignment, weights, k);
    for (let j = 0; j < k; j++) {
      moved[j] = Math.sqrt(squaredDistance(next, j, C, j, r));
      travelled[j] += moved[j];
    }
    C = next;
    for (let i = 0; i < M; i++) upper[i] += moved[assignment[i]];
    iterations++;
    half.fill(Infinity);
    for (let a = 0; a < k; a++) {
      between[a * k + a] = 0;
      for (let b = a + 1; b < k; b++) {
        const d = Math.sqrt(squaredDistance(C, a, C, b, r)) / 2;
        between[a * k + b] = between[b * k + a] = d;
        if (d < half[a]) half[a] = d;
        if (d < half[b]) half[b] = d;
      }
    }
    let moves = 0;
    for (let i = 0; i < M; i++) {
      let own = assignment[i];
      if (upper[i] <= half[own]) continue;
      upper[i] = Math.sqrt(squaredDistance(C, own, X, i, r));
      lower[i * k + own] = upper[i] + travelled[own];
      if (upper[i] <= half[own]) continue;
      const o = i * k;
      for (let j = 0; j < k; j++) {
        if (j === own || upper[i] <= lower[o + j] - travelled[j] || upper[i] <= between[own * k + j]) continue;
        const d = Math.sqrt(squaredDistance(C, j, X, i, r));
        lower[o + j] = d + travelled[j];
        if (d < upper[i]) {
          own = j;
          upper[i] = d;
        }
      }
      if (own !== assignment[i]) {
        assignment[i] = own;
        moves++;
      }
    }
    changed = moves >= settled;
  }
  return { assignment, iterations };
}

function cost(geom: NeuronFeatures, assignment: Int32Array, weights: Float64Array, k: number): number {
  const { features: F, norms } = geom;
  const r = F.cols;
  const C = centroids(F, assignment, weights, k);
  const centroidNorm = squaredRowNorms(C, k, r);
  let total = 0;
  for (let i = 0; i < assignment.length; i++) {
    const j = assignment[i];
    let dot = 0;
    for (let t = 0; t < r; t++) dot += C[j * r + t] * F.data[i * r + t];
    total += weights[i] * Math.max(0, centroidNorm[j] - 2 * dot + norms[i]);
  }
  return total;
}

export function weightedKMeansFeatures(geom: NeuronFeatures, weights: Float64Array, opts: KMeansOptions): KMeansResult {
  const M = geom.features.rows;
  const { k } = opts;
  if (geom.norms.length !== M) throw new Error(`k-means: ${geom.norms.length} norms for ${M} neurons`);
  if (weights.length !== M) throw new Error(`k-means: ${weights.length} weights for ${M} neurons`);
  if (!Number.isInteger(k) || k < 1) throw new Error(`k-means: k must be a positive integer, got ${k}`);
  if (k > M) throw new Error(`k-means: cannot form ${k} groups from ${M} parent neurons`);
  if (!(opts.restarts >= 1)) throw new Error(`k-means: restarts must be >= 1, got ${opts.restarts}`);
  let best: Int32Array | undefined;
  let bestCost = Infinity;
  let iterationsRun = 0;
  const pointCost = new Float64Array(M);
  for (let r = 0; r < opts.restarts; r++) {
    const seeded = seedAssignment(geom, weights, k, opts.random);
    refillEmptyClusters(seeded, pointCost, k);
    const { assignment, iterations } = lloyd(geom, weights, seeded, k, opts.iterations);
    iterationsRun += iterations;
    const c = geom.exactCost ? geom.exactCost(assignment, weights, k) : cost(geom, assignment, weights, k);
    if (c < bestCost) {
      bestCost = c;
      best = assignment;
    }
  }
  return { assignment: best as Int32Array, cost: bestCost, iterations: iterationsRun };
}
