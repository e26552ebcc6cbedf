// Where one local-training step's time goes on the wasm backend, in process CPU time (less disturbed by other load
// than wall time), batch 32:
//   1. the per-batch pieces around a step (building the batch three ways, the loss read-back, the await);
//   2. a TF.js step split into its kernels and the engine around them, with the wasm backend's shipped BatchMatMul
//      ("before") and with fedfuse's wrapper (tf/wasm-matmul-transpose.ts), for the MLP and the scenario CNN;
//   3. the fused dense step (training/fused-dense.ts): per step, and its wasm products alone.
//   npm run bench:training-profile [-- --steps 200]
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { Command } from 'commander';
import { registerWasmConvBackprop } from '@fedfuse/client/internal/tf/wasm-conv-backprop.js';
import { registerWasmMatMulTranspose } from '@fedfuse/client/internal/tf/wasm-matmul-transpose.js';
import { trainLocally } from '@fedfuse/client/internal/training/local-training.js';
import { instantiateDenseKernels, KERNEL_RESERVED_BYTES } from '@fedfuse/client/internal/training/dense-kernels.js';
import { loadScenario } from '../scenarios/load-scenario.js';
import { loadDataset } from '../scenarios/data/index.js';
import { buildModel, inputShapeOf } from '../common/model/model-spec.js';
import { renderTable } from './lib/stats.js';

const o = new Command().option('--steps <n>', 'steps per figure', '200').parse().opts<{ steps: string }>();
const STEPS = Number(o.steps);
const BATCH = 32;
const us = (v: number) => v.toFixed(0);

/** Mean process CPU µs of `f` over `iterations` calls, after 10 warm-up calls. */
async function cpuMicros(iterations: number, f: () => void | Promise<void>): Promise<number> {
  for (let i = 0; i < 10; i++) await f();
  const start = process.cpuUsage();
  for (let i = 0; i < iterations; i++) await f();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / iterations;
}

/** The wasm backend as initBackend sets it up, except that BatchMatMul can be switched between shipped and wrapped. */
if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
await tf.ready();
registerWasmConvBackprop();
const shippedMatMul = tf.getKernel('BatchMatMul', 'wasm')!;
registerWasmMatMulTranspose();
const wrappedMatMul = tf.getKernel('BatchMatMul', 'wasm')!;
function useMatMul(config: tf.KernelConfig): void {
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel(config);
}

/** CPU µs per step of each wasm kernel `step` runs (their kernel functions wrapped with a clock), and of the step. */
async function kernelBreakdown(step: () => void): Promise<{ stepMicros: number; kernels: [string, number, number][] }> {
  const names = new Set((await tf.profile(step)).kernels.map((k) => k.name));
  const totals = new Map<string, { micros: number; calls: number }>();
  const restore: (() => void)[] = [];
  // Kernels that call other kernels (fedfuse's conv filter gradient calls BatchMatMul) count once, at the outside.
  let depth = 0;
  for (const name of names) {
    const config = tf.getKernel(name, 'wasm') as { kernelFunc: tf.KernelFunc } | undefined;
    if (!config) continue;
    const original = config.kernelFunc;
    config.kernelFunc = ((args: Parameters<tf.KernelFunc>[0]) => {
      if (depth > 0) return original(args);
      depth++;
      const start = process.cpuUsage();
      let out: ReturnType<tf.KernelFunc>;
      try {
        out = original(args);
      } finally {
        depth--;
      }
      const used = process.cpuUsage(start);
      const shapes = Object.values(args.inputs).map((t) => `[${(t as tf.TensorInfo | undefined)?.shape ?? ''}]`).join('');
      const e = totals.get(`${name} ${shapes}`) ?? { micros: 0, calls: 0 };
      e.micros += used.user + used.system;
      e.calls++;
      totals.set(`${name} ${shapes}`, e);
      return out;
    }) as tf.KernelFunc;
    restore.push(() => (config.kernelFunc = original));
  }
  let stepMicros: number;
  try {
    stepMicros = await cpuMicros(STEPS, step);
  } finally {
    restore.forEach((r) => r());
  }
  const calls = STEPS + 10;
  const kernels = [...totals.entries()].map(([k, v]) => [k, v.micros / calls, v.calls / calls] as [string, number, number]);
  return { stepMicros, kernels: kernels.sort((a, b) => b[1] - a[1]) };
}

