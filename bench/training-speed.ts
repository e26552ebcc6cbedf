// Local training speed, fedfuse against a one-thread PyTorch loop, side by side in one run: one epoch of the same
// model, batch size, optimiser and batches (the same example order, and for the MLP the same initial weights) on the
// same data slice, each variant in its own process, interleaved over several repeats; medians and ratios per repeat.
//   mlp: scenarios/default.yaml's MLP 784-256-10, SGD, batch 32, on MNIST
//   cnn: scenarios/examples/fashion-mnist-cnn-dirichlet.yaml's CNN, Adam, batch 32, on Fashion-MNIST
// Variants: tfjs-before (the loop before issue 22, on the shipped wasm kernels), tfjs (today's TF.js step),
// fused (today's default: the fused dense step where it applies — the MLP), pytorch (/usr/bin/python3 + torch,
// skipped where absent), and for the MLP a ceiling that is not PyTorch: numpy-openblas, the same SGD epoch written out
// in numpy on a tuned BLAS (the `python3` on PATH, where its numpy uses OpenBLAS), because Debian's torch multiplies
// with the reference BLAS. Images/s of wall time and of process CPU time (less disturbed by other load).
//   npm run bench:training [-- --repeats 5 --mlp-examples 6000 --cnn-examples 3000 --only mlp|cnn --json]
import { execFile, execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { loadScenario } from '../scenarios/load-scenario.js';
import { loadDataset } from '../scenarios/data/index.js';
import { buildModel, inputShapeOf, type ModelSpec } from '../common/model/model-spec.js';
import { seededPermutation, seededRandom } from '@fedfuse/client/internal/training/seeded-random.js';
import type { LocalTrainingConfig } from '@fedfuse/client/internal/training/local-training.js';
import { median, renderTable } from './lib/stats.js';

const PYTHON = '/usr/bin/python3';
const SELF = fileURLToPath(import.meta.url);
const TORCH_SCRIPT = join(SELF, '..', 'lib', 'torch-training.py');
const NUMPY_SCRIPT = join(SELF, '..', 'lib', 'numpy-mlp-training.py');
/** One BLAS thread for the numpy ceiling, like the one-thread PyTorch loop. */
const ONE_THREAD = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
const run = promisify(execFile);

const TFJS_VARIANTS = ['tfjs-before', 'tfjs', 'fused'] as const;
type TfjsVariant = (typeof TFJS_VARIANTS)[number];
type Variant = TfjsVariant | 'pytorch' | 'numpy-openblas';

/** What a child measures: one epoch's training loop only (no evaluation), wall and process CPU seconds. */
interface Measurement {
  engine: string;
  wall: number;
  cpu: number;
  examples: number;
  /** Mean loss over the epoch's batches, and the loss on all examples after it. */
  epochLoss: number;
  lossAfter: number;
}

/** Written next to the data for both sides: the model, its training settings, the examples' shape. */
interface BenchSpec extends Pick<LocalTrainingConfig, 'batchSize' | 'learningRate' | 'optimizer'> {
  model: ModelSpec;
  n: number;
  exampleShape: number[];
  seed: number;
}

const INIT_SEED = 1;

// ---------------------------------------------------------------- child: one variant, one epoch, one JSON line
async function child(variant: TfjsVariant, dir: string): Promise<void> {
  const tf = await import('@tensorflow/tfjs');
  const spec = JSON.parse(await readFile(join(dir, 'spec.json'), 'utf8')) as BenchSpec;
  if (variant === 'tfjs-before') {
    // The wasm backend as it was set up before issue 22: conv gradients registered, the shipped BatchMatMul.
    await import('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
    await tf.ready();
    (await import('@fedfuse/client/internal/tf/wasm-conv-backprop.js')).registerWasmConvBackprop();
  } else {
    const { initBackend } = await import('@fedfuse/client/internal/tf/backend.js');
    const backend = await initBackend();
    if (backend !== 'wasm') throw new Error(`the bench measures the wasm backend, got ${backend}`);
  }
  const { trainLocally, evaluateLocal } = await import('@fedfuse/client/internal/training/local-training.js');
  const { trainLocallyBefore } = await import('./lib/tfjs-step-before.js');
  const xBytes = await readFile(join(dir, 'x.f32'));
  const yBytes = await readFile(join(dir, 'y.i32'));
  const x = new Float32Array(xBytes.buffer, xBytes.byteOffset, xBytes.byteLength / 4);
  const y = new Int32Array(yBytes.buffer, yBytes.byteOffset, yBytes.byteLength / 4);
  const data = { xs: tf.tensor(x, [spec.n, ...spec.exampleShape]), ys: tf.tensor1d(y, 'int32'), numClasses: 10 };
  const config: LocalTrainingConfig = { localEpochs: 1, batchSize: spec.batchSize, learningRate: spec.learningRate, optimizer: spec.optimizer, proximalMu: 0, seed: spec.seed };
  const epoch = async (model: import('@tensorflow/tfjs').LayersModel, d: typeof data, onBatch: () => void): Promise<number | undefined> => {
    if (variant === 'tfjs-before') {
      await trainLocallyBefore(model, d, config, onBatch);
      return undefined;
    }
    const result = await trainLocally(model, d, config, { fused: variant === 'fused', onProgress: onBatch });
    if (variant === 'fused' && result.engine !== 'fused-dense') throw new Error(`the fused step did not apply to ${JSON.stringify(spec.model)}`);
    return result.epochLosses[0];
  };
  // Warm-up on a throwaway model and 5 batches (JIT, kernel set-up), as the PyTorch side does.
  const warm = buildModel(spec.model, INIT_SEED + 1);
  const few = { xs: data.xs.slice(0, 5 * spec.batchSize), ys: data.ys.slice(0, 5 * spec.batchSize), numClasses: 10 };
  await epoch(warm, few, () => {});
  tf.dispose([few.xs, few.ys]);
  warm.dispose();

  const model = buildModel(spec.model, INIT_SEED);
  let end = { wall: 0, cpu: 0 };
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  // The clock stops at the last batch's progress callback: what follows (trainLocally's own evaluation) is not training.
  const epochLoss = await epoch(model, data, () => {
    const cpu = process.cpuUsage(cpu0);
    end = { wall: (performance.now() - wall0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
  });
  const after = evaluateLocal(model, data);
  const m: Measurement = { engine: variant, wall: end.wall, cpu: end.cpu, examples: spec.n, epochLoss: epochLoss ?? NaN, lossAfter: after.loss };
  console.log(JSON.stringify(m));
}

// ---------------------------------------------------------------- parent
interface Workload {
  name: 'mlp' | 'cnn';
  label: string;
  dir: string;
  variants: Variant[];
}

async function prepare(name: Workload['name'], scenarioPath: string, examples: number, root: string): Promise<Workload & { spec: BenchSpec }> {
  const scenario = await loadScenario(scenarioPath);
  const exampleShape = inputShapeOf(scenario.model);
  const ds = await loadDataset(scenario.dataset, { split: 'train', offset: 0, limit: examples });
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  const spec: BenchSpec = {
    model: scenario.model,
    n: ds.n,
    exampleShape,
    batchSize: scenario.local.batchSize,
    learningRate: scenario.local.learningRate,
    optimizer: scenario.local.optimizer,
    seed: 7,
  };
  // trainLocally's first epoch visits the examples in this order; PyTorch gets the same batches.
  const order = seededPermutation(ds.n, seededRandom(spec.seed));
  await writeFile(join(dir, 'x.f32'), new Uint8Array(ds.x.buffer, ds.x.byteOffset, ds.x.byteLength));
  await writeFile(join(dir, 'y.i32'), new Uint8Array(ds.y.buffer, ds.y.byteOffset, ds.y.byteLength));
  await writeFile(join(dir, 'order.i32'), new Uint8Array(order.buffer));
  await writeFile(join(dir, 'spec.json'), JSON.stringify(spec));
  if (scenario.model.kind === 'mlp') {
    // The same initial weights on both sides (kernels [in, out], then biases, per layer).
    const tf = await import('@tensorflow/tfjs');
    const model = buildModel(scenario.model, INIT_SEED);
    const parts = model.getWeights().map((w) => w.dataSync() as Float32Array);
    const flat = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
    parts.reduce((at, p) => (flat.set(p, at), at + p.length), 0);
    await writeFile(join(dir, 'init.f32'), new Uint8Array(flat.buffer));
    model.dispose();
    tf.disposeVariables();
  }
  const isMlp = name === 'mlp';
  const layers = scenario.model.kind === 'mlp' ? scenario.model.widths.join('-') : 'conv8·3x3 → pool2 → dense64 → 10';
  return {
    name,
    label: `${scenario.dataset} ${layers}, ${spec.optimizer} lr ${spec.learningRate}, batch ${spec.batchSize}, ${ds.n} examples`,
    dir,
    spec,
    variants: isMlp ? ['tfjs-before', 'tfjs', 'fused', 'pytorch', 'numpy-openblas'] : ['tfjs-before', 'tfjs', 'pytorch'],
  };
}

async function measure(variant: Variant, dir: string): Promise<Measurement> {
  const spec = join(dir, 'spec.json');
  const { stdout } =
    variant === 'pytorch'
      ? await run(PYTHON, [TORCH_SCRIPT, dir, spec], { maxBuffer: 1 << 20 })
      : variant === 'numpy-openblas'
        ? await run('python3', [NUMPY_SCRIPT, dir, spec], { maxBuffer: 1 << 20, env: ONE_THREAD })
        : await run(process.execPath, ['--import', 'tsx', SELF, '--child', variant, '--data', dir], { maxBuffer: 1 << 20 });
  const line = stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as Measurement;
  } catch {
    throw new Error(`${variant} printed no measurement:\n${stdout}`);
  }
}

/** The numpy of the `python3` on PATH when it multiplies with OpenBLAS (its version), else undefined. */
function openblasNumpy(): string | undefined {
  try {
    const out = execFileSync('python3', ['-c', 'import numpy; numpy.show_config(); print(numpy.__version__)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return /openblas/i.test(out) ? out.trim().split('\n').pop() : undefined;
  } catch {
    return undefined;
  }
}

function torchAvailable(): string | undefined {
  try {
    return execFileSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const o = new Command()
    .option('--repeats <n>', 'interleaved repeats of every variant', '5')
    .option('--mlp-examples <n>', 'MNIST examples for the MLP epoch', '6000')
    .option('--cnn-examples <n>', 'Fashion-MNIST examples for the CNN epoch', '3000')
    .option('--only <model>', 'mlp or cnn')
    .option('--json', 'also print a one-line JSON summary')
    .option('--out <file>', 'JSON summary file', 'bench/results/training-speed.json')
    .option('--child <variant>')
    .option('--data <dir>')
    .parse()
    .opts<{ repeats: string; mlpExamples: string; cnnExamples: string; only?: string; json?: boolean; out: string; child?: Variant; data?: string }>();
  if (o.child) {
    const variant = TFJS_VARIANTS.find((v) => v === o.child);
    if (!variant || !o.data) throw new Error(`--child needs one of ${TFJS_VARIANTS.join(', ')} and --data`);
    return child(variant, o.data);
  }
  const repeats = Number(o.repeats);
  const torch = torchAvailable();
  if (!torch) console.log(`NOTE: ${PYTHON} has no torch (Debian: apt-get install python3-torch): PyTorch skipped`);
  const numpy = openblasNumpy();
  if (!numpy) console.log('NOTE: the python3 on PATH has no numpy on OpenBLAS: the numpy-openblas ceiling is skipped');
  const root = await mkdtemp(join(tmpdir(), 'fedfuse-training-speed-'));
  try {
    const workloads: (Workload & { spec: BenchSpec })[] = [];
    if (o.only !== 'cnn') workloads.push(await prepare('mlp', 'scenarios/default.yaml', Number(o.mlpExamples), root));
    if (o.only !== 'mlp') workloads.push(await prepare('cnn', 'scenarios/examples/fashion-mnist-cnn-dirichlet.yaml', Number(o.cnnExamples), root));
    const results = new Map<string, Measurement[]>();
    for (let r = 0; r < repeats; r++) {
      for (const w of workloads) {
        for (const v of w.variants) {
          if ((v === 'pytorch' && !torch) || (v === 'numpy-openblas' && !numpy)) continue;
          const m = await measure(v, w.dir);
          const key = `${w.name}/${v}`;
          results.set(key, [...(results.get(key) ?? []), m]);
          console.log(`repeat ${r + 1}/${repeats} ${key}: ${(m.examples / m.wall).toFixed(0)} img/s wall, ${(m.examples / m.cpu).toFixed(0)} img/s CPU, loss after ${m.lossAfter.toFixed(4)}`);
        }
      }
    }
    const summary = workloads.map((w) => {
      const rows = w.variants
        .filter((v) => results.has(`${w.name}/${v}`))
        .map((v) => {
          const ms = results.get(`${w.name}/${v}`)!;
          const torchRuns = results.get(`${w.name}/pytorch`);
          // Ratios per repeat (the runs of one repeat ran back to back), then their median.
          const ratio = (pick: (m: Measurement) => number) =>
            torchRuns ? median(ms.map((m, i) => (m.examples / pick(m)) / (torchRuns[i].examples / pick(torchRuns[i])))) : NaN;
          return {
            variant: v,
            wallImagesPerSec: median(ms.map((m) => m.examples / m.wall)),
            cpuImagesPerSec: median(ms.map((m) => m.examples / m.cpu)),
            vsPytorchWall: ratio((m) => m.wall),
            vsPytorchCpu: ratio((m) => m.cpu),
            lossAfter: median(ms.map((m) => m.lossAfter)),
          };
        });
      return { model: w.name, label: w.label, rows };
    });
    const date = new Date().toISOString();
    console.log(
      `\n${date.slice(0, 10)}, node ${process.version}, torch ${torch ?? 'absent'} (1 thread), numpy ${numpy ?? 'absent'} (OpenBLAS, 1 thread), ` +
        `${repeats} interleaved repeats, medians\n`,
    );
    for (const s of summary) {
      console.log(`${s.model}: ${s.label}\n`);
      const x = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : '-');
      console.log(
        renderTable(
          ['variant', 'images/s (wall)', 'images/s (CPU)', 'vs PyTorch (wall)', 'vs PyTorch (CPU)', 'loss after the epoch'],
          s.rows.map((r) => [r.variant, r.wallImagesPerSec.toFixed(0), r.cpuImagesPerSec.toFixed(0), x(r.vsPytorchWall), x(r.vsPytorchCpu), r.lossAfter.toFixed(4)]),
          true,
        ),
      );
      console.log('');
    }
    const report = { date, node: process.version, torch: torch ?? null, numpyOpenblas: numpy ?? null, repeats, summary };
    await mkdir(join(o.out, '..'), { recursive: true });
    await writeFile(o.out, JSON.stringify(report, null, 2) + '\n');
    if (o.json) console.log(JSON.stringify(report));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main();
