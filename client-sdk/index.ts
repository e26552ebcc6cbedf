// Public API of the fedfuse client SDK (browser-safe; never imports server/).
export {
  FederatedClient,
  type FederatedClientOptions,
  type FederatedClientEvents,
  type LocalData,
  type TaskConfig,
} from './federated-client.js';
export { trainLocally, evaluateLocal, type LocalTrainingConfig, type LocalTrainingResult } from '../common/training/local-training.js';
export type { ModelState } from '../common/model/model-state.js';
export { initBackend } from '../common/tf/backend.js';
