// Load bench: a FederationServer in its own process and N simulated SDK clients (real socket.io connections,
// real MNIST slices) split over worker processes complete a few FedAvg rounds on loopback. Prints and writes
// join times, round wall times, trained→ack latency percentiles, the server's memory and bytes per round.
// Usage: node --import tsx bench/load-200-clients.ts [--clients 200] [--rounds 3] [--workers 2] [--out file]
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Command } from 'commander';
import { BenchChild, within } from './lib/child.js';
import type { ClientRoundTiming, ClientWorkerConfig, MemorySample, RoundReport, ServerChildConfig, ServerCommand, ServerMessage, WorkerCommand, WorkerMessage } from './lib/protocol.js';
import { mib, percentiles, renderTable, type Percentiles } from './lib/stats.js';
import { formatBytes } from '../scenarios/report/round-table.js';

const cli = new Command('load-200-clients')
  .option('--clients <n>', 'simulated clients', '200')
  .option('--rounds <n>', 'FedAvg rounds', '3')
  .option('--workers <n>', 'client processes (the server has its own)', '2')
  .option('--per-client <n>', 'MNIST training images per client', '32')
  .option('--hidden <n>', 'hidden width of the MLP 784-h-10', '16')
  .option('--timeout-s <n>', 'stop (and report what was measured) after this many seconds', '900')
  .option('--out <file>', 'JSON results', 'bench/results/load-200-clients.json')
  .parse();
const o = cli.opts<{ clients: string; rounds: string; workers: string; perClient: string; hidden: string; timeoutS: string; out: string }>();
const positive = (v: string, name: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${v}"`);
  return n;
};
const clients = positive(o.clients, 'clients');
const rounds = positive(o.rounds, 'rounds');
const workers = Math.min(positive(o.workers, 'workers'), clients);
const perClient = positive(o.perClient, 'per-client');
const hidden = positive(o.hidden, 'hidden');
const timeoutMs = positive(o.timeoutS, 'timeout-s') * 1000;
if (clients * perClient > 55_000) throw new Error(`--clients × --per-client must stay within 55000 MNIST training images`);

const serverConfig: ServerChildConfig = {
  clients,
  rounds,
  widths: [784, hidden, 10],
  strategy: { name: 'fedavg' },
  training: {
    localEpochs: 1,
    batchSize: 32,
    learningRate: 0.05,
    optimizer: 'sgd',
    proximalMu: 0,
    sendActivations: false,
    importanceMethod: '',
    seed: 1,
    halfPrecision: false,
  },
  roundDeadlineMs: 600_000,
  seed: 1,
  evalSize: 1000,
  probeSize: 0,
  sampleMs: 100,
  gcEachRound: false,
};

const started = Date.now();
console.log(`load bench: ${clients} clients in ${workers} processes, MLP 784-${hidden}-10, ${perClient} images each, ${rounds} rounds of FedAvg`);
const server = new BenchChild<ServerMessage, ServerCommand>('server', 'server-child.ts', serverConfig);
const roundReports: RoundReport[] = [];
const rejected: Extract<ServerMessage, { type: 'rejected' }>[] = [];
server.on((m) => {
  if (m.type === 'round') {
    roundReports.push(m.report);
    const r = m.report;
    console.log(`round ${r.round}: ${r.participants} updates, ${r.seconds.toFixed(1)} s, server RSS ${mib(r.memory.rss)} MiB`);
  } else if (m.type === 'rejected') rejected.push(m);
  else if (m.type === 'failed') console.error(`server failed: ${m.message}`);
});

const joins: { clientId: string; joinMs: number; atMs: number }[] = [];
const clientErrors: Extract<WorkerMessage, { type: 'client-error' }>[] = [];
const done: Extract<WorkerMessage, { type: 'client-done' }>[] = [];
const workerPeaks: number[] = [];
const workerChildren: BenchChild<WorkerMessage, WorkerCommand>[] = [];
let serverListening: Extract<ServerMessage, { type: 'listening' }> | undefined;
let allJoinedAtMs: number | undefined;
let joinStartedAtMs: number | undefined;
let finished: Extract<ServerMessage, { type: 'finished' }> | undefined;
let after: Extract<ServerMessage, { type: 'after' }> | undefined;
let failure: string | undefined;

try {
  await within(
    (async () => {
      serverListening = await server.waitFor('listening');
      console.log(`server on ${serverListening.url} (TF.js ${serverListening.backend}); starting client processes`);
      const allJoined = server.waitFor('all-joined');
      const serverFinished = server.waitFor('finished');
      const base = Math.floor(clients / workers);
      let first = 0;
      for (let w = 0; w < workers; w++) {
        const count = base + (w < clients % workers ? 1 : 0);
        const cfg: ClientWorkerConfig = { url: serverListening.url, first, count, perClient };
        first += count;
        const child = new BenchChild<WorkerMessage, WorkerCommand>(`client worker ${w}`, 'client-worker.ts', cfg);
        child.on((m) => {
          if (m.type === 'joined') joins.push(m);
          else if (m.type === 'client-error') clientErrors.push(m);
          else if (m.type === 'client-done') done.push(m);
          else if (m.type === 'worker-done') workerPeaks.push(m.rssPeak);
        });
        workerChildren.push(child);
      }
      // Every worker loads its data first; then all start their clients at once and the join clock starts.
      await Promise.all(workerChildren.map((c) => c.waitFor('ready')));
      joinStartedAtMs = Date.now();
      for (const c of workerChildren) c.send({ type: 'go' });
      allJoinedAtMs = (await allJoined).atMs;
      console.log(`all ${clients} joined (server side) ${((allJoinedAtMs - joinStartedAtMs) / 1000).toFixed(2)} s after the go`);
      finished = await serverFinished;
      await Promise.all(workerChildren.map((c) => c.waitFor('worker-done')));
      const afterP = server.waitFor('after');
      server.send({ type: 'measure-after-and-exit' });
      after = await afterP;
    })(),
    timeoutMs,
    'the load bench',
  );
} catch (e) {
  failure = (e as Error).message;
  console.error(`load bench stopped early: ${failure}`);
} finally {
  await Promise.all([server, ...workerChildren].map((c) => (failure ? c.kill() : c.stop())));
}

