// The seam every aggregation method plugs into, after Flower's per-round strategy interface:
// configure a round (what clients are asked to do), then aggregate the accepted updates into the next global model.
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import type { WeightTensor } from '@fedfuse/client/internal/model/weights.js';
import type { ModelTier } from '../tiers/model-tiers.js';

/** What the server asks each sampled client to do this round (travels as TrainingConfig; defined with the SDK). */
import type { TrainingConfig } from '@fedfuse/client/internal/training/training-config.js';
export type { TrainingConfig };

/** A plain tensor that arrived from a client (already validated: finite values, declared shape). */
export interface PlainTensor {
  shape: number[];
  values: Float32Array;
}

/** One accepted, validated client update, as the strategy sees it. */
export interface ClientUpdate {
  clientId: string;
  round: number;
  weights: WeightTensor[];
  numExamples: number;
  /** Per level: pre-activations on the probe set, [probeSize, ...neuronShape]. Empty when not requested. */
  activations: PlainTensor[];
  /** Per level: one score per neuron. Empty when not requested. */
  importance: Float32Array[];
  metrics: Record<string, number>;
  /** Per-class example counts the client declared when it joined. */
  labelHistogram: number[];
  /** Tiered federations: the tier the client trained (its weights have that tier's shapes). */
  tier?: string;
}

/** The fusion probe set the server holds and sends with each task. */
export interface ProbeSet {
  x: PlainTensor;
  /** Class ids, when known. */
  y?: Int32Array;
}

export interface RoundContext {
  round: number;
  global: ModelState;
  probe?: ProbeSet;
  seed: number;
  /** Tiered federations: the device tiers (each tier's clients train a narrower model derived from `global`). */
  tiers?: readonly ModelTier[];
}

/**
 * How a fusion round went, for strategies that fuse and may fall back (neuron interpolation): which model became the
 * global one and how the fused model and the plain average compared on probe rows held out from the fit.
 */
export interface FusionRoundReport {
  /** 'fused': the fused model; 'fallback': the plain example-weighted average, which did better on the held-out rows. */
  path: 'fused' | 'fallback';
  /** 'cross-entropy' on the labelled probe rows, or 'ensemble-kl' (KL from the clients' prediction ensemble) without labels. */
  lossKind: 'cross-entropy' | 'ensemble-kl';
  fusedProbeLoss: number;
  averageProbeLoss: number;
  /** Standard error of the mean per-row difference between the two (the decision's noise level). */
  standardError: number;
  /** Probe rows held out from the fit and used for the decision. */
  checkRows: number;
  /** Per level: the relative ridge the fit used (Infinity: the prior kept). */
  ridges: number[];
  /** With probe labels: whether the output level kept the class-weighted targets ('given') or the plain mean. */
  outputImportance?: 'given' | 'uniform';
  /** With calibrateOutput and probe labels: the scale (inverse temperature) the fused output level's logits took. */
  outputScale?: number;
}

/** The next global model and, for strategies that report one, how the aggregation went. */
export interface Aggregation {
  model: ModelState;
  fusion?: FusionRoundReport;
}

export interface Strategy {
  readonly name: string;
  /** Training config for this round's tasks (Flower's configure_fit). */
  configureRound(ctx: RoundContext, base: TrainingConfig): TrainingConfig;
  /** Next global model from this round's accepted updates (Flower's aggregate_fit). Never called with zero updates. */
  aggregate(ctx: RoundContext, updates: readonly ClientUpdate[]): Promise<Aggregation>;
  /** Optional per-update check before an update is accepted; throw an Error with a clear message to reject it. */
  validateUpdate?(ctx: RoundContext, update: ClientUpdate): Promise<void>;
  /** Set by strategies that aggregate with the server's probe set (neuron interpolation, OT fusion). */
  readonly needsProbe?: boolean;
  /** Set by strategies that also need the probe set's labels (FedAvg's calibrateOutput). */
  readonly needsProbeLabels?: boolean;
  /** Set by strategies defined for a fixed number of parents (HF and weight matching fuse exactly two). */
  readonly exactUpdates?: number;
  /**
   * How a cluster may aggregate in two stages (each node its own clients, then the leader the nodes' results):
   * 'average' — aggregate depends on the updates only through their example-weighted average, so nodes send exact
   * partial sums (FedAvg, FedProx, FedAdam/Yogi/Adagrad); 'fuse' — aggregating the nodes' aggregates is meaningful,
   * so each node fuses its clients and the leader fuses the node models (neuron interpolation). Unset: the leader
   * aggregates every update itself.
   */
  readonly hierarchical?: 'average' | 'fuse';
  /**
   * With hierarchical 'fuse': a node's pre-aggregate of its own clients. Leaves out what belongs to the round's end
   * only (a server step applied at every node and again at the leader would compound). Unset: aggregate.
   */
  nodeAggregate?(ctx: RoundContext, updates: readonly ClientUpdate[]): Promise<Aggregation>;
  /**
   * Tiered federations: the model each of `ctx.tiers` trains in round `ctx.round`, derived from `ctx.global` (in the
   * tiers' order, each with its tier's widths); `updates` are the previous round's updates that `ctx.global` was made
   * from (none in the first round or after a restart). Only strategies that have it run tiers; their `aggregate` then
   * gets updates of every tier's widths and returns the global widths.
   */
  tierModels?(ctx: RoundContext & { tiers: readonly ModelTier[] }, updates?: readonly ClientUpdate[]): Promise<ModelState[]>;
}
