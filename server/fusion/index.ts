// Neuron-interpolation model fusion: models and probe tensors in, a fused model out. Pure — no sockets, files or
// protobuf — so the server strategy, the offline `fuse` command and the benchmarks share it.
export { fuseModels } from './fuse-models.js';
export type {
  FusionMethod,
  FusionOptions,
  FusionResult,
  GradientOptions,
  LevelReport,
  ParentModel,
} from './types.js';
export { FUSION_METHODS } from './types.js';
