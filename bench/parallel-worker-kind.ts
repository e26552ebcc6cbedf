// Worker threads or child processes for the client workers? The same work both ways: W hosts (bench/lib/training-host.ts)
// each load TF.js and their share of a scenario's clients (split as the client pool splits them) and train each of
// them one local epoch; threads and processes alternate within every repeat. Prints, per kind, the median wall time
// from start to every host ready (modules, backend, data), of the training (the round's share that runs in
// parallel), and the peak RSS of everything together.
// Usage: node --import tsx bench/parallel-worker-kind.ts [--scenario scenarios/default.yaml] [--workers 2] [--repeat 3]
import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Command } from 'commander';
import { positiveInt } from '../cli/options.js';
import { loadScenario } from '../scenarios/load-scenario.js';
import { clientRowsOf, loadTrainSplit } from '../scenarios/prepare-split.js';
import { assignToWorkers } from '../scenarios/clients/assign-workers.js';
import { median, renderTable } from './lib/stats.js';

const cli = new Command('parallel-worker-kind')
  .option('--scenario <file>', 'the scenario whose clients are trained', 'scenarios/default.yaml')
  .option('--workers <n>', 'hosts at once (default: the cores)')
  .option('--repeat <n>', 'runs of each kind, alternating', '3')
  .parse();
const o = cli.opts<{ scenario: string; workers?: string; repeat: string }>();
const HOST = join(dirname(fileURLToPath(import.meta.url)), 'lib', 'training-host.ts');
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

type HostReport = { bootSeconds: number; loadSeconds: number; trainSeconds: number; examples: number; rssBytes: number };
type Kind = 'thread' | 'process';

const scenario = await loadScenario(o.scenario);
const workers = Math.min(o.workers ? positiveInt('workers')(o.workers) : availableParallelism(), scenario.clients);
const rows = clientRowsOf(scenario, await loadTrainSplit(scenario)).clients;
const shares = assignToWorkers(rows.map((r) => r.length), workers);

function host(kind: Kind, indexes: number[]): Promise<HostReport> {
  const config = { scenario: o.scenario, indexes };
  return new Promise((resolvePromise, reject) => {
    if (kind === 'thread') {
      // tsx's hooks do not reach worker threads by themselves: the thread registers them before loading the host.
      const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(HOST).href)}); })`;
      const w = new Worker(boot, { eval: true, workerData: config });
      w.once('message', (m: HostReport) => void w.terminate().then(() => resolvePromise(m)));
      w.once('error', reject);
    } else {
      const child = fork(HOST, [JSON.stringify(config)], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      child.once('message', (m: HostReport) => resolvePromise(m));
      child.once('exit', (code) => reject(new Error(`host exited with code ${code} before reporting`)));
    }
  });
}

async function runOnce(kind: Kind) {
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
  const started = performance.now();
  const reports = await Promise.all(shares.map((indexes) => host(kind, indexes)));
  clearInterval(sampler);
  return {
    wallSeconds: (performance.now() - started) / 1000,
    readySeconds: Math.max(...reports.map((r) => r.bootSeconds + r.loadSeconds)),
    trainSeconds: Math.max(...reports.map((r) => r.trainSeconds)),
    examplesPerSecond: reports.reduce((s, r) => s + r.examples, 0) / Math.max(...reports.map((r) => r.trainSeconds)),
    // Threads share this process's RSS; each child process has its own peak.
    rssMiB: (kind === 'thread' ? peak : peak + reports.reduce((s, r) => s + r.rssBytes, 0)) / 2 ** 20,
  };
}

const results: Record<Kind, Awaited<ReturnType<typeof runOnce>>[]> = { thread: [], process: [] };
console.log(`worker kind: ${scenario.name}, ${workers} hosts with clients ${shares.map((s) => s.join('+')).join(' / ')}, ${o.repeat} repeat(s)`);
for (let rep = 0; rep < positiveInt('repeat')(o.repeat); rep++) {
  for (const kind of ['process', 'thread'] as const) {
    const r = await runOnce(kind);
    results[kind].push(r);
    console.log(`  ${kind}: ready ${r.readySeconds.toFixed(2)} s, train ${r.trainSeconds.toFixed(2)} s, RSS ${r.rssMiB.toFixed(0)} MiB`);
  }
}
console.log(
  renderTable(
    ['kind', 'ready s', 'train s', 'images/s', 'wall s', 'peak RSS MiB'],
    (['process', 'thread'] as const).map((k) => {
      const rs = results[k];
      const m = (f: (r: (typeof rs)[number]) => number, digits: number) => median(rs.map(f)).toFixed(digits);
      return [k, m((r) => r.readySeconds, 2), m((r) => r.trainSeconds, 2), m((r) => r.examplesPerSecond, 0), m((r) => r.wallSeconds, 2), m((r) => r.rssMiB, 0)];
    }),
  ),
);
