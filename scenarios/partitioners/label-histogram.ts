// Per-class example counts of one client's share, for reports and skew checks.

export function labelHistogram(labels: Int32Array, indices: ArrayLike<number>, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < indices.length; i++) {
    const label = labels[indices[i]];
    if (label === undefined || label < 0 || label >= numClasses) {
      throw new Error(`labelHistogram: example ${indices[i]} has label ${label}, outside 0..${numClasses - 1}`);
    }
    counts[label]++;
  }
  return counts;
}
