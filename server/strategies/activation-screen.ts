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

/** Values per channel the centre and spread are estimated from (an even sample of them beyond this many). */
const SPREAD_SAMPLE = 16_384;

/**
 * Refuses a level whose upload has a value more than OUTLIER_SPREADS robust spreads from its neuron's median. A
 * neuron is a unit of a dense level, or a channel of a conv level: a conv filter is the same at every position, so
 * its values over all rows and positions share one centre and one spread (1.4826 × MAD), floored at a tenth of the
 * level's typical spread. Calibrated (issue 23) on honest uploads of the CNN scenario (Fashion-MNIST, conv 6 → conv 12
 * → dense 10, 400 probe images, 3 FedAvg rounds): at most 42 spreads on its conv levels, 10 on its dense level; MLP levels stay within
 * 5.4. (Per position, as before, a tenth of a conv level's positions are background for most images, a MAD of 0, and
 * honest values there were 82-183 floored spreads out.)
 */
export function screenOutlierRows(who: string, level: number, uploaded: PlainTensor): void {
  const o = largestOutlier(uploaded);
  if (o.distance <= OUTLIER_SPREADS) return;
  const where = o.positions > 1 ? `position ${o.position}, channel ${o.channel}` : `value ${o.channel}`;
  throw new Error(
    `${who}: uploaded activations at level ${level}, probe row ${o.row}, ${where}: ${o.value} is ` +
      `${Number.isFinite(o.distance) ? o.distance.toPrecision(3) : o.distance} robust spreads from its ${o.positions > 1 ? 'channel' : 'neuron'}'s median ${o.centre.toPrecision(3)} (at most ${OUTLIER_SPREADS})`,
  );
}

/** The uploaded value furthest from its neuron's (channel's) median, in robust spreads (see screenOutlierRows). */
export function largestOutlier(uploaded: PlainTensor): {
  distance: number;
  value: number;
  centre: number;
  row: number;
  position: number;
  channel: number;
  /** Positions per row (1 for a dense level). */
  positions: number;
} {
  const rows = uploaded.shape[0];
  const channels = uploaded.shape[uploaded.shape.length - 1];
  const values = uploaded.values;
  const perChannel = values.length / channels;
  const positions = perChannel / rows;
  const stride = Math.max(1, Math.ceil(perChannel / SPREAD_SAMPLE));
  const centre = new Float64Array(channels);
  const spread = new Float64Array(channels);
  const sample = new Float64Array(Math.ceil(perChannel / stride));
  for (let c = 0; c < channels; c++) {
    for (let k = 0; k < sample.length; k++) sample[k] = values[k * stride * channels + c];
    sample.sort();
    centre[c] = median(sample);
    for (let k = 0; k < sample.length; k++) sample[k] = Math.abs(sample[k] - centre[c]);
    sample.sort();
    spread[c] = 1.4826 * median(sample);
  }
  const typical = median(Float64Array.from(spread).sort());
  const floor = Math.max(0.1 * typical, 1e-6);
  let worst = 0;
  let at = 0;
  for (let i = 0; i < values.length; i++) {
    const c = i % channels;
    const distance = Math.abs(values[i] - centre[c]) / Math.max(spread[c], floor);
    // NaN is the worst of all (never "within" the bound).
    if (!(distance <= worst)) {
      worst = Number.isNaN(distance) ? Infinity : distance;
      at = i;
      if (Number.isNaN(distance)) break;
    }
  }
  const element = Math.floor(at / channels);
  const channel = at % channels;
  return { distance: worst, value: values[at], centre: centre[channel], row: Math.floor(element / positions), position: element % positions, channel, positions };
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
