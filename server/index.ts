// Library API of the `fedfuse` package (the CLI is bin/fedfuse): run a federation server from code.
export {
  FederationServer,
  type FederationServerOptions,
  type FederationServerEvents,
  type RoundSummary,
  type RoundStartedEvent,
  type UpdateAcceptedEvent,
  type UpdateRejectedEvent,
  type UpdateExcludedEvent,
  type RoundRetriedEvent,
  type CheckpointFailedEvent,
  type ClientErrorEvent,
} from './federation-server.js';
export type { ClusterOptions } from './cluster/cluster-options.js';
export type { ClusterEvent } from './cluster/cluster-host.js';
export type { ClusterNodeStatus } from './cluster/cluster-node.js';
export { createStrategy, strategyNames, type StrategyOptions } from './strategies/index.js';
export type { Strategy, ClientUpdate, ProbeSet, RoundContext, TrainingConfig } from './strategies/strategy.js';
export { parseServerConfig, type ServerConfig } from './config.js';
export { buildModel, type ModelSpec } from '../common/model/model-spec.js';
export type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
