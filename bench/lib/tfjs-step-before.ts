// The local-training loop as it was before issue 22 (commit 24e8452), kept only so bench/training-speed.ts can time
// it side by side with today's: each batch gathered from the data tensor (tf.gather + tf.oneHot), the model's
// layers under optimizer.minimize, the loss read with dataSync, one await per batch. Run it on a wasm backend set up
// without fedfuse's BatchMatMul wrapper to get the old speed.
import * as tf from '@tensorflow/tfjs';
import { seededPermutation, seededRandom } from '@fedfuse/client/internal/training/seeded-random.js';
import type { LocalTrainingConfig, LocalTrainingData } from '@fedfuse/client/internal/training/local-training.js';

export async function trainLocallyBefore(
  model: tf.LayersModel,
  data: LocalTrainingData,
  config: LocalTrainingConfig,
  onBatch: () => void,
): Promise<void> {
  const n = data.xs.shape[0];
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const labels = data.ys.dtype === 'int32' ? data.ys : data.ys.toInt();
  const optimizer = config.optimizer === 'adam' ? tf.train.adam(config.learningRate) : tf.train.sgd(config.learningRate);
  const random = seededRandom(config.seed);
  try {
    for (let epoch = 0; epoch < config.localEpochs; epoch++) {
      const order = seededPermutation(n, random);
      for (let start = 0; start < n; start += config.batchSize) {
        const size = Math.min(config.batchSize, n - start);
        tf.tidy(() => {
          const idx = tf.tensor1d(order.subarray(start, start + size), 'int32');
          const xb = tf.gather(data.xs, idx);
          const yb = tf.oneHot(tf.gather(labels, idx), data.numClasses);
          let crossEntropy: tf.Scalar | undefined;
          optimizer.minimize(
            () => {
              const logits = model.apply(xb, { training: true }) as tf.Tensor;
              crossEntropy = tf.keep(tf.losses.softmaxCrossEntropy(yb, logits) as tf.Scalar);
              return crossEntropy.clone(); // the bench's configs have no proximal term
            },
            false,
            vars,
          );
          const value = crossEntropy!.dataSync()[0];
          crossEntropy!.dispose();
          return value;
        });
        onBatch();
        await tf.nextFrame();
      }
    }
  } finally {
    optimizer.dispose();
    if (labels !== data.ys) labels.dispose();
  }
}
