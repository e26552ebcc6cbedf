// Checks of uploaded activations (neuron interpolation with activationsFrom: 'clients') that do not depend on which
// probe rows were sampled for recomputation, plus how many rows to sample for a client that failed before:
//   - statistical screen: per neuron, a row far outside the upload's own robust spread (median ± k × MAD) is refused,
//     so a few faked rows cannot hide among unsampled ones;
//   - bound: no value may exceed a multiple of the largest magnitude the client's weights produce on the checked rows;
//   - escalation: every failed check doubles the rows recomputed for that client's next uploads.
import type { PlainTensor } from './strategy.js';

/** Robust spreads from the median beyond which an uploaded value is refused. */
export const OUTLIER_SPREADS = 100;
/** Uploaded magnitudes may reach this multiple of the largest recomputed one. */
export const BOUND_FACTOR = 100;

/** Probe rows to recompute for a client that failed `failures` checks before: doubled per failure, at most all rows. */
export function rowsToVerify(base: number, failures: number, probeRows: number): number {
  return Math.min(probeRows, base * 2 ** Math.min(failures, 30));
}

function median(sorted: Float64Array): number {
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/**
 * Refuses a level whose upload has a value more than OUTLIER_SPREADS robust spreads (1.4826 × MAD of its neuron over
 * all rows, floored at a tenth of the level's typical spread) from its neuron's median.
 */
export function screenOutlierRows(who: string, level: number, uploaded: PlainTensor): void {
  const rows = uploaded.shape[0];
  const rowSize = uploaded.values.length / rows;
  const centre = new Float64Array(rowSize);
  const spread = new Float64Array(rowSize);
  const column = new Float64Array(rows);
  for (let e = 0; e < rowSize; e++) {
    for (let r = 0; r < rows; r++) column[r] = uploaded.values[r * rowSize + e];
    column.sort();
    centre[e] = median(column);
    for (let r = 0; r < rows; r++) column[r] = Math.abs(column[r] - centre[e]);
    column.sort();
    spread[e] = 1.4826 * median(column);
  }
  const typical = median(Float64Array.from(spread).sort());
  const floor = Math.max(0.1 * typical, 1e-6);
  for (let r = 0; r < rows; r++) {
    for (let e = 0; e < rowSize; e++) {
      const v = uploaded.values[r * rowSize + e];
      const distance = Math.abs(v - centre[e]) / Math.max(spread[e], floor);
      if (!(distance <= OUTLIER_SPREADS)) {
        throw new Error(
          `${who}: uploaded activations at level ${level}, probe row ${r}, value ${e}: ${v} is ` +
            `${Number.isFinite(distance) ? distance.toPrecision(3) : distance} robust spreads from the other rows' median ${centre[e].toPrecision(3)} (at most ${OUTLIER_SPREADS})`,
        );
      }
    }
  }
}

/** Largest absolute value in `values`. */
export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  return m;
}

/** Refuses uploaded values beyond BOUND_FACTOR × the largest magnitude the client's weights produced on checked rows. */
export function checkActivationBound(who: string, level: number, uploaded: PlainTensor, recomputedMaxAbs: number): void {
  const bound = BOUND_FACTOR * Math.max(recomputedMaxAbs, 1e-6);
  const rowSize = uploaded.values.length / uploaded.shape[0];
  for (let i = 0; i < uploaded.values.length; i++) {
    const v = uploaded.values[i];
    if (!(Math.abs(v) <= bound)) {
      throw new Error(
        `${who}: uploaded activations at level ${level}, probe row ${Math.floor(i / rowSize)}: ${v} is outside ±${bound.toPrecision(3)} ` +
          `(${BOUND_FACTOR} × the largest value its weights produce on the checked rows)`,
      );
    }
  }
}
