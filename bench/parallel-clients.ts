// bench:parallel — how a run's time per round scales with client worker processes (`run --workers N`): the same
// scenario, seed and rounds with 1, 2, 4, … workers up to the cores, each run a fresh process of the compiled CLI's
// runner, the worker counts alternating within every repeat (the machine is shared: a drift in its load then hits
// every count alike, and each count's ratio to 1 worker is taken within its repeat). Prints per worker count the wall
// time per round (the server's own round time, first task sent → result broadcast), its ratio to 1 worker,
// client updates per second, the whole run's time, and the peak RSS of the run's process and of each worker; checks
// that every run gave the same per-round accuracy.
// Usage: npm run bench:parallel -- [--scenario scenarios/default.yaml] [--max-workers <cores>] [--workers 1,2]
//        [--repeat 3] [--rounds n] [--json] [--out bench/results/parallel-clients.json]
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { list, positiveInt } from '../cli/options.js';
import { loadScenario } from '../scenarios/load-scenario.js';
import { BenchChild, within } from './lib/child.js';
import type { ParallelRunConfig, ParallelRunMessage } from './lib/parallel-run.js';
import { median, renderTable } from './lib/stats.js';

const cli = new Command('bench:parallel')
  .option('--scenario <file>', 'the scenario to run', 'scenarios/default.yaml')
  .option('--max-workers <n>', 'largest worker count (default: the cores available)')
  .option('--workers <list>', 'worker counts to run (default: 1, 2, 4, … up to --max-workers, and --max-workers itself)')
  .option('--repeat <n>', 'runs of each worker count, alternating', '3')
  .option('--rounds <n>', "override the scenario's rounds")
  .option('--timeout-s <n>', 'a run that takes longer is stopped and reported as failed', '1200')
  .option('--json', 'end with one line of JSON: the summary')
  .option('--out <file>', 'JSON summary', 'bench/results/parallel-clients.json')
  .parse();
const o = cli.opts<{ scenario: string; maxWorkers?: string; workers?: string; repeat: string; rounds?: string; timeoutS: string; json?: boolean; out: string }>();

const scenario = await loadScenario(o.scenario);
const cores = availableParallelism();
const maxWorkers = Math.min(o.maxWorkers ? positiveInt('max-workers')(o.maxWorkers) : cores, scenario.clients);
const defaultCounts = () => {
  const counts: number[] = [];
  for (let w = 1; w < maxWorkers; w *= 2) counts.push(w);
  return [...counts, maxWorkers];
};
const counts = o.workers ? [...new Set(list(o.workers).map(positiveInt('workers')))] : defaultCounts();
const repeat = positiveInt('repeat')(o.repeat);
const rounds = o.rounds ? positiveInt('rounds')(o.rounds) : undefined;
const timeoutMs = positiveInt('timeout-s')(o.timeoutS) * 1000;
if (!counts.includes(1)) throw new Error('--workers must include 1: every ratio is to one worker');

type Result = Extract<ParallelRunMessage, { type: 'result' }>;

async function runOnce(workers: number, outDir: string): Promise<Result> {
  const config: ParallelRunConfig = { scenario: o.scenario, workers, outDir, ...(rounds ? { rounds } : {}) };
  const child = new BenchChild<ParallelRunMessage>(`run with ${workers} worker(s)`, 'parallel-run.ts', config);
  try {
    const message = await within(
      Promise.race([
        new Promise<ParallelRunMessage>((resolve) => child.on(resolve)),
        child.exited().then((how): never => {
          throw new Error(`the run with ${workers} worker(s) ${how} before reporting`);
        }),
      ]),
      timeoutMs,
      `a run with ${workers} worker(s)`,
    );
    if (message.type === 'failed') throw new Error(`the run with ${workers} worker(s) failed: ${message.message}`);
    return message;
  } finally {
    await child.stop();
  }
}

const perRound = (r: Result) => r.rounds.reduce((s, row) => s + row.seconds, 0) / r.rounds.length;
const cpuPerRound = (r: Result) => r.cpuRoundSeconds.reduce((s, x) => s + x, 0) / r.cpuRoundSeconds.length;
const updatesPerSecond = (r: Result) => r.rounds.reduce((s, row) => s + row.participants, 0) / r.rounds.reduce((s, row) => s + row.seconds, 0);
const accuracies = (r: Result) => r.rounds.map((row) => row.accuracy);

