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
import * as tf from '#tf';
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
 * [points, points] forward differences (row k = e_{k+1} − e_k; the last row is 0, as there is no step after the
 * last point) and a [1, points] row of ones.
 */
function stepMatrices(points: number): [tf.Tensor2D, tf.Tensor2D] {
  const d = tf.buffer([points, points], 'float32');
  for (let k = 0; k + 1 < points; k++) {
    d.set(-1, k, k);
    d.set(1, k, k + 1);
  }
  return [d.toTensor() as tf.Tensor2D, tf.ones([1, points]) as tf.Tensor2D];
}

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
      // Per step k: (h_{k+1} − h_k) ⊙ g_k, then Σ_k — as two small matrix products over the step axis, because
      // slicing the steps apart and reducing over a leading axis are ~20x slower on the wasm backend.
      const [difference, ones] = stepMatrices(alphas.length);
      try {
        return shapes.map((shape, level) =>
          tf.tidy(() => {
            const values = n * shape.reduce((a, b) => a * b, 1);
            const h = tf.reshape(levelOutputs[level], [alphas.length, values]);
            const g = tf.reshape(grads[level], [alphas.length, values]);
            const perStep = tf.mul(tf.matMul(difference, h), g);
            return tf.reshape(tf.matMul(ones, perStep), [n, ...shape]);
          }),
        );
      } finally {
        tf.dispose([difference, ones]);
      }
    } finally {
      tf.dispose(grads);
    }
  } finally {
    tf.dispose([scaled, mask, ...perturbations, ...levelOutputs]);
  }
}
