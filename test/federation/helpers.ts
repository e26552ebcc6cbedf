// Shared pieces of the federation tests: small real MNIST slices, the MLP 784-32-10, and a quiet server factory.
import * as tf from '@tensorflow/tfjs';
import { loadMnist } from '../../scenarios/data/mnist.js';
import { toTensors } from '../../scenarios/data/dataset.js';
import { buildModel } from '../../common/model/model-spec.js';
import { modelToState, stateToModel, type ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { evaluateLocal } from '@fedfuse/client/internal/training/local-training.js';
import { FederationServer, type FederationServerOptions } from '../../server/federation-server.js';
import { FedAvg } from '../../server/strategies/fedavg.js';
import type { TrainingConfig } from '../../server/strategies/strategy.js';
import type { LocalData } from '@fedfuse/client';

export const MLP = { kind: 'mlp' as const, widths: [784, 32, 10], activation: 'relu' as const };

export const TRAINING: TrainingConfig = {
  localEpochs: 2,
  batchSize: 32,
  learningRate: 0.05,
  optimizer: 'sgd',
  proximalMu: 0,
  sendActivations: false,
  importanceMethod: '',
  seed: 1,
  halfPrecision: false,
};

export const TOKENS = { alice: 'alice-token-0001', bob: 'bob-token-0002', carol: 'carol-token-0003' };

/** A slice of MNIST train as tensors (the caller disposes). */
export async function mnistSlice(offset: number, limit: number): Promise<LocalData> {
  const ds = await loadMnist({ split: 'train', offset, limit });
  const { xs, ys } = toTensors(ds, 'flat');
  return { xs, ys, numClasses: 10 };
}

export function disposeData(...data: LocalData[]): void {
  for (const d of data) tf.dispose([d.xs, d.ys]);
}

export function initialMlp(seed = 1): ModelState {
  const model = buildModel(MLP, seed);
  const state = modelToState(model);
  model.dispose();
  return state;
}

/** Accuracy/loss of a model state on tensors (no tensors left behind). */
export async function evaluateState(state: ModelState, data: LocalData): Promise<{ accuracy: number; loss: number }> {
  const model = await stateToModel(state);
  try {
    return evaluateLocal(model, data);
  } finally {
    model.dispose();
  }
}

export function quietServer(overrides: Partial<FederationServerOptions> & Pick<FederationServerOptions, 'rounds'>): {
  server: FederationServer;
  logs: string[];
} {
  const logs: string[] = [];
  const server = new FederationServer({
    host: '127.0.0.1',
    port: 0,
    minClients: 2,
    roundDeadlineMs: 60_000,
    strategy: new FedAvg(),
    initialModel: initialMlp(),
    training: TRAINING,
    tokens: TOKENS,
    logger: (line) => logs.push(line),
    ...overrides,
  });
  return { server, logs };
}

export const silent = () => {};
