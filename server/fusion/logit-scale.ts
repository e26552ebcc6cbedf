// Temperature scaling of a classifier's logits (Guo et al. 2017), as pure math: the scale s > 0 that minimises the
// mean cross-entropy of softmax(s · z) on labelled rows. Fused output levels fit the mean of the clients' logits, and
// clients trained for several epochs on skewed data are over-confident, so the fused model inherits logits that are
// too large (test loss creeping up at level accuracy). One scalar cannot change any row's arg-max: accuracy is
// untouched, only the confidence moves.

/** Scales are kept inside [1/MAX_SCALE, MAX_SCALE]: a fit that wants more is a sign of bad labels, not calibration. */
export const MAX_SCALE = 10;

/**
 * Mean cross-entropy of softmax(s · z) over rows of `logits` (row-major, `classes` per row) with `labels`, and its
 * first and second derivative in s. The loss is convex in s: the second derivative is the mean variance of z under
 * softmax(s · z).
 */
export function scaledCrossEntropy(logits: Float32Array, labels: Int32Array, classes: number, s: number): { loss: number; slope: number; curvature: number } {
  const rows = labels.length;
  let loss = 0;
  let slope = 0;
  let curvature = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * classes;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, s * logits[o + c]);
    let total = 0;
    let mean = 0;
    let square = 0;
    for (let c = 0; c < classes; c++) {
      const z = logits[o + c];
      const e = Math.exp(s * z - max);
      total += e;
      mean += e * z;
      square += e * z * z;
    }
    mean /= total;
    square /= total;
    const zy = logits[o + labels[r]];
    loss += max + Math.log(total) - s * zy;
    slope += mean - zy;
    curvature += square - mean * mean;
  }
  return { loss: loss / rows, slope: slope / rows, curvature: curvature / rows };
}

/** The loss-minimising scale by Newton's method on s (a convex 1-D problem), clamped to [1/MAX_SCALE, MAX_SCALE]. */
export function fitLogitScale(logits: Float32Array, labels: Int32Array, classes: number): number {
  const rows = labels.length;
  if (!(classes >= 2) || logits.length !== rows * classes) {
    throw new Error(`logit scale: ${logits.length} logits do not make ${rows} rows of ${classes} classes`);
  }
  if (rows === 0) throw new Error('logit scale needs at least one labelled row');
  for (let r = 0; r < rows; r++) {
    if (!(labels[r] >= 0 && labels[r] < classes)) throw new Error(`logit scale: row ${r} has label ${labels[r]}, outside 0..${classes - 1}`);
  }
  let s = 1;
  let at = scaledCrossEntropy(logits, labels, classes, s);
  for (let step = 0; step < 50; step++) {
    // Flat loss (all logits equal per row): any scale is as good as 1.
    if (!(at.curvature > 1e-12)) return s;
    let next = Math.min(MAX_SCALE, Math.max(1 / MAX_SCALE, s - at.slope / at.curvature));
    // Damped: halve the Newton step until the loss does not rise (far from the minimum the quadratic model overshoots).
    let there = scaledCrossEntropy(logits, labels, classes, next);
    for (let halvings = 0; there.loss > at.loss && halvings < 30; halvings++) {
      next = (s + next) / 2;
      there = scaledCrossEntropy(logits, labels, classes, next);
    }
    if (Math.abs(next - s) < 1e-6 * s) return next;
    s = next;
    at = there;
  }
  return s;
}
