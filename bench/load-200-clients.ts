// Load bench: a FederationServer in its own process and N simulated SDK clients (real socket.io connections,
// real MNIST slices) split over worker processes complete a few FedAvg rounds on loopback. Prints and writes
// join times, round wall times, trained→ack latency percentiles, the server's memory and bytes per round; with
// --repeat, the whole thing runs several times and the summary gives the median over runs (the machine is shared).
// Usage: node --import tsx bench/load-200-clients.ts [--clients 200] [--rounds 3] [--workers 2] [--repeat 1] [--out file]
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Command } from 'commander';
import { positiveInt } from '../cli/options.js';
import { BenchChild, within } from './lib/child.js';
import { type MemorySample, type RoundReport, type ServerCommand, type ServerMessage, type WorkerCommand, type WorkerMessage } from './lib/protocol.js';
import { loadServerConfig, startClientWorkers } from './lib/load-setup.js';
import { median, mib, percentiles, renderTable, type Percentiles } from './lib/stats.js';
import { formatBytes } from '../scenarios/report/round-table.js';

const cli = new Command('load-200-clients')
  .option('--clients <n>', 'simulated clients', '200')
  .option('--rounds <n>', 'FedAvg rounds', '3')
  .option('--workers <n>', 'client processes (the server has its own)', '2')
  .option('--per-client <n>', 'MNIST training images per client', '32')
  .option('--hidden <n>', 'hidden width of the MLP 784-h-10', '16')
  .option('--repeat <n>', 'independent runs (fresh processes each); the summary is the median over runs', '1')
  .option('--timeout-s <n>', 'a run that takes longer is stopped and reported as failed', '900')
  .option('--out <file>', 'JSON results', 'bench/results/load-200-clients.json')
  .parse();
const o = cli.opts<{ clients: string; rounds: string; workers: string; perClient: string; hidden: string; repeat: string; timeoutS: string; out: string }>();
const clients = positiveInt('clients')(o.clients);
const rounds = positiveInt('rounds')(o.rounds);
const workers = Math.min(positiveInt('workers')(o.workers), clients);
const perClient = positiveInt('per-client')(o.perClient);
const hidden = positiveInt('hidden')(o.hidden);
const repeat = positiveInt('repeat')(o.repeat);
const timeoutMs = positiveInt('timeout-s')(o.timeoutS) * 1000;
if (clients * perClient > 55_000) throw new Error(`--clients × --per-client must stay within 55000 MNIST training images`);

const serverConfig = loadServerConfig(clients, rounds, hidden);

interface RunResult {
  ok: boolean;
  failure?: string;
  backend?: string;
  /** Workers' go → the server saw the last Join, s. */
  joinSeconds?: number;
  joinMs: Percentiles;
  uploadToAckMs: { all: Percentiles; byRound: { round: number; ack: Percentiles }[] };
  localTrainingMs: Percentiles;
  rounds: RoundReport[];
  server: { listening?: MemorySample; peak?: MemorySample; after?: MemorySample; logLines?: number };
  clientWorkerRssPeak: number[];
  failedClients: { clientId: string; reason?: string }[];
  rejectedUpdates: { round: number; clientId: string; code: string; reason: string }[];
  clientErrors: { clientId: string; code: string; message: string; round: number }[];
  seconds: number;
}

