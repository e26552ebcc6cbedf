// Calibration of the activation screen (server/strategies/activation-screen.ts) on the Conv2D levels of the CNN
// scenario (issue 23, item 4): FedAvg rounds of bench/matrix/fashion-cnn-4.yaml (Fashion-MNIST, ordered-Dirichlet over
// 4 clients, conv 6 → conv 12 → max-pool → dense 10), every client's honest upload of pre-activations on the
// scenario's 400 probe images measured each round: the largest distance from its neuron's median in robust spreads,
// with the screen as it is (a conv channel is one neuron) and as it was (every position of a channel its own neuron),
// against the threshold; and whether 3 forged rows (shifted by 40 × (1 + |v|)) are refused.
// Usage: node --import tsx bench/activation-screen-calibration.ts [--rounds 3] [--scenario file] [--out file]
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Command } from 'commander';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { collectPreActivations } from '@fedfuse/client/internal/model/levels.js';
import { readWeights, writeWeights, type WeightTensor } from '@fedfuse/client/internal/model/weights.js';
import { trainLocally } from '@fedfuse/client/internal/training/local-training.js';
import { buildModel } from '../common/model/model-spec.js';
import { loadScenario } from '../scenarios/load-scenario.js';
import { prepareSplit } from '../scenarios/prepare-split.js';
import { toTensors } from '../scenarios/data/dataset.js';
import { largestOutlier, OUTLIER_SPREADS } from '../server/strategies/activation-screen.js';
import type { PlainTensor } from '../server/strategies/strategy.js';
import { positiveInt } from '../cli/options.js';
import { renderTable } from './lib/stats.js';

const cli = new Command('activation-screen-calibration')
  .option('--rounds <n>', 'FedAvg rounds', '3')
  .option('--scenario <file>', 'the CNN scenario', 'bench/matrix/fashion-cnn-4.yaml')
  .option('--out <file>', 'JSON summary', 'bench/results/activation-screen-calibration.json')
  .parse();
const o = cli.opts<{ rounds: string; scenario: string; out: string }>();
const rounds = positiveInt('rounds')(o.rounds);

/** The screen as it was before issue 23: every element of a row (every position of a conv channel) its own neuron. */
function perPositionDistance(a: PlainTensor): number {
  const rows = a.shape[0];
  const rowSize = a.values.length / rows;
  const med = (s: Float64Array) => (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2);
  const centre = new Float64Array(rowSize);
  const spread = new Float64Array(rowSize);
  const column = new Float64Array(rows);
  for (let e = 0; e < rowSize; e++) {
    for (let r = 0; r < rows; r++) column[r] = a.values[r * rowSize + e];
    column.sort();
    centre[e] = med(column);
    for (let r = 0; r < rows; r++) column[r] = Math.abs(column[r] - centre[e]);
    column.sort();
    spread[e] = 1.4826 * med(column);
  }
  const floor = Math.max(0.1 * med(Float64Array.from(spread).sort()), 1e-6);
  let worst = 0;
  for (let i = 0; i < a.values.length; i++) worst = Math.max(worst, Math.abs(a.values[i] - centre[i % rowSize]) / Math.max(spread[i % rowSize], floor));
  return worst;
}

await initBackend();
const scenario = await loadScenario(o.scenario);
const split = await prepareSplit(scenario);
const probe = toTensors(split.probe, 'image').xs;
const clients = split.clients.map((c) => toTensors(c, 'image'));
const initial = buildModel(scenario.model, scenario.seed);
let global: WeightTensor[] = readWeights(initial).map((w) => ({ ...w, values: Float32Array.from(w.values) }));
initial.dispose();

