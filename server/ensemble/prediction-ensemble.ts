// Prediction ensemble: keep every client model and average their predicted class probabilities. Not one model, so
// not a Strategy; it is the reference line fusion methods are compared against (what fusion could at best recover
// without the cost of running K models).
import * as tf from '@fedfuse/client/internal/tf/tfjs.js';

export interface EnsembleEvaluation {
  accuracy: number;
  /** Mean negative log-likelihood of the true class under the ensemble's averaged probabilities. */
  loss: number;
}

/** Mean of the models' softmax outputs on x: [batch, classes]. Models output logits. The caller disposes the result. */
export function ensemblePredict(models: readonly tf.LayersModel[], x: tf.Tensor): tf.Tensor2D {
  if (models.length === 0) throw new Error('an ensemble needs at least one model');
  return tf.tidy(() => {
    let sum: tf.Tensor2D | undefined;
    models.forEach((model, k) => {
      const logits = model.predict(x) as tf.Tensor;
      if (logits.rank !== 2) throw new Error(`ensemble model ${k} outputs rank ${logits.rank}, expected [batch, classes]`);
      if (sum && logits.shape[1] !== sum.shape[1]) {
        throw new Error(`ensemble model ${k} predicts ${logits.shape[1]} classes, model 0 predicts ${sum.shape[1]}`);
      }
      const p = tf.softmax(logits as tf.Tensor2D);
      sum = sum ? tf.add<tf.Tensor2D>(sum, p) : p;
    });
    return tf.div(sum as tf.Tensor2D, models.length);
  });
}

/** Accuracy and mean NLL of the ensemble on a labelled set, in batches to bound memory. */
export function evaluateEnsemble(
  models: readonly tf.LayersModel[],
  xs: tf.Tensor,
  ys: tf.Tensor1D,
  batchSize = 1000,
): EnsembleEvaluation {
  const n = xs.shape[0];
  if (n === 0) throw new Error('cannot evaluate an ensemble on an empty set');
  if (ys.shape[0] !== n) throw new Error(`ensemble evaluation: ${n} inputs but ${ys.shape[0]} labels`);
  let correct = 0;
  let nll = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const [hits, loss] = tf.tidy(() => {
      const probs = ensemblePredict(models, xs.slice(start, size));
      const y = ys.slice(start, size).toInt();
      const h = tf.equal(tf.argMax(probs, 1), y).sum();
      const picked = tf.sum(tf.mul(probs, tf.oneHot(y, probs.shape[1])), 1);
      // Clamp: a class every model deems impossible would otherwise give an infinite loss.
      const l = tf.neg(tf.log(tf.maximum(picked, 1e-12))).sum();
      return [h.dataSync()[0], l.dataSync()[0]];
    });
    correct += hits;
    nll += loss;
  }
  return { accuracy: correct / n, loss: nll / n };
}
