// Public API of the fedfuse client SDK (browser-safe; never imports server/).
export {
  FederatedClient,
  type FederatedClientOptions,
  type FederatedClientEvents,
  type LocalData,
  type TaskConfig,
} from './federated-client.js';
export { trainLocally, evaluateLocal, type LocalTrainingConfig, type LocalTrainingResult } from './training/local-training.js';
export type { ModelState } from './model/model-state.js';
export { initBackend } from './tf/backend.js';
