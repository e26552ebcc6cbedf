// Grouping: which parent neurons merge into which fused neuron. Every parent neuron belongs to exactly one group;
// a group's target is the importance-weighted mean of its members' targets.
//  - output level: classes stay aligned (group c = neuron c of every parent);
//  - HF (two parents): Hungarian pairing on the reference's cost;
//  - KF (any number of parents): importance-weighted k-means in target space.
import { hungarian } from './hungarian.js';
import { clusterWeights, weightedKMeans, type NeuronGeometry } from './kmeans.js';
import { weightedKMeansFeatures, type NeuronFeatures } from './kmeans-features.js';
import { mat, type Mat } from './matrix-products.js';

export interface Grouping {
  /** Number of groups (fused neurons). */
  k: number;
  /** Group of every parent neuron, parents concatenated in order. */
  assignment: Int32Array;
  /** Each member's weight within its group (sums to 1 per group). */
  memberWeights: Float64Array;
  /** Total importance per group (weights the gradient fit's loss). */
  groupImportance: Float64Array;
}

function makeGrouping(assignment: Int32Array, importance: Float64Array, k: number): Grouping {
  const groupImportance = new Float64Array(k);
  for (let i = 0; i < assignment.length; i++) groupImportance[assignment[i]] += importance[i];
  return { k, assignment, memberWeights: clusterWeights(assignment, importance, k), groupImportance };
}

/** Neuron c of every parent forms group c: the output level's classes, and hidden levels grouped by index. */
export function groupAligned(widths: readonly number[], importance: Float64Array): Grouping {
  const k = widths[0];
  const bad = widths.findIndex((w) => w !== k);
  if (bad >= 0) throw new Error(`grouping by index: parent ${bad} has ${widths[bad]} neurons, parent 0 has ${k}`);
  const assignment = new Int32Array(k * widths.length);
  for (let i = 0; i < assignment.length; i++) assignment[i] = i % k;
  return makeGrouping(assignment, importance, k);
}

/**
 * The reference's HF cost for pairing neuron i of parent A with neuron j of parent B: with the pair's fused neuron
 * ĉ = P·(sᵢaᵢ + sⱼbⱼ)/(sᵢ + sⱼ) (what one least-squares neuron can produce), cost = sᵢ‖ĉ − aᵢ‖ + sⱼ‖ĉ − bⱼ‖.
 * Computed from inner products alone (see NeuronGeometry).
 */
export function hungarianCost(geom: NeuronGeometry, importance: Float64Array, n0: number, n1: number): Mat {
  const M = n0 + n1;
  if (geom.norms.length !== M) throw new Error(`HF cost: geometry has ${geom.norms.length} neurons, expected ${M}`);
  const G = geom.gram.data;
  const cost = new Float64Array(n0 * n1);
  for (let i = 0; i < n0; i++) {
    const si = importance[i];
    const gii = G[i * M + i];
    for (let jj = 0; jj < n1; jj++) {
      const j = n0 + jj;
      const sj = importance[j];
      const total = si + sj;
      const a = total > 0 ? si / total : 0.5;
      const b = 1 - a;
      const gij = G[i * M + j];
      const gjj = G[j * M + j];
      const cc = a * a * gii + 2 * a * b * gij + b * b * gjj;
      const di = Math.sqrt(Math.max(0, cc - 2 * (a * gii + b * gij) + geom.norms[i]));
      const dj = Math.sqrt(Math.max(0, cc - 2 * (a * gij + b * gjj) + geom.norms[j]));
      cost[i * n1 + jj] = si * di + sj * dj;
    }
  }
  return mat(n0, n1, cost);
}

/** HF: pairs the neurons of two equally wide parents; fused neuron i = (neuron i of parent 0, its partner). */
export function groupHungarian(geom: NeuronGeometry, importance: Float64Array, widths: readonly number[]): Grouping {
  if (widths.length !== 2) throw new Error(`HF fusion needs exactly 2 parents, got ${widths.length}`);
  const [n0, n1] = widths;
  if (n0 !== n1) throw new Error(`HF fusion needs equally wide levels, got ${n0} and ${n1} neurons`);
  const partner = hungarian(hungarianCost(geom, importance, n0, n1));
  const assignment = new Int32Array(n0 + n1);
  for (let i = 0; i < n0; i++) {
    assignment[i] = i;
    assignment[n0 + partner[i]] = i;
  }
  return makeGrouping(assignment, importance, n0);
}

