// Fusion time as the number of parents grows (issue 22, item 4), today's code against this checkout's, on the same
// parents and seeds. Two paths, both on MLPs 784-256-10 trained on label-skewed MNIST slices and cached
// (bench/lib/fusion-parents.ts), 400 labelled probe rows:
//  - round: the neuron-interpolation strategy's aggregate() over N client updates that started from one global model
//    (its defaults: index grouping, server-side activations, held-out decision) — what a round costs the server;
//  - kf:    fuseModels KF-linear with k-means grouping of N independently initialised parents (the paper's setting and
//    what `fedfuse fuse --method kf-linear` runs), each engine with its defaults.
// Every measurement runs in its own child process (one at a time), so a baseline's 1-5 GB Gram matrix does not
// disturb the next; fusion wall and CPU seconds are taken around the call alone. Accuracy: the 10,000 MNIST test images.
//
//   npm run bench:fusion-scaling -- [--parents 10,25,50,100] [--seeds 1,2,3,4,5] [--baseline feb7ffe]
//     [--baseline-kf-max 50] [--baseline-kf-seeds 3] [--round-reps 3] [--variant label='{"kmeansSketch":64}'] [--out f.json]
//
// --baseline: a commit whose engine is "today" (extracted with git archive into a temp dir; node_modules shared);
// --baseline-kf-max / --baseline-kf-seeds: today's KF needs an M×M Gram matrix for M = 256·N neurons (1.3 GB at 50
// parents, 5.2 GB at 100) and minutes of products, so it runs up to that many parents with that many seeds.
// --variant: extra KF runs of this checkout with given fusion options (e.g. sketch rank, restarts).
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { median, renderTable } from './lib/stats.js';

interface Measurement {
  path: 'round' | 'kf';
  engine: string;
  parents: number;
  seed: number;
  wallSeconds: number;
  cpuSeconds: number;
  accuracy: number;
  /** Round path: which model the round kept. */
  roundPath?: string;
}

const run = promisify(execFile);

// ---------------------------------------------------------------------------------------------------------------
// Worker: one measurement, printed as a JSON line. Imports the engine of the tree it runs in.
async function worker(o: { path: 'round' | 'kf'; n: number; seed: number; engine: string; cache: string; options: string }): Promise<void> {
  const tf = await import('@tensorflow/tfjs');
  const { initBackend } = await import('@fedfuse/client/internal/tf/backend.js');
  const { evaluateLocal } = await import('@fedfuse/client/internal/training/local-training.js');
  const { modelToState } = await import('@fedfuse/client/internal/model/model-state.js');
  const { toTensors } = await import('../scenarios/data/dataset.js');
  const { loadParents, modelWith, PARENT_SPEC } = await import('./lib/fusion-parents.js');
  const { buildModel } = await import('../common/model/model-spec.js');
  await initBackend();
  const set = await loadParents(o.path === 'round' ? 'federation' : 'independent', o.n, { cacheDir: o.cache, testRows: 10_000 });
  const test = toTensors(set.test);
  const accuracy = (m: import('@tensorflow/tfjs').LayersModel) => evaluateLocal(m, { ...test, numClasses: 10 }).accuracy;
  const clock = () => ({ wall: performance.now(), cpu: process.cpuUsage() });
  const since = (t: ReturnType<typeof clock>) => {
    const c = process.cpuUsage(t.cpu);
    return { wallSeconds: (performance.now() - t.wall) / 1000, cpuSeconds: (c.user + c.system) / 1e6 };
  };
  let result: Omit<Measurement, 'path' | 'engine' | 'parents' | 'seed'>;
  if (o.path === 'round') {
    const { NeuronInterpolation } = await import('../server/strategies/neuron-interpolation.js');
    const template = buildModel(PARENT_SPEC, 0);
    const topologyJson = modelToState(template).topologyJson;
    template.dispose();
    const ctx = {
      round: 1,
      seed: o.seed,
      global: { topologyJson, weights: set.global },
      probe: { x: { shape: [set.probe.n, 784], values: set.probe.x }, y: set.probe.y },
    };
    const updates = set.parents.map((p, i) => ({
      clientId: `client-${i}`,
      round: 1,
      weights: p.weights,
      numExamples: p.numExamples,
      activations: [],
      importance: [],
      metrics: {},
      labelHistogram: p.labelHistogram,
    }));
    const strategy = new NeuronInterpolation();
    const t = clock();
    const aggregation = await strategy.aggregate(ctx, updates);
    const timing = since(t);
    const model = modelWith(aggregation.model.weights);
    result = { ...timing, accuracy: accuracy(model), roundPath: aggregation.fusion?.path };
    model.dispose();
  } else {
    const { fuseModels } = await import('../server/fusion/index.js');
    const models = set.parents.map((p) => modelWith(p.weights));
    const probe = tf.tensor2d(set.probe.x, [set.probe.n, 784]);
    const extra = JSON.parse(o.options) as Record<string, unknown>;
    const t = clock();
    const { model } = await fuseModels(models.map((model) => ({ model })), probe, { method: 'kf-linear', seed: o.seed, labels: set.probe.y, ...extra });
    const timing = since(t);
    result = { ...timing, accuracy: accuracy(model) };
    model.dispose();
    models.forEach((m) => m.dispose());
    probe.dispose();
  }
  const out: Measurement = { path: o.path, engine: o.engine, parents: o.n, seed: o.seed, ...result };
  process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);
}

