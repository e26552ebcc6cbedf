// Statistics over the seeds of one scenario × strategy cell. Pure functions, no I/O.

export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new Error('mean of an empty list');
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/**
 * Sample standard deviation (divides by n − 1: the seeds are a sample of all possible seeds).
 * One value has no spread to estimate; we report 0 for it rather than NaN.
 */
export function sampleStd(values: readonly number[]): number {
  if (values.length === 0) throw new Error('standard deviation of an empty list');
  if (values.length === 1) return 0;
  const m = mean(values);
  let s = 0;
  for (const v of values) s += (v - m) ** 2;
  return Math.sqrt(s / (values.length - 1));
}

export interface Summary {
  n: number;
  mean: number;
  std: number;
  min: number;
  max: number;
}

export function summarize(values: readonly number[]): Summary {
  return {
    n: values.length,
    mean: mean(values),
    std: sampleStd(values),
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

/** A point of a line drawn over seeds: the mean and the band around it. */
export interface BandPoint {
  x: number;
  mean: number;
  low: number;
  high: number;
  /** How many seeds had a value at this x. */
  n: number;
}

/** What the shaded band shows: the range over seeds, or mean ± one sample standard deviation. */
export type BandKind = 'min-max' | 'std';

export function bandDescription(kind: BandKind): string {
  return kind === 'min-max' ? 'min–max over seeds' : '±1 sample std over seeds';
}

/**
 * For every x present in any series, the mean over the series that have a value there and the band.
 * Series are e.g. the per-round accuracies of each seed; a seed that stopped early simply drops out.
 */
export function bandOverSeeds(
  perSeed: readonly (readonly { x: number; y: number | undefined }[])[],
  kind: BandKind,
): BandPoint[] {
  const byX = new Map<number, number[]>();
  for (const series of perSeed) {
    for (const { x, y } of series) {
      if (y === undefined || !Number.isFinite(y)) continue;
      let list = byX.get(x);
      if (!list) byX.set(x, (list = []));
      list.push(y);
    }
  }
  return [...byX.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([x, ys]) => {
      const s = summarize(ys);
      return kind === 'min-max'
        ? { x, mean: s.mean, low: s.min, high: s.max, n: s.n }
        : { x, mean: s.mean, low: s.mean - s.std, high: s.mean + s.std, n: s.n };
    });
}
