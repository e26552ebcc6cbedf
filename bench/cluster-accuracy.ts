// Accuracy of hierarchical against flat aggregation on the matrix scenarios, same seeds: every cell runs the
// scenario's federation on a real cluster (N in-process nodes sharing one redis-server started here, client i on node
// i mod N), once with flat aggregation (the leader aggregates every update) and once hierarchical (each node
// pre-aggregates its clients; for neuron interpolation it fuses them and the leader fuses the node models).
// Resumable: cells already in --out are not run again.
// Usage: node --import tsx bench/cluster-accuracy.ts [--scenarios a.yaml,b.yaml] [--strategies neuron-interpolation]
//        [--seeds 1,2,3] [--nodes 2] [--one-shot --local-epochs 5] [--rounds N] [--out file]
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { loadScenario, parseScenario } from '../scenarios/load-scenario.js';
import { runScenario } from '../scenarios/runner.js';
import { RedisProcess } from '../test/cluster/redis-process.js';
import { renderTable } from './lib/stats.js';

const cli = new Command('cluster-accuracy')
  .option('--scenarios <files>', 'comma-separated scenario files', 'bench/matrix/mnist-odir-4.yaml,bench/matrix/mnist-odir-8.yaml')
  .option('--strategies <names>', 'comma-separated strategies', 'neuron-interpolation')
  .option('--seeds <list>', 'comma-separated seeds', '1,2,3')
  .option('--nodes <n>', 'cluster nodes', '2')
  .option('--one-shot', 'one round of --local-epochs local training (the paper setting)')
  .option('--local-epochs <n>', 'local epochs (with --one-shot, default 5)')
  .option('--rounds <n>', "override the scenarios' rounds")
  .option('--out <file>', 'JSON results (resumable)', 'bench/results/cluster-accuracy.json')
  .parse();
const o = cli.opts<{ scenarios: string; strategies: string; seeds: string; nodes: string; oneShot?: boolean; localEpochs?: string; rounds?: string; out: string }>();
const nodes = Number(o.nodes);
const localEpochs = o.localEpochs !== undefined ? Number(o.localEpochs) : o.oneShot ? 5 : undefined;
const rounds = o.oneShot ? 1 : o.rounds !== undefined ? Number(o.rounds) : undefined;

interface Cell {
  scenario: string;
  strategy: string;
  seed: number;
  aggregation: 'flat' | 'hierarchical';
  accuracy: number[];
  fusionPaths: (string | null)[];
  seconds: number;
}

const done: Cell[] = existsSync(o.out) ? ((JSON.parse(await readFile(o.out, 'utf8')) as { cells: Cell[] }).cells ?? []) : [];
const save = async () => {
  await mkdir(dirname(o.out), { recursive: true });
  const command = `node --import tsx bench/cluster-accuracy.ts ${process.argv.slice(2).join(' ')}`.trim();
  await writeFile(o.out, JSON.stringify({ date: new Date().toISOString(), command, nodes, oneShot: o.oneShot ?? false, localEpochs, rounds, cells: done }, null, 2) + '\n');
};

const redis = await RedisProcess.start();
const scratch = await mkdtemp(join(tmpdir(), 'fedfuse-cluster-accuracy-'));
try {
  for (const file of o.scenarios.split(',')) {
    const loaded = await loadScenario(file);
    for (const strategy of o.strategies.split(',')) {
      for (const seed of o.seeds.split(',').map(Number)) {
        for (const aggregation of ['flat', 'hierarchical'] as const) {
          if (done.some((c) => c.scenario === loaded.name && c.strategy === strategy && c.seed === seed && c.aggregation === aggregation)) continue;
          const scenario = parseScenario(
            {
              ...loaded,
              seed,
              ...(rounds !== undefined ? { rounds } : {}),
              ...(localEpochs !== undefined ? { local: { ...loaded.local, epochs: localEpochs } } : {}),
              strategy: { name: strategy },
            },
            `${file} (bench overrides)`,
          );
          const federation = `accuracy-${Date.now().toString(36)}-${done.length}`;
          const started = performance.now();
          const result = await runScenario(scenario, {
            outDir: join(scratch, federation),
            print: false,
            cluster: { redis: redis.url, federation, nodes, aggregation },
          });
          const cell: Cell = {
            scenario: loaded.name,
            strategy,
            seed,
            aggregation,
            accuracy: result.rounds.map((r) => r.accuracy ?? NaN),
            fusionPaths: result.rounds.map((r) => r.fusion?.path ?? null),
            seconds: (performance.now() - started) / 1000,
          };
          done.push(cell);
          await save();
          console.log(`${cell.scenario} ${strategy} seed ${seed} ${aggregation}: ${(100 * cell.accuracy.at(-1)!).toFixed(2)}% after ${cell.accuracy.length} round(s), ${cell.seconds.toFixed(0)} s`);
        }
      }
    }
  }
} finally {
  await redis.stop();
  await rm(scratch, { recursive: true, force: true });
}

// Final accuracy per scenario × strategy: flat vs hierarchical, mean over seeds and the paired difference.
const rows: string[][] = [];
const groups = new Map<string, Cell[]>();
for (const c of done) groups.set(`${c.scenario}|${c.strategy}`, [...(groups.get(`${c.scenario}|${c.strategy}`) ?? []), c]);
for (const [key, cells] of groups) {
  const [scenario, strategy] = key.split('|');
  const seeds = [...new Set(cells.map((c) => c.seed))].sort((a, b) => a - b);
  const final = (seed: number, a: Cell['aggregation']) => cells.find((c) => c.seed === seed && c.aggregation === a)?.accuracy.at(-1);
  const pairs = seeds.flatMap((s) => {
    const f = final(s, 'flat');
    const h = final(s, 'hierarchical');
    return f !== undefined && h !== undefined ? [[f, h]] : [];
  });
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const pct = (v: number) => (100 * v).toFixed(2);
  rows.push([
    scenario,
    strategy,
    seeds.map((s) => `${pct(final(s, 'flat') ?? NaN)} / ${pct(final(s, 'hierarchical') ?? NaN)}`).join(', '),
    pairs.length ? pct(mean(pairs.map((p) => p[0]))) : '-',
    pairs.length ? pct(mean(pairs.map((p) => p[1]))) : '-',
    pairs.length ? (100 * mean(pairs.map((p) => p[1] - p[0]))).toFixed(2) : '-',
  ]);
}
console.log(renderTable(['scenario', 'strategy', 'flat / hierarchical per seed, %', 'flat mean', 'hier. mean', 'hier. − flat, points'], rows));
process.exit(0);
