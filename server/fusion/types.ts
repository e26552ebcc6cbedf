// Public types of the fusion engine (re-exported by index.ts).
import type * as tf from '@fedfuse/client/internal/tf/tfjs.js';

export type FusionMethod = 'hf' | 'kf-linear' | 'kf-gradient';

export const FUSION_METHODS: readonly FusionMethod[] = ['hf', 'kf-linear', 'kf-gradient'];

export interface ParentModel {
  model: tf.LayersModel;
  /** Per level, one score per neuron (non-negative); default uniform. Normalised per level before use. */
  importance?: Float32Array[];
  /** Per level, pre-activations on the probe set if already known (e.g. uploaded by a client); else computed here. */
  targets?: tf.Tensor[];
  /** Multiplies this parent's importance (e.g. its example count). Default 1. */
  scale?: number;
}

export interface GradientOptions {
  /** Adam epochs per level (default 25). */
  epochs?: number;
  /** Epochs for the last level (default: 6 × epochs, as the reference's 150 vs 25). */
  lastLevelEpochs?: number;
  /** Adam learning rate (default 1e-3). */
  learningRate?: number;
  /** Stop a level after this many epochs without validation improvement (default 15). */
  patience?: number;
  /** Mini-batch size in probe samples (default 32). */
  batchSize?: number;
  /** Share of probe samples held out for early stopping (default 0.2). */
  validationFraction?: number;
  /** Last level: distil the parents' averaged softened outputs (KL) instead of matching averaged logits. */
  distillLast?: boolean;
  /** Softmax temperature for distillLast (default 1). */
  temperature?: number;
}

export interface FusionOptions {
  method: FusionMethod;
  seed?: number;
  /** Fused width per HIDDEN level (default: parent 0's widths). */
  widths?: number[];
  /**
   * k-means restarts, lowest cost kept. Default 'auto': 10 (the reference's) up to 2,560 parent neurons (10 parents of
   * 256), then fewer so that restarts × neurons ≤ 25,600 — 4 for 25 parents, 1 for 100 (measured: more restarts of the
   * sketched k-means moved accuracy by less than their seed-to-seed spread; bench/sections/fusion-speed.md).
   */
  kmeansRestarts?: number | 'auto';
  /**
   * How hidden neurons are grouped: 'match' (default) — by the method (Hungarian for HF, k-means for KF), for
   * parents trained independently; 'index' — neuron i of every parent forms fused neuron i, for parents that share
   * an initialisation (federation clients trained from one global model keep its neuron order; measured, k-means
   * started from that grouping does not move it). Needs every parent as wide as the fused model. 'anchored' — for
   * parents of different widths from one model (device tiers): 'index' among the parents as wide as the fused level,
   * and every neuron of a narrower parent joins the nearest of those groups (k-means when no parent is that wide).
   */
  grouping?: 'match' | 'index' | 'anchored';
  /**
   * Geometry of the KF k-means: 'exact' — the inner products of every pair of parent neurons (M² memory and
   * O(M²·probe rows) time for M neurons of all parents: 5 GB for 100 parents of 256); a number r — each neuron's
   * coordinates in the r principal directions of all neurons (O(M·r)); 'auto' (default) — exact up to 1,024 neurons
   * (4 parents of 256), 128 directions above.
   */
  kmeansSketch?: 'exact' | 'auto' | number;
  /** Max Lloyd iterations per restart (default 100). */
  kmeansIterations?: number;
  /**
   * Least-squares ridge relative to the mean Gram diagonal, or 'auto' (default): chosen per level by held-out
   * error on the probe rows (leave-one-out for dense levels, K-fold over probe inputs for conv levels), where ∞
   * keeps the prior. Measured on 4 independently trained MNIST MLPs: 96.38% against 95.88% with a fixed 1e-6.
   */
  ridge?: number | 'auto';
  /**
   * Class labels of the probe inputs. With ridge 'auto' the output level's ridge is then chosen by held-out
   * cross-entropy instead of held-out error on the targets, and, when parents carry output-level importance (class
   * counts), the importance-weighted and the plain mean targets compete on the same score.
   */
  labels?: Int32Array;
  /**
   * Consecutive probe rows that are copies of one source input (e.g. shifted copies for the fit, default 1): held-out
   * ridge selection keeps each source's rows in one fold, so a copy never scores the fit of its own source.
   */
  rowsPerSource?: number;
  /**
   * What the least-squares fit changes least: 'parents' (default) — the group members' own weights, re-expressed in
   * the fused inputs, so the parents' weights outside the probe inputs' span are kept; 'zero' — the minimum-norm
   * solution (the reference's pseudo-inverse), which sets those components to zero.
   */
  prior?: 'parents' | 'zero';
  gradient?: GradientOptions;
  onProgress?: (info: { level: number; levels: number; phase: string }) => void;
}

/** Which output-level importance a fusion used: the parents' given scores (e.g. class counts) or uniform. */
export type OutputImportance = 'given' | 'uniform';

export interface LevelReport {
  level: number;
  seconds: number;
  /** Mean squared error between the fused level's pre-activations and its group targets on the probe set. */
  fitMse: number;
  /** The relative ridge the fit used (Infinity: the prior kept unchanged). */
  ridge: number;
  /** With ridge 'auto': the held-out score of the chosen ridge (MSE; cross-entropy at a labelled output level). */
  heldOutScore?: number;
  /** Output level, when given and uniform importance competed: the one kept. */
  outputImportance?: OutputImportance;
}

export interface FusionResult {
  model: tf.LayersModel;
  perLevel: LevelReport[];
}
