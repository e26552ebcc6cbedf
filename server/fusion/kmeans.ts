// Importance-weighted k-means over neurons, where a neuron is its target vector (pre-activations on the probe set).
// It runs entirely on the M×M inner-product matrix of the targets: with cᵢ = Σₗ ωₗ·P·aₗ (a centroid is the
// projection of its members' weighted mean, i.e. what a fused neuron can actually produce, as in the reference),
//   ‖cⱼ − aᵢ‖² = Σₗ Σₗ' ωₗωₗ'⟨Paₗ, aₗ'⟩ − 2 Σₗ ωₗ⟨Paₗ, aᵢ⟩ + ‖aᵢ‖²,
// so one iteration costs O(M²) instead of O(k·M·samples): the samples dimension is paid once, in the Gram matrix.
// Differences from the reference, on purpose: seeding is importance-weighted k-means++ (the reference seeds by
// farthest point from one random neuron, which restarts barely vary), and restarts are compared on the squared
// cost Lloyd's iterations actually decrease (the reference sums unsquared distances).
import type { Mat } from './matrix-products.js';

export interface NeuronGeometry {
  /** ⟨P·aᵢ, aⱼ⟩ for every pair of neurons (M×M, symmetric). */
  gram: Mat;
  /** ‖aᵢ‖², the raw targets' squared norms. */
  norms: Float64Array;
}

export interface KMeansOptions {
  k: number;
  restarts: number;
  iterations: number;
  random: () => number;
}

export interface KMeansResult {
  /** Cluster of every neuron, 0..k-1, every cluster non-empty. */
  assignment: Int32Array;
  /** Σᵢ sᵢ‖c(i) − aᵢ‖² of the kept restart. */
  cost: number;
  /** Lloyd iterations run over all restarts. */
  iterations: number;
}

/** Per-member weights ω within each cluster: importance normalised per cluster (plain mean if it sums to 0). */
export function clusterWeights(assignment: Int32Array, weights: Float64Array, k: number): Float64Array {
  const totals = new Float64Array(k);
  const counts = new Int32Array(k);
  for (let i = 0; i < assignment.length; i++) {
    totals[assignment[i]] += weights[i];
    counts[assignment[i]]++;
  }
  const omega = new Float64Array(assignment.length);
  for (let i = 0; i < assignment.length; i++) {
    const c = assignment[i];
    omega[i] = totals[c] > 0 ? weights[i] / totals[c] : 1 / counts[c];
  }
  return omega;
}

/** Squared distance of every neuron to every centroid (k×M), for centroids given by an assignment. */
export function centroidDistances(geom: NeuronGeometry, assignment: Int32Array, weights: Float64Array, k: number): Mat {
  const M = geom.norms.length;
  const G = geom.gram.data;
  const omega = clusterWeights(assignment, weights, k);
  // q[j][i] = ⟨cⱼ, aᵢ⟩, built by adding each member's Gram row once.
  const q = new Float64Array(k * M);
  for (let l = 0; l < M; l++) {
    const w = omega[l];
    if (w === 0) continue;
    const qj = assignment[l] * M;
    const gl = l * M;
    for (let i = 0; i < M; i++) q[qj + i] += w * G[gl + i];
  }
  const centroidNorm = new Float64Array(k);
  for (let l = 0; l < M; l++) centroidNorm[assignment[l]] += omega[l] * q[assignment[l] * M + l];
  const out = q; // reuse: d² = ‖c‖² − 2⟨c, a⟩ + ‖a‖²
  for (let j = 0; j < k; j++) {
    const o = j * M;
    for (let i = 0; i < M; i++) out[o + i] = Math.max(0, centroidNorm[j] - 2 * q[o + i] + geom.norms[i]);
  }
  return { rows: k, cols: M, data: out };
}

export function weightedPick(scores: Float64Array, random: () => number, exclude?: Uint8Array): number {
  let total = 0;
  for (let i = 0; i < scores.length; i++) if (!exclude?.[i]) total += scores[i];
  if (!(total > 0)) {
    const free: number[] = [];
    for (let i = 0; i < scores.length; i++) if (!exclude?.[i]) free.push(i);
    return free[Math.floor(random() * free.length)];
  }
  let r = random() * total;
  for (let i = 0; i < scores.length; i++) {
    if (exclude?.[i]) continue;
    r -= scores[i];
    if (r <= 0) return i;
  }
  for (let i = scores.length - 1; i >= 0; i--) if (!exclude?.[i]) return i;
  return 0;
}

