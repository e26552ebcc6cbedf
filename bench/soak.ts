// Soak bench: a FederationServer in its own process runs many rounds with 10 SDK clients (MLP 784-256-10, small
// real MNIST slices, one client process). After every round the server child runs a full GC and reports its RSS,
// heap, external/arrayBuffers and tf.memory(); the bench fits a line over the last rounds and says whether each
// curve is flat. It asserts nothing but that the federation finished. Writes JSON, CSV and PNG charts.
// Usage: node --import tsx bench/soak.ts [--rounds 50] [--clients 10] [--strategy fedavg|neuron-interpolation]
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { positiveInt } from '../cli/options.js';
import { BenchChild, within } from './lib/child.js';
import { BENCH_TRAINING, type MemorySample, type RoundReport, type ServerChildConfig, type ServerCommand, type ServerMessage, type WorkerCommand, type WorkerMessage } from './lib/protocol.js';
import { fitLine, median, mib, renderTable, theilSenSlope } from './lib/stats.js';
import { renderLineChart, type BandSeries } from '../scenarios/report/charts/line-chart.js';
import { writeChartPng } from '../scenarios/report/png.js';

const cli = new Command('soak')
  .option('--rounds <n>', 'rounds', '50')
  .option('--clients <n>', 'clients (one client process)', '10')
  .option('--per-client <n>', 'MNIST training images per client', '200')
  .option('--strategy <name>', 'fedavg or neuron-interpolation (KF-linear, 200 probe images)', 'fedavg')
  .option('--fit-last <n>', 'rounds the flatness line is fitted over (default: the last 40, or the last 80% when fewer)')
  .option('--timeout-s <n>', 'stop (and report what was measured) after this many seconds', '3600')
  .option('--out-prefix <path>', 'results go to <prefix>.json, .csv, -memory.png, -tensors.png (default bench/results/soak-<strategy>)')
  .option('--reanalyse <json>', "recompute the verdict, CSV and charts from an earlier soak's JSON (runs no federation)")
  .parse();
const o = cli.opts<{ rounds: string; clients: string; perClient: string; strategy: string; fitLast?: string; timeoutS: string; outPrefix?: string; reanalyse?: string }>();
/** What an earlier soak wrote (the parts --reanalyse reads back). */
interface SoakFile {
  date: string;
  command: string;
  failure?: string;
  failedClients: string[];
  config: { clients: number; rounds: number; perClient: number; strategy: ServerChildConfig['strategy'] };
  listening?: MemorySample;
  peak?: MemorySample;
  after?: MemorySample;
  rounds: RoundReport[];
  soakSeconds: number;
}
const earlier = o.reanalyse ? (JSON.parse(await readFile(o.reanalyse, 'utf8')) as SoakFile) : undefined;
if (earlier && !Array.isArray(earlier.rounds)) throw new Error(`${o.reanalyse} has no "rounds" array: not a soak result`);
const rounds = earlier?.config.rounds ?? positiveInt('rounds')(o.rounds);
const clients = earlier?.config.clients ?? positiveInt('clients')(o.clients);
const perClient = earlier?.config.perClient ?? positiveInt('per-client')(o.perClient);
const strategyName = earlier?.config.strategy.name ?? o.strategy;
if (strategyName !== 'fedavg' && strategyName !== 'neuron-interpolation') throw new Error(`--strategy must be fedavg or neuron-interpolation, got "${strategyName}"`);
const ni = strategyName === 'neuron-interpolation';
const fitLast = o.fitLast ? positiveInt('fit-last')(o.fitLast) : Math.min(40, Math.max(2, Math.floor(rounds * 0.8)));
const timeoutMs = positiveInt('timeout-s')(o.timeoutS) * 1000;
const prefix = o.outPrefix ?? (o.reanalyse ? o.reanalyse.replace(/\.json$/, '') : `bench/results/soak-${strategyName}`);