// ---- results -------------------------------------------------------------------------------------------------

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : '-');
const pctRow = (label: string, p: Percentiles) => [label, String(p.n), ms(p.p50), ms(p.p90), ms(p.p99), ms(p.max)];
const joinPct = percentiles(joins.map((j) => j.joinMs));
const timings: (ClientRoundTiming & { clientId: string })[] = done.flatMap((d) => d.rounds.map((r) => ({ ...r, clientId: d.clientId })));
const ackByRound = roundReports.map((r) => ({ round: r.round, ack: percentiles(timings.filter((t) => t.round === r.round).map((t) => t.uploadToAckMs)) }));
const ackAll = percentiles(timings.map((t) => t.uploadToAckMs));
const trainAll = percentiles(timings.map((t) => t.trainMs));
const failed = done.filter((d) => !d.ok);

console.log('\njoin and upload latency per client (ms):');
console.log(
  renderTable(['what', 'n', 'p50', 'p90', 'p99', 'max'], [
    pctRow('join (start() → Welcome)', joinPct),
    ...ackByRound.map((r) => pctRow(`round ${r.round} trained → ack`, r.ack)),
    pctRow('all rounds trained → ack', ackAll),
    pctRow('all rounds local training', trainAll),
  ]),
);
console.log('\nrounds (server):');
console.log(
  renderTable(
    ['round', 'updates', 'stragglers', 'rejected', 'wall s', 'aggregate s', 'test acc', 'sent', 'received', 'RSS MiB', 'heap MiB'],
    roundReports.map((r) => [
      String(r.round),
      String(r.participants),
      String(r.stragglers),
      String(r.rejected.length),
      r.seconds.toFixed(2),
      r.aggregateSeconds.toFixed(3),
      r.accuracy === undefined ? '-' : `${(100 * r.accuracy).toFixed(1)}%`,
      formatBytes(r.bytesSent),
      formatBytes(r.bytesReceived),
      mib(r.memory.rss),
      mib(r.memory.heapUsed),
    ]),
  ),
);
const memRow = (label: string, m?: MemorySample) =>
  m ? [label, mib(m.rss), mib(m.heapUsed), mib(m.external), mib(m.arrayBuffers), String(m.numTensors)] : [label, '-', '-', '-', '-', '-'];
console.log('\nserver memory (MiB):');
console.log(
  renderTable(['when', 'RSS', 'heapUsed', 'external', 'arrayBuffers', 'tf tensors'], [
    memRow('listening, before joins', serverListening?.memory),
    memRow('peak (sampled every 100 ms)', after?.peak ?? finished?.peak),
    memRow('after, clients gone, GC', after?.memory),
  ]),
);
const joinSpanS = allJoinedAtMs !== undefined && joinStartedAtMs !== undefined ? (allJoinedAtMs - joinStartedAtMs) / 1000 : undefined;
console.log(
  `\nall ${clients} joined in ${joinSpanS?.toFixed(2) ?? '-'} s; ${failed.length} clients failed, ${rejected.length} updates rejected, ` +
    `${clientErrors.length} client-side errors; client worker peak RSS ${workerPeaks.map(mib).join(' / ')} MiB; whole bench ${((Date.now() - started) / 1000).toFixed(1)} s`,
);

const result = {
  date: new Date().toISOString(),
  command: `node --import tsx bench/load-200-clients.ts ${process.argv.slice(2).join(' ')}`.trim(),
  ok: failure === undefined && failed.length === 0 && roundReports.length === rounds,
  failure,
  config: { clients, rounds, workers, perClient, model: `mlp 784-${hidden}-10`, strategy: 'fedavg', clientsPerRound: 'all', backend: serverListening?.backend },
  joinSeconds: joinSpanS,
  joinMs: joinPct,
  uploadToAckMs: { all: ackAll, byRound: ackByRound },
  localTrainingMs: trainAll,
  rounds: roundReports,
  server: { listening: serverListening?.memory, peak: after?.peak ?? finished?.peak, after: after?.memory, logLines: finished?.logLines },
  clientWorkerRssPeak: workerPeaks,
  failedClients: failed.map((f) => ({ clientId: f.clientId, reason: f.reason })),
  rejectedUpdates: rejected,
  clientErrors,
  benchSeconds: (Date.now() - started) / 1000,
};
await mkdir(dirname(o.out), { recursive: true });
await writeFile(o.out, JSON.stringify(result, null, 2) + '\n');
console.log(`results: ${o.out}`);
process.exit(result.ok ? 0 : 1);
