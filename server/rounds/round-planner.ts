// What every task and every validation of one round share, computed once per round from the global model the round
// trains: the strategy's training config, the encoded model payload, the shapes an update must have, and the task
// envelope encoded once for all clients that get it without probe tensors.
import * as tf from '@fedfuse/client/internal/tf/tfjs.js';
import '@fedfuse/client/internal/proto/protobuf-runtime.js';
import type { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { encodeEnvelope } from '@fedfuse/client/internal/proto/envelope.js';
import { modelStateToPayload } from '@fedfuse/client/internal/proto/model-payload.js';
import { splitLevels } from '@fedfuse/client/internal/model/levels.js';
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import type { UpdateExpectations } from '../transport/update-decoder.js';
import type { ProbeSet, RoundContext, Strategy, TrainingConfig } from '../strategies/strategy.js';
import type { ModelTier } from '../tiers/model-tiers.js';

/** What the server expects a level's uploads to look like (derived from the global topology). */
interface LevelShapes {
  outputShapes: number[][];
  widths: number[];
}

/** What one tier's clients are sent in a round and what their updates must look like. */
export interface TierPlan {
  tier: ModelTier;
  model: ModelState;
  modelPayload: fedfuse.v1.IModelPayload;
  expectations: UpdateExpectations;
}

export interface RoundPlan {
  round: number;
  ctx: RoundContext;
  config: TrainingConfig;
  /** Whether the round's tasks ask clients to compute on the probe set (then a task may carry it). */
  wantsProbe: boolean;
  modelPayload: fedfuse.v1.IModelPayload;
  expectations: UpdateExpectations;
  /** Tiered federations: per tier name, the tier's model and update shapes (every client trains its tier's). */
  tiers?: ReadonlyMap<string, TierPlan>;
}

/** Tiered federations: the tiers, and the models each trains in a round (derived before the round is planned). */
export interface PlannerTiers {
  list: readonly ModelTier[];
  models: (round: number, global: ModelState) => ReadonlyMap<string, ModelState>;
}

export interface RoundPlannerOptions {
  strategy: Strategy;
  training: TrainingConfig;
  probe?: ProbeSet;
  seed: number;
  /** Updates with a weight of larger magnitude are refused at decode (defence.maxAbsWeight). */
  maxAbsWeight?: number;
  tiers?: PlannerTiers;
}

export class RoundPlanner {
  private plan: RoundPlan | undefined;
  private planGlobal: ModelState | undefined;
  /** The task envelope without probe tensors, per deadline (a retry or a resumed round has another one). */
  private encodedTasks = new Map<string, Uint8Array>();
  private levelShapesCache: { topologyJson: string; shapes: LevelShapes | Error } | undefined;

  constructor(private readonly opts: RoundPlannerOptions) {}

  /** The plan of `round` trained from `global` (recomputed when either changes). */
  planFor(round: number, global: ModelState): RoundPlan {
    if (this.plan?.round === round && this.planGlobal === global) return this.plan;
    const { strategy, probe } = this.opts;
    const tiers = this.opts.tiers;
    const ctx: RoundContext = { round, global, probe, seed: this.opts.seed, ...(tiers ? { tiers: tiers.list } : {}) };
    const config = strategy.configureRound(ctx, this.opts.training);
    const wantsProbe = config.sendActivations || config.importanceMethod !== '';
    if (wantsProbe && !probe) {
      throw new Error(`strategy ${strategy.name} asks clients for activations/importance, but the server has no probe set`);
    }
    if (wantsProbe && tiers) {
      throw new Error(`strategy ${strategy.name} asks clients for activations/importance, which tiered federations do not support (the server computes them)`);
    }
    const levels = wantsProbe ? this.levelShapes(global) : undefined;
    const probeSize = probe?.x.shape[0] ?? 0;
    this.plan = {
      round,
      ctx,
      config,
      wantsProbe,
      modelPayload: modelStateToPayload(global),
      expectations: {
        round,
        weightShapes: global.weights.map((w) => w.shape),
        activationShapes: config.sendActivations ? levels!.outputShapes.map((s) => [probeSize, ...s]) : undefined,
        importanceWidths: config.importanceMethod !== '' ? levels!.widths : undefined,
        ...(this.opts.maxAbsWeight !== undefined ? { maxAbsWeight: this.opts.maxAbsWeight } : {}),
      },
      ...(tiers ? { tiers: this.tierPlans(round, global, tiers) } : {}),
    };
    this.planGlobal = global;
    this.encodedTasks = new Map();
    return this.plan;
  }

  private tierPlans(round: number, global: ModelState, tiers: PlannerTiers): Map<string, TierPlan> {
    const models = tiers.models(round, global);
    return new Map(
      tiers.list.map((tier) => {
        const model = models.get(tier.name)!;
        const expectations: UpdateExpectations = {
          round,
          weightShapes: tier.weightShapes,
          ...(this.opts.maxAbsWeight !== undefined ? { maxAbsWeight: this.opts.maxAbsWeight } : {}),
        };
        return [tier.name, { tier, model, modelPayload: modelStateToPayload(model), expectations }];
      }),
    );
  }

  /** The plan of a client's tier (undefined without tiers); throws for a tier the plan does not know. */
  tierPlan(plan: RoundPlan, tier: string | undefined): TierPlan | undefined {
    if (!plan.tiers) return undefined;
    const found = tier === undefined ? undefined : plan.tiers.get(tier);
    if (!found) throw new Error(`round ${plan.round} has no model for tier "${tier ?? ''}" (tiers: ${[...plan.tiers.keys()].join(', ')})`);
    return found;
  }

  /** What an update of a client of `tier` must look like (the global model's shapes without tiers). */
  expectationsFor(plan: RoundPlan, tier: string | undefined): UpdateExpectations {
    return this.tierPlan(plan, tier)?.expectations ?? plan.expectations;
  }

  /**
   * The TrainTask of a plan for a client of `tier` (the global model without tiers); `probeFields` are per
   * connection (the tensors go to a connection once).
   */
  task(plan: RoundPlan, deadline: number, probeFields: Pick<fedfuse.v1.ITrainTask, 'probeSha256' | 'probeInputs' | 'probeLabels'>, tier?: string): fedfuse.v1.ITrainTask {
    const modelPayload = this.tierPlan(plan, tier)?.modelPayload ?? plan.modelPayload;
    return { round: plan.round, globalModel: modelPayload, config: { ...plan.config }, deadlineUnixMs: deadline, ...probeFields };
  }

  /** The task envelope encoded once (per tier) for every client whose task carries no probe tensors. */
  encodedTask(plan: RoundPlan, deadline: number, probeSha256: string | undefined, tier?: string): Uint8Array {
    const key = `${deadline}|${probeSha256 ?? ''}|${plan.tiers ? (tier ?? '') : ''}`;
    let bytes = this.encodedTasks.get(key);
    if (!bytes) {
      bytes = encodeEnvelope({ trainTask: this.task(plan, deadline, probeSha256 ? { probeSha256 } : {}, tier) });
      this.encodedTasks.set(key, bytes);
    }
    return bytes;
  }

  /** Output shape (without batch) and width of each level of the global model; recomputed when the topology changes. */
  async refreshLevelShapes(global: ModelState): Promise<void> {
    const topologyJson = global.topologyJson;
    if (this.levelShapesCache?.topologyJson === topologyJson) return;
    const topology = JSON.parse(topologyJson) as tf.io.ModelJSON['modelTopology'];
    const model = await tf.models.modelFromJSON({ modelTopology: topology });
    try {
      const levels = splitLevels(model);
      const shapes: LevelShapes = {
        outputShapes: levels.map((l) => (l.weightLayer.outputShape as (number | null)[]).slice(1) as number[]),
        widths: levels.map((l) => l.width),
      };
      this.levelShapesCache = { topologyJson, shapes };
    } catch (e) {
      // Only strategies that ask for per-level uploads need levels; they get this error when a round is planned.
      this.levelShapesCache = { topologyJson, shapes: e as Error };
    } finally {
      model.dispose();
    }
  }

  /** Fails at start, not at the first task, when the strategy asks for per-level uploads the model cannot give. */
  checkLevels(global: ModelState): void {
    this.levelShapes(global);
  }

  private levelShapes(global: ModelState): LevelShapes {
    const cached = this.levelShapesCache;
    if (!cached || cached.topologyJson !== global.topologyJson) {
      throw new Error('level shapes of the global model were not computed (internal error)');
    }
    if (cached.shapes instanceof Error) {
      throw new Error(`the global model cannot be split into levels for activation uploads: ${cached.shapes.message}`);
    }
    return cached.shapes;
  }
}
