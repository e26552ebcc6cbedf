// One run of bench/parallel-clients.ts in its own process: the compiled `run` (dist/, so that client workers start
// as the shipped CLI starts them) with a given number of client workers, this process's RSS sampled for the peak.
// Reports the rounds, the per-worker usage and the machine load over IPC, and each round's CPU critical path: the
// round as it would take on an idle machine, from CPU times, which other load disturbs far less than wall time. A
// round runs from its first task to the next round's first task; its critical path is this process's CPU over it
// (the server, and the clients when they run here) plus, with worker processes, the largest CPU time a worker spent
// between its first task and its last trained update of the round (its clients' training ran in parallel with the
// other workers'; the server's decoding of updates during training is counted as if it did not overlap).
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RoundRow } from '../../server/rounds/round-row.js';
import type { PoolWorkerUsage } from '../../scenarios/clients/client-pool.js';

export interface ParallelRunConfig {
  scenario: string;
  workers: number;
  rounds?: number;
  outDir: string;
}

export type ParallelRunMessage =
  | {
      type: 'result';
      backend: string;
      workers: number;
      rounds: RoundRow[];
      seconds: number;
      parentRssPeakBytes: number;
      parentCpuSeconds: number;
      workerUsage: PoolWorkerUsage[];
      loadavg: [number, number];
      cpuRoundSeconds: number[];
      /** Per round: this process's CPU over the round, and each worker's CPU from its first task to its last update. */
      cpuRoundParts: { own: number; workers: number[] }[];
    }
  | { type: 'failed'; message: string };

const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'scenarios');
const distModule = (name: string) => import(pathToFileURL(join(DIST, name)).href);

const config = JSON.parse(process.argv[2]) as ParallelRunConfig;
const report = (m: ParallelRunMessage) => new Promise<void>((r) => process.send!(m, undefined, {}, () => r()));

let rssPeak = process.memoryUsage.rss();
const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 100);

try {
  const { runScenario } = (await distModule('runner.js')) as typeof import('../../scenarios/runner.js');
  const { loadScenario, parseScenario } = (await distModule('load-scenario.js')) as typeof import('../../scenarios/load-scenario.js');
  const loaded = await loadScenario(config.scenario);
  const scenario = config.rounds ? parseScenario({ ...loaded, rounds: config.rounds }, config.scenario) : loaded;
  const loadBefore = loadavg()[0];
  const ownCpu = () => {
    const cpu = process.cpuUsage();
    return (cpu.user + cpu.system) / 1e6;
  };
  /** This process's CPU at each round's first task; per round and worker pid, its CPU at its first task and last update. */
  const roundStart = new Map<number, number>();
  const workerSpan = new Map<number, Map<number, { from: number; to: number }>>();
  const result = await runScenario(scenario, {
    outDir: config.outDir,
    print: false,
    workers: config.workers,
    onClientWorker: (e) => {
      if (e.type !== 'client' || (e.event.type !== 'task' && e.event.type !== 'trained')) return;
      const round = e.event.round;
      if (!roundStart.has(round)) roundStart.set(round, ownCpu());
      if (e.pid === process.pid) return; // clients in this process: counted in its own CPU
      let spans = workerSpan.get(round);
      if (!spans) workerSpan.set(round, (spans = new Map()));
      const span = spans.get(e.pid) ?? { from: e.cpuSeconds, to: e.cpuSeconds };
      if (e.event.type === 'task') span.from = Math.min(span.from, e.cpuSeconds);
      else span.to = Math.max(span.to, e.cpuSeconds);
      spans.set(e.pid, span);
    },
  });
  const end = ownCpu();
  const rounds = [...roundStart.keys()].sort((a, b) => a - b);
  const cpuRoundParts = rounds.map((r, i) => ({
    own: (i + 1 < rounds.length ? roundStart.get(rounds[i + 1])! : end) - roundStart.get(r)!,
    workers: [...(workerSpan.get(r)?.values() ?? [])].map((s) => s.to - s.from),
  }));
  const cpuRoundSeconds = cpuRoundParts.map((p) => p.own + Math.max(0, ...p.workers));
  clearInterval(sampler);
  const cpu = process.cpuUsage();
  await report({
    type: 'result',
    backend: result.backend,
    workers: result.workers,
    rounds: result.rounds,
    seconds: result.seconds,
    parentRssPeakBytes: Math.max(rssPeak, process.memoryUsage.rss()),
    parentCpuSeconds: (cpu.user + cpu.system) / 1e6,
    workerUsage: result.workerUsage ?? [],
    loadavg: [loadBefore, loadavg()[0]],
    cpuRoundSeconds,
    cpuRoundParts,
  });
  process.exit(0);
} catch (e) {
  await report({ type: 'failed', message: (e as Error).stack ?? String(e) });
  process.exit(1);
}
