// Level-by-level neuron-interpolation fusion (Luenam et al., arXiv 2507.00037). For each level: take the fused
// model's own input to the level on the probe set, group the parents' neurons (output: aligned classes; HF:
// Hungarian pairs; KF: weighted k-means), take each group's importance-weighted mean target, and fit the fused
// neurons to those targets — by least squares (HF, KF-linear) then optionally by Adam (KF-gradient).
import * as tf from '@fedfuse/client/internal/tf/tfjs.js';
import {
  collectPreActivations,
  levelInput,
  levelPostActivation,
  levelPreActivation,
  splitLevels,
  type Level,
} from '@fedfuse/client/internal/model/levels.js';
import { buildFusedModel } from './build-fused-model.js';
import { trainLevel, type LevelLoss } from './fit-gradient.js';
import { priorWeights, type ParentLevelWeights, type PreviousGrouping } from './prior-weights.js';
import { groupAligned, groupAnchored, groupHungarian, groupKMeans, groupTargets, type Grouping } from './grouping.js';
import type { NeuronGeometry } from './kmeans.js';
import { sketchedFeatures } from './neuron-sketch.js';
import { LeastSquares, TargetsInRange, type TargetProjection } from './least-squares.js';
import { HeldOutRidge, meanSquare, selectRidge, type RidgeSelection } from './ridge-selection.js';
import { levelDesign, stackedNeuronRows, weightsToTensors } from './level-data.js';
import { mat, rowDots, rowSquaredNorms, type Mat } from './matrix-products.js';
import { seededRandom } from './random.js';
import type { FusionOptions, FusionResult, LevelReport, OutputImportance, ParentModel } from './types.js';
import { validateParents } from './validate-parents.js';

const DEFAULTS = {
  seed: 0,
  kmeansIterations: 100,
  ridge: 1e-6,
  epochs: 25,
  learningRate: 1e-3,
  patience: 15,
  batchSize: 32,
  validationFraction: 0.2,
  temperature: 1,
};

/** k-means geometry with kmeansSketch 'auto': exact up to this many parent neurons (4 parents of 256), sketched above. */
const AUTO_EXACT_NEURONS = 1024;
/** Principal directions of the 'auto' sketch. */
const AUTO_SKETCH_RANK = 128;
/** With kmeansRestarts 'auto': 10 restarts (the reference's) while restarts × neurons stays within this, fewer above. */
const AUTO_RESTART_WORK = 25_600;

/** The sketch's rank for a level of `neurons` parent neurons, or undefined for the exact Gram geometry. */
function sketchRank(sketch: 'exact' | 'auto' | number, neurons: number): number | undefined {
  if (sketch === 'exact') return undefined;
  if (sketch === 'auto') return neurons <= AUTO_EXACT_NEURONS ? undefined : AUTO_SKETCH_RANK;
  return sketch;
}

/**
 * 'auto' restarts: 10 up to 2,560 neurons (10 parents of 256), then fewer so that restarts × neurons stays within
 * AUTO_RESTART_WORK: the k-means time stops growing with the round (4 restarts for 25 parents, 1 for 100).
 */
export function autoRestarts(neurons: number): number {
  return Math.max(1, Math.min(10, Math.floor(AUTO_RESTART_WORK / neurons)));
}

/**
 * Importance of every parent neuron at one level, parents concatenated: each parent's scores normalised to sum 1
 * (so no parent outweighs another by the scale of its scores — an uploaded score vector is untrusted), times its
 * scale. All-zero scores count as uniform.
 */
function levelImportance(parents: readonly ParentModel[], widths: number[][], level: number, ignoreScores = false): Float64Array {
  const total = widths.reduce((a, w) => a + w[level], 0);
  const out = new Float64Array(total);
  let o = 0;
  parents.forEach((p, i) => {
    const n = widths[i][level];
    const scores = ignoreScores ? undefined : p.importance?.[level];
    const sum = scores ? scores.reduce((a, v) => a + v, 0) : 0;
    const scale = p.scale ?? 1;
    for (let j = 0; j < n; j++) out[o + j] = (scores && sum > 0 ? scores[j] / sum : 1 / n) * scale;
    o += n;
  });
  return out;
}

