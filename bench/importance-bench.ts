// Speed of neuron-importance scoring and of the wasm conv-training kernels added in common/tf.
// Run: node --import tsx bench/importance-bench.ts   (FEDFUSE_BACKEND=cpu|wasm to force a backend)
import * as tf from '@tensorflow/tfjs';
import { computeImportance, type ImportanceMethod } from '@fedfuse/client/internal/importance/index.js';
import { buildModel, modelSpecSchema } from '../common/model/model-spec.js';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';

const PROBES = 400;
const REPEATS = 3;

async function timeMs(f: () => Promise<unknown> | unknown): Promise<number> {
  await f(); // warm-up: kernel setup, weight uploads
  const start = performance.now();
  for (let i = 0; i < REPEATS; i++) await f();
  return (performance.now() - start) / REPEATS;
}

const backend = await initBackend();
console.log(`backend: ${backend}, ${PROBES} probe examples, mean of ${REPEATS} runs after a warm-up`);

const models = {
  'mlp 784-256-10': modelSpecSchema.parse({ kind: 'mlp', widths: [784, 256, 10] }),
  'conv(8,3x3) relu → maxpool → dense 10': modelSpecSchema.parse({
    kind: 'sequential',
    inputShape: [28, 28, 1],
    layers: [
      { type: 'conv2d', filters: 8, kernelSize: 3 },
      { type: 'maxPooling2d' },
      { type: 'flatten' },
      { type: 'dense', units: 10, activation: 'linear' },
    ],
  }),
};
const methods: ImportanceMethod[] = ['conductance', 'feature-ablation', 'deeplift'];
console.log(`${'model'.padEnd(40)}${methods.map((m) => m.padStart(18)).join('')}`);
for (const [name, spec] of Object.entries(models)) {
  const model = buildModel(spec, 1);
  const shape = spec.kind === 'mlp' ? [spec.widths[0]] : spec.inputShape;
  const x = tf.randomNormal([PROBES, ...shape], 0, 1, 'float32', 7);
  const labels = Int32Array.from({ length: PROBES }, (_, i) => i % 10);
  const cells: string[] = [];
  for (const method of methods) cells.push(`${(await timeMs(() => computeImportance(model, x, labels, method))).toFixed(0)} ms`);
  console.log(`${name.padEnd(40)}${cells.map((c) => c.padStart(18)).join('')}`);
  x.dispose();
  model.dispose();
}

if (backend === 'wasm') {
  // Conv2DBackpropFilter (added) and MaxPoolGrad (replaced) on wasm, against the cpu backend's kernels.
  const cases = [
    { name: 'conv filter grad 32→64 3x3 14x14, batch 64', x: [64, 14, 14, 32], dy: [64, 14, 14, 64], filter: [3, 3, 32, 64] },
    { name: 'conv filter grad 1→8 3x3 28x28, batch 64', x: [64, 28, 28, 1], dy: [64, 26, 26, 8], filter: [3, 3, 1, 8] },
  ];
  for (const c of cases) {
    const row: string[] = [];
    for (const b of ['wasm', 'cpu']) {
      await tf.setBackend(b);
      const x = tf.randomNormal(c.x);
      const dy = tf.randomNormal(c.dy);
      const pad = c.dy[1] === c.x[1] ? 'same' : 'valid';
      const run = () =>
        tf.tidy(() =>
          (tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
            strides: 1,
            pad,
            dataFormat: 'NHWC',
            filterShape: c.filter,
          } as unknown as tf.NamedAttrMap) as tf.Tensor).dataSync(),
        );
      // The cpu kernel is a naive loop: one run is enough to see the gap.
      const ms = b === 'cpu' ? await (async () => { const s = performance.now(); run(); return performance.now() - s; })() : await timeMs(run);
      row.push(`${b} ${ms.toFixed(0)} ms`);
      tf.dispose([x, dy]);
    }
    console.log(`${c.name.padEnd(48)}${row.join('   ')}`);
  }
  await tf.setBackend('wasm');
  const input = tf.randomNormal([256, 26, 26, 8]);
  const output = tf.maxPool(input as tf.Tensor4D, 2, 2, 'valid');
  const dy = tf.onesLike(output);
  const attrs = { filterSize: 2, strides: 2, pad: 'valid' } as unknown as tf.NamedAttrMap;
  // (Read outside tf.tidy: tidy walks a returned typed array element by element looking for tensors.)
  const pool = () => {
    const dx = tf.engine().runKernel('MaxPoolGrad', { dy, input, output }, attrs) as tf.Tensor;
    dx.dataSync();
    dx.dispose();
  };
  console.log(`${'MaxPoolGrad kernel 2x2 on 256x26x26x8'.padEnd(48)}wasm ${(await timeMs(pool)).toFixed(0)} ms`);
  tf.dispose([input, output, dy]);
}
