// Layer conductance (Dhamdhere et al. 2018, "How important is a neuron?"), as Captum's LayerConductance computes
// it: with inputs x_k = α_k·x on the path from the zero baseline to x (k = 0..steps),
//
//   cond_j(x) = Σ_{k<steps} ∂F_t/∂h_j (x_k) · (h_j(x_{k+1}) − h_j(x_k))
//
// where h is a level's output and F_t the target-class output. Summed over j this telescopes towards
// F_t(x) − F_t(baseline) (completeness), up to the discretisation error of the path integral.
//
// Speed: every interpolation step of every example goes through the model in ONE batch, and the gradients with
// respect to ALL levels come out of ONE backward pass: a zero tensor e_l is added to each level output, and
// ∂F/∂e_l = ∂F/∂h_l. (A loop of per-step, per-level gradient calls would be ~levels × steps slower.)
import * as tf from '@tensorflow/tfjs';
import { runOps, type ModelWalk } from './model-walk.js';
import { interpolationAlphas, type Quadrature } from './quadrature.js';
import { targetMask } from './targets.js';

export interface ConductanceOptions {
  /** Path steps (Captum's n_steps); the reference uses 10. */
  steps?: number;
  /** Interpolation points; default 'gauss-legendre', Captum's default and so the reference's. */
  quadrature?: Quadrature;
}

export const DEFAULT_CONDUCTANCE_STEPS = 10;

/**
 * Signed conductance of each level's output neurons, per example of `x` (target output `targets[i]` of `classes`).
 * Returns one tensor per level shaped [n, ...level output shape]; the caller disposes them.
 * `shapes` are the per-example level output shapes (levelOutputShapes).
 */
export function layerConductance(
  walk: ModelWalk,
  shapes: readonly number[][],
  x: tf.Tensor,
  targets: Int32Array,
  classes: number,
  opts: ConductanceOptions = {},
): tf.Tensor[] {
  const steps = opts.steps ?? DEFAULT_CONDUCTANCE_STEPS;
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`conductance steps must be a positive integer, got ${steps}`);
  const alphas = interpolationAlphas(steps + 1, opts.quadrature ?? 'gauss-legendre');
  const n = x.shape[0];
  const rows = alphas.length * n;
  const scaled = tf.tidy(() => tf.concat(alphas.map((a) => tf.mul(x, a))));
  const mask = targetMask(targets, classes, alphas.length);
  const perturbations = shapes.map((s) => tf.zeros([rows, ...s]));
  const levelOutputs: tf.Tensor[] = [];
  try {
    const target = (...e: tf.Tensor[]) => {
      const out = runOps(walk, scaled, 0, walk.ops.length, (level, h) => {
        const shifted = tf.add(h, e[level]);
        levelOutputs[level] = tf.keep(shifted); // h at every step, kept past the gradient's tidy scope
        return shifted;
      });
      return tf.sum(tf.mul(out, mask));
    };
    const grads = tf.grads(target)(perturbations);
    try {
      return shapes.map((shape, level) =>
        tf.tidy(() => {
          const h = levelOutputs[level];
          const begin = shape.map(() => 0);
          const size = shape.map(() => -1);
          const later = tf.slice(h, [n, ...begin], [rows - n, ...size]);
          const earlier = tf.slice(h, [0, ...begin], [rows - n, ...size]);
          const gradEarlier = tf.slice(grads[level], [0, ...begin], [rows - n, ...size]);
          const perStep = tf.mul(tf.sub(later, earlier), gradEarlier);
          return tf.sum(tf.reshape(perStep, [steps, n, ...shape]), 0);
        }),
      );
    } finally {
      tf.dispose(grads);
    }
  } finally {
    tf.dispose([scaled, mask, ...perturbations, ...levelOutputs]);
  }
}