function meanSquaredError(pre: tf.Tensor, targets: Mat): number {
  // pre is [...samples, k] in TF layout; targets is k × samples.
  const v = pre.dataSync();
  const k = targets.rows;
  const samples = targets.cols;
  let s = 0;
  for (let t = 0; t < samples; t++) {
    for (let j = 0; j < k; j++) {
      const d = v[t * k + j] - targets.data[j * samples + t];
      s += d * d;
    }
  }
  return s / (k * samples);
}

/** One way of building a level's targets, prior and fit, with its held-out score when the ridge was chosen. */
interface LevelFit {
  which: OutputImportance;
  grouping: Grouping;
  groupT: Mat;
  prior: Mat | undefined;
  /** Undefined when the prior reproduces the targets by construction (first level, see keepsPrior). */
  residual: Mat | undefined;
  selection: RidgeSelection | undefined;
}

/**
 * Scores an output level's held-out residuals by cross-entropy on the probe labels: the held-out logits are the
 * group targets minus the residuals (with a prior, held-out prediction = prior + held-out fit of the residual).
 */
function crossEntropyScore(groupT: Mat, labels: Int32Array): (heldOut: Mat) => number {
  const classes = groupT.rows;
  const n = groupT.cols;
  return (heldOut) => {
    let total = 0;
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let c = 0; c < classes; c++) max = Math.max(max, groupT.data[c * n + i] - heldOut.data[c * n + i]);
      let z = 0;
      for (let c = 0; c < classes; c++) z += Math.exp(groupT.data[c * n + i] - heldOut.data[c * n + i] - max);
      const y = labels[i];
      total += max + Math.log(z) - (groupT.data[y * n + i] - heldOut.data[y * n + i]);
    }
    return total / n;
  };
}

/** Group targets k × samples back into TF layout [...sampleShape, k]. */
function targetsTensor(targets: Mat, sampleShape: readonly number[]): tf.Tensor {
  const k = targets.rows;
  const samples = targets.cols;
  const out = new Float32Array(k * samples);
  for (let j = 0; j < k; j++) for (let t = 0; t < samples; t++) out[t * k + j] = targets.data[j * samples + t];
  return tf.tensor(out, [...sampleShape, k]);
}

/** The parents' softened outputs averaged with their scales: the distillation target of the last level. */
function averagedSoftOutputs(parents: readonly ParentModel[], logits: readonly tf.Tensor[], temperature: number): tf.Tensor {
  const scales = parents.map((p) => p.scale ?? 1);
  const total = scales.reduce((a, b) => a + b, 0);
  return tf.tidy(() =>
    tf.addN(logits.map((l, i) => tf.mul(tf.softmax(tf.div(l.reshape([l.shape[0], -1]), temperature)), scales[i] / total))),
  );
}

function setLevelWeights(level: Level, weights: Mat): void {
  const kernelShape = level.weightLayer.getWeights()[0].shape;
  const { kernel, bias } = weightsToTensors(weights, kernelShape);
  try {
    level.weightLayer.setWeights([kernel, bias]);
  } finally {
    tf.dispose([kernel, bias]);
  }
}

/** KF-gradient: Adam from the linear solution, towards the group targets (or the parents' soft outputs). */
function refineWithGradient(
  level: Level,
  input: tf.Tensor,
  last: boolean,
  groupT: Mat,
  sampleShape: readonly number[],
  grouping: Grouping,
  parents: readonly ParentModel[],
  parentTargets: readonly tf.Tensor[],
  opts: FusionOptions,
  random: () => number,
): void {
  const grad = opts.gradient ?? {};
  const epochs = grad.epochs ?? DEFAULTS.epochs;
  const distill = last && grad.distillLast === true;
  if (distill && level.kind !== 'dense') {
    throw new Error(`gradient.distillLast needs a Dense output level, level ${level.index} is ${level.kind}`);
  }
  const temperature = grad.temperature ?? DEFAULTS.temperature;
  if (!(temperature > 0)) throw new Error(`gradient.temperature must be > 0, got ${temperature}`);
  const lossTarget = distill ? averagedSoftOutputs(parents, parentTargets, temperature) : targetsTensor(groupT, sampleShape);
  const loss: LevelLoss = distill
    ? { kind: 'distill', probabilities: lossTarget, temperature }
    : { kind: 'mse', targets: lossTarget, groupWeights: grouping.groupImportance };
  try {
    trainLevel(level, input, loss, {
      epochs: last ? (grad.lastLevelEpochs ?? 6 * epochs) : epochs,
      learningRate: grad.learningRate ?? DEFAULTS.learningRate,
      patience: grad.patience ?? DEFAULTS.patience,
      batchSize: grad.batchSize ?? DEFAULTS.batchSize,
      validationFraction: grad.validationFraction ?? DEFAULTS.validationFraction,
      random,
    });
  } finally {
    lossTarget.dispose();
  }
}