const serverConfig: ServerChildConfig = {
  clients,
  rounds,
  widths: [784, 256, 10],
  strategy: ni ? { name: 'neuron-interpolation', options: { method: 'kf-linear' } } : { name: 'fedavg' },
  training: BENCH_TRAINING,
  roundDeadlineMs: 300_000,
  seed: 1,
  evalSize: 1000,
  probeSize: ni ? 200 : 0,
  sampleMs: 250,
  gcEachRound: true,
};

const started = Date.now();
let reports: RoundReport[] = [];
const failedClients: string[] = [];
let failure: string | undefined;
let listening: MemorySample | undefined;
let backend: string | undefined;
let after: Extract<ServerMessage, { type: 'after' }> | undefined;
if (earlier) {
  console.log(`soak: re-analysing ${o.reanalyse} (${earlier.rounds.length} rounds of ${strategyName}, measured ${earlier.date})`);
  reports = earlier.rounds;
  failedClients.push(...earlier.failedClients);
  failure = earlier.failure;
  listening = earlier.listening;
  if (earlier.peak && earlier.after) after = { type: 'after', peak: earlier.peak, memory: earlier.after };
} else {
  ({ failure, listening, backend, after } = await runSoak());
}

async function runSoak() {
  console.log(`soak: ${clients} clients, MLP 784-256-10, ${perClient} images each, ${rounds} rounds of ${serverConfig.strategy.name}`);
  const server = new BenchChild<ServerMessage, ServerCommand>('server', 'server-child.ts', serverConfig);
  server.on((m) => {
    if (m.type === 'round') {
      const r = m.report;
      reports.push(r);
      const mem = r.memory;
      console.log(
        `round ${r.round}: ${r.seconds.toFixed(1)} s, acc ${r.accuracy === undefined ? '-' : (100 * r.accuracy).toFixed(1)}%, ` +
          `RSS ${mib(mem.rss)} MiB, heap ${mib(mem.heapUsed)} MiB, external ${mib(mem.external)} MiB, tensors ${mem.numTensors} (${mib(mem.tfBytes)} MiB)`,
      );
    } else if (m.type === 'failed') console.error(`server failed: ${m.message}`);
  });
  let worker: BenchChild<WorkerMessage, WorkerCommand> | undefined;
  let failure: string | undefined;
  let listening: Extract<ServerMessage, { type: 'listening' }> | undefined;
  let after: Extract<ServerMessage, { type: 'after' }> | undefined;
  try {
    await within(
      (async () => {
        listening = await server.waitFor('listening');
        const serverFinished = server.waitFor('finished');
        worker = new BenchChild<WorkerMessage, WorkerCommand>('client worker', 'client-worker.ts', { url: listening.url, first: 0, count: clients, perClient });
        worker.on((m) => {
          if (m.type === 'client-done' && !m.ok) failedClients.push(`${m.clientId}: ${m.reason}`);
        });
        await worker.waitFor('ready');
        worker.send({ type: 'go' });
        await serverFinished;
        await worker.waitFor('worker-done');
        const afterP = server.waitFor('after');
        server.send({ type: 'measure-after-and-exit' });
        after = await afterP;
      })(),
      timeoutMs,
      'the soak',
    );
  } catch (e) {
    failure = (e as Error).message;
    console.error(`soak stopped early: ${failure}`);
  } finally {
    await Promise.all([server, worker].map((c) => (failure ? c?.kill() : c?.stop())));
  }
  return { failure, listening: listening?.memory, backend: listening?.backend, after };
}

// ---- verdict -------------------------------------------------------------------------------------------------

