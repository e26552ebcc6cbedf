// Targets of the output level: what the fused model's logits should be on each probe input.
//
// Why not just the importance-weighted mean of the parents' logits (the reference's choice, 'logits'): a logit vector
// is only defined up to a per-input shift (softmax ignores it), and parents trained on different label mixes shift
// differently. Under label skew, class weighting takes each class's logit mostly from the client that saw that class
// most, so the fused logit vector mixes numbers from differently shifted vectors — measured, on the worst federation
// round the targets themselves were only 57% accurate. Two ways around it:
//  - 'centered-logits': remove each parent's per-input shift (mean over classes) before mixing;
//  - 'ensemble': mix the parents' predicted probabilities (per class, with the class weights), renormalise, and fit
//    the centred log-probabilities — the prediction ensemble, the ceiling a single fused model chases.
import { mat, type Mat } from './matrix-products.js';
import type { Grouping } from './grouping.js';

export type OutputTargets = 'logits' | 'centered-logits' | 'ensemble';

export const OUTPUT_TARGETS: readonly OutputTargets[] = ['logits', 'centered-logits', 'ensemble'];

/** Smallest probability a log-probability target may come from: keeps targets of near-impossible classes finite. */
const PROBABILITY_FLOOR = 1e-4;

/** Subtracts each column's mean over the rows (a parent's logits, classes × samples). */
function centerColumns(logits: Mat): Mat {
  const { rows, cols } = logits;
  const out = mat(rows, cols, logits.data.slice());
  for (let t = 0; t < cols; t++) {
    let s = 0;
    for (let c = 0; c < rows; c++) s += out.data[c * cols + t];
    const m = s / rows;
    for (let c = 0; c < rows; c++) out.data[c * cols + t] -= m;
  }
  return out;
}

/** Softmax over the rows of every column (classes × samples). */
function softmaxColumns(logits: Mat): Mat {
  const { rows, cols } = logits;
  const out = mat(rows, cols);
  for (let t = 0; t < cols; t++) {
    let max = -Infinity;
    for (let c = 0; c < rows; c++) max = Math.max(max, logits.data[c * cols + t]);
    let z = 0;
    for (let c = 0; c < rows; c++) z += out.data[c * cols + t] = Math.exp(logits.data[c * cols + t] - max);
    for (let c = 0; c < rows; c++) out.data[c * cols + t] /= z;
  }
  return out;
}

/**
 * Group targets of the output level (classes × samples) from each parent's logits (classes × samples, in the order
 * the grouping's members are concatenated). `grouping` aligns class c of every parent into group c.
 */
export function outputLevelTargets(parentLogits: readonly Mat[], grouping: Grouping, mode: OutputTargets): Mat {
  const classes = grouping.k;
  const samples = parentLogits[0].cols;
  parentLogits.forEach((l, p) => {
    if (l.rows !== classes || l.cols !== samples) {
      throw new Error(`output targets: parent ${p} has ${l.rows}x${l.cols} logits, expected ${classes}x${samples}`);
    }
  });
  if (mode === 'logits' || mode === 'centered-logits') {
    const rows = mode === 'logits' ? parentLogits : parentLogits.map(centerColumns);
    const out = mat(classes, samples);
    rows.forEach((l, p) => {
      for (let c = 0; c < classes; c++) {
        const w = grouping.memberWeights[p * classes + c];
        if (w === 0) continue;
        for (let t = 0; t < samples; t++) out.data[c * samples + t] += w * l.data[c * samples + t];
      }
    });
    return out;
  }
  // Ensemble: per class, the member-weighted mean of the parents' probabilities; then per input renormalised.
  const probs = mat(classes, samples);
  parentLogits.forEach((l, p) => {
    const sm = softmaxColumns(l);
    for (let c = 0; c < classes; c++) {
      const w = grouping.memberWeights[p * classes + c];
      if (w === 0) continue;
      for (let t = 0; t < samples; t++) probs.data[c * samples + t] += w * sm.data[c * samples + t];
    }
  });
  const out = mat(classes, samples);
  for (let t = 0; t < samples; t++) {
    let z = 0;
    for (let c = 0; c < classes; c++) z += probs.data[c * samples + t];
    let mean = 0;
    for (let c = 0; c < classes; c++) {
      const v = Math.log(Math.max(probs.data[c * samples + t] / z, PROBABILITY_FLOOR));
      out.data[c * samples + t] = v;
      mean += v;
    }
    mean /= classes;
    for (let c = 0; c < classes; c++) out.data[c * samples + t] -= mean;
  }
  return out;
}