function parentLevelWeights(level: Level): ParentLevelWeights {
  // The layer's own variables: read, never disposed.
  const [kernel, bias] = level.weightLayer.getWeights();
  return { kernel: kernel.dataSync() as Float32Array, bias: bias.dataSync() as Float32Array, neurons: level.width };
}

/** What the fit must produce: the targets, or with a prior their residual after the prior's own prediction. */
function residualTargets(design: Mat, targets: Mat, prior: Mat | undefined): Mat {
  if (!prior) return targets;
  const predicted = rowDots(prior, design); // X·w per prior row
  const residual = mat(targets.rows, targets.cols);
  for (let i = 0; i < residual.data.length; i++) residual.data[i] = targets.data[i] - predicted.data[i];
  return residual;
}

/** Least squares for the group targets, as the smallest change from the prior when one is given. */
function fitLevel(ls: LeastSquares, residual: Mat, prior: Mat | undefined): Mat {
  const change = ls.solve(residual);
  if (prior) for (let i = 0; i < change.data.length; i++) change.data[i] += prior.data[i];
  return change;
}

export async function fuseModels(
  parents: ParentModel[],
  probeX: tf.Tensor,
  opts: FusionOptions,
): Promise<FusionResult> {
  const info = validateParents(parents, probeX, opts);
  const { numLevels, widths, fusedWidths } = info;
  const random = seededRandom(opts.seed ?? DEFAULTS.seed);
  const ridgeOption = opts.ridge ?? 'auto';
  if (ridgeOption !== 'auto' && !(typeof ridgeOption === 'number' && ridgeOption >= 0 && Number.isFinite(ridgeOption))) {
    throw new Error(`ridge must be a finite number >= 0 or 'auto', got ${String(ridgeOption)}`);
  }
  // With 'auto', grouping geometry uses the default tiny ridge; the fit's ridge is chosen per level.
  const ridge = ridgeOption === 'auto' ? DEFAULTS.ridge : ridgeOption;
  if (opts.labels !== undefined && opts.labels.length !== probeX.shape[0]) {
    throw new Error(`labels: ${opts.labels.length} probe labels for ${probeX.shape[0]} probe inputs`);
  }
  const iterations = opts.kmeansIterations ?? DEFAULTS.kmeansIterations;
  const restarts = opts.kmeansRestarts ?? 'auto';
  if (restarts !== 'auto' && !(Number.isInteger(restarts) && restarts >= 1)) {
    throw new Error(`kmeansRestarts must be an integer >= 1 or 'auto', got ${String(restarts)}`);
  }
  const restartsFor = (neurons: number): number => (restarts === 'auto' ? autoRestarts(neurons) : restarts);
  const sketch = opts.kmeansSketch ?? 'auto';
  if (sketch !== 'exact' && sketch !== 'auto' && !(Number.isInteger(sketch) && sketch >= 1)) {
    throw new Error(`kmeansSketch must be 'exact', 'auto' or an integer >= 1, got ${String(sketch)}`);
  }
  const groupingMode = opts.grouping ?? 'match';
  if (groupingMode !== 'match' && groupingMode !== 'index' && groupingMode !== 'anchored') {
    throw new Error(`grouping must be 'match', 'index' or 'anchored', got ${String(groupingMode)}`);
  }
  const rowsPerSource = opts.rowsPerSource ?? 1;
  if (!(Number.isInteger(rowsPerSource) && rowsPerSource >= 1 && probeX.shape[0] % rowsPerSource === 0)) {
    throw new Error(`rowsPerSource must be an integer ≥ 1 that divides the ${probeX.shape[0]} probe rows, got ${rowsPerSource}`);
  }
  const progress = (level: number, phase: string) => opts.onProgress?.({ level, levels: numLevels, phase });

  const fused = await buildFusedModel(parents[0].model, fusedWidths);
  // Targets this call computes (not the caller's) are disposed at the end.
  const computed: tf.Tensor[] = [];
  let h: tf.Tensor | undefined;
  try {
    const targets = parents.map((p) => {
      if (p.targets) return p.targets;
      const t = collectPreActivations(p.model, probeX);
      computed.push(...t);
      return t;
    });
    const levels = splitLevels(fused);
    const usePrior = (opts.prior ?? 'parents') === 'parents';
    if (opts.prior !== undefined && opts.prior !== 'parents' && opts.prior !== 'zero') {
      throw new Error(`prior must be 'parents' or 'zero', got ${String(opts.prior)}`);
    }
    const parentLevels = usePrior ? parents.map((p) => splitLevels(p.model)) : [];
    let previous: PreviousGrouping | undefined;
    const perLevel: LevelReport[] = [];
    h = levelInput(levels[0], probeX);
    for (let l = 0; l < numLevels; l++) {
      const started = performance.now();
      const level = levels[l];
      const last = l === numLevels - 1;
      progress(l, 'design');
      const { design, sampleShape } = levelDesign(level, h);
      const levelWidths = widths.map((w) => w[l]);
      const all = stackedNeuronRows(targets.map((t) => t[l]), sampleShape, levelWidths, (p) => `parent ${p} level ${l}`);
      const importance = levelImportance(parents, widths, l);
      // The first level's targets, when computed here, are the parents' own X·w on the input every model shares: the
      // fused level reproduces any of them and any mean of them exactly. So the grouping geometry needs no decomposition
      // of X (TargetsInRange) and, with the parents' prior, the fit is the prior itself (the mean of the members' weights
      // gives the mean of their targets): what held-out selection finds too (ridge ∞), after work it can skip. With a
      // fixed ridge the geometry is the ridge's and the fit is solved, as before.
      const targetsInRange = l === 0 && ridgeOption === 'auto' && parents.every((p) => !p.targets);
      // KF-gradient starts from the parents' own weights, as the reference's ALF starts from a parent's: gradient
      // descent from the least-squares optimum of the same loss has nowhere to go (measured: it never moved).
      const gradientFromPrior = opts.method === 'kf-gradient' && usePrior;
      const heldOut =
        ridgeOption === 'auto' && !gradientFromPrior
          ? new HeldOutRidge(design, sampleShape.slice(1).reduce((a, b) => a * b, rowsPerSource), 5, rowsPerSource > 1)
          : undefined;
      // Factorised only when needed: index grouping with an exact prior needs no solve at all.
      const leastSquares = (r: number): LeastSquares => {
        try {
          // Held-out selection forms the smaller Gram matrix anyway (XᵀX for conv levels, XXᵀ for dense ones): reuse it.
          return new LeastSquares(design, r, heldOut?.smallerGram());
        } catch (e) {
          throw new Error(`level ${l} (${level.weightLayer.name}): ${(e as Error).message}`);
        }
      };
      let ls: LeastSquares | undefined;
      const projection = (): TargetProjection => (targetsInRange ? new TargetsInRange(design.rows) : (ls ??= leastSquares(ridge)));

      progress(l, 'grouping');
      const parentWeights = usePrior ? parentLevels.map((pl) => parentLevelWeights(pl[l])) : undefined;
      // With probe labels, the output level's targets may also be the parents' plain (not class-weighted) mean:
      // under strong label skew class-weighted targets can be worse than either parent (measured: 57% against a
      // 81% plain average on one federation's first round). Held-out cross-entropy picks the better of the two.
      const scoreByLabels = last && heldOut !== undefined && opts.labels !== undefined;
      const hasScores = parents.some((p) => p.importance?.[l] !== undefined);
      const candidates: OutputImportance[] = scoreByLabels && hasScores ? ['given', 'uniform'] : ['given'];
      let chosen: LevelFit | undefined;
      for (const which of candidates) {
        const levelScores = which === 'given' ? importance : levelImportance(parents, widths, l, true);
        let grouping: Grouping;
        if (last || groupingMode === 'index') {
          if (!last && levelWidths.some((w) => w !== fusedWidths[l])) {
            throw new Error(
              `grouping 'index' needs every parent as wide as the fused model: level ${l} has widths ` +
                `${levelWidths.join(', ')}, the fused level ${fusedWidths[l]}`,
            );
          }
          grouping = groupAligned(levelWidths, levelScores);
        } else {
          const exact = (): NeuronGeometry => ({ gram: projection().projectedGram(all), norms: rowSquaredNorms(all) });
          // Anchored (tiers): the updates at the fused widths keep their neurons by index; narrower ones join them.
          const anchored = groupingMode === 'anchored' && levelWidths.some((w) => w === fusedWidths[l]);
          if (opts.method === 'hf') {
            grouping = groupHungarian(exact(), levelScores, levelWidths);
          } else if (anchored) {
            grouping = groupAnchored(exact(), levelScores, levelWidths, fusedWidths[l]);
          } else {
            const rank = sketchRank(sketch, all.rows);
            const geom = rank === undefined ? exact() : sketchedFeatures(projection(), all, levelScores, rank, random);
            grouping = groupKMeans(geom, levelScores, fusedWidths[l], { restarts: restartsFor(all.rows), iterations, random });
          }
        }
        const groupT = groupTargets(all, grouping);
        const prior = parentWeights ? priorWeights(parentWeights, previous, design.cols - 1, grouping) : undefined;
        const keepsPrior = targetsInRange && prior !== undefined && heldOut !== undefined && !last;
        const residual = keepsPrior ? undefined : residualTargets(design, groupT, prior);
        let selection: RidgeSelection | undefined;
        if (heldOut && residual) {
          progress(l, 'ridge');
          selection = selectRidge(heldOut, residual, {
            includeInfinity: prior !== undefined,
            targetScale: meanSquare(groupT),
            score: scoreByLabels ? crossEntropyScore(groupT, opts.labels!) : undefined,
          });
        }
        if (!chosen || (selection && chosen.selection && selection.heldOutScore < chosen.selection.heldOutScore)) {
          chosen = { which, grouping, groupT, prior, residual, selection };
        }
      }
      const { grouping, groupT, prior, residual, selection } = chosen!;

      progress(l, 'fit');
      if (!residual || (gradientFromPrior && prior) || (selection && selection.ridge === Infinity)) {
        setLevelWeights(level, prior!);
      } else {
        const fitLs = selection ? leastSquares(selection.ridge) : (ls ?? leastSquares(ridge));
        setLevelWeights(level, fitLevel(fitLs, residual, prior));
      }
      previous = { assignment: grouping.assignment, widths: levelWidths, fusedWidth: fusedWidths[l] };

      if (opts.method === 'kf-gradient') {
        progress(l, 'train');
        refineWithGradient(level, h, last, groupT, sampleShape, grouping, parents, targets.map((t) => t[l]), opts, random);
      }

      const pre = levelPreActivation(level, h);
      const fitMse = meanSquaredError(pre, groupT);
      const next = levelPostActivation(level, pre);
      pre.dispose();
      h.dispose();
      h = next;
      perLevel.push({
        level: l,
        seconds: (performance.now() - started) / 1000,
        fitMse,
        ridge: selection ? selection.ridge : residual ? ridge : Infinity,
        ...(selection ? { heldOutScore: selection.heldOutScore } : {}),
        ...(candidates.length > 1 ? { outputImportance: chosen!.which } : {}),
      });
    }
    progress(numLevels, 'done');
    return { model: fused, perLevel };
  } catch (e) {
    fused.dispose();
    throw e;
  } finally {
    h?.dispose();
    tf.dispose(computed);
  }
}
