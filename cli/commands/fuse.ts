// `fedfuse fuse <modelDir...>`: offline fusion of trained TF.js models — neuron interpolation (HF, KF-linear,
// KF-gradient) or a baseline (OTFusion, weight matching, vanilla average): load the parents, score their neurons on a
// probe set, fuse, save the fused model, and optionally compare accuracies with the parents and their ensemble.
// Modules only some runs need (importance scores, the baselines, the evaluation) load when a run needs them: `fuse`
// is a short process, and every module it imports is paid for in its start-up.
import * as tf from '@fedfuse/client/internal/tf/tfjs.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IMPORTANCE_METHODS, type ImportanceMethod } from '@fedfuse/client/internal/training/training-config.js';
import { readExamples, readLabels } from '../../common/io/example-files.js';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { fuseModels, type LevelReport } from '../../server/fusion/index.js';
import { FUSE_METHODS, isBaseline, type BaselineMethod, type FuseMethod } from '../fuse-methods.js';

import { loadModelDir, saveModelDir } from '../../common/io/model-dir.js';

export interface FuseOptions {
  modelDirs: string[];
  method: string;
  /** Neuron importance for neuron interpolation (default uniform; baselines use none). */
  importance?: string;
  /** .npy of probe inputs, [n, ...] with as many values per example as the models' input (not for vanilla, weight-matching). */
  probe?: string;
  probeLabels?: string;
  out: string;
  evalX?: string;
  evalY?: string;
  seed?: number | string;
  /** Least-squares prior for neuron interpolation: 'parents' (default) or 'zero' (the reference's minimum norm). */
  prior?: string;
  /** 'auto' (default) or a relative ridge. */
  ridge?: string;
  /** 'match' (default) or 'index'. */
  grouping?: string;
  /** Progress and result lines (default: none). */
  log?: (line: string) => void;
}

export interface FuseEvaluation {
  examples: number;
  /** Accuracy of each parent, in modelDirs order. */
  parents: number[];
  /** Accuracy of the plain weight average, or null when the parents' architectures differ. */
  vanillaAverage: number | null;
  /** Accuracy of the parents' averaged softmax: K models run side by side, an upper reference, not one model. */
  ensemble: number;
  fused: number;
}

export interface FuseReport {
  method: FuseMethod;
  importance: ImportanceMethod;
  parents: string[];
  probeExamples: number;
  /** What the importance scores attribute to: the probe labels, each parent's own predictions, or nothing (uniform). */
  importanceTargets: 'labels' | 'predictions' | 'none';
  importanceSeconds: number;
  fusionSeconds: number;
  perLevel: LevelReport[];
  outDir: string;
  evaluation?: FuseEvaluation;
  /** Things the user should know (e.g. importance computed from predictions). */
  notes: string[];
}

function checkChoice<T extends string>(value: string, choices: readonly T[], flag: string): T {
  const hit = choices.find((c) => c === value);
  if (!hit) throw new Error(`${flag} must be one of ${choices.join(', ')}, got "${value}"`);
  return hit;
}

function parseRidge(text: string | undefined): number | 'auto' {
  if (text === undefined || text === 'auto') return 'auto';
  const r = Number(text);
  if (!(Number.isFinite(r) && r >= 0)) throw new Error(`--ridge must be auto or a number >= 0, got "${text}"`);
  return r;
}

