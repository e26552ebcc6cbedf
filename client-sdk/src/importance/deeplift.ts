// Layer DeepLIFT (Shrikumar et al. 2017) with the Rescale rule and a zero input baseline, as Captum's
// LayerDeepLift: a level output neuron's attribution is (h_j(x) − h_j(x₀)) · m_j, where the multiplier m_j is the
// gradient of F_t with respect to h_j computed with every downstream nonlinearity y = f(z) differentiated as the
// secant (f(z) − f(z₀)) / (z − z₀) instead of f'(z). For each level the attributions then sum EXACTLY to
// F_t(x) − F_t(x₀) ("summation to delta"), which conductance only approaches as its steps grow.
//
// Max pooling: the multiplier is routed to the window's argmax with the pooled difference divided by the input
// difference there — a simpler rule than Captum's (which also looks at the reference's argmax) that keeps
// summation to delta. Softmax inside the network is not supported (attribute to logits instead).
//
// One reference pass (batch of 1) records the baseline's values; one forward and one backward pass over a chunk
// of examples then give the multipliers of all levels at once (zero perturbations e_l added at each level output).
import * as tf from '#tf';
import { applyOp, runOps, type MaxPoolGeometry, type ModelWalk, type Op } from './model-walk.js';
import { targetMask } from './targets.js';

/** Below this |z − z₀| the secant is numerically meaningless; use the ordinary derivative. */
const SECANT_EPSILON = 1e-6;

/** Step of the central difference that stands in for f'(z) where z ≈ z₀ (no nested gradients in a gradFunc). */
const DERIVATIVE_STEP = 1e-3;

/** y = f(z) whose gradient is the Rescale multiplier against the reference input z0 (batch 1, broadcast). */
function rescaled(f: (t: tf.Tensor) => tf.Tensor, z0: tf.Tensor, y0: tf.Tensor): (t: tf.Tensor) => tf.Tensor {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [z, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([z]);
    return {
      value: f(z),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const zs = saved[0];
        const dz = tf.sub(zs, z0);
        const far = tf.greater(tf.abs(dz), SECANT_EPSILON);
        const secant = tf.div(tf.sub(f(zs), y0), tf.where(far, dz, tf.onesLike(dz)));
        // tf.grad inside a gradFunc would reset the outer gradient tape, hence a finite difference.
        const derivative = tf.div(
          tf.sub(f(tf.add(zs, DERIVATIVE_STEP)), f(tf.sub(zs, DERIVATIVE_STEP))),
          2 * DERIVATIVE_STEP,
        );
        return [tf.mul(dy, tf.where(far, secant, derivative))];
      },
    };
  });
  return (t) => op(t);
}

/** Routes dy through a max pooling to each window's argmax (the MaxPoolGrad kernel: no nested tf.grad). */
function maxPoolBackprop(dy: tf.Tensor, input: tf.Tensor, output: tf.Tensor, pool: MaxPoolGeometry): tf.Tensor {
  return tf.engine().runKernel('MaxPoolGrad', { dy, input, output }, { ...pool } as unknown as tf.NamedAttrMap) as tf.Tensor;
}

/** Max pooling whose gradient routes dy·(y − y0) to each window's argmax and divides by (z − z0) there. */
function rescaledMaxPool(
  pool: (t: tf.Tensor) => tf.Tensor,
  geometry: MaxPoolGeometry,
  z0: tf.Tensor,
  y0: tf.Tensor,
): (t: tf.Tensor) => tf.Tensor {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [z, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const y = pool(z);
    save([z, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [zs, ys] = saved;
        const routedDelta = maxPoolBackprop(tf.mul(dy, tf.sub(ys, y0)), zs, ys, geometry);
        const routedGrad = maxPoolBackprop(dy, zs, ys, geometry);
        const dz = tf.sub(zs, z0);
        const far = tf.greater(tf.abs(dz), SECANT_EPSILON);
        return [tf.where(far, tf.div(routedDelta, tf.where(far, dz, tf.onesLike(dz))), routedGrad)];
      },
    };
  });
  return (t) => op(t);
}

/** The walk with downstream nonlinear ops replaced by their Rescale versions, plus the reference level outputs. */
function deepliftWalk(walk: ModelWalk): { walk: ModelWalk; references: tf.Tensor[]; dispose: () => void } {
  const held: tf.Tensor[] = [];
  const keep = (t: tf.Tensor) => {
    held.push(tf.keep(t));
    return t;
  };
  const references: tf.Tensor[] = [];
  const ops: Op[] = [];
  tf.tidy(() => {
    let h: tf.Tensor = tf.zeros([1, ...walk.inputShape]);
    walk.ops.forEach((op, i) => {
      // Ops before the first level output are upstream of every attribution point: keep them as they are.
      const downstream = i >= walk.points[0];
      if (downstream && op.kind === 'softmax') {
        throw new Error('deeplift: softmax inside the model is not supported; attribute to a model that outputs logits');
      }
      if (downstream && (op.kind === 'elementwise' || op.kind === 'maxpool')) {
        const z0 = keep(h);
        const y0 = keep(op.apply(h));
        const apply =
          op.kind === 'elementwise' ? rescaled(op.apply, z0, y0) : rescaledMaxPool(op.apply, op.pool, z0, y0);
        ops.push({ kind: 'linear', apply });
        h = y0;
      } else {
        ops.push(op);
        h = applyOp(op, h);
      }
      const level = walk.points.indexOf(i + 1);
      if (level >= 0) references[level] = keep(h);
    });
  });
  return { walk: { ...walk, ops }, references, dispose: () => tf.dispose(held) };
}

/**
 * Signed DeepLIFT attributions of each level's output neurons, per example of `x` (target `targets[i]`).
 * Returns one tensor per level shaped [n, ...level output shape]; the caller disposes them.
 */
export function layerDeepLift(
  walk: ModelWalk,
  shapes: readonly number[][],
  x: tf.Tensor,
  targets: Int32Array,
  classes: number,
): tf.Tensor[] {
  const n = x.shape[0];
  const dl = deepliftWalk(walk);
  const mask = targetMask(targets, classes);
  const perturbations = shapes.map((s) => tf.zeros([n, ...s]));
  const levelOutputs: tf.Tensor[] = [];
  try {
    const target = (...e: tf.Tensor[]) => {
      const out = runOps(dl.walk, x, 0, dl.walk.ops.length, (level, h) => {
        const shifted = tf.add(h, e[level]);
        levelOutputs[level] = tf.keep(shifted);
        return shifted;
      });
      return tf.sum(tf.mul(out, mask));
    };
    const multipliers = tf.grads(target)(perturbations);
    try {
      return shapes.map((_, level) =>
        tf.tidy(() => tf.mul(tf.sub(levelOutputs[level], dl.references[level]), multipliers[level])),
      );
    } finally {
      tf.dispose(multipliers);
    }
  } finally {
    tf.dispose([mask, ...perturbations, ...levelOutputs]);
    dl.dispose();
  }
}