interface Row {
  round: number;
  client: number;
  level: number;
  shape: number[];
  distance: number;
  perPositionDistance: number;
  forgedRefused: boolean;
}
const rowsOut: Row[] = [];
const started = performance.now();
for (let round = 1; round <= rounds; round++) {
  const trained: { weights: WeightTensor[]; n: number }[] = [];
  for (let c = 0; c < clients.length; c++) {
    const model = buildModel(scenario.model, scenario.seed);
    writeWeights(model, global);
    await trainLocally(
      model,
      { xs: clients[c].xs, ys: clients[c].ys, numClasses: 10 },
      { localEpochs: scenario.local.epochs, batchSize: scenario.local.batchSize, learningRate: scenario.local.learningRate, optimizer: scenario.local.optimizer, proximalMu: 0, seed: scenario.seed * 1000 + round * 10 + c },
    );
    const acts = collectPreActivations(model, probe);
    acts.forEach((t, level) => {
      const a: PlainTensor = { shape: [...t.shape], values: Float32Array.from(t.dataSync()) };
      const rowSize = a.values.length / a.shape[0];
      const forged = Float32Array.from(a.values);
      for (const r of [5, 30, 51]) for (let j = 0; j < rowSize; j++) forged[r * rowSize + j] += 40 * (1 + Math.abs(forged[r * rowSize + j]));
      rowsOut.push({
        round,
        client: c + 1,
        level,
        shape: a.shape,
        distance: largestOutlier(a).distance,
        perPositionDistance: perPositionDistance(a),
        forgedRefused: largestOutlier({ shape: a.shape, values: forged }).distance > OUTLIER_SPREADS,
      });
    });
    tf.dispose(acts);
    trained.push({ weights: readWeights(model).map((w) => ({ ...w, values: Float32Array.from(w.values) })), n: split.clients[c].n });
    model.dispose();
    console.log(`round ${round} client ${c + 1}: ${rowsOut.slice(-acts.length).map((r) => `level ${r.level} ${r.distance.toFixed(1)} (per position ${r.perPositionDistance.toFixed(1)})`).join(', ')}`);
  }
  const total = trained.reduce((n, t) => n + t.n, 0);
  global = global.map((w, i) => {
    const values = new Float32Array(w.values.length);
    for (const t of trained) for (let k = 0; k < values.length; k++) values[k] += (t.n / total) * t.weights[i].values[k];
    return { ...w, values };
  });
}
probe.dispose();
for (const c of clients) tf.dispose([c.xs, c.ys]);

const levels = [...new Set(rowsOut.map((r) => r.level))];
const summary = levels.map((level) => {
  const rs = rowsOut.filter((r) => r.level === level);
  return {
    level,
    kind: rs[0].shape.length > 2 ? 'conv2d' : 'dense',
    shape: rs[0].shape,
    uploads: rs.length,
    maxDistance: Math.max(...rs.map((r) => r.distance)),
    maxPerPositionDistance: Math.max(...rs.map((r) => r.perPositionDistance)),
    perPositionOverThreshold: rs.filter((r) => r.perPositionDistance > OUTLIER_SPREADS).length,
    forgedRefused: rs.filter((r) => r.forgedRefused).length,
  };
});
console.log(
  '\n' +
    renderTable(
      ['level', 'kind', 'upload shape', 'honest uploads', 'largest distance (now)', 'over 100 (now)', 'largest per position (before)', 'over 100 (before)', 'forged refused'],
      summary.map((s) => [
        String(s.level),
        s.kind,
        `[${s.shape.join(', ')}]`,
        String(s.uploads),
        s.maxDistance.toFixed(1),
        String(rowsOut.filter((r) => r.level === s.level && r.distance > OUTLIER_SPREADS).length),
        s.maxPerPositionDistance.toFixed(1),
        String(s.perPositionOverThreshold),
        `${s.forgedRefused}/${s.uploads}`,
      ]),
    ),
);
const result = {
  date: new Date().toISOString(),
  command: `node --import tsx bench/activation-screen-calibration.ts ${process.argv.slice(2).join(' ')}`.trim(),
  scenario: scenario.name,
  rounds,
  threshold: OUTLIER_SPREADS,
  seconds: (performance.now() - started) / 1000,
  summary,
  uploads: rowsOut,
};
await mkdir(dirname(o.out), { recursive: true });
await writeFile(o.out, JSON.stringify(result, null, 2) + '\n');
console.log(`results: ${o.out}`);
