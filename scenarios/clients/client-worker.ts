// A client worker process: its own TF.js backend and its share of a scenario's simulated clients, their data loaded
// once, trained in parallel with the other workers'. Started by client-pool.ts, which talks to it over IPC
// (worker-messages.ts): booted → init (load the data) → ready → connect (join) → joined → done.
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { parseScenario } from '../load-scenario.js';
import { clientDatasets } from '../prepare-split.js';
import { dataShapeOf, SimulatedClients } from './simulated-clients.js';
import { serverUrlsSchema, workerConfigSchema, type PoolMessage, type WorkerConfig, type WorkerMessage, type WorkerUsage } from './worker-messages.js';

/** Resolves once the message is handed to the IPC channel (before exiting, so the last one is not lost). */
const send = (m: WorkerMessage): Promise<void> =>
  new Promise((resolve) => {
    if (!process.connected) return resolve();
    process.send!(m, undefined, {}, () => resolve());
  });

let rssPeak = process.memoryUsage.rss();
const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 100);
sampler.unref();

function cpuSeconds(): number {
  const cpu = process.cpuUsage();
  return (cpu.user + cpu.system) / 1e6;
}

function usage(): WorkerUsage {
  rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  const cpu = process.cpuUsage();
  return { rssPeakBytes: rssPeak, cpuUserSeconds: cpu.user / 1e6, cpuSystemSeconds: cpu.system / 1e6 };
}

let clients: SimulatedClients | undefined;
let connect!: (urls: string[]) => void;
const urls = new Promise<string[]>((resolve) => (connect = resolve));

async function run(config: WorkerConfig): Promise<void> {
  const started = performance.now();
  const scenario = parseScenario(config.scenario, `client worker ${config.worker}: scenario`);
  const backend = await initBackend();
  const datasets = await clientDatasets(scenario, config.clients.map((c) => c.index));
  const local = new SimulatedClients({
    clients: config.clients.map((spec, k) => ({ spec, data: datasets[k] })),
    shape: dataShapeOf(scenario),
    onEvent: (event) => void send({ type: 'event', event, cpuSeconds: cpuSeconds() }),
    ...(config.verbose ? { log: (line: string) => void send({ type: 'log', line }) } : {}),
  });
  clients = local;
  void send({ type: 'ready', backend, rssBytes: process.memoryUsage.rss(), loadSeconds: (performance.now() - started) / 1000 });
  await local.start(await urls);
  void send({ type: 'joined' });
  const outcomes = await local.finished();
  await local.stop();
  await send({ type: 'done', outcomes, usage: usage() });
}

process.on('message', (m: PoolMessage) => {
  switch (m.type) {
    case 'init':
      return void run(workerConfigSchema.parse(m.config)).then(
        () => process.exit(0),
        (e: Error) => void send({ type: 'failed', message: e.message }).finally(() => process.exit(1)),
      );
    case 'connect':
      return connect(serverUrlsSchema.parse(m.urls));
    case 'stop':
      return void (clients?.stop() ?? Promise.resolve()).finally(() => process.exit(0));
  }
});
// The pool went away (its process died): nothing is left to report to, so no client should linger.
process.on('disconnect', () => process.exit(0));
void send({ type: 'booted' });
