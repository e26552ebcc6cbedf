// The parents' own weights as the starting point of a level's least-squares fit.
//
// Why: the probe set is small (400 inputs) next to a first level's 785 weights per neuron, so the plain
// minimum-norm solution keeps only the part of each weight vector inside the span of the probe inputs and sets
// the rest to zero — knowledge the parents had about every other input direction is dropped, and in a federation
// that repeats fusion every round the model never gets it back. Fitting the *change* from a prior instead
// (min ‖W − W₀‖ subject to fitting the targets; W = W₀ + LS(T − X·W₀)) keeps the parents' weights outside the probe
// span and still reproduces the targets on it.
//
// The prior of a fused neuron is the importance-weighted mean of its group members' incoming weights, each
// re-expressed in the fused model's inputs: an input from neuron j of the parent's previous level now comes from
// the fused neuron j was grouped into, so weight w[j] moves to group g(j) (weights of several members of one group
// add up: the fused neuron stands for each of them).
import { mat, type Mat } from './matrix-products.js';
import type { Grouping } from './grouping.js';

export interface ParentLevelWeights {
  /** TF kernel values, row-major [...positions, inputsPerPosition, neurons] (Dense: [inputs, neurons]). */
  kernel: Float32Array;
  bias: Float32Array;
  /** Neurons of this level. */
  neurons: number;
}

export interface PreviousGrouping {
  /** Group of every neuron of the previous level, parents concatenated. */
  assignment: Int32Array;
  /** Each parent's previous-level width (channels for conv). */
  widths: readonly number[];
  /** Fused width of the previous level. */
  fusedWidth: number;
}

/**
 * Prior weights for the fused level, one row per group (fused inputs + bias last), or undefined when a parent's
 * inputs cannot be mapped onto the fused ones (an input layout that is not positions × previous-level neurons).
 */
export function priorWeights(
  parents: readonly ParentLevelWeights[],
  previous: PreviousGrouping | undefined,
  fusedInputs: number,
  grouping: Grouping,
): Mat | undefined {
  const k = grouping.k;
  const width = fusedInputs + 1;
  // Summed transposed (one row per fused input, bias last): the inner loop then runs along a kernel row and one row
  // of the sum; summed in the output's layout it read the kernel down its columns (measured 3x slower at 100 parents).
  const sumT = new Float64Array(width * k);
  let member = 0;
  let prevOffset = 0;
  for (let p = 0; p < parents.length; p++) {
    const { kernel, bias, neurons } = parents[p];
    const inputs = kernel.length / neurons;
    // Where each of this parent's inputs lands among the fused inputs.
    const target = new Int32Array(inputs);
    if (!previous) {
      if (inputs !== fusedInputs) return undefined;
      for (let c = 0; c < inputs; c++) target[c] = c;
    } else {
      const channels = previous.widths[p];
      if (inputs % channels !== 0) return undefined;
      const positions = inputs / channels;
      if (positions * previous.fusedWidth !== fusedInputs) return undefined;
      for (let s = 0; s < positions; s++) {
        for (let j = 0; j < channels; j++) target[s * channels + j] = s * previous.fusedWidth + previous.assignment[prevOffset + j];
      }
      prevOffset += channels;
    }
    if (member + neurons > grouping.assignment.length) {
      throw new Error(`prior weights: the parents have more neurons than the grouping's ${grouping.assignment.length}`);
    }
    const groups = grouping.assignment.subarray(member, member + neurons);
    const weights = grouping.memberWeights.subarray(member, member + neurons);
    for (let c = 0; c < inputs; c++) {
      const row = target[c] * k;
      const kr = c * neurons;
      for (let i = 0; i < neurons; i++) sumT[row + groups[i]] += weights[i] * kernel[kr + i];
    }
    const biasRow = fusedInputs * k;
    for (let i = 0; i < neurons; i++) sumT[biasRow + groups[i]] += weights[i] * bias[i];
    member += neurons;
  }
  if (member !== grouping.assignment.length) {
    throw new Error(`prior weights: the parents have ${member} neurons, the grouping ${grouping.assignment.length}`);
  }
  const out = mat(k, width);
  for (let c = 0; c < width; c++) for (let g = 0; g < k; g++) out.data[g * width + c] = sumT[c * k + g];
  return out;
}
