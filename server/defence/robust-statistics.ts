// Median and median absolute deviation: location and spread that a minority of arbitrary values cannot drag far,
// which is what a screening rule needs when some of the values may come from an attacker.

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median of |v − median(values)|. */
export function medianAbsoluteDeviation(values: readonly number[]): number {
  const m = median(values);
  return median(values.map((v) => Math.abs(v - m)));
}

/** MAD × this estimates the standard deviation for normally distributed values. */
export const MAD_TO_SIGMA = 1.4826;
