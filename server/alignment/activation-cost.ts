// Ground cost for activation-based alignment: how differently two neurons respond to the same probe inputs.
// A neuron's response vector is its activation on every probe example (and, for a conv channel, every position).

/** Activations with the neuron on the last axis, e.g. [probe, width] or [probe, h, w, channels]. */
export interface NeuronActivations {
  shape: readonly number[];
  values: Float32Array;
}

/** Neuron-major copy: row i holds neuron i's response vector (length = all axes but the last). */
function byNeuron(a: NeuronActivations): { width: number; length: number; rows: Float64Array } {
  const width = a.shape[a.shape.length - 1];
  const length = a.values.length / width;
  if (!Number.isInteger(length) || a.shape.length < 2) {
    throw new Error(`activations of shape [${a.shape.join(', ')}] do not hold ${a.values.length} values per neuron axis`);
  }
  const rows = new Float64Array(a.values.length);
  for (let d = 0; d < length; d++) {
    const s = d * width;
    for (let i = 0; i < width; i++) rows[i * length + d] = a.values[s + i];
  }
  return { width, length, rows };
}

/**
 * cost[j·sourceWidth + i] = mean over probe entries of (target_j − source_i)², the squared Euclidean distance
 * between response vectors divided by their length (a constant factor, so the optimal coupling is unchanged, but
 * the scale no longer grows with the probe size).
 */
export function activationCost(
  target: NeuronActivations,
  source: NeuronActivations,
): { cost: Float64Array; rows: number; cols: number } {
  const t = byNeuron(target);
  const s = byNeuron(source);
  if (t.length !== s.length) {
    throw new Error(
      `activation vectors differ in length (${t.length} vs ${s.length}): both models must see the same probe inputs`,
    );
  }
  const D = t.length;
  const normT = new Float64Array(t.width);
  const normS = new Float64Array(s.width);
  for (let j = 0; j < t.width; j++) normT[j] = dot(t.rows, j * D, t.rows, j * D, D);
  for (let i = 0; i < s.width; i++) normS[i] = dot(s.rows, i * D, s.rows, i * D, D);
  const cost = new Float64Array(t.width * s.width);
  for (let j = 0; j < t.width; j++) {
    for (let i = 0; i < s.width; i++) {
      // ‖a−b‖² = ‖a‖² + ‖b‖² − 2a·b; clamp the rounding error that can push identical vectors below zero.
      const d2 = normT[j] + normS[i] - 2 * dot(t.rows, j * D, s.rows, i * D, D);
      cost[j * s.width + i] = Math.max(0, d2) / D;
    }
  }
  return { cost, rows: t.width, cols: s.width };
}

function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let k = 0;
  for (; k + 1 < n; k += 2) {
    s0 += a[ao + k] * b[bo + k];
    s1 += a[ao + k + 1] * b[bo + k + 1];
  }
  if (k < n) s0 += a[ao + k] * b[bo + k];
  return s0 + s1;
}