async function runOnce(): Promise<RunResult> {
  const started = Date.now();
  const server = new BenchChild<ServerMessage, ServerCommand>('server', 'server-child.ts', serverConfig);
  const roundReports: RoundReport[] = [];
  const rejected: RunResult['rejectedUpdates'] = [];
  server.on((m) => {
    if (m.type === 'round') {
      roundReports.push(m.report);
      const r = m.report;
      console.log(`round ${r.round}: ${r.participants} updates, ${r.seconds.toFixed(1)} s, server RSS ${mib(r.memory.rss)} MiB`);
    } else if (m.type === 'rejected') rejected.push({ round: m.round, clientId: m.clientId, code: m.code, reason: m.reason });
    else if (m.type === 'failed') console.error(`server failed: ${m.message}`);
  });
  const joins: number[] = [];
  const clientErrors: RunResult['clientErrors'] = [];
  const done: Extract<WorkerMessage, { type: 'client-done' }>[] = [];
  const workerPeaks: number[] = [];
  const workerChildren: BenchChild<WorkerMessage, WorkerCommand>[] = [];
  let listening: Extract<ServerMessage, { type: 'listening' }> | undefined;
  let joinSeconds: number | undefined;
  let finished: Extract<ServerMessage, { type: 'finished' }> | undefined;
  let after: Extract<ServerMessage, { type: 'after' }> | undefined;
  let failure: string | undefined;
  try {
    await within(
      (async () => {
        listening = await server.waitFor('listening');
        const allJoined = server.waitFor('all-joined');
        const serverFinished = server.waitFor('finished');
        workerChildren.push(
          ...startClientWorkers(workers, clients, { url: listening.url, perClient }, (m) => {
            if (m.type === 'joined') joins.push(m.joinMs);
            else if (m.type === 'client-error') clientErrors.push({ clientId: m.clientId, code: m.code, message: m.message, round: m.round });
            else if (m.type === 'client-done') done.push(m);
            else if (m.type === 'worker-done') workerPeaks.push(m.rssPeak);
          }),
        );
        // Every worker loads its data first; then all start their clients at once and the join clock starts.
        await Promise.all(workerChildren.map((c) => c.waitFor('ready')));
        const goAtMs = Date.now();
        for (const c of workerChildren) c.send({ type: 'go' });
        joinSeconds = ((await allJoined).atMs - goAtMs) / 1000;
        console.log(`all ${clients} joined (server side) ${joinSeconds.toFixed(2)} s after the go`);
        finished = await serverFinished;
        await Promise.all(workerChildren.map((c) => c.waitFor('worker-done')));
        const afterP = server.waitFor('after');
        server.send({ type: 'measure-after-and-exit' });
        after = await afterP;
      })(),
      timeoutMs,
      'the load run',
    );
  } catch (e) {
    failure = (e as Error).message;
    console.error(`load run stopped early: ${failure}`);
  } finally {
    await Promise.all([server, ...workerChildren].map((c) => (failure ? c.kill() : c.stop())));
  }
  const timings = done.flatMap((d) => d.rounds);
  const failed = done.filter((d) => !d.ok);
  return {
    ok: failure === undefined && failed.length === 0 && roundReports.length === rounds && done.length === clients,
    failure,
    backend: listening?.backend,
    joinSeconds,
    joinMs: percentiles(joins),
    uploadToAckMs: {
      all: percentiles(timings.map((t) => t.uploadToAckMs)),
      byRound: roundReports.map((r) => ({ round: r.round, ack: percentiles(timings.filter((t) => t.round === r.round).map((t) => t.uploadToAckMs)) })),
    },
    localTrainingMs: percentiles(timings.map((t) => t.trainMs)),
    rounds: roundReports,
    server: { listening: listening?.memory, peak: after?.peak ?? finished?.peak, after: after?.memory, logLines: finished?.logLines },
    clientWorkerRssPeak: workerPeaks,
    failedClients: failed.map((f) => ({ clientId: f.clientId, reason: f.reason })),
    rejectedUpdates: rejected,
    clientErrors,
    seconds: (Date.now() - started) / 1000,
  };
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : '-');
const pctRow = (label: string, p: Percentiles) => [label, String(p.n), ms(p.p50), ms(p.p90), ms(p.p99), ms(p.max)];
const memRow = (label: string, m?: MemorySample) =>
  m ? [label, mib(m.rss), mib(m.heapUsed), mib(m.external), mib(m.arrayBuffers), String(m.numTensors)] : [label, '-', '-', '-', '-', '-'];

function printRun(r: RunResult): void {
  console.log('\njoin and upload latency per client (ms):');
  console.log(
    renderTable(['what', 'n', 'p50', 'p90', 'p99', 'max'], [
      pctRow('join (start() → Welcome)', r.joinMs),
      ...r.uploadToAckMs.byRound.map((b) => pctRow(`round ${b.round} trained → ack`, b.ack)),
      pctRow('all rounds trained → ack', r.uploadToAckMs.all),
      pctRow('all rounds local training', r.localTrainingMs),
    ]),
  );
  console.log('\nrounds (server):');
  console.log(
    renderTable(
      ['round', 'updates', 'stragglers', 'rejected', 'wall s', 'aggregate s', 'test acc', 'sent', 'received', 'RSS MiB', 'heap MiB'],
      r.rounds.map((x) => [
        String(x.round),
        String(x.participants),
        String(x.stragglers),
        String(x.rejected.reduce((n, r) => n + r.count, 0)),
        x.seconds.toFixed(2),
        x.aggregateSeconds.toFixed(3),
        x.accuracy === undefined ? '-' : `${(100 * x.accuracy).toFixed(1)}%`,
        formatBytes(x.bytesSent),
        formatBytes(x.bytesReceived),
        mib(x.memory.rss),
        mib(x.memory.heapUsed),
      ]),
    ),
  );
  console.log('\nserver memory (MiB):');
  console.log(
    renderTable(['when', 'RSS', 'heapUsed', 'external', 'arrayBuffers', 'tf tensors'], [
      memRow('listening, before joins', r.server.listening),
      memRow('peak (sampled every 100 ms)', r.server.peak),
      memRow('after, clients gone, GC', r.server.after),
    ]),
  );
  console.log(
    `\nall ${clients} joined in ${r.joinSeconds?.toFixed(2) ?? '-'} s; ${r.failedClients.length} clients failed, ` +
      `${r.rejectedUpdates.length} updates rejected, ${r.clientErrors.length} client-side errors; ` +
      `client worker peak RSS ${r.clientWorkerRssPeak.map(mib).join(' / ')} MiB; run ${r.seconds.toFixed(1)} s`,
  );
}

