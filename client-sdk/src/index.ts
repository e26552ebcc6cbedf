// Public API of @fedfuse/client, the fedfuse client SDK (Node and browsers; never imports server code).
export { FederatedClient, type FederatedClientOptions, type FederatedClientEvents, type LocalData } from './federated-client.js';
export type { TrainingConfig, TrainingProgress, LocalTrainingConfig, ImportanceMethod } from './training/training-config.js';
export { trainLocally, evaluateLocal, type LocalTrainingResult } from './training/local-training.js';
export { modelToState, stateToModel, type ModelState } from './model/model-state.js';
export type { WeightTensor } from './model/weights.js';
export type { ImportanceFunction } from './training/probe-outputs.js';
export { initBackend, currentBackend, type BackendName, type BackendOptions } from './tf/backend.js';
export { PROTOCOL_VERSION } from './proto/envelope.js';
export { parseNpy, serializeNpy, toFloat32, toInt32Labels, type NpyArray, type NpyData, type NpyDtype } from './io/npy.js';
