// Neuron-interpolation federation (Luenam et al., arXiv 2507.00037): clients upload their weights plus per-level
// pre-activations (and importance scores) on the server's probe set; the server checks a random sample of those
// activations against the weights, then fuses the client models level by level (server/fusion) into the next
// global model, keeping the global architecture.
import { webcrypto } from 'node:crypto';
import * as tf from '@fedfuse/client/internal/tf/tfjs.js';
import { z } from 'zod';
import { collectPreActivations, splitLevels } from '@fedfuse/client/internal/model/levels.js';
import { stateToModel, type ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { cloneWeights, readWeights, sameShapes } from '@fedfuse/client/internal/model/weights.js';
import { topologyWithWidths } from '../../common/model/width-scaling.js';
import { firstUnits, levelWidthsOf, sliceModel } from '../tiers/sub-model.js';
import type { ModelTier } from '../tiers/model-tiers.js';
import { fuseModels, FUSION_METHODS, type FusionMethod, type FusionOptions, type ParentModel } from '../fusion/index.js';
import {
  comparePaired,
  ensembleProbabilities,
  probeLosses,
  roundProbeSplit,
  takeRows,
  type ProbeReference,
} from '../fusion/held-out-check.js';
import { withShiftedCopies } from '../fusion/shifted-copies.js';
import { calibrateOutputLevel } from '../fusion/calibrate-output.js';
import { zeroInitialisedTopology } from '../fusion/build-fused-model.js';
import { weightedAverage } from './fedavg.js';
import { serverStep } from './server-step.js';
import { checkActivationBound, maxAbs, rowsToVerify, screenOutlierRows } from './activation-screen.js';
import type { Aggregation, ClientUpdate, PlainTensor, ProbeSet, RoundContext, Strategy, TrainingConfig } from './strategy.js';

type ImportanceMethod = TrainingConfig['importanceMethod'];

export interface NeuronInterpolationOptions {
  /** Fusion method (default 'kf-linear'). 'hf' needs exactly two updates per round. */
  method?: FusionMethod;
  /** Importance scores clients compute (default 'uniform'; '' = none, the server uses uniform). */
  importanceMethod?: ImportanceMethod;
  /** Scale each client's importance by its example count (default true). */
  weightByExamples?: boolean;
  /**
   * Output level: weight each client's class-c neuron by its declared example count of class c (labelHistogram),
   * as the reference's classifier-head weights do (default true). Under label skew a client's logit for a class it
   * never saw is noise; measured on two MNIST clients holding disjoint halves of the digits, this lifts the fused
   * model from 47% to 78% test accuracy (parents 58% / 49%).
   */
  classWeighting?: boolean;
  /**
   * Where the parents' pre-activations (and importance scores) on the probe set come from: 'server' (default) — the
   * server computes them from the uploaded weights, so clients send what they send for FedAvg and nothing needs
   * checking; 'clients' — clients compute and upload them (the paper's protocol; offloads the forward passes to the
   * clients, costs upload bytes: for the conv scenario ~17 MB per client per round against a 90 KB model).
   */
  activationsFrom?: 'server' | 'clients';
  /** Probe inputs re-run per update to check the uploaded activations (default 16; 0 disables the check). */
  verifySamples?: number;
  /**
   * Largest accepted per-neuron relative RMS error between uploaded and recomputed activations (default 1e-2:
   * float16 uploads err by ~5e-4, other backends' float32 rounding by far less; tampering by far more).
   */
  tolerance?: number;
  /**
   * Share of the probe rows held out from the fit (default 0.2); on them the fused model is compared with the plain
   * example-weighted average of the same updates, and the better one becomes the global model. 0 = always fused.
   */
  heldOutFraction?: number;
  /**
   * How many standard errors (of the per-row loss difference on the held-out rows) the fused model must be worse
   * than the plain average by before the round falls back to the average (default 2).
   */
  fallbackStandardErrors?: number;
  /**
   * Server learning rate on the round's result (fused or fallback): global + serverStep · (result − global). Default 1
   * (the result itself); above 1 extrapolates along the round's direction.
   */
  serverStep?: number;
  /**
   * Fit on each probe image and its copies moved by up to `pixels` pixels (8 copies for 1 pixel), with the server
   * computing the parents' pre-activations on them: more input directions for levels that have more weights per neuron
   * than probe rows. Needs activationsFrom 'server' and image inputs: probe inputs shaped [rows, height, width,
   * channels], or `imageShape` for flat ones. The held-out check stays on unshifted rows the fit never saw. Off by
   * default.
   */
  fitShifts?: { pixels: number; imageShape?: [number, number, number] };
  /**
   * With probe labels: scale the fused output level's logits by the factor that minimises their cross-entropy on the
   * fit rows (temperature scaling; no prediction changes class), before the held-out decision (default true). The
   * mean of clients' logits is sharper than the labels warrant when clients trained several epochs on skewed data:
   * measured, it stops NI's test loss creeping up over rounds and lifts later rounds (BENCHMARKS.md).
   */
  calibrateOutput?: boolean;
  /**
   * Tiered federations: how a narrower tier's model is made each round. 'updates' (default): the round's updates (all
   * widths) fused into the tier's widths, grouped around the tier's own updates; 'global': the global model alone fused
   * into the tier's widths (its neurons grouped by k-means on the probe set, each level fitted to the group targets);
   * 'sliced': the global model's first units, as HeteroFL does. Measured on mnist-odir-4 with tiers (1, 0.25), seed 1,
   * 10 rounds: 'updates' 94.91 % global / 94.55 % small tier, 'global' 94.15 / 93.98, 'sliced' 93.52 / 91.01.
   */
  tierModels?: 'updates' | 'global' | 'sliced';
  /**
   * Tiered federations: how the neurons of updates of different widths are grouped into the global widths.
   * 'anchored' (default): the updates at the global widths by index (they keep the global model's neuron order), the
   * narrower updates' neurons joined to the nearest of those groups (k-means when no update is at the global widths);
   * 'match': k-means over all updates' neurons.
   */
  tierGrouping?: 'anchored' | 'match';
  /** Further fusion options (restarts, ridge, gradient settings, seed). */
  fusion?: Omit<FusionOptions, 'method' | 'widths'>;
}

// Options arrive untyped from scenario/config files: validated here, every mistake named by its path.
const gradientSchema = z.strictObject({
  epochs: z.number().int().min(0).optional(),
  lastLevelEpochs: z.number().int().min(0).optional(),
  learningRate: z.number().positive().optional(),
  patience: z.number().int().min(1).optional(),
  batchSize: z.number().int().min(1).optional(),
  validationFraction: z.number().min(0).lt(1).optional(),
  distillLast: z.boolean().optional(),
  temperature: z.number().positive().optional(),
});

const optionsSchema = z.strictObject({
  method: z.enum(FUSION_METHODS as [FusionMethod, ...FusionMethod[]]).optional(),
  importanceMethod: z.enum(['', 'uniform', 'conductance', 'feature-ablation', 'deeplift']).optional(),
  weightByExamples: z.boolean().optional(),
  activationsFrom: z.enum(['server', 'clients']).optional(),
  classWeighting: z.boolean().optional(),
  verifySamples: z.number().int().min(0).optional(),
  tolerance: z.number().positive().optional(),
  heldOutFraction: z.number().min(0).lt(1).optional(),
  fallbackStandardErrors: z.number().min(0).optional(),
  serverStep: z.number().positive().max(10).optional(),
  calibrateOutput: z.boolean().optional(),
  tierModels: z.enum(['updates', 'global', 'sliced']).optional(),
  tierGrouping: z.enum(['anchored', 'match']).optional(),
  fitShifts: z
    .strictObject({
      pixels: z.number().int().min(1).max(4),
      imageShape: z.tuple([z.number().int().min(1), z.number().int().min(1), z.number().int().min(1)]).optional(),
    })
    .optional(),
  fusion: z
    .strictObject({
      seed: z.number().int().optional(),
      kmeansRestarts: z.union([z.number().int().min(1), z.literal('auto')]).optional(),
      kmeansSketch: z.union([z.number().int().min(1), z.enum(['exact', 'auto'])]).optional(),
      grouping: z.enum(['match', 'index', 'anchored']).optional(),
      kmeansIterations: z.number().int().min(1).optional(),
      ridge: z.union([z.number().min(0), z.literal('auto')]).optional(),
      prior: z.enum(['parents', 'zero']).optional(),
      gradient: gradientSchema.optional(),
      onProgress: z.custom<FusionOptions['onProgress']>((v) => typeof v === 'function').optional(),
    })
    .optional(),
});

function checkOptions(o: unknown): NeuronInterpolationOptions {
  const parsed = optionsSchema.safeParse(o ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue.path.length > 0 ? issue.path.join('.') : '(options)';
    throw new Error(`neuron interpolation option ${at}: ${issue.message}`);
  }
  return parsed.data as NeuronInterpolationOptions;
}

function requireProbe(ctx: RoundContext): ProbeSet {
  if (!ctx.probe) {
    throw new Error('neuron interpolation needs a probe set, but the round context has none (configure the server probe set)');
  }
  return ctx.probe;
}

function probeSize(probe: ProbeSet): number {
  return probe.x.shape[0];
}

/** `count` distinct indices below `n`, from a cryptographic source so a client cannot predict which rows are checked. */
function sampleRows(n: number, count: number): number[] {
  const k = Math.min(n, count);
  const pool = Array.from({ length: n }, (_, i) => i);
  const draws = new Uint32Array(k);
  webcrypto.getRandomValues(draws);
  for (let i = 0; i < k; i++) {
    const j = i + (draws[i] % (n - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, k).sort((a, b) => a - b);
}

export class NeuronInterpolation implements Strategy {
  readonly name = 'neuron-interpolation';
  readonly needsProbe = true;
  /** In a cluster each node fuses its own clients and the leader fuses the node models. */
  readonly hierarchical = 'fuse';
  private readonly method: FusionMethod;
  private readonly importanceMethod: ImportanceMethod;
  private readonly weightByExamples: boolean;
  private readonly classWeighting: boolean;
  private readonly verifySamples: number;
  private readonly tolerance: number;
  private readonly heldOutFraction: number;
  private readonly activationsFrom: 'server' | 'clients';
  private readonly fallbackStandardErrors: number;
  private readonly serverStep: number;
  private readonly calibrateOutput: boolean;
  private readonly fusion: Omit<FusionOptions, 'method' | 'widths'>;
  private readonly fitShifts: NeuronInterpolationOptions['fitShifts'];
  private readonly tierDerivation: 'updates' | 'global' | 'sliced';
  private readonly tierGrouping: 'anchored' | 'match';
  /** Per client: failed activation checks so far (each doubles the probe rows its next uploads are checked on). */
  private readonly verificationFailures = new Map<string, number>();
  /** HF is Hungarian matching between two parents. */
  readonly exactUpdates: number | undefined;

  constructor(input: NeuronInterpolationOptions = {}) {
    const options = checkOptions(input);
    this.method = options.method ?? 'kf-linear';
    this.importanceMethod = options.importanceMethod ?? 'uniform';
    this.weightByExamples = options.weightByExamples ?? true;
    this.classWeighting = options.classWeighting ?? true;
    this.verifySamples = options.verifySamples ?? 16;
    this.tolerance = options.tolerance ?? 1e-2;
    this.heldOutFraction = options.heldOutFraction ?? 0.2;
    this.activationsFrom = options.activationsFrom ?? 'server';
    this.fallbackStandardErrors = options.fallbackStandardErrors ?? 2;
    this.serverStep = options.serverStep ?? 1;
    this.calibrateOutput = options.calibrateOutput ?? true;
    this.fusion = options.fusion ?? {};
    this.fitShifts = options.fitShifts;
    this.tierDerivation = options.tierModels ?? 'updates';
    this.tierGrouping = options.tierGrouping ?? 'anchored';
    if (this.fitShifts && this.activationsFrom !== 'server') {
      throw new Error("neuron interpolation option fitShifts: needs activationsFrom 'server' (clients upload activations of unshifted rows only)");
    }
    this.exactUpdates = this.method === 'hf' ? 2 : undefined;
  }

  configureRound(_ctx: RoundContext, base: TrainingConfig): TrainingConfig {
    // Server-side activations: clients send their weights only, exactly as for FedAvg (no probe set travels).
    if (this.activationsFrom === 'server') return { ...base, sendActivations: false, importanceMethod: '' };
    return { ...base, sendActivations: true, importanceMethod: this.importanceMethod };
  }

  /** Rejects an update whose uploaded activations or importance do not fit its own weights. */
  async validateUpdate(ctx: RoundContext, update: ClientUpdate): Promise<void> {
    const probe = requireProbe(ctx);
    // Computed here from the weights: nothing uploaded to check (the decoder has checked the weights' shapes).
    if (this.activationsFrom === 'server') return;
    const who = `update from client ${update.clientId}`;
    const model = await stateToModel({ topologyJson: ctx.global.topologyJson, weights: update.weights }).catch((e: Error) => {
      throw new Error(`${who}: weights do not fit the global model: ${e.message}`);
    });
    try {
      const levels = splitLevels(model);
      const P = probeSize(probe);
      if (update.activations.length !== levels.length) {
        throw new Error(`${who}: ${update.activations.length} activation tensors, the model has ${levels.length} levels`);
      }
      update.activations.forEach((a, l) => {
        const width = levels[l].width;
        if (a.shape[0] !== P || a.shape[a.shape.length - 1] !== width) {
          throw new Error(`${who}: level ${l} activations have shape [${a.shape.join(', ')}], expected [${P}, …, ${width}]`);
        }
      });
      if (update.importance.length > 0) {
        if (update.importance.length !== levels.length) {
          throw new Error(`${who}: importance for ${update.importance.length} levels, the model has ${levels.length}`);
        }
        update.importance.forEach((s, l) => {
          if (s.length !== levels[l].width) {
            throw new Error(`${who}: level ${l} has ${s.length} importance scores for ${levels[l].width} neurons`);
          }
          if (s.some((v) => !(Number.isFinite(v) && v >= 0))) {
            throw new Error(`${who}: level ${l} importance scores must be finite and >= 0`);
          }
        });
      }
      if (this.verifySamples === 0) return;
      // Issue 11, item 6: screens that do not depend on the sample, more rows for a client that failed before.
      const failures = this.verificationFailures.get(update.clientId) ?? 0;
      try {
        update.activations.forEach((a, l) => screenOutlierRows(who, l, a));
        const rows = sampleRows(P, rowsToVerify(this.verifySamples, failures, P));
        const x = takeRows(probe.x.values, probe.x.shape, Int32Array.from(rows));
        const recomputed = collectPreActivations(model, x);
        x.dispose();
        try {
          recomputed.forEach((r, l) => {
            checkActivationBound(who, l, update.activations[l], maxAbs(r.dataSync()));
            this.compareLevel(who, l, r, update.activations[l], rows);
          });
        } finally {
          tf.dispose(recomputed);
        }
      } catch (e) {
        this.verificationFailures.set(update.clientId, failures + 1);
        throw e;
      }
    } finally {
      model.dispose();
    }
  }

  /** Per-neuron relative RMS error of the uploaded rows against the recomputed ones. */
  private compareLevel(who: string, level: number, recomputed: tf.Tensor, uploaded: PlainTensor, rows: readonly number[]): void {
    const r = recomputed.dataSync();
    const width = uploaded.shape[uploaded.shape.length - 1];
    const rowSize = uploaded.values.length / uploaded.shape[0];
    if (r.length !== rows.length * rowSize) {
      throw new Error(`${who}: level ${level} activations have ${rowSize} values per probe input, the model produces ${r.length / rows.length}`);
    }
    const err = new Float64Array(width);
    const norm = new Float64Array(width);
    let total = 0;
    rows.forEach((row, i) => {
      const u = uploaded.values.subarray(row * rowSize, (row + 1) * rowSize);
      for (let e = 0; e < rowSize; e++) {
        const j = e % width;
        const want = r[i * rowSize + e];
        const d = u[e] - want;
        err[j] += d * d;
        norm[j] += want * want;
        total += want * want;
      }
    });
    // A floor at a tenth of the level's RMS keeps near-silent neurons from failing on rounding noise alone.
    const floor = 0.01 * (total / width);
    for (let j = 0; j < width; j++) {
      const rel = Math.sqrt(err[j] / Math.max(norm[j], floor, 1e-30));
      if (!(rel <= this.tolerance)) {
        throw new Error(
          `${who}: uploaded activations do not match its weights at level ${level}, neuron ${j} ` +
            `(relative error ${rel.toPrecision(3)} > tolerance ${this.tolerance} on ${rows.length} sampled probe inputs)`,
        );
      }
    }
  }

  /** Importance scores computed here from each parent's weights (server-side activations), class weights kept. */
  private async serverImportance(
    parents: ParentModel[],
    probeX: tf.Tensor,
    labels: Int32Array | undefined,
    levelWidths: readonly number[],
    updates: readonly ClientUpdate[],
  ): Promise<void> {
    const { computeImportance } = await import('@fedfuse/client/internal/importance/index.js');
    const method = this.importanceMethod as Exclude<ImportanceMethod, '' | 'uniform'>;
    for (let i = 0; i < parents.length; i++) {
      const scores = await computeImportance(parents[i].model, probeX, labels, method);
      parents[i].importance = this.importanceOf({ ...updates[i], importance: scores }, levelWidths);
    }
  }

  /**
   * A client's importance for fusion: its uploaded scores (uniform when none), with the output level replaced by its
   * per-class example counts when class weighting is on and the histogram fits. (Per-parent normalisation in the
   * engine times the example-count scale turns the counts back into absolute numbers.)
   */
  private importanceOf(u: ClientUpdate, levelWidths: readonly number[]): Float32Array[] | undefined {
    const classes = levelWidths[levelWidths.length - 1];
    const histogram = u.labelHistogram;
    const useClasses =
      this.classWeighting &&
      histogram.length === classes &&
      histogram.every((c) => Number.isFinite(c) && c >= 0) &&
      histogram.some((c) => c > 0);
    if (!useClasses) return u.importance.length > 0 ? u.importance : undefined;
    const levels = u.importance.length > 0 ? [...u.importance] : levelWidths.map((w) => new Float32Array(w).fill(1));
    levels[levels.length - 1] = Float32Array.from(histogram);
    return levels;
  }

  /**
   * Tiered federations: each tier's model for the round. A tier at the global widths runs the global model itself;
   * the others' models are, by `tierModels`: 'updates' — the previous round's updates (every width) fused into the
   * tier's widths, grouped around the tier's own updates (as the global model is around the full-width ones);
   * 'global' — the global model alone fused into the tier's widths (its neurons grouped by k-means on the whole probe
   * set, each level fitted by least squares); 'sliced' — the global model's first units. 'updates' falls back to
   * 'global' when the round has no updates to fuse (the first round, after a restart).
   */
  async tierModels(ctx: RoundContext & { tiers: readonly ModelTier[] }, updates?: readonly ClientUpdate[]): Promise<ModelState[]> {
    const globalWidths = levelWidthsOf(ctx.global.weights);
    const full = (t: ModelTier) => t.widths.every((w, l) => w === globalWidths[l]);
    const out: ModelState[] = [];
    for (const tier of ctx.tiers) {
      if (full(tier)) out.push(ctx.global);
      else if (this.tierDerivation === 'sliced') out.push(sliceModel(ctx.global, firstUnits(tier.widths.slice(0, -1))));
      else {
        // The tier's architecture; its weights only give the shapes the fusion aims at.
        const shape: ModelState = {
          topologyJson: topologyWithWidths(ctx.global.topologyJson, tier.widths),
          weights: tier.weightShapes.map((shape, t) => ({ name: ctx.global.weights[t].name, shape, values: new Float32Array(shape.reduce((a, b) => a * b, 1)) })),
        };
        // Updates that hold fewer neurons than the tier's model (or none) cannot make it: the global model alone then.
        const fromUpdates = this.tierDerivation === 'updates' && updates && updates.length > 0 && !NeuronInterpolation.tooNarrow(shape, updates);
        out.push(fromUpdates ? (await this.fuseInto(ctx, shape, updates)).model : await this.globalAlone(ctx, tier));
      }
    }
    return out;
  }

  /** The global model alone fused into a tier's widths (k-means of its neurons on the whole probe set, least squares). */
  private async globalAlone(ctx: RoundContext, tier: ModelTier): Promise<ModelState> {
    const probe = requireProbe(ctx);
    const global = await stateToModel(ctx.global);
    const x = tf.tensor(probe.x.values, probe.x.shape);
    try {
      const { model } = await fuseModels([{ model: global }], x, {
        seed: ctx.seed + ctx.round,
        ...this.fusion,
        grouping: 'match',
        method: this.method === 'hf' ? 'kf-linear' : this.method,
        widths: tier.widths.slice(0, -1),
        ...(probe.y ? { labels: probe.y } : {}),
      });
      try {
        if (this.calibrateOutput && probe.y) calibrateOutputLevel(model, x, probe.y);
        // The tier's topology is the global one at its widths, the same every round (clients keep their model).
        return { topologyJson: topologyWithWidths(ctx.global.topologyJson, tier.widths), weights: readWeights(model) };
      } finally {
        model.dispose();
      }
    } finally {
      x.dispose();
      global.dispose();
    }
  }

  async aggregate(ctx: RoundContext, updates: readonly ClientUpdate[]): Promise<Aggregation> {
    const result = await this.nodeAggregate(ctx, updates);
    if (this.serverStep === 1) return result;
    return { ...result, model: { ...result.model, weights: serverStep(ctx.global.weights, result.model.weights, this.serverStep) } };
  }

  /**
   * The round's result before the server step: the fused model, or the plain average when it does better on the
   * held-out probe rows. In a cluster each node's pre-aggregate, so the step is taken once, by the leader.
   */
  async nodeAggregate(ctx: RoundContext, updates: readonly ClientUpdate[]): Promise<Aggregation> {
    return this.fuseInto(ctx, ctx.global, updates);
  }

  /** Whether the updates hold fewer neurons than `target` has at some hidden level (so they cannot fill it alone). */
  private static tooNarrow(target: ModelState, updates: readonly ClientUpdate[]): boolean {
    const widths = levelWidthsOf(target.weights).slice(0, -1);
    const held = updates.map((u) => levelWidthsOf(u.weights));
    return widths.some((w, l) => held.reduce((n, h) => n + h[l], 0) < w);
  }

  /**
   * Fuses `updates` into `target`'s architecture (the global model, or in a tiered federation a tier's model: its
   * weights give the shapes only), with the held-out decision against the plain average of the updates at its widths.
   * Tiered: when the updates hold fewer neurons than the global model at some level (say only a small tier's clients
   * answered), the global model joins them as a parent, weighted as an average update, so the units no update reaches
   * keep what they knew (as HeteroFL keeps parameters no client holds).
   */
  private async fuseInto(ctx: RoundContext, target: ModelState, updates: readonly ClientUpdate[]): Promise<Aggregation> {
    const probe = requireProbe(ctx);
    if (updates.length === 0) throw new Error('neuron interpolation: aggregate called with no updates');
    const topologyJson = target.topologyJson;
    // Tiered federations: updates of other widths are fused with the others into the target's widths, their neurons
    // grouped as tierGrouping says (neuron i of a narrower model need not mean neuron i of the global one).
    const atGlobalWidths = updates.filter((u) => sameShapes(u.weights, target.weights));
    const tiered = atGlobalWidths.length < updates.length;
    // Fusing one model with itself alone returns it (up to least-squares rounding): skip the work.
    if (updates.length === 1 && !tiered) return { model: { topologyJson, weights: cloneWeights(updates[0].weights) } };
    for (const u of updates) {
      if (this.weightByExamples && !(u.numExamples > 0)) {
        throw new Error(`update from client ${u.clientId}: numExamples must be > 0 to weight by examples, got ${u.numExamples}`);
      }
    }
    const P = probeSize(probe);
    const split = this.heldOutFraction > 0 ? roundProbeSplit(P, this.heldOutFraction, ctx.seed, ctx.round) : undefined;
    const fitRows = split?.fit ?? Int32Array.from({ length: P }, (_, i) => i);
    const owned: tf.Tensor[] = [];
    const models: tf.LayersModel[] = [];
    try {
      const global = await stateToModel(target);
      models.push(global);
      // Parents and the average get their weights written right away: no random initial values to draw.
      const writtenTopology = zeroInitialisedTopology(topologyJson);
      const topologyOf = (u: ClientUpdate) => (tiered ? zeroInitialisedTopology(topologyWithWidths(topologyJson, levelWidthsOf(u.weights))) : writtenTopology);
      const levelWidths = splitLevels(global).map((l) => l.width);
      const widths = levelWidths.slice(0, -1);
      const parents: ParentModel[] = [];
      if (tiered && NeuronInterpolation.tooNarrow(target, updates)) {
        parents.push({ model: global, scale: this.weightByExamples ? updates.reduce((n, u) => n + u.numExamples, 0) / updates.length : 1 });
      }
      for (const u of updates) {
        const model = await stateToModel({ topologyJson: topologyOf(u), weights: u.weights });
        models.push(model);
        // Without uploads the engine computes each parent's pre-activations on the fit rows from its weights.
        const uploaded = this.activationsFrom === 'clients' && u.activations.length > 0;
        const targets = uploaded ? u.activations.map((a) => takeRows(a.values, a.shape, fitRows)) : undefined;
        if (targets) owned.push(...targets);
        const importance = this.importanceOf(u, tiered ? levelWidthsOf(u.weights) : levelWidths);
        parents.push({ model, targets, importance, scale: this.weightByExamples ? u.numExamples : 1 });
      }
      const probeFit = takeRows(probe.x.values, probe.x.shape, fitRows);
      owned.push(probeFit);
      const fitLabels = probe.y ? Int32Array.from(fitRows, (r) => probe.y![r]) : undefined;
      if (this.activationsFrom === 'server' && this.importanceMethod !== '' && this.importanceMethod !== 'uniform') {
        await this.serverImportance(parents, probeFit, fitLabels, levelWidths, updates);
      }
      const shifted = this.fitShifts ? withShiftedCopies(probeFit, fitLabels, this.fitShifts) : undefined;
      if (shifted) owned.push(shifted.x);
      const labels = shifted ? shifted.labels : fitLabels;
      const { model: fused, perLevel } = await fuseModels(parents, shifted?.x ?? probeFit, {
        seed: ctx.seed + ctx.round,
        // Clients trained from one global model keep its neuron order: group neuron i with neuron i.
        grouping: 'index',
        ...this.fusion,
        ...(tiered ? { grouping: this.tierGrouping } : {}),
        method: this.method,
        widths,
        ...(shifted ? { rowsPerSource: shifted.copies } : {}),
        ...(labels ? { labels } : {}),
      });
      const outputImportance = perLevel.at(-1)?.outputImportance;
      models.push(fused);
      const outputScale = this.calibrateOutput && fitLabels ? calibrateOutputLevel(fused, probeFit, fitLabels) : undefined;
      // Same architecture as the global model: keep its topology JSON, take the fused weights.
      const fusedState: ModelState = { topologyJson, weights: readWeights(fused) };
      // Tiered: the plain average exists only over the updates at the global widths.
      const averaged = tiered ? atGlobalWidths : updates;
      if (!split || averaged.length === 0) return { model: fusedState };

      // The decision: fused model or the plain example-weighted average, on probe rows the fit never saw.
      const average: ModelState = {
        topologyJson,
        weights: weightedAverage(averaged.map((u) => u.weights), averaged.map((u) => u.numExamples)),
      };
      const averageModel = await stateToModel({ topologyJson: writtenTopology, weights: average.weights });
      models.push(averageModel);
      const xCheck = takeRows(probe.x.values, probe.x.shape, split.check);
      owned.push(xCheck);
      let reference: ProbeReference;
      if (probe.y) {
        reference = { labels: Int32Array.from(split.check, (r) => probe.y![r]) };
      } else {
        const probabilities = ensembleProbabilities(models.slice(1, 1 + updates.length), updates.map((u) => u.numExamples), xCheck);
        owned.push(probabilities);
        reference = { probabilities };
      }
      const { candidateLoss: fusedProbeLoss, baselineLoss: averageProbeLoss, standardError } = comparePaired(
        probeLosses(fused, xCheck, reference),
        probeLosses(averageModel, xCheck, reference),
      );
      // Fall back only when the held-out rows show the fused model worse beyond their noise: with ~80 rows a
      // small difference in either direction is a coin flip, while a failed fusion stands out by many errors.
      const path = fusedProbeLoss - averageProbeLoss > this.fallbackStandardErrors * standardError ? 'fallback' : 'fused';
      return {
        model: path === 'fused' ? fusedState : average,
        fusion: {
          path,
          lossKind: probe.y ? 'cross-entropy' : 'ensemble-kl',
          fusedProbeLoss,
          averageProbeLoss,
          standardError,
          checkRows: split.check.length,
          ridges: perLevel.map((l) => l.ridge),
          ...(outputImportance ? { outputImportance } : {}),
          ...(outputScale !== undefined ? { outputScale } : {}),
        },
      };
    } finally {
      tf.dispose(owned);
      models.forEach((m) => m.dispose());
    }
  }
}