function printBreakdown(title: string, b: { stepMicros: number; kernels: [string, number, number][] }, top = 6): void {
  const inKernels = b.kernels.reduce((s, k) => s + k[1], 0);
  const calls = b.kernels.reduce((s, k) => s + k[2], 0);
  console.log(
    `\n${title}: ${us(b.stepMicros)} µs CPU per step (with a clock around every kernel), ${calls.toFixed(0)} kernel calls: ` +
      `${us(inKernels)} µs in kernels, ${us(b.stepMicros - inKernels)} µs in the engine (tape, tidy, dispatch) and JS\n`,
  );
  console.log(renderTable(['kernel [input shapes]', 'µs CPU / step', 'calls / step'], b.kernels.slice(0, top).map((k) => [k[0], us(k[1]), k[2].toFixed(0)]), true));
}

/** A TF.js step as trainLocally's TF.js trainer runs it: batch made in JS, optimizer.minimize, loss read back. */
function tfjsStep(model: tf.LayersModel, x: Float32Array, labels: Int32Array, shape: number[], optimizer: tf.Optimizer): () => void {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const size = shape.reduce((a, b) => a * b, 1);
  let at = 0;
  return () => {
    const start = at;
    at = (at + BATCH) % (labels.length - BATCH);
    tf.tidy(() => {
      const xb = tf.tensor(x.subarray(start * size, (start + BATCH) * size), [BATCH, ...shape]);
      const oneHot = new Float32Array(BATCH * 10);
      for (let i = 0; i < BATCH; i++) oneHot[i * 10 + labels[start + i]] = 1;
      const yb = tf.tensor2d(oneHot, [BATCH, 10]);
      const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(yb, model.apply(xb, { training: true }) as tf.Tensor) as tf.Scalar, true, vars);
      loss!.dataSync();
    });
  };
}

console.log(
  `${new Date().toISOString().slice(0, 10)}, node ${process.version}, wasm backend: SIMD ${await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')}, ` +
    `threads ${await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')} (tfjs-backend-wasm turns threads off in Node); batch ${BATCH}, ${STEPS} steps per figure`,
);