function parseSeed(seed: number | string | undefined): number | undefined {
  if (seed === undefined) return undefined;
  const n = Number(seed);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--seed must be a non-negative integer, got "${seed}"`);
  return n;
}

/** An .npy of examples as a model input batch [n, ...inputShape] (the caller disposes it). */
async function readInputs(path: string, inputShape: number[], flag: string): Promise<tf.Tensor> {
  const x = await readExamples(path, flag, inputShape, 'the models take');
  return tf.tensor(x.values, x.shape, 'float32');
}

function percent(a: number): string {
  return `${(100 * a).toFixed(2)}%`;
}

/** The accuracy table printed after a fusion with --eval-x/--eval-y. */
export function formatEvaluation(report: FuseReport): string[] {
  const e = report.evaluation;
  if (!e) return [];
  const rows: [string, string][] = [
    ...report.parents.map((dir, i): [string, string] => [`parent ${i} (${dir})`, percent(e.parents[i])]),
    ['vanilla weight average', e.vanillaAverage === null ? 'n/a (architectures differ)' : percent(e.vanillaAverage)],
    ['prediction ensemble (reference, not one model)', percent(e.ensemble)],
    [`fused (${isBaseline(report.method) ? report.method : `${report.method}, ${report.importance}`})`, percent(e.fused)],
  ];
  const width = Math.max(...rows.map((r) => r[0].length), 'model'.length);
  return [
    `${'model'.padEnd(width)}  accuracy on ${e.examples} examples`,
    ...rows.map(([name, acc]) => `${name.padEnd(width)}  ${acc}`),
  ];
}

/** Loads, scores, fuses, saves and (optionally) evaluates. Throws an Error with a one-line message on bad input. */
export async function runFuse(opts: FuseOptions): Promise<FuseReport> {
  const log = opts.log ?? (() => {});
  const method = checkChoice(opts.method, FUSE_METHODS, '--method');
  const importance = checkChoice(opts.importance ?? 'uniform', IMPORTANCE_METHODS, '--importance');
  const seed = parseSeed(opts.seed);
  if (opts.modelDirs.length === 0) throw new Error('give at least one model directory to fuse');
  for (const pairwise of ['hf', 'weight-matching'] as const) {
    if (method === pairwise && opts.modelDirs.length !== 2) {
      throw new Error(`--method ${pairwise} fuses exactly 2 models, got ${opts.modelDirs.length} (use kf-linear, kf-gradient or otfusion for more)`);
    }
  }
  if (isBaseline(method) && opts.importance !== undefined && importance !== 'uniform') {
    throw new Error(`--importance ${importance} applies to neuron interpolation only; --method ${method} uses no importance scores`);
  }
  if (Boolean(opts.evalX) !== Boolean(opts.evalY)) throw new Error('--eval-x and --eval-y go together');
  const probeFree = method === 'vanilla' || method === 'weight-matching';
  if (!opts.probe && !probeFree) throw new Error(`--probe is required for --method ${method} (only vanilla and weight-matching fuse without one)`);
  if (opts.probeLabels && !opts.probe) throw new Error('--probe-labels needs --probe');
  await initBackend();

  const models: tf.LayersModel[] = [];
  const tensors: tf.Tensor[] = [];
  try {
    for (const dir of opts.modelDirs) models.push(await loadModelDir(dir));
    const inputShape = models[0].inputs[0].shape.slice(1) as number[];
    const classes = models[0].outputs[0].shape[1];
    if (models[0].outputs[0].shape.length !== 2 || typeof classes !== 'number') {
      throw new Error(`${opts.modelDirs[0]}: the model output must be [n, classes], got [${models[0].outputs[0].shape.join(', ')}]`);
    }
    models.forEach((m, i) => {
      const shape = m.inputs[0].shape.slice(1);
      if (shape.join(',') !== inputShape.join(',')) {
        throw new Error(`${opts.modelDirs[i]} takes inputs [${shape.join(', ')}], ${opts.modelDirs[0]} takes [${inputShape.join(', ')}]`);
      }
      if (m.outputs[0].shape.length !== 2 || m.outputs[0].shape[1] !== classes) {
        throw new Error(`${opts.modelDirs[i]} outputs [${m.outputs[0].shape.join(', ')}], ${opts.modelDirs[0]} outputs [n, ${classes}]`);
      }
    });

    // Every input file is read and checked before anything is fused or written.
    const probeX = opts.probe ? await readInputs(opts.probe, inputShape, '--probe') : undefined;
    if (probeX) tensors.push(probeX);
    const n = probeX?.shape[0] ?? 0;
    const labels = opts.probeLabels ? await readLabels(opts.probeLabels, '--probe-labels', n, '--probe', classes) : undefined;
    let evalSet: { xs: tf.Tensor; ys: tf.Tensor1D } | undefined;
    if (opts.evalX && opts.evalY) {
      const xs = await readInputs(opts.evalX, inputShape, '--eval-x');
      tensors.push(xs);
      const ys = tf.tensor1d(await readLabels(opts.evalY, '--eval-y', xs.shape[0], '--eval-x', classes), 'int32');
      tensors.push(ys);
      evalSet = { xs, ys };
    }
    const notes: string[] = [];
    const importanceTargets = importance === 'uniform' || isBaseline(method) ? 'none' : labels ? 'labels' : 'predictions';
    if (importanceTargets === 'predictions') {
      notes.push(`no --probe-labels: ${importance} scores attribute each parent's own predicted classes, not true labels`);
    }
    notes.forEach((note) => log(`note: ${note}`));

    const importanceStart = performance.now();
    const scores: (Float32Array[] | undefined)[] = [];
    if (!isBaseline(method) && importance !== 'uniform') {
      log(`computing ${importance} importance of ${models.length} models on ${n} probe examples`);
      const { computeImportance } = await import('@fedfuse/client/internal/importance/index.js');
      for (const m of models) scores.push(await computeImportance(m, probeX!, labels, importance));
    }
    const importanceSeconds = (performance.now() - importanceStart) / 1000;

    log(`fusing ${models.length} models with ${method}`);
    const fusionStart = performance.now();
    const result = isBaseline(method)
      ? { model: await fuseBaseline(method, models, probeX, opts.modelDirs, seed), perLevel: [] }
      : await fuseModels(
          models.map((model, i) => ({ model, importance: scores[i] })),
          probeX!,
          {
            method,
            prior: checkChoice(opts.prior ?? 'parents', ['parents', 'zero'] as const, '--prior'),
            ridge: parseRidge(opts.ridge),
            grouping: checkChoice(opts.grouping ?? 'match', ['match', 'index'] as const, '--grouping'),
            ...(labels ? { labels } : {}),
            ...(seed !== undefined ? { seed } : {}),
            onProgress: ({ level, levels, phase }) => {
              if (level < levels) log(`  level ${level + 1}/${levels}: ${phase}`);
            },
          },
        );
    const fusionSeconds = (performance.now() - fusionStart) / 1000;
    models.push(result.model); // disposed with the parents
    await saveModelDir(result.model, opts.out);
    log(`fused model saved to ${opts.out} (fusion ${fusionSeconds.toFixed(2)} s, importance ${importanceSeconds.toFixed(2)} s)`);

    const report: FuseReport = {
      method,
      importance,
      parents: [...opts.modelDirs],
      probeExamples: n,
      importanceTargets,
      importanceSeconds,
      fusionSeconds,
      perLevel: result.perLevel,
      outDir: opts.out,
      notes,
    };

    if (evalSet) {
      const { xs, ys } = evalSet;
      const [{ evaluateModel }, { evaluateEnsemble }, { modelToState, stateToModel }, { readWeights, sameShapes }, { weightedAverage }] = await Promise.all([
        import('../../scenarios/evaluate.js'),
        import('../../server/ensemble/prediction-ensemble.js'),
        import('@fedfuse/client/internal/model/model-state.js'),
        import('@fedfuse/client/internal/model/weights.js'),
        import('../../server/strategies/fedavg.js'),
      ]);
      const accuracy = (m: tf.LayersModel) => evaluateModel(m, xs, ys).accuracy;
      const parents = opts.modelDirs.map((_, i) => accuracy(models[i]));
      const weights = opts.modelDirs.map((_, i) => readWeights(models[i]));
      let vanillaAverage: number | null = null;
      if (weights.every((w) => sameShapes(w, weights[0]))) {
        const averaged = await stateToModel({ ...modelToState(models[0]), weights: weightedAverage(weights, weights.map(() => 1)) });
        vanillaAverage = accuracy(averaged);
        averaged.dispose();
      }
      const ensemble = evaluateEnsemble(models.slice(0, opts.modelDirs.length), xs, ys).accuracy;
      report.evaluation = { examples: xs.shape[0], parents, vanillaAverage, ensemble, fused: accuracy(result.model) };
      formatEvaluation(report).forEach((line) => log(line));
      log(`fusion time: ${fusionSeconds.toFixed(2)} s (importance: ${importanceSeconds.toFixed(2)} s)`);
    }
    await writeFile(join(opts.out, 'fuse-report.json'), JSON.stringify(report, null, 2));
    return report;
  } finally {
    models.forEach((m) => m.dispose());
    tf.dispose(tensors);
  }
}

