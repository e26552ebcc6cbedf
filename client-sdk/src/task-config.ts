// The training settings of a task as the server sent them, checked before the model is touched: a broken or hostile
// server must not make the client train for ever or into NaN.
import type { fedfuse } from './proto/generated/fedfuse.js';
import { IMPORTANCE_METHODS, type TrainingConfig } from './training/training-config.js';

/** More local epochs than this in one task is a broken or hostile server, not a training plan. */
const MAX_LOCAL_EPOCHS = 1000;

export function parseTaskConfig(c: fedfuse.v1.ITrainingConfig | null | undefined): TrainingConfig {
  if (!c) throw new Error('task has no training config');
  const optimizer = c.optimizer === 'adam' ? 'adam' : c.optimizer === 'sgd' || !c.optimizer ? 'sgd' : undefined;
  if (!optimizer) throw new Error(`task asks for unknown optimizer "${c.optimizer}"`);
  const localEpochs = c.localEpochs ?? 1;
  const batchSize = c.batchSize ?? 32;
  const learningRate = c.learningRate ?? 0.01;
  const proximalMu = c.proximalMu ?? 0;
  if (!Number.isInteger(localEpochs) || localEpochs < 1 || localEpochs > MAX_LOCAL_EPOCHS) {
    throw new Error(`task asks for ${localEpochs} local epochs; expected an integer in [1, ${MAX_LOCAL_EPOCHS}]`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`task asks for batch size ${batchSize}; expected a positive integer`);
  if (!Number.isFinite(learningRate) || learningRate <= 0) throw new Error(`task asks for learning rate ${learningRate}; expected a finite positive number`);
  if (!Number.isFinite(proximalMu) || proximalMu < 0) throw new Error(`task asks for proximal mu ${proximalMu}; expected a finite number ≥ 0`);
  const method = c.importanceMethod ?? '';
  const importanceMethod = method === '' ? '' : IMPORTANCE_METHODS.find((m) => m === method);
  if (importanceMethod === undefined) {
    throw new Error(`the server asked for unknown importance method "${method}" (known: ${IMPORTANCE_METHODS.join(', ')})`);
  }
  return {
    localEpochs,
    batchSize,
    learningRate,
    optimizer,
    proximalMu,
    sendActivations: c.sendActivations ?? false,
    importanceMethod,
    seed: c.seed ?? 0,
    halfPrecision: c.halfPrecision ?? false,
  };
}