for (const [name, path] of [['MLP', 'scenarios/default.yaml'], ['CNN', 'scenarios/examples/fashion-mnist-cnn-dirichlet.yaml']] as const) {
  const scenario = await loadScenario(path);
  const shape = inputShapeOf(scenario.model);
  const size = shape.reduce((a, b) => a * b, 1);
  const ds = await loadDataset(scenario.dataset, { split: 'train', offset: 0, limit: 4000 });
  const xs = tf.tensor(ds.x, [ds.n, ...shape]);
  const ys = tf.tensor1d(ds.y, 'int32');
  console.log(`\n## ${name}: ${path}, ${scenario.local.optimizer}, ${ds.n} ${scenario.dataset} examples in one tensor`);

  if (name === 'MLP') {
    const rows = new Int32Array(BATCH).map((_, i) => i * 97);
    const pieces: [string, number][] = [
      ['batch by tf.gather from the data tensor (+ its index tensor)', await cpuMicros(STEPS, () => tf.tidy(() => void tf.gather(xs, tf.tensor1d(rows, 'int32'))))],
      ['batch as a view of the data tensor (tf.slice of 32 rows)', await cpuMicros(Math.ceil(STEPS / 10), () => tf.tidy(() => void tf.slice(xs, [64, 0], [BATCH, size])))],
      ['batch as a new tensor from 32 rows of one JS copy', await cpuMicros(STEPS, () => {
        const out = new Float32Array(BATCH * size);
        for (let i = 0; i < BATCH; i++) out.set(ds.x.subarray(rows[i] * size, (rows[i] + 1) * size), i * size);
        tf.tensor(out, [BATCH, size]).dispose();
      })],
      ['labels by tf.gather + tf.oneHot', await cpuMicros(STEPS, () => tf.tidy(() => void tf.oneHot(tf.gather(ys, tf.tensor1d(rows, 'int32')), 10)))],
      ['loss read-back (dataSync of a scalar)', await cpuMicros(STEPS, () => tf.tidy(() => void tf.scalar(1).add(1).dataSync()))],
      ['await tf.nextFrame() between batches', await cpuMicros(STEPS, () => tf.nextFrame())],
    ];
    console.log('\nPer-batch pieces:\n');
    console.log(renderTable(['piece', 'µs CPU'], pieces.map(([p, v]) => [p, us(v)]), true));
  }

  for (const [label, matMul] of [['TF.js step, shipped BatchMatMul (before)', shippedMatMul], ['TF.js step, BatchMatMul wrapper (now)', wrappedMatMul]] as const) {
    useMatMul(matMul);
    const model = buildModel(scenario.model, 1);
    const optimizer = scenario.local.optimizer === 'adam' ? tf.train.adam(scenario.local.learningRate) : tf.train.sgd(scenario.local.learningRate);
    printBreakdown(`${name}, ${label}`, await kernelBreakdown(tfjsStep(model, ds.x, ds.y, shape, optimizer)));
    optimizer.dispose();
    model.dispose();
  }
  useMatMul(wrappedMatMul);

  if (name === 'MLP') {
    // The fused step through trainLocally (one epoch over 4000 examples, per step), then its products alone.
    const config = { localEpochs: 1, batchSize: BATCH, learningRate: scenario.local.learningRate, optimizer: scenario.local.optimizer, proximalMu: 0, seed: 1 };
    const model = buildModel(scenario.model, 1);
    await trainLocally(model, { xs, ys, numClasses: 10 }, { ...config, localEpochs: 1 }); // warm-up
    let steps = 0;
    let cpu = { user: 0, system: 0 };
    const start = process.cpuUsage();
    const result = await trainLocally(model, { xs, ys, numClasses: 10 }, config, {
      onProgress: () => {
        steps++;
        cpu = process.cpuUsage(start);
      },
    });
    model.dispose();
    const perStep = (cpu.user + cpu.system) / steps;
    const widths = scenario.model.kind === 'mlp' ? scenario.model.widths : [];
    const k = (await instantiateDenseKernels(16 << 20))!; // ample for these buffers (contents do not matter for timing)
    let ptr = KERNEL_RESERVED_BYTES;
    const alloc = (n: number) => ((ptr += Math.ceil(n / 4) * 16), ptr - Math.ceil(n / 4) * 16);
    const [input, hidden, out] = [widths[0], widths[1], widths[2]].map((w) => alloc(BATCH * w));
    const [w1, w2, g1, g2] = [alloc(widths[0] * widths[1]), alloc(widths[1] * widths[2]), alloc(widths[0] * widths[1]), alloc(widths[1] * widths[2])];
    const products: [string, number][] = [
      [`forward x·W1 (${BATCH}×${widths[0]} · ${widths[0]}×${widths[1]})`, await cpuMicros(STEPS, () => k.matmul(input, w1, hidden, BATCH, widths[0], widths[1], widths[0], 1, 0))],
      [`forward h·W2 (${BATCH}×${widths[1]} · ${widths[1]}×${widths[2]})`, await cpuMicros(STEPS, () => k.matmul(hidden, w2, out, BATCH, widths[1], widths[2], widths[1], 1, 0))],
      [`dW2 = hᵀ·dZ2`, await cpuMicros(STEPS, () => k.matmul(hidden, out, g2, widths[1], BATCH, widths[2], 1, widths[1], 0))],
      [`dH = dZ2·W2ᵀ`, await cpuMicros(STEPS, () => k.matmulTransposedB(out, w2, hidden, BATCH, widths[2], widths[1]))],
      [`dW1 = xᵀ·dZ1 (${widths[0]}×${BATCH} · ${BATCH}×${widths[1]})`, await cpuMicros(STEPS, () => k.matmul(input, hidden, g1, widths[0], BATCH, widths[1], 1, widths[0], 0))],
      ['SGD update of W1', await cpuMicros(STEPS, () => k.sgdStep(w1, g1, widths[0] * widths[1], 0.05))],
    ];
    const inProducts = products.reduce((s, p) => s + p[1], 0);
    console.log(`\n${name}, fused dense step (${result.engine}): ${us(perStep)} µs CPU per step over one epoch of ${steps} steps ` +
      `(including the batch copy, progress event and await); its wasm kernels alone:\n`);
    console.log(renderTable(['kernel', 'µs CPU'], [...products.map(([p, v]) => [p, us(v)]), ['all kernels', us(inProducts)], ['rest of the step (JS: rows, bias, activation, softmax, event, await)', us(perStep - inProducts)]], true));
  }
  tf.dispose([xs, ys]);
}