// ---------------------------------------------------------------------------------------------------------------
// Orchestrator.

/** A checkout of `commit` in a temp dir that runs this bench's worker against its own engine. */
async function baselineTree(commit: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'fedfuse-baseline-'));
  await run('sh', ['-c', `git archive ${commit} | tar -x -C ${dir}`]);
  // The bench's own files travel (the baseline commit may predate them); node_modules is shared, with the workspace
  // package pointing at the baseline's own SDK sources.
  for (const f of ['bench/fusion-scaling.ts', 'bench/lib/fusion-parents.ts', 'bench/lib/stats.ts']) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    cpSync(f, join(dir, f));
  }
  mkdirSync(join(dir, 'node_modules', '@fedfuse'), { recursive: true });
  for (const entry of readdirSync('node_modules')) {
    if (entry !== '@fedfuse') symlinkSync(resolve('node_modules', entry), join(dir, 'node_modules', entry));
  }
  symlinkSync(join(dir, 'packages', 'client'), join(dir, 'node_modules', '@fedfuse', 'client'));
  return dir;
}

function measure(cwd: string, args: string[]): Promise<Measurement> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/fusion-scaling.ts', '--worker', ...args], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) reject(new Error(`worker ${args.join(' ')} in ${cwd} exited ${code}`));
      else resolveRun(JSON.parse(line.slice('RESULT '.length)) as Measurement);
    });
  });
}

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const sd = (v: readonly number[]) => (v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1)) : NaN);

function table(results: readonly Measurement[], path: 'round' | 'kf', engines: readonly string[]): string {
  const rows: string[][] = [];
  const counts = [...new Set(results.filter((r) => r.path === path).map((r) => r.parents))].sort((a, b) => a - b);
  for (const n of counts) {
    for (const engine of engines) {
      const rs = results.filter((r) => r.path === path && r.engine === engine && r.parents === n);
      if (rs.length === 0) continue;
      const acc = rs.map((r) => 100 * r.accuracy);
      rows.push([
        String(n),
        engine,
        String(rs.length),
        median(rs.map((r) => r.wallSeconds)).toFixed(2),
        median(rs.map((r) => r.cpuSeconds)).toFixed(2),
        mean(acc).toFixed(2),
        rs.length > 1 ? (sd(acc) / Math.sqrt(rs.length)).toFixed(2) : '–',
      ]);
    }
  }
  return renderTable(['parents', 'engine', 'runs', 'median wall s', 'median CPU s', 'mean accuracy %', '± SE'], rows, true);
}

