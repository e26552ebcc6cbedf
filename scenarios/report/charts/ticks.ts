// "Nice" axis ticks (steps of 1, 2 or 5 × 10^k) and the linear map from data to pixels.

export interface NiceScale {
  /** Domain widened outwards to whole steps. */
  min: number;
  max: number;
  step: number;
  ticks: number[];
}

// Rounds away binary noise such as 0.30000000000000004 so tick labels print cleanly.
function clean(v: number): number {
  return Number(v.toPrecision(12));
}

/**
 * Picks a step near (max − min) / target from {1, 2, 5} × 10^k and widens [min, max] to whole steps.
 * With `integer`, the step is at least 1 (rounds, client numbers).
 */
export function niceScale(min: number, max: number, target = 5, integer = false): NiceScale {
  if (!Number.isFinite(min) || !Number.isFinite(max)) throw new Error(`niceScale: domain [${min}, ${max}] is not finite`);
  if (min > max) throw new Error(`niceScale: min ${min} is greater than max ${max}`);
  // A span this small next to the values is rounding noise (and would underflow the step): treat it as one value.
  // Pad it by 10% of its size (by 1 around zero) so the one value sits mid-axis.
  if (max - min <= Math.max(1e-100, 1e-9 * Math.max(Math.abs(min), Math.abs(max)))) {
    const pad = integer || Math.abs(min) < 1e-90 ? 1 : Math.abs(min) * 0.1;
    max = min + pad;
    min -= pad;
  }
  const rough = (max - min) / Math.max(1, target);
  let step = 10 ** Math.floor(Math.log10(rough));
  const ratio = rough / step;
  if (ratio > 5) step *= 10;
  else if (ratio > 2) step *= 5;
  else if (ratio > 1) step *= 2;
  if (integer) step = Math.max(1, Math.round(step));
  let lo = clean(Math.floor(min / step + 1e-9) * step);
  let hi = clean(Math.ceil(max / step - 1e-9) * step);
  if (lo > min) lo = clean(lo - step);
  if (hi < max) hi = clean(hi + step);
  const ticks: number[] = [];
  for (let k = 0; lo + k * step <= hi + step * 1e-9; k++) ticks.push(clean(lo + k * step));
  return { min: lo, max: hi, step, ticks };
}

/** Linear map of [d0, d1] onto [r0, r1] (r1 may be smaller than r0, as for a y axis pointing up). */
export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** Decimal places that show multiples of a tick step exactly (step 0.05 → 2, 2.5 → 1, 10 → 0). */
export function decimalsFor(step: number): number {
  for (let d = 0; d < 10; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, scaled)) return d;
  }
  return 10;
}

/** Default tick label: enough decimals for the step, no more. */
export function formatTick(v: number, step: number): string {
  return v.toFixed(decimalsFor(step));
}

/** Tick label for a fraction shown as a percentage (0.25 → "25%"). */
export function formatPercentTick(v: number, step: number): string {
  return `${(100 * v).toFixed(decimalsFor(100 * step))}%`;
}