interface Metric {
  key: keyof MemorySample;
  label: string;
  /** Growth over the fitted window that still counts as flat (GC and allocator noise). */
  tolerance: (medianValue: number) => number;
  unit: 'MiB' | 'count';
}
const MiB = 1024 ** 2;
const METRICS: Metric[] = [
  { key: 'rss', label: 'RSS', tolerance: (m) => Math.max(0.05 * m, 8 * MiB), unit: 'MiB' },
  { key: 'heapUsed', label: 'heapUsed', tolerance: (m) => Math.max(0.05 * m, 2 * MiB), unit: 'MiB' },
  { key: 'external', label: 'external', tolerance: (m) => Math.max(0.05 * m, 2 * MiB), unit: 'MiB' },
  { key: 'arrayBuffers', label: 'arrayBuffers', tolerance: (m) => Math.max(0.05 * m, 2 * MiB), unit: 'MiB' },
  { key: 'numTensors', label: 'tf numTensors', tolerance: () => 0.5, unit: 'count' },
  { key: 'tfBytes', label: 'tf numBytes', tolerance: () => 1024, unit: 'MiB' },
];
const window = reports.slice(-fitLast);
// The verdict uses the Theil–Sen slope (robust to the odd sample taken while a broadcast was in flight); the
// least-squares slope is reported next to it.
const verdicts = METRICS.map((m) => {
  if (window.length < 2) return { metric: m.label, unit: m.unit, slopePerRound: NaN, leastSquaresSlopePerRound: NaN, growthOverWindow: NaN, median: NaN, tolerance: NaN, trend: 'unknown' };
  const xs = window.map((r) => r.round);
  const ys = window.map((r) => r.memory[m.key]);
  const slope = theilSenSlope(xs, ys);
  const med = median(ys);
  const growth = slope * (xs.at(-1)! - xs[0]);
  const tolerance = m.tolerance(med);
  return {
    metric: m.label,
    unit: m.unit,
    slopePerRound: slope,
    leastSquaresSlopePerRound: fitLine(xs, ys).slope,
    growthOverWindow: growth,
    median: med,
    first: ys[0],
    last: ys.at(-1)!,
    min: Math.min(...ys),
    max: Math.max(...ys),
    tolerance,
    // Only growth is a leak; a curve that settles lower (e.g. fewer buffers in flight) is reported as 'fell'.
    trend: growth > tolerance ? 'grew' : growth < -tolerance ? 'fell' : 'flat',
  };
});
const fmt = (v: number, unit?: string) => (unit === 'count' ? v.toFixed(2) : `${(v / MiB).toFixed(2)}`);
const perRound = (v: number, unit?: string) => (unit === 'count' ? v.toFixed(3) : `${(v / 1024).toFixed(1)} KiB`);
console.log(`\nserver memory after a full GC over the last ${window.length} rounds (MiB, or tensors); slopes per round:`);
console.log(
  renderTable(
    ['metric', 'first', 'last', 'min', 'max', 'median', 'Theil-Sen slope', 'LSQ slope', 'fitted growth', 'tolerance', 'trend'],
    verdicts.map((v) => [
      v.metric,
      fmt(v.first ?? NaN, v.unit),
      fmt(v.last ?? NaN, v.unit),
      fmt(v.min ?? NaN, v.unit),
      fmt(v.max ?? NaN, v.unit),
      fmt(v.median, v.unit),
      perRound(v.slopePerRound, v.unit),
      perRound(v.leastSquaresSlopePerRound, v.unit),
      fmt(v.growthOverWindow, v.unit),
      fmt(v.tolerance, v.unit),
      v.trend,
    ]),
  ),
);
const grew = verdicts.filter((v) => v.trend !== 'flat' && v.trend !== 'fell');
const completed = failure === undefined && reports.length === rounds && failedClients.length === 0;
const verdict = !completed
  ? `did not finish (${failure ?? `${reports.length} of ${rounds} rounds, ${failedClients.length} clients failed`})`
  : grew.length === 0
    ? `FLAT: no metric grew by more than its tolerance over the last ${window.length} rounds` +
      (verdicts.some((v) => v.trend === 'fell') ? ` (${verdicts.filter((v) => v.trend === 'fell').map((v) => v.metric).join(', ')} fell)` : '')
    : `NOT FLAT: ${grew.map((v) => v.metric).join(', ')} grew over the last ${window.length} rounds`;