/** A baseline fusion of the parents (the caller owns the returned model). */
async function fuseBaseline(
  method: BaselineMethod,
  models: tf.LayersModel[],
  probeX: tf.Tensor | undefined,
  dirs: readonly string[],
  seed: number | undefined,
): Promise<tf.LayersModel> {
  if (method === 'otfusion') return (await import('../../server/strategies/otfusion.js')).otFuse(models, probeX!);
  if (method === 'weight-matching') {
    return (await import('../../server/strategies/weight-matching.js')).weightMatchFuse(models[0], models[1], seed !== undefined ? { seed } : {});
  }
  const [{ modelToState, stateToModel }, { readWeights, sameShapes }, { weightedAverage }] = await Promise.all([
    import('@fedfuse/client/internal/model/model-state.js'),
    import('@fedfuse/client/internal/model/weights.js'),
    import('../../server/strategies/fedavg.js'),
  ]);
  const weights = models.map(readWeights);
  const odd = weights.findIndex((w) => !sameShapes(w, weights[0]));
  if (odd >= 0) throw new Error(`--method vanilla averages weights of one architecture, but ${dirs[odd]} differs from ${dirs[0]}`);
  return stateToModel({ ...modelToState(models[0]), weights: weightedAverage(weights, weights.map(() => 1)) });
}
