// The probe rows a fusion may not see, and the losses measured on them.
//
// Why: a fused model always matches its own fit rows well, so whether it beats the plain average of the same
// updates can only be judged on rows the fit never saw. The split is drawn per round from a seeded generator, so a
// rerun with the same seed takes the same decisions.
import * as tf from '@fedfuse/client/internal/tf/tfjs.js';
import { seededRandom, shuffledIndices } from './random.js';

export interface ProbeSplit {
  /** Rows the fusion fits (sorted). */
  fit: Int32Array;
  /** Rows held out for the decision (sorted). */
  check: Int32Array;
}

/** Holds out round(n · fraction) rows (at least 1, leaving at least 2 to fit). */
export function splitProbeRows(n: number, fraction: number, random: () => number): ProbeSplit {
  if (!(fraction > 0 && fraction < 1)) throw new Error(`held-out fraction must be in (0, 1), got ${fraction}`);
  const checkCount = Math.min(n - 2, Math.max(1, Math.round(n * fraction)));
  if (checkCount < 1) throw new Error(`a probe set of ${n} inputs is too small to hold rows out (needs at least 3)`);
  const order = shuffledIndices(n, random);
  const check = order.slice(0, checkCount).sort();
  const fit = order.slice(checkCount).sort();
  return { fit, check };
}

/**
 * The split of round `round` of a federation seeded `seed`: neuron interpolation fits on `fit`, and the check of
 * what a round publishes (server/defence/publish-guard.ts) judges on `check`, rows that fit never saw.
 */
export function roundProbeSplit(n: number, fraction: number, seed: number, round: number): ProbeSplit {
  return splitProbeRows(n, fraction, seededRandom(seed * 7919 + round));
}

/** Rows of a row-major array whose first axis has `n` entries: the same rows of every tensor of a probe set. */
export function takeRows(values: Float32Array, shape: readonly number[], rows: Int32Array): tf.Tensor {
  const n = shape[0];
  if (values.length % n !== 0) throw new Error(`takeRows: ${values.length} values do not split into ${n} rows`);
  const rowSize = values.length / n;
  const out = new Float32Array(rows.length * rowSize);
  rows.forEach((r, i) => {
    if (r < 0 || r >= n) throw new Error(`takeRows: row ${r} outside 0..${n - 1}`);
    out.set(values.subarray(r * rowSize, (r + 1) * rowSize), i * rowSize);
  });
  return tf.tensor(out, [rows.length, ...shape.slice(1)]);
}

/** Example-weighted mean of the models' predicted probabilities on x ([rows, classes]; the caller disposes it). */
export function ensembleProbabilities(models: readonly tf.LayersModel[], weights: readonly number[], x: tf.Tensor): tf.Tensor2D {
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new Error(`ensemble weights must sum to > 0, got ${total}`);
  return tf.tidy(() =>
    tf.addN(models.map((m, i) => tf.mul(tf.softmax(m.predict(x) as tf.Tensor2D), weights[i] / total))) as tf.Tensor2D,
  );
}

/** What a model is judged against on probe rows: class labels, or reference probabilities (the prediction ensemble). */
export type ProbeReference = { labels: Int32Array } | { probabilities: tf.Tensor2D };

/**
 * Per-row loss of a model on probe rows: cross-entropy against class labels, or, without labels, the KL divergence
 * from reference probabilities (the clients' prediction ensemble) to the model's prediction.
 */
export function probeLosses(model: tf.LayersModel, x: tf.Tensor, reference: ProbeReference): Float32Array {
  return tf.tidy(() => {
    const logp = tf.logSoftmax(model.predict(x) as tf.Tensor2D);
    if ('labels' in reference) {
      if (reference.labels.length !== x.shape[0]) {
        throw new Error(`probe loss: ${x.shape[0]} rows but ${reference.labels.length} labels`);
      }
      const onehot = tf.oneHot(tf.tensor1d(reference.labels, 'int32'), logp.shape[1]);
      return tf.neg(tf.sum(tf.mul(onehot, logp), 1)).dataSync() as Float32Array;
    }
    const p = reference.probabilities;
    return tf.sum(tf.mul(p, tf.sub(tf.log(tf.maximum(p, 1e-12)), logp)), 1).dataSync() as Float32Array;
  });
}

export interface PairedComparison {
  /** Mean loss of the candidate and of the baseline. */
  candidateLoss: number;
  baselineLoss: number;
  /** Standard error of the mean per-row difference (candidate − baseline). */
  standardError: number;
}

/** Mean losses of two models on the same rows, with the standard error of their paired difference. */
export function comparePaired(candidate: Float32Array, baseline: Float32Array): PairedComparison {
  const m = candidate.length;
  if (m === 0 || baseline.length !== m) throw new Error(`paired comparison needs equal, non-empty loss lists (${m} vs ${baseline.length})`);
  let sc = 0;
  let sb = 0;
  for (let i = 0; i < m; i++) {
    sc += candidate[i];
    sb += baseline[i];
  }
  const mean = (sc - sb) / m;
  let ss = 0;
  for (let i = 0; i < m; i++) ss += (candidate[i] - baseline[i] - mean) ** 2;
  const standardError = m > 1 ? Math.sqrt(ss / (m - 1) / m) : Infinity;
  return { candidateLoss: sc / m, baselineLoss: sb / m, standardError };
}
