// The training settings a server asks of its clients each round: one definition for the server's strategies, the
// wire (TrainingConfig message) and the SDK.

/** How a client scores its neurons for fusion (see importance/). */
export type ImportanceMethod = 'uniform' | 'conductance' | 'feature-ablation' | 'deeplift';

export const IMPORTANCE_METHODS: readonly ImportanceMethod[] = ['uniform', 'conductance', 'feature-ablation', 'deeplift'];

export interface TrainingConfig {
  localEpochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: 'sgd' | 'adam';
  /** FedProx proximal term; 0 disables it. */
  proximalMu: number;
  /** Upload per-level pre-activations on the probe set. */
  sendActivations: boolean;
  /** Upload per-neuron importance scores ('' = none). */
  importanceMethod: '' | ImportanceMethod;
  /** Seeds the shuffling of local training (mixed with the round and the client id). */
  seed: number;
  /** Upload tensors as float16. */
  halfPrecision: boolean;
}

/** What local training itself needs of a TrainingConfig. */
export type LocalTrainingConfig = Pick<TrainingConfig, 'localEpochs' | 'batchSize' | 'learningRate' | 'optimizer' | 'proximalMu' | 'seed'>;

/** Reported after every batch of local training. */
export interface TrainingProgress {
  /** 0-based epoch and batch within it. */
  epoch: number;
  epochs: number;
  batch: number;
  batchesPerEpoch: number;
  /** Cross-entropy of this batch (without the FedProx term). */
  loss: number;
}