export interface KMeansGroupingOptions {
  restarts: number;
  iterations: number;
  random: () => number;
}

/**
 * KF: k-means with k = fused width. Groups are numbered by their first member (lowest parent-neuron index), so a
 * single parent fused at its own width comes back in its own neuron order.
 */
export function groupKMeans(
  geom: NeuronGeometry | NeuronFeatures,
  importance: Float64Array,
  k: number,
  opts: KMeansGroupingOptions,
): Grouping {
  const { assignment } = 'gram' in geom ? weightedKMeans(geom, importance, { k, ...opts }) : weightedKMeansFeatures(geom, importance, { k, ...opts });
  const relabel = new Int32Array(k).fill(-1);
  let next = 0;
  for (let i = 0; i < assignment.length; i++) if (relabel[assignment[i]] < 0) relabel[assignment[i]] = next++;
  const ordered = assignment.map((c) => relabel[c]);
  return makeGrouping(ordered, importance, k);
}

/**
 * Anchored grouping, for parents of different widths that descend from one model (a tiered federation): neuron i of
 * every parent as wide as the fused level forms group i (they keep the global model's neuron order), and every neuron
 * of a narrower parent joins the group whose centroid (of the anchors alone) is nearest in target space.
 */
export function groupAnchored(geom: NeuronGeometry, importance: Float64Array, widths: readonly number[], k: number): Grouping {
  const M = geom.norms.length;
  const G = geom.gram.data;
  const assignment = new Int32Array(M).fill(-1);
  let o = 0;
  for (const w of widths) {
    if (w === k) for (let i = 0; i < w; i++) assignment[o + i] = i;
    o += w;
  }
  if (o !== M) throw new Error(`anchored grouping: widths cover ${o} neurons, the geometry ${M}`);
  // Anchor centroids: cⱼ = Σ ωₗ·P·aₗ over group j's anchors; ⟨cⱼ, aᵢ⟩ and ‖cⱼ‖² from the Gram rows, as k-means does.
  const anchorWeight = new Float64Array(M);
  const totals = new Float64Array(k);
  const counts = new Int32Array(k);
  for (let i = 0; i < M; i++) {
    if (assignment[i] < 0) continue;
    totals[assignment[i]] += importance[i];
    counts[assignment[i]]++;
  }
  if (counts.some((c) => c === 0)) throw new Error('anchored grouping needs at least one parent as wide as the fused level');
  for (let i = 0; i < M; i++) {
    const g = assignment[i];
    if (g >= 0) anchorWeight[i] = totals[g] > 0 ? importance[i] / totals[g] : 1 / counts[g];
  }
  const q = new Float64Array(k * M);
  for (let l = 0; l < M; l++) {
    const w = anchorWeight[l];
    if (w === 0) continue;
    const row = assignment[l] * M;
    for (let i = 0; i < M; i++) q[row + i] += w * G[l * M + i];
  }
  const centroidNorm = new Float64Array(k);
  for (let l = 0; l < M; l++) if (assignment[l] >= 0) centroidNorm[assignment[l]] += anchorWeight[l] * q[assignment[l] * M + l];
  for (let i = 0; i < M; i++) {
    if (assignment[i] >= 0) continue;
    let best = 0;
    let bestD = Infinity;
    for (let j = 0; j < k; j++) {
      const d = centroidNorm[j] - 2 * q[j * M + i];
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    }
    assignment[i] = best;
  }
  return makeGrouping(assignment, importance, k);
}

/** Group targets: importance-weighted mean of the members' targets (rows of `targets`). */
export function groupTargets(targets: Mat, grouping: Grouping): Mat {
  if (targets.rows !== grouping.assignment.length) {
    throw new Error(`group targets: ${targets.rows} target rows for ${grouping.assignment.length} neurons`);
  }
  const n = targets.cols;
  const out = new Float64Array(grouping.k * n);
  for (let i = 0; i < targets.rows; i++) {
    const w = grouping.memberWeights[i];
    if (w === 0) continue;
    const o = grouping.assignment[i] * n;
    const s = i * n;
    for (let t = 0; t < n; t++) out[o + t] += w * targets.data[s + t];
  }
  return mat(grouping.k, n, out);
}
