// Git Re-Basin weight matching (Ainsworth et al. 2023, Algorithm 1): find per-level permutations P_l of model B's
// hidden neurons maximising Σ_l ⟨W_A^l, P_l W_B^l P_{l-1}ᵀ⟩ (+ biases) by coordinate descent. With the other levels'
// permutations fixed, the terms touching P_l are linear in P_l, so each step is a linear assignment problem on
// S[i][j] = ⟨A's neuron-i weights, B's neuron-j weights⟩ over the neuron's incoming and outgoing weights.
// Levels are visited in random order; stop after a full pass without improvement. The output level stays unpermuted.
import type { WeightTensor } from '@fedfuse/client/internal/model/weights.js';
import { hungarian } from '../fusion/hungarian.js';
import { mat } from '../fusion/matrix-products.js';
import { seededRandom, shuffledIndices } from '../fusion/random.js';
import { permuteWeights } from './align-weights.js';
import { checkWeightsFitLayouts, type LevelLayout } from './level-layout.js';
import { identityPermutation } from './neuron-map.js';

export interface WeightMatchingOptions {
  /** Upper bound on full passes over the levels (default 100). */
  maxPasses?: number;
  seed?: number;
}

export interface WeightMatchingResult {
  /** perms[l][i] = B's neuron that becomes neuron i (A's order), for every hidden level (not the output level). */
  perms: Int32Array[];
  /** B's weights permuted into A's neuron order: the same function as B. */
  aligned: WeightTensor[];
  passes: number;
  /** Σ ⟨W_A, aligned W_B⟩ over all kernels and biases. */
  objective: number;
}

/**
 * Every weight that belongs to neuron i of level l, as row i of a width × length matrix: its kernel column and bias
 * (outgoing to the level's output) and the next level's kernel rows fed by it (all positions after a Flatten).
 */
function neuronWeights(weights: readonly WeightTensor[], layouts: readonly LevelLayout[], l: number): { rows: Float64Array; length: number } {
  const layout = layouts[l];
  const width = layout.width;
  const kernel = weights[layout.kernelIndex].values;
  const bias = weights[layout.biasIndex].values;
  const fanIn = kernel.length / width;
  const next = layouts[l + 1];
  const nextKernel = next ? weights[next.kernelIndex] : undefined;
  const nextOut = nextKernel ? nextKernel.shape[nextKernel.shape.length - 1] : 0;
  // Next kernel viewed as [outer, width, nextOut]: outer = conv spatial taps, or positions after a Flatten.
  const nextOuter = nextKernel ? nextKernel.values.length / (width * nextOut) : 0;
  const length = fanIn + 1 + nextOuter * nextOut;
  const rows = new Float64Array(width * length);
  for (let i = 0; i < width; i++) {
    const r = i * length;
    for (let o = 0; o < fanIn; o++) rows[r + o] = kernel[o * width + i];
    rows[r + fanIn] = bias[i];
    if (nextKernel) {
      let k = r + fanIn + 1;
      const v = nextKernel.values;
      for (let o = 0; o < nextOuter; o++) {
        const s = (o * width + i) * nextOut;
        for (let c = 0; c < nextOut; c++) rows[k++] = v[s + c];
      }
    }
  }
  return { rows, length };
}

/** S[i·width + j] = ⟨A neuron i, B neuron j⟩. */
function similarity(a: Float64Array, b: Float64Array, width: number, length: number): Float64Array {
  const S = new Float64Array(width * width);
  for (let i = 0; i < width; i++) {
    const ai = i * length;
    for (let j = 0; j < width; j++) {
      const bj = j * length;
      let s = 0;
      for (let k = 0; k < length; k++) s += a[ai + k] * b[bj + k];
      S[i * width + j] = s;
    }
  }
  return S;
}

function assignmentScore(S: Float64Array, perm: Int32Array): number {
  const n = perm.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += S[i * n + perm[i]];
  return s;
}

function innerProduct(a: readonly WeightTensor[], b: readonly WeightTensor[]): number {
  let s = 0;
  a.forEach((w, t) => {
    const v = b[t].values;
    for (let k = 0; k < v.length; k++) s += w.values[k] * v[k];
  });
  return s;
}

/** Permutations of B's hidden neurons that best match A's weights. A and B must share one architecture. */
export function matchWeights(
  a: readonly WeightTensor[],
  b: readonly WeightTensor[],
  layouts: readonly LevelLayout[],
  options: WeightMatchingOptions = {},
): WeightMatchingResult {
  const maxPasses = options.maxPasses ?? 100;
  if (!(Number.isInteger(maxPasses) && maxPasses >= 1)) throw new Error(`weight matching: maxPasses must be a positive integer, got ${maxPasses}`);
  if (a.length !== b.length) throw new Error(`weight matching needs one architecture: ${a.length} vs ${b.length} weight tensors`);
  a.forEach((w, t) => {
    if (w.shape.join('x') !== b[t].shape.join('x')) {
      throw new Error(
        `weight matching needs one architecture: weight ${t} (${w.name}) is ${w.shape.join('x')} vs ${b[t].shape.join('x')}`,
      );
    }
  });
  checkWeightsFitLayouts(a, layouts, 'model A');
  checkWeightsFitLayouts(b, layouts, 'model B');
  const hidden = layouts.length - 1;
  const perms = layouts.slice(0, hidden).map((layout) => identityPermutation(layout.width));
  const ownWeights = perms.map((_, l) => neuronWeights(a, layouts, l));
  const random = seededRandom(options.seed ?? 0);
  let passes = 0;
  while (passes < maxPasses && hidden > 0) {
    passes++;
    let improved = false;
    for (const l of shuffledIndices(hidden, random)) {
      // B with every other level already permuted, level l in its own order.
      const others = permuteWeights(
        b,
        layouts,
        perms.map((p, k) => (k === l ? undefined : p)),
      );
      const width = layouts[l].width;
      const theirs = neuronWeights(others, layouts, l);
      const S = similarity(ownWeights[l].rows, theirs.rows, width, theirs.length);
      const negated = S.map((s) => -s);
      const candidate = hungarian(mat(width, width, negated));
      const before = assignmentScore(S, perms[l]);
      const after = assignmentScore(S, candidate);
      // A relative margin so float noise between equal-score assignments cannot loop forever.
      if (after > before + 1e-9 * Math.max(1, Math.abs(before))) {
        perms[l] = candidate;
        improved = true;
      }
    }
    if (!improved) break;
  }
  const aligned = permuteWeights(b, layouts, perms);
  return { perms, aligned, passes, objective: innerProduct(a, aligned) };
}
