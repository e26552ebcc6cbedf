// What the default defence costs the server per round (issue 19): the distance screen (distances + update stats)
// and the publish guard, against FedAvg's own aggregation, for 4 updates of the default scenario's MLP 784-256-10 and
// a probe set of 400 rows (80 held out). Process CPU time (less disturbed by other load than wall time), median of
// --reps repetitions after one warm-up.
//   node --import tsx bench/defence-cost.ts [--reps 9] [--clients 4]
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { modelToState } from '@fedfuse/client/internal/model/model-state.js';
import { buildModel } from '../common/model/model-spec.js';
import { screenRound } from '../server/defence/screen-round.js';
import { guardPublication } from '../server/defence/publish-guard.js';
import { parseScreeningOptions } from '../server/defence/screening-options.js';
import { FedAvg } from '../server/strategies/fedavg.js';
import type { ClientUpdate } from '../server/strategies/strategy.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const reps = option('--reps', 9);
const clients = option('--clients', 4);

await initBackend();
const model = buildModel({ kind: 'mlp', widths: [784, 256, 10], activation: 'relu' }, 1);
const global = modelToState(model);
model.dispose();
const updates: ClientUpdate[] = Array.from({ length: clients }, (_, i) => ({
  clientId: `c${i}`,
  round: 1,
  weights: global.weights.map((w) => ({ ...w, values: w.values.map((v, j) => v + 0.01 * Math.sin(i + 7 * j)) })),
  numExamples: 1000,
  activations: [],
  importance: [],
  metrics: {},
  labelHistogram: [],
}));
const probe = { x: { shape: [400, 784], values: new Float32Array(400 * 784).map((_, i) => Math.sin(i)) }, y: Int32Array.from({ length: 400 }, (_, i) => i % 10) };
const settings = parseScreeningOptions(undefined, 'defence');
const ctx = { round: 1, global, probe, seed: 1 };

const cpuMs = async (fn: () => Promise<unknown>) => {
  const start = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const times = { screen: [] as number[], fedavg: [] as number[], guard: [] as number[] };
for (let rep = 0; rep <= reps; rep++) {
  const screen = await cpuMs(() => screenRound(global, updates, settings, probe, 1));
  let candidate = global;
  const fedavg = await cpuMs(async () => (candidate = (await new FedAvg().aggregate(ctx, updates)).model));
  const guard = await cpuMs(() => guardPublication({ ctx, candidate, updates, settings: settings.guard, maxAbsWeight: settings.maxAbsWeight }));
  if (rep === 0) continue; // warm-up
  times.screen.push(screen);
  times.fedavg.push(fedavg);
  times.guard.push(guard);
}
console.log(
  `${clients} updates of 784-256-10, probe 400 (80 held out), median of ${reps}: distance screen ${median(times.screen).toFixed(1)} ms CPU, ` +
    `publish guard ${median(times.guard).toFixed(1)} ms CPU, FedAvg's own average ${median(times.fedavg).toFixed(1)} ms CPU`,
);