/** k-means++ seeding with importance: next seed drawn ∝ sᵢ·D²(i). Returns the nearest-seed assignment. */
function seedAssignment(geom: NeuronGeometry, weights: Float64Array, k: number, random: () => number): Int32Array {
  const M = geom.norms.length;
  const G = geom.gram.data;
  const chosen = new Uint8Array(M);
  const nearest = new Float64Array(M).fill(Infinity);
  const assignment = new Int32Array(M);
  let seed = weightedPick(weights, random);
  for (let c = 0; c < k; c++) {
    chosen[seed] = 1;
    const gs = seed * M;
    for (let i = 0; i < M; i++) {
      const d = Math.max(0, G[gs + seed] - 2 * G[gs + i] + geom.norms[i]);
      if (d < nearest[i]) {
        nearest[i] = d;
        assignment[i] = c;
      }
    }
    assignment[seed] = c;
    nearest[seed] = 0;
    if (c + 1 < k) {
      const scores = new Float64Array(M);
      for (let i = 0; i < M; i++) scores[i] = weights[i] * nearest[i];
      seed = weightedPick(scores, random, chosen);
    }
  }
  return assignment;
}

/**
 * Gives every empty cluster the neuron that is worst served (largest sᵢ·d²) among clusters with more than one member,
 * as the reference does.
 */
export function refillEmptyClusters(assignment: Int32Array, pointCost: Float64Array, k: number): void {
  const counts = new Int32Array(k);
  for (const c of assignment) counts[c]++;
  const taken = new Uint8Array(assignment.length);
  for (let j = 0; j < k; j++) {
    if (counts[j] > 0) continue;
    let best = -1;
    for (let i = 0; i < assignment.length; i++) {
      if (taken[i] || counts[assignment[i]] <= 1) continue;
      if (best < 0 || pointCost[i] > pointCost[best]) best = i;
    }
    if (best < 0) throw new Error(`k-means: cannot fill ${k} clusters from ${assignment.length} neurons`);
    counts[assignment[best]]--;
    assignment[best] = j;
    counts[j] = 1;
    taken[best] = 1;
  }
}

/** Nearest centroid per neuron; returns total weighted cost and fills pointCost. */
function assignNearest(
  dist: Mat,
  weights: Float64Array,
  assignment: Int32Array,
  pointCost: Float64Array,
): number {
  const M = dist.cols;
  const best = new Float64Array(M).fill(Infinity);
  for (let j = 0; j < dist.rows; j++) {
    const o = j * M;
    for (let i = 0; i < M; i++) {
      if (dist.data[o + i] < best[i]) {
        best[i] = dist.data[o + i];
        assignment[i] = j;
      }
    }
  }
  let cost = 0;
  for (let i = 0; i < M; i++) {
    pointCost[i] = weights[i] * best[i];
    cost += pointCost[i];
  }
  return cost;
}

function assignmentCost(geom: NeuronGeometry, assignment: Int32Array, weights: Float64Array, k: number): number {
  const dist = centroidDistances(geom, assignment, weights, k);
  let cost = 0;
  for (let i = 0; i < assignment.length; i++) cost += weights[i] * dist.data[assignment[i] * dist.cols + i];
  return cost;
}

export function weightedKMeans(geom: NeuronGeometry, weights: Float64Array, opts: KMeansOptions): KMeansResult {
  const M = geom.norms.length;
  const { k } = opts;
  if (weights.length !== M) throw new Error(`k-means: ${weights.length} weights for ${M} neurons`);
  if (!Number.isInteger(k) || k < 1) throw new Error(`k-means: k must be a positive integer, got ${k}`);
  if (k > M) throw new Error(`k-means: cannot form ${k} groups from ${M} parent neurons`);
  if (!(opts.restarts >= 1)) throw new Error(`k-means: restarts must be >= 1, got ${opts.restarts}`);
  let bestAssignment: Int32Array | undefined;
  let bestCost = Infinity;
  let iterationsRun = 0;
  const pointCost = new Float64Array(M);
  for (let r = 0; r < opts.restarts; r++) {
    let assignment = seedAssignment(geom, weights, k, opts.random);
    refillEmptyClusters(assignment, pointCost, k);
    for (let it = 0; it < opts.iterations; it++) {
      iterationsRun++;
      const dist = centroidDistances(geom, assignment, weights, k);
      const next = new Int32Array(M);
      assignNearest(dist, weights, next, pointCost);
      refillEmptyClusters(next, pointCost, k);
      const changed = next.some((c, i) => c !== assignment[i]);
      assignment = next;
      if (!changed) break;
    }
    const cost = assignmentCost(geom, assignment, weights, k);
    if (cost < bestCost) {
      bestCost = cost;
      bestAssignment = assignment;
    }
  }
  return { assignment: bestAssignment as Int32Array, cost: bestCost, iterations: iterationsRun };
}
