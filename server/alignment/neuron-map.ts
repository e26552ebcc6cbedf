// How one model's neurons of a level become another (target) model's neurons: target neuron j is the weighted sum
// Σ_k weight_k · source neuron index_k. A permutation has one entry of weight 1 per row; an OT coupling gives
// convex combinations (the barycentric projection of Singh & Jaggi 2020). Stored sparsely, row by row, so that
// applying a permutation costs O(weights), not O(width²·weights).

export interface NeuronMapRow {
  index: Int32Array;
  weight: Float64Array;
}

export interface NeuronMap {
  targetCount: number;
  sourceCount: number;
  rows: NeuronMapRow[];
}

/** Target neuron j = source neuron perm[j]. */
export function permutationMap(perm: ArrayLike<number>): NeuronMap {
  const n = perm.length;
  const seen = new Uint8Array(n);
  const rows: NeuronMapRow[] = [];
  for (let j = 0; j < n; j++) {
    const i = perm[j];
    if (!Number.isInteger(i) || i < 0 || i >= n || seen[i]) {
      throw new Error(`not a permutation of 0..${n - 1}: entry ${j} is ${i}`);
    }
    seen[i] = 1;
    rows.push({ index: Int32Array.of(i), weight: Float64Array.of(1) });
  }
  return { targetCount: n, sourceCount: n, rows };
}

export function identityPermutation(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

/** Inverse permutation: if target j = source perm[j], then source i = target inverse[i]. */
export function invertPermutation(perm: ArrayLike<number>): Int32Array {
  const inv = new Int32Array(perm.length);
  for (let j = 0; j < perm.length; j++) inv[perm[j]] = j;
  return inv;
}

/**
 * Barycentric map from a transport plan `plan` (row-major, targetCount × sourceCount, rows = target neurons):
 * each target neuron becomes the plan-weighted mean of the source neurons sent to it. Entries below
 * `dropBelow` × the row's mass are dropped (entropic plans are dense with negligible tails) and the row renormalised.
 */
export function couplingMap(plan: Float64Array, targetCount: number, sourceCount: number, dropBelow = 1e-9): NeuronMap {
  if (plan.length !== targetCount * sourceCount) {
    throw new Error(`transport plan has ${plan.length} entries, expected ${targetCount}x${sourceCount}`);
  }
  const rows: NeuronMapRow[] = [];
  for (let j = 0; j < targetCount; j++) {
    const r = j * sourceCount;
    let mass = 0;
    for (let i = 0; i < sourceCount; i++) mass += plan[r + i];
    if (!(mass > 0)) throw new Error(`transport plan sends no mass to target neuron ${j}`);
    const index: number[] = [];
    const weight: number[] = [];
    let kept = 0;
    for (let i = 0; i < sourceCount; i++) {
      const p = plan[r + i];
      if (p > dropBelow * mass) {
        index.push(i);
        weight.push(p);
        kept += p;
      }
    }
    rows.push({ index: Int32Array.from(index), weight: Float64Array.from(weight, (w) => w / kept) });
  }
  return { targetCount, sourceCount, rows };
}

/** The permutation a map encodes, or undefined when some row mixes several source neurons. */
export function mapAsPermutation(map: NeuronMap): Int32Array | undefined {
  if (map.targetCount !== map.sourceCount) return undefined;
  const perm = new Int32Array(map.targetCount);
  const seen = new Uint8Array(map.sourceCount);
  for (let j = 0; j < map.targetCount; j++) {
    const row = map.rows[j];
    if (row.index.length !== 1 || seen[row.index[0]]) return undefined;
    perm[j] = row.index[0];
    seen[perm[j]] = 1;
  }
  return perm;
}
