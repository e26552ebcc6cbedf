// Neuron importance scores: how much each neuron of each level (dense unit / conv channel) matters for the
// model's output on the probe set. Fusion weights neurons by them. Computed by clients (uploaded with their
// update) and by the server/offline tools; pure TF.js, so it also runs in a browser.
//
// Semantics follow the reference implementation (Luenam et al., utils/neuron_importance.py, which uses Captum):
//  - attributions of each level's output neurons wrt the target-class output (true labels, or the model's own
//    predictions when there are none — see labelsOrPredictions), zero baseline;
//  - score_j = mean over probe examples of Σ_positions |attribution| (the reference sums |.| over examples and
//    positions, divides by the probe count, and adds 1e-8 so that no neuron has exactly zero weight);
//  - 'uniform' is all ones, as in the reference. The fusion engine normalises scores per level before use.
import * as tf from '#tf';
import { layerConductance, DEFAULT_CONDUCTANCE_STEPS, type ConductanceOptions } from './conductance.js';
import { layerDeepLift } from './deeplift.js';
import { featureAblationSums } from './feature-ablation.js';
import { levelOutputShapes, walkModel, type ModelWalk } from './model-walk.js';
import type { Quadrature } from './quadrature.js';
import { checkProbe, labelsOrPredictions, outputClasses } from './targets.js';

import { IMPORTANCE_METHODS, type ImportanceMethod } from '../training/training-config.js';

export { IMPORTANCE_METHODS, type ImportanceMethod } from '../training/training-config.js';

export interface ImportanceOptions {
  /** Conductance path steps (default 10, as the reference). */
  steps?: number;
  /** Probe examples per chunk (bounds memory); default chosen from the model's activation sizes. */
  batchSize?: number;
  /** Conductance interpolation points (default 'gauss-legendre', Captum's default). */
  quadrature?: Quadrature;
}

/** Added to every score, as the reference does, so that no neuron has exactly zero importance. */
export const IMPORTANCE_EPSILON = 1e-8;

/** Floats one chunk's largest activation tensor may hold (all interpolation steps included). */
const CHUNK_FLOATS = 2 * 1024 * 1024;

function defaultBatchSize(walk: ModelWalk, shapes: readonly number[][], rowsPerExample: number): number {
  const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  const largest = Math.max(size(walk.inputShape), ...shapes.map(size));
  return Math.max(1, Math.min(512, Math.floor(CHUNK_FLOATS / (largest * rowsPerExample))));
}

/** Σ |t| over every axis but the last (the neurons). */
async function addAbsPerNeuron(t: tf.Tensor, into: Float64Array): Promise<void> {
  const sums = tf.tidy(() => tf.sum(tf.abs(t), [...Array(t.rank - 1).keys()]));
  const values = await sums.data();
  sums.dispose();
  for (let j = 0; j < into.length; j++) into[j] += values[j];
}

/**
 * One score array per level (splitLevels order), one non-negative score per neuron. `labels` are the probe
 * examples' classes; without them the model's predicted classes are used (call labelsOrPredictions yourself to
 * learn whether that happened, and report it).
 */
export async function computeImportance(
  model: tf.LayersModel,
  probeX: tf.Tensor,
  labels: Int32Array | undefined,
  method: ImportanceMethod,
  opts: ImportanceOptions = {},
): Promise<Float32Array[]> {
  if (!IMPORTANCE_METHODS.includes(method)) {
    throw new Error(`unknown importance method '${String(method)}' (use ${IMPORTANCE_METHODS.join(', ')})`);
  }
  const walk = walkModel(model);
  const n = checkProbe(walk, probeX);
  if (method === 'uniform') return walk.widths.map((w) => new Float32Array(w).fill(1));
  if (opts.batchSize !== undefined && (!Number.isInteger(opts.batchSize) || opts.batchSize < 1)) {
    throw new Error(`importance batchSize must be a positive integer, got ${opts.batchSize}`);
  }
  const classes = outputClasses(model);
  const { labels: targets } = await labelsOrPredictions(model, probeX, labels);
  const shapes = levelOutputShapes(walk);
  const steps = opts.steps ?? DEFAULT_CONDUCTANCE_STEPS;
  const rowsPerExample = method === 'conductance' ? steps + 1 : 1;
  const batch = opts.batchSize ?? defaultBatchSize(walk, shapes, rowsPerExample);
  const sums = walk.widths.map((w) => new Float64Array(w));
  const conductance: ConductanceOptions = { steps, quadrature: opts.quadrature };

  for (let start = 0; start < n; start += batch) {
    const size = Math.min(batch, n - start);
    const x = tf.slice(probeX, start, size);
    const t = targets.subarray(start, start + size);
    try {
      if (method === 'feature-ablation') {
        const chunk = await featureAblationSums(walk, shapes, x, t, classes);
        chunk.forEach((c, l) => c.forEach((v, j) => (sums[l][j] += v)));
      } else {
        const attributions =
          method === 'conductance'
            ? layerConductance(walk, shapes, x, t, classes, conductance)
            : layerDeepLift(walk, shapes, x, t, classes);
        try {
          for (let l = 0; l < attributions.length; l++) await addAbsPerNeuron(attributions[l], sums[l]);
        } finally {
          tf.dispose(attributions);
        }
      }
    } finally {
      x.dispose();
    }
  }
  return sums.map((s) => Float32Array.from(s, (v) => v / n + IMPORTANCE_EPSILON));
}

export { labelsOrPredictions } from './targets.js';
export { layerConductance, type ConductanceOptions } from './conductance.js';
export { layerDeepLift } from './deeplift.js';
export { featureAblationSums } from './feature-ablation.js';
export { walkModel, levelOutputShapes, type ModelWalk } from './model-walk.js';
export { interpolationAlphas, type Quadrature } from './quadrature.js';