console.log(
  `load bench: ${clients} clients in ${workers} processes, MLP 784-${hidden}-10, ${perClient} images each, ` +
    `${rounds} rounds of FedAvg, ${repeat} run(s)`,
);
const runs: RunResult[] = [];
for (let i = 0; i < repeat; i++) {
  if (repeat > 1) console.log(`\n=== run ${i + 1} of ${repeat}`);
  const r = await runOnce();
  printRun(r);
  runs.push(r);
}

// Median over runs of each headline figure (a run's own figures are already percentiles over its clients).
const med = (pick: (r: RunResult) => number | undefined) => median(runs.map(pick).filter((v): v is number => v !== undefined && Number.isFinite(v)));
const summary = {
  runs: runs.length,
  okRuns: runs.filter((r) => r.ok).length,
  joinSeconds: med((r) => r.joinSeconds),
  joinMs: { p50: med((r) => r.joinMs.p50), p90: med((r) => r.joinMs.p90), p99: med((r) => r.joinMs.p99), max: med((r) => r.joinMs.max) },
  roundSeconds: Array.from({ length: rounds }, (_, k) => med((r) => r.rounds[k]?.seconds)),
  uploadToAckMs: {
    p50: med((r) => r.uploadToAckMs.all.p50),
    p90: med((r) => r.uploadToAckMs.all.p90),
    p99: med((r) => r.uploadToAckMs.all.p99),
    max: med((r) => r.uploadToAckMs.all.max),
  },
  serverRssPeak: med((r) => r.server.peak?.rss),
  serverHeapPeak: med((r) => r.server.peak?.heapUsed),
  serverRssAfter: med((r) => r.server.after?.rss),
  serverHeapAfter: med((r) => r.server.after?.heapUsed),
  bytesSentPerRound: med((r) => r.rounds[0]?.bytesSent),
  bytesReceivedPerRound: med((r) => r.rounds[0]?.bytesReceived),
  failedClients: runs.reduce((a, r) => a + r.failedClients.length, 0),
  rejectedUpdates: runs.reduce((a, r) => a + r.rejectedUpdates.length, 0),
};
if (repeat > 1) {
  console.log(`\nmedian over ${runs.length} runs (${summary.okRuns} complete):`);
  console.log(
    renderTable(['figure', 'median'], [
      ['all joined, s', summary.joinSeconds.toFixed(2)],
      ['join p50 / p90 / p99 / max, ms', [summary.joinMs.p50, summary.joinMs.p90, summary.joinMs.p99, summary.joinMs.max].map(ms).join(' / ')],
      ['round wall s', summary.roundSeconds.map((s) => s.toFixed(2)).join(' / ')],
      ['trained → ack p50 / p90 / p99 / max, ms', [summary.uploadToAckMs.p50, summary.uploadToAckMs.p90, summary.uploadToAckMs.p99, summary.uploadToAckMs.max].map(ms).join(' / ')],
      ['server RSS peak / after, MiB', `${mib(summary.serverRssPeak)} / ${mib(summary.serverRssAfter)}`],
      ['server heapUsed peak / after, MiB', `${mib(summary.serverHeapPeak)} / ${mib(summary.serverHeapAfter)}`],
      ['sent / received per round', `${formatBytes(summary.bytesSentPerRound)} / ${formatBytes(summary.bytesReceivedPerRound)}`],
      ['failed clients / rejected updates (all runs)', `${summary.failedClients} / ${summary.rejectedUpdates}`],
    ]),
  );
}

const result = {
  date: new Date().toISOString(),
  command: `node --import tsx bench/load-200-clients.ts ${process.argv.slice(2).join(' ')}`.trim(),
  ok: runs.every((r) => r.ok),
  config: { clients, rounds, workers, perClient, model: `mlp 784-${hidden}-10`, strategy: 'fedavg', clientsPerRound: 'all', evalSize: serverConfig.evalSize, backend: runs[0]?.backend },
  summary,
  runs,
};
await mkdir(dirname(o.out), { recursive: true });
await writeFile(o.out, JSON.stringify(result, null, 2) + '\n');
console.log(`results: ${o.out}`);
process.exit(result.ok ? 0 : 1);