async function main(): Promise<void> {
  const cli = new Command()
    .option('--worker', 'internal: run one measurement')
    .option('--path <path>', 'internal: round | kf')
    .option('--n <n>', 'internal: parents')
    .option('--seed <n>', 'internal: seed')
    .option('--engine <label>', 'internal: engine label', 'new')
    .option('--options <json>', 'internal: extra KF options', '{}')
    .option('--cache <dir>', 'parent cache', resolve('bench', '.cache', 'fusion-parents'))
    .option('--parents <list>', 'parent counts', '10,25,50,100')
    .option('--seeds <list>', 'seeds (k-means and held-out split)', '1,2,3,4,5')
    .option('--round-reps <n>', 'repetitions of each round measurement (the round path is deterministic)', '3')
    .option('--baseline <commit>', "commit whose engine is today's")
    .option('--baseline-kf-max <n>', "today's KF up to this many parents", '50')
    .option('--baseline-kf-seeds <n>', "today's KF seeds beyond 25 parents", '2')
    .option('--variant <label=json>', 'extra KF run of this checkout with these fusion options (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--paths <list>', 'round,kf', 'round,kf')
    .option('--out <file>', 'JSON results', 'bench/results/fusion-scaling.json')
    .parse();
  const o = cli.opts<{
    worker?: boolean;
    path: 'round' | 'kf';
    n: string;
    seed: string;
    engine: string;
    options: string;
    cache: string;
    parents: string;
    seeds: string;
    roundReps: string;
    baseline?: string;
    baselineKfMax: string;
    baselineKfSeeds: string;
    variant: string[];
    paths: string;
    out: string;
  }>();
  if (o.worker) {
    await worker({ path: o.path, n: Number(o.n), seed: Number(o.seed), engine: o.engine, cache: o.cache, options: o.options });
    return;
  }
  const counts = o.parents.split(',').map(Number);
  const seeds = o.seeds.split(',').map(Number);
  const paths = o.paths.split(',') as ('round' | 'kf')[];
  const variants = o.variant.map((v) => {
    const at = v.indexOf('=');
    return { label: v.slice(0, at), options: v.slice(at + 1) };
  });
  // Train (or find) the parents once, before any timing.
  const { initBackend } = await import('@fedfuse/client/internal/tf/backend.js');
  const { loadParents } = await import('./lib/fusion-parents.js');
  await initBackend();
  for (const kind of ['federation', 'independent'] as const) {
    await loadParents(kind, Math.max(...counts), { cacheDir: o.cache, log: (s) => console.error(s) });
  }
  const base = o.baseline ? await baselineTree(o.baseline) : undefined;
  const results: Measurement[] = [];
  const record = async (cwd: string, args: string[]) => {
    const m = await measure(cwd, [...args, '--cache', o.cache]);
    results.push(m);
    console.error(`${m.path} ${m.engine} ${m.parents} parents seed ${m.seed}: ${m.wallSeconds.toFixed(2)} s wall, ${m.cpuSeconds.toFixed(2)} s CPU, ${(100 * m.accuracy).toFixed(2)}%`);
  };
  try {
    for (const n of counts) {
      if (paths.includes('round')) {
        for (let rep = 0; rep < Number(o.roundReps); rep++) {
          // Interleaved, so both engines see the same machine load.
          if (base) await record(base, ['--path', 'round', '--n', String(n), '--seed', '1', '--engine', 'today']);
          await record('.', ['--path', 'round', '--n', String(n), '--seed', '1', '--engine', 'new']);
        }
      }
      if (paths.includes('kf')) {
        const baseSeeds = n <= 25 ? seeds : seeds.slice(0, Number(o.baselineKfSeeds));
        for (const seed of seeds) {
          if (base && n <= Number(o.baselineKfMax) && baseSeeds.includes(seed)) {
            await record(base, ['--path', 'kf', '--n', String(n), '--seed', String(seed), '--engine', 'today']);
          }
          await record('.', ['--path', 'kf', '--n', String(n), '--seed', String(seed), '--engine', 'new']);
          for (const v of variants) {
            await record('.', ['--path', 'kf', '--n', String(n), '--seed', String(seed), '--engine', v.label, '--options', v.options]);
          }
        }
      }
    }
  } finally {
    if (base) rmSync(base, { recursive: true, force: true });
  }
  const engines = ['today', 'new', ...variants.map((v) => v.label)];
  const report = { bench: 'fusion-scaling', date: new Date().toISOString(), node: process.version, baseline: o.baseline, variants, results };
  mkdirSync(dirname(o.out), { recursive: true });
  writeFileSync(o.out, JSON.stringify(report, null, 2) + '\n');
  console.log(`fusion seconds and accuracy by parents (${new Date().toISOString().slice(0, 10)}, node ${process.version})\n`);
  if (paths.includes('round')) console.log(`round (strategy aggregate, federation clients):\n\n${table(results, 'round', engines)}\n`);
  if (paths.includes('kf')) console.log(`kf (KF-linear, k-means, independent parents):\n\n${table(results, 'kf', engines)}\n`);
  console.error(`wrote ${o.out}${existsSync(o.out) ? '' : ' (missing?)'}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
