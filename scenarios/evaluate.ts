// Accuracy and mean cross-entropy of a model's logits on a labelled set, in batches to bound memory.
import * as tf from '@fedfuse/client/internal/tf/tfjs.js';

export interface Evaluation {
  accuracy: number;
  loss: number;
}

export function evaluateModel(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor1D, batchSize = 1000): Evaluation {
  const n = xs.shape[0];
  if (n === 0) throw new Error('cannot evaluate on an empty set');
  let correct = 0;
  let lossSum = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const [c, l] = tf.tidy(() => {
      const x = xs.slice(start, size);
      const y = ys.slice(start, size);
      // One predict batch per chunk: predict's default of 32 slices x again, and a wasm slice copies all of x each time.
      const logits = model.predict(x, { batchSize: size }) as tf.Tensor2D;
      const hits = tf.equal(tf.argMax(logits, 1), y).sum();
      const oneHot = tf.oneHot(y.toInt(), logits.shape[1]);
      const loss = tf.losses.softmaxCrossEntropy(oneHot, logits, undefined, 0, tf.Reduction.SUM);
      return [hits.dataSync()[0], loss.dataSync()[0]];
    });
    correct += c;
    lossSum += l;
  }
  return { accuracy: correct / n, loss: lossSum / n };
}
