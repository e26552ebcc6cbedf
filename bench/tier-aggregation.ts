// Tiered aggregation cost (not a test): the server's work per round in a tiered federation — neuron interpolation's
// fusion of updates of every width into the global widths, and the derivation of each tier's model from the global
// one ('fused': k-means + least squares; 'sliced': first units), against HeteroFL's and FedRolex's. Reads the models a
// tiered `fedfuse run --save-models` wrote (the final global model and the last round's client models) and the
// scenario it ran (for the probe set and the clients' example counts), and reports median wall and process CPU seconds
// over repeats, with the per-phase split of NI's fusion.
//
//   node --import tsx bench/tier-aggregation.ts <scenario.yaml> <run dir with models/> [--repeats 3] [--out file.json]
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { modelToState } from '@fedfuse/client/internal/model/model-state.js';
import { readWeights } from '@fedfuse/client/internal/model/weights.js';
import { loadModelDir } from '../common/io/model-dir.js';
import { loadScenario } from '../scenarios/load-scenario.js';
import { prepareSplit } from '../scenarios/prepare-split.js';
import { toTensors } from '../scenarios/data/dataset.js';
import { inputShapeOf } from '../common/model/model-spec.js';
import { createStrategy } from '../server/strategies/index.js';
import { modelTiers } from '../server/tiers/model-tiers.js';
import type { ClientUpdate, RoundContext } from '../server/strategies/strategy.js';
import { median } from './lib/stats.js';

interface Timing {
  what: string;
  wallSeconds: number;
  cpuSeconds: number;
}

async function timed(what: string, repeats: number, fn: () => Promise<unknown>): Promise<Timing> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    wall.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
  }
  return { what, wallSeconds: median(wall), cpuSeconds: median(cpu) };
}

async function main(): Promise<void> {
  const cli = new Command()
    .argument('<scenario>')
    .argument('<runDir>')
    .option('--repeats <n>', 'repeats (median)', '3')
    .option('--out <file>', 'JSON output')
    .parse();
  const [scenarioFile, runDir] = cli.args;
  const opts = cli.opts<{ repeats: string; out?: string }>();
  const repeats = Number(opts.repeats);
  await initBackend();
  const scenario = await loadScenario(scenarioFile);
  if (!scenario.tiers) throw new Error(`${scenarioFile} has no tiers`);
  const split = await prepareSplit(scenario);
  const probe = toTensors(split.probe, inputShapeOf(scenario.model).length === 1 ? 'flat' : 'image');
  const probeSet = { x: { shape: [...probe.xs.shape], values: probe.xs.dataSync() as Float32Array }, y: Int32Array.from(split.probe.y) };
  const globalModel = await loadModelDir(join(runDir, 'models', 'global'));
  const global = modelToState(globalModel);
  globalModel.dispose();
  const roundDir = (await readdir(join(runDir, 'models'))).filter((d) => d.startsWith('round-')).sort().at(-1)!;
  const round = Number(roundDir.slice('round-'.length));
  const updates: ClientUpdate[] = [];
  for (const clientId of (await readdir(join(runDir, 'models', roundDir))).sort()) {
    const i = Number(clientId.replace('client-', '')) - 1;
    const model = await loadModelDir(join(runDir, 'models', roundDir, clientId));
    updates.push({
      clientId, round, weights: readWeights(model), numExamples: split.clients[i].n, activations: [], importance: [], metrics: {},
      labelHistogram: split.histograms[i],
    });
    model.dispose();
  }
  const tiers = modelTiers(scenario.tiers, global.weights);
  const ctx: RoundContext & { tiers: typeof tiers } = { round, global, probe: probeSet, seed: scenario.seed, tiers };
  const timings: Timing[] = [];
  const phases: Record<string, number> = {};
  const ni = await createStrategy('neuron-interpolation', {
    fusion: {
      onProgress: (() => {
        let last = { phase: '', at: performance.now() };
        return ({ phase }: { phase: string }) => {
          const now = performance.now();
          if (last.phase) phases[last.phase] = (phases[last.phase] ?? 0) + (now - last.at) / 1000;
          last = { phase, at: now };
        };
      })(),
    },
  });
  timings.push(await timed(`neuron-interpolation aggregate (${updates.length} updates)`, repeats, () => ni.aggregate(ctx, updates)));
  const phaseShare = Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, v / repeats]));
  const niMatch = await createStrategy('neuron-interpolation', { tierGrouping: 'match' });
  timings.push(await timed(`neuron-interpolation aggregate, tierGrouping match (k-means)`, repeats, () => niMatch.aggregate(ctx, updates)));
  timings.push(await timed('neuron-interpolation tierModels global', repeats, () => ni.tierModels!(ctx)));
  const fromUpdates = await createStrategy('neuron-interpolation', { tierModels: 'updates' });
  timings.push(await timed('neuron-interpolation tierModels updates', repeats, () => fromUpdates.tierModels!(ctx, updates)));
  const sliced = await createStrategy('neuron-interpolation', { tierModels: 'sliced' });
  timings.push(await timed('neuron-interpolation tierModels sliced', repeats, () => sliced.tierModels!(ctx)));
  for (const name of ['heterofl', 'fedrolex']) {
    const s = await createStrategy(name);
    timings.push(await timed(`${name} aggregate`, repeats, () => s.aggregate(ctx, updates)));
    timings.push(await timed(`${name} tierModels`, repeats, () => s.tierModels!(ctx)));
  }
  console.log('| what | wall s (median) | CPU s (median) |\n|---|---|---|');
  for (const t of timings) console.log(`| ${t.what} | ${t.wallSeconds.toFixed(3)} | ${t.cpuSeconds.toFixed(3)} |`);
  console.log(`NI fusion phases (wall s per aggregate, all levels): ${JSON.stringify(phaseShare)}`);
  if (opts.out) await writeFile(opts.out, JSON.stringify({ scenario: scenario.name, repeats, timings, niPhases: phaseShare }, null, 2) + '\n');
  probe.xs.dispose();
  probe.ys.dispose();
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