console.log(
  `bench:parallel: ${scenario.name} (${scenario.clients} clients, ${rounds ?? scenario.rounds} rounds, ${scenario.strategy.name}); ` +
    `workers ${counts.join(', ')}; ${repeat} repeat(s), alternating; ${cores} cores (${cpus()[0]?.model ?? 'unknown CPU'}); load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`,
);
const scratch = await mkdtemp(join(tmpdir(), 'fedfuse-bench-parallel-'));
const runs = new Map<number, Result[]>(counts.map((w) => [w, []]));
const ratios = new Map<number, number[]>(counts.map((w) => [w, []]));
const cpuRatios = new Map<number, number[]>(counts.map((w) => [w, []]));
try {
  for (let rep = 0; rep < repeat; rep++) {
    const one = new Map<number, Result>();
    for (const w of counts) {
      const r = await runOnce(w, join(scratch, `w${w}-r${rep}`));
      one.set(w, r);
      runs.get(w)!.push(r);
      console.log(
        `  repeat ${rep + 1}, ${w} worker(s): ${perRound(r).toFixed(2)} s per round (${r.rounds.map((x) => x.seconds.toFixed(1)).join(' ')}), ` +
          `CPU critical path ${cpuPerRound(r).toFixed(2)} s per round, run ${r.seconds.toFixed(1)} s, load ${r.loadavg.map((l) => l.toFixed(1)).join('→')}`,
      );
    }
    for (const w of counts) ratios.get(w)!.push(perRound(one.get(w)!) / perRound(one.get(1)!));
    for (const w of counts) cpuRatios.get(w)!.push(cpuPerRound(one.get(w)!) / cpuPerRound(one.get(1)!));
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}

const reference = JSON.stringify(accuracies(runs.get(1)![0]));
const sameAccuracy = [...runs.values()].flat().every((r) => JSON.stringify(accuracies(r)) === reference);
const rows = counts.map((w) => {
  const rs = runs.get(w)!;
  const workerPeaks = rs.flatMap((r) => r.workerUsage.map((u) => u.rssPeakBytes ?? 0));
  return {
    workers: w,
    roundSeconds: median(rs.map(perRound)),
    ratioToOne: median(ratios.get(w)!),
    cpuRoundSeconds: median(rs.map(cpuPerRound)),
    cpuRatioToOne: median(cpuRatios.get(w)!),
    // What the CPU path is made of, per round (medians over rounds and repeats): the run's own process (the server,
    // and with 1 worker the clients too), the slowest worker's training span, and all workers' spans together.
    cpuParts: {
      ownSeconds: median(rs.flatMap((r) => r.cpuRoundParts.map((p) => p.own))),
      slowestWorkerSeconds: median(rs.flatMap((r) => r.cpuRoundParts.map((p) => Math.max(0, ...p.workers)))),
      allWorkersSeconds: median(rs.flatMap((r) => r.cpuRoundParts.map((p) => p.workers.reduce((s, x) => s + x, 0)))),
    },
    updatesPerSecond: median(rs.map(updatesPerSecond)),
    runSeconds: median(rs.map((r) => r.seconds)),
    parentRssPeakMiB: Math.max(...rs.map((r) => r.parentRssPeakBytes)) / 2 ** 20,
    workerRssPeakMiB: workerPeaks.length ? Math.max(...workerPeaks) / 2 ** 20 : undefined,
    totalRssPeakMiB: Math.max(...rs.map((r) => r.parentRssPeakBytes + r.workerUsage.reduce((s, u) => s + (u.rssPeakBytes ?? 0), 0))) / 2 ** 20,
    cpuSecondsPerRun: median(rs.map((r) => r.parentCpuSeconds + r.workerUsage.reduce((s, u) => s + (u.cpuUserSeconds ?? 0) + (u.cpuSystemSeconds ?? 0), 0))),
    loadavg: median(rs.flatMap((r) => r.loadavg)),
  };
});
console.log('');
console.log(
  renderTable(
    ['workers', 'round s', '× 1 worker', 'CPU path s', '× 1 worker', 'updates/s', 'run s', 'CPU s/run', 'peak RSS run MiB', 'peak RSS/worker MiB', 'peak RSS total MiB', 'load'],
    rows.map((r) => [
      String(r.workers),
      r.roundSeconds.toFixed(2),
      r.ratioToOne.toFixed(2),
      r.cpuRoundSeconds.toFixed(2),
      r.cpuRatioToOne.toFixed(2),
      r.updatesPerSecond.toFixed(2),
      r.runSeconds.toFixed(1),
      r.cpuSecondsPerRun.toFixed(1),
      r.parentRssPeakMiB.toFixed(0),
      r.workerRssPeakMiB === undefined ? '(in the run)' : r.workerRssPeakMiB.toFixed(0),
      r.totalRssPeakMiB.toFixed(0),
      r.loadavg.toFixed(1),
    ]),
  ),
);
console.log(`\nper-round accuracy ${sameAccuracy ? 'identical in every run' : 'DIFFERS between runs'}: ${reference}`);
console.log(
  "round s: the server's wall time per round; CPU path s: the round's CPU critical path (bench/lib/parallel-run.ts), " +
    "what a round takes on an idle machine; 1 worker = the clients in the run's own process; peak RSS total = the run's process + its workers",
);

const summary = {
  bench: 'parallel-clients',
  date: new Date().toISOString(),
  scenario: { file: o.scenario, name: scenario.name, clients: scenario.clients, rounds: rounds ?? scenario.rounds, strategy: scenario.strategy.name },
  cores,
  cpu: cpus()[0]?.model,
  backend: runs.get(1)![0].backend,
  repeat,
  sameAccuracy,
  accuracy: JSON.parse(reference) as unknown,
  rows,
};
await mkdir(dirname(o.out), { recursive: true });
await writeFile(o.out, JSON.stringify(summary, null, 2) + '\n');
console.log(`summary in ${o.out}; peak RSS per worker: ${rows.filter((r) => r.workerRssPeakMiB !== undefined).map((r) => `${r.workers}: ${r.workerRssPeakMiB!.toFixed(0)} MiB`).join(', ')}`);
if (o.json) console.log(JSON.stringify(summary));
if (!sameAccuracy) process.exitCode = 1;