console.log(`\nverdict: ${verdict}`);
const roundSeconds = reports.map((r) => r.seconds);
console.log(
  `${reports.length} rounds, median round ${median(roundSeconds).toFixed(2)} s, final accuracy ` +
    `${reports.at(-1)?.accuracy === undefined ? '-' : (100 * reports.at(-1)!.accuracy!).toFixed(2)}%; whole soak ${(earlier?.soakSeconds ?? (Date.now() - started) / 1000).toFixed(0)} s`,
);

// ---- files ---------------------------------------------------------------------------------------------------

await mkdir('bench/results', { recursive: true });
const csvHead = 'round,participants,seconds,accuracy,rss,heap_total,heap_used,external,array_buffers,tf_num_tensors,tf_num_bytes';
const csv = [
  csvHead,
  ...reports.map((r) =>
    [r.round, r.participants, r.seconds.toFixed(3), r.accuracy ?? '', r.memory.rss, r.memory.heapTotal, r.memory.heapUsed, r.memory.external, r.memory.arrayBuffers, r.memory.numTensors, r.memory.tfBytes].join(','),
  ),
].join('\n');
await writeFile(`${prefix}.csv`, csv + '\n');
await writeFile(
  `${prefix}.json`,
  JSON.stringify(
    {
      date: earlier?.date ?? new Date().toISOString(),
      command: earlier?.command ?? `node --import tsx bench/soak.ts ${process.argv.slice(2).join(' ')}`.trim(),
      ...(earlier ? { reanalysedAt: new Date().toISOString() } : {}),
      completed,
      failure,
      failedClients,
      verdict,
      config: { clients, rounds, perClient, model: 'mlp 784-256-10', strategy: serverConfig.strategy, evalSize: serverConfig.evalSize, backend: backend ?? (earlier?.config as { backend?: string } | undefined)?.backend, fitLast: window.length },
      memoryNote: 'server process only, sampled after every round right after a full GC (global.gc); peak is sampled every 250 ms without GC',
      verdicts,
      listening,
      peak: after?.peak,
      after: after?.memory,
      rounds: reports,
      soakSeconds: earlier?.soakSeconds ?? (Date.now() - started) / 1000,
    },
    null,
    2,
  ) + '\n',
);
const series = (key: keyof MemorySample, name: string, scale: number): BandSeries => ({
  name,
  points: reports.map((r) => ({ x: r.round, mean: r.memory[key] / scale, low: r.memory[key] / scale, high: r.memory[key] / scale, n: 1 })),
});
const title = `fedfuse server, ${clients} clients, ${serverConfig.strategy.name}`;
const charts: [string, string][] = [
  [
    `${prefix}-memory.png`,
    renderLineChart(
      [series('rss', 'RSS', MiB), series('heapUsed', 'heapUsed', MiB), series('external', 'external', MiB), series('arrayBuffers', 'arrayBuffers', MiB), series('tfBytes', 'tf.memory numBytes', MiB)],
      { title: `${title}: memory after GC`, xLabel: 'round', yLabel: 'MiB' },
    ),
  ],
  [`${prefix}-tensors.png`, renderLineChart([series('numTensors', 'tf.memory numTensors', 1)], { title: `${title}: live tensors`, xLabel: 'round', yLabel: 'tensors' })],
];
for (const [path, svg] of charts) {
  try {
    await writeChartPng(svg, path);
  } catch (e) {
    console.warn(`no PNG ${path}: ${(e as Error).message}`);
  }
}
console.log(`results: ${prefix}.json, ${prefix}.csv, ${charts.map((c) => c[0]).join(', ')}`);
process.exit(completed ? 0 : 1);
