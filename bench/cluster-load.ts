// Cluster bench: N simulated SDK clients (real sockets, real MNIST slices, in worker processes) against one server
// process, and against 3 cluster nodes (each its own process) sharing a redis-server started here, with flat and
// hierarchical aggregation; then a failover run in which the leader SIGKILLs itself as it starts aggregating round 2.
// Reports join time, round times, the leader's peak RSS and bytes in (its sockets + what it read from Redis) and, for
// the failover, SIGKILL → another node leads → the next round's tasks sent. Every mode runs in fresh processes.
// Usage: node --import tsx bench/cluster-load.ts [--clients 600] [--rounds 3] [--nodes 3] [--workers 2]
//        [--modes single,flat,hierarchical,failover] [--repeat 1] [--lease-ms 3000] [--out file]
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Command } from 'commander';
import { positiveInt } from '../cli/options.js';
import { BenchChild, within } from './lib/child.js';
import { type MemorySample, type RoundReport, type ServerChildConfig, type ServerCommand, type ServerMessage, type WorkerCommand, type WorkerMessage } from './lib/protocol.js';
import { loadServerConfig, startClientWorkers } from './lib/load-setup.js';
import { median, mib, renderTable } from './lib/stats.js';
import { formatBytes } from '../scenarios/report/round-table.js';
import { Redis } from 'ioredis';
import { RedisProcess } from '../test/cluster/redis-process.js';

const MODES = ['single', 'flat', 'hierarchical', 'failover'] as const;
type Mode = (typeof MODES)[number];

const cli = new Command('cluster-load')
  .option('--clients <n>', 'simulated clients', '600')
  .option('--rounds <n>', 'FedAvg rounds', '3')
  .option('--nodes <n>', 'cluster nodes (modes flat, hierarchical, failover)', '3')
  .option('--workers <n>', 'client processes', '2')
  .option('--per-client <n>', 'MNIST training images per client', '32')
  .option('--hidden <n>', 'hidden width of the MLP 784-h-10', '16')
  .option('--modes <list>', `comma-separated: ${MODES.join(', ')}`, MODES.join(','))
  .option('--repeat <n>', 'runs of every mode (fresh processes each); the summary gives medians', '1')
  .option('--lease-ms <n>', "the leader's lease", '3000')
  .option('--timeout-s <n>', 'a run that takes longer is stopped and reported as failed', '900')
  .option('--out <file>', 'JSON results', 'bench/results/cluster-load.json')
  .parse();
const o = cli.opts<{ clients: string; rounds: string; nodes: string; workers: string; perClient: string; hidden: string; modes: string; repeat: string; leaseMs: string; timeoutS: string; out: string }>();
const clients = positiveInt('clients')(o.clients);
const rounds = positiveInt('rounds')(o.rounds);
const clusterNodes = positiveInt('nodes')(o.nodes);
const workers = Math.min(positiveInt('workers')(o.workers), clients);
const perClient = positiveInt('per-client')(o.perClient);
const hidden = positiveInt('hidden')(o.hidden);
const repeat = positiveInt('repeat')(o.repeat);
const leaseMs = positiveInt('lease-ms')(o.leaseMs);
const timeoutMs = positiveInt('timeout-s')(o.timeoutS) * 1000;
const modes = o.modes.split(',').map((m) => {
  if (!(MODES as readonly string[]).includes(m)) throw new Error(`--modes: unknown mode "${m}" (known: ${MODES.join(', ')})`);
  return m as Mode;
});
if (modes.includes('failover') && rounds < 3) throw new Error('the failover run kills the leader in round 2 and measures until round 3 starts: --rounds must be ≥ 3');
if (clients * perClient > 55_000) throw new Error('--clients × --per-client must stay within 55000 MNIST training images');

interface RunResult {
  mode: Mode;
  ok: boolean;
  failure?: string;
  nodes: number;
  /** Workers' go → the last node saw its last Join, s. */
  joinSeconds?: number;
  rounds: RoundReport[];
  leader?: string;
  /** The leader at the end (after a failover, the new one): peak RSS, socket bytes in, bytes read from Redis. */
  leaderRssPeak?: number;
  leaderSocketBytesIn?: number;
  leaderRedisBytesIn: number;
  nodeRssPeak: Record<string, number>;
  /** Training closed (leader's 'aggregating') → next round's tasks, s, per round (no failure). */
  closeToNextTaskSeconds: number[];
  failover?: { killedNode: string; toNewLeaderSeconds?: number; toNextTaskSeconds?: number; newLeader?: string };
  failedClients: number;
  /** Redis's used_memory_peak over the run (a fresh redis-server per run), and its used_memory at the start. */
  redisMemoryPeak?: number;
  redisMemoryAtStart?: number;
  seconds: number;
}

async function redisMemory(url: string): Promise<{ used: number; peak: number }> {
  const conn = new Redis(url);
  try {
    const info = await conn.info('memory');
    const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1]);
    return { used: field('used_memory'), peak: field('used_memory_peak') };
  } finally {
    conn.disconnect();
  }
}

async function runOnce(mode: Mode): Promise<RunResult> {
  const started = Date.now();
  const nodes = mode === 'single' ? 1 : clusterNodes;
  const redis = mode === 'single' ? undefined : await RedisProcess.start();
  const redisMemoryAtStart = redis ? (await redisMemory(redis.url)).used : undefined;
  let redisMemoryPeak: number | undefined;
  const ids = Array.from({ length: nodes }, (_, i) => `n${i + 1}`);
  const expected = ids.map((_, i) => Array.from({ length: clients }, (_, c) => c).filter((c) => c % nodes === i).length);
  const servers = ids.map((id, i) => {
    const config: ServerChildConfig = {
      ...loadServerConfig(clients, rounds, hidden),
      expectedJoins: expected[i],
      ...(redis ? { cluster: { redis: redis.url, nodeId: id, federation: 'bench', aggregation: mode === 'hierarchical' ? 'hierarchical' : 'flat', leaseMs } } : {}),
    };
    return new BenchChild<ServerMessage, ServerCommand>(`node ${id}`, 'server-child.ts', config);
  });
  const rounds_: RoundReport[] = [];
  const joinedAt: number[] = [];
  const peaks: Record<string, MemorySample | undefined> = {};
  const traffic: Record<string, number> = {};
  let leader: string | undefined = mode === 'single' ? 'n1' : undefined;
  let leaderRedisBytesIn = 0;
  const closedAt = new Map<number, number>();
  const firstTaskAt = new Map<number, number>();
  let dying: { node: string; atMs: number } | undefined;
  let failover: RunResult['failover'];
  servers.forEach((s, i) => {
    const id = ids[i];
    s.on((m) => {
      if (m.type === 'round' && !rounds_.some((r) => r.round === m.report.round)) {
        rounds_.push(m.report);
        console.log(`  ${mode}: round ${m.report.round}: ${m.report.participants} updates, ${m.report.seconds.toFixed(1)} s`);
      } else if (m.type === 'all-joined') joinedAt.push(m.atMs);
      else if (m.type === 'cluster') {
        if (m.event.type === 'leader') {
          leader = id;
          if (dying && id !== dying.node && failover && failover.toNewLeaderSeconds === undefined) {
            failover.toNewLeaderSeconds = (m.atMs - dying.atMs) / 1000;
            failover.newLeader = id;
          } else if (mode === 'failover' && !dying) {
            s.send({ type: 'die-when-aggregating', round: 2 });
          }
        }
        if (m.event.type === 'aggregated' && id === leader) leaderRedisBytesIn += m.event.bytesFromRedis;
      } else if (m.type === 'phase' && m.phase === 'aggregating' && id === leader && !closedAt.has(m.round)) closedAt.set(m.round, m.atMs);
      else if (m.type === 'round-started' && m.attempt === 1 && !firstTaskAt.has(m.round)) {
        firstTaskAt.set(m.round, m.atMs);
        if (dying && failover && m.round === 3) failover.toNextTaskSeconds = (m.atMs - dying.atMs) / 1000;
      } else if (m.type === 'dying') {
        dying = { node: id, atMs: m.atMs };
        failover = { killedNode: id };
        console.log(`  ${mode}: leader ${id} SIGKILLs itself as it starts aggregating round ${m.round}`);
      } else if (m.type === 'finished') peaks[id] = m.peak;
      else if (m.type === 'after') peaks[id] = m.peak;
      else if (m.type === 'traffic') traffic[id] = m.bytesReceived;
    });
  });
  const workerChildren: BenchChild<WorkerMessage, WorkerCommand>[] = [];
  const done: Extract<WorkerMessage, { type: 'client-done' }>[] = [];
  let failure: string | undefined;
  let joinSeconds: number | undefined;
  try {
    await within(
      (async () => {
        const urls = (await Promise.all(servers.map((s) => s.waitFor('listening')))).map((l) => l.url);
        // The node killed in the failover run never finishes; every other one must.
        const finished = servers.map((s, i) => s.waitFor('finished').catch((e: Error) => (dying?.node === ids[i] ? undefined : Promise.reject(e))));
        workerChildren.push(
          ...startClientWorkers(workers, clients, { url: urls[0], urls, perClient }, (m) => {
            if (m.type === 'client-done') done.push(m);
          }),
        );
        await Promise.all(workerChildren.map((c) => c.waitFor('ready')));
        const goAtMs = Date.now();
        for (const c of workerChildren) c.send({ type: 'go' });
        while (joinedAt.length < nodes) await new Promise((r) => setTimeout(r, 50));
        joinSeconds = (Math.max(...joinedAt) - goAtMs) / 1000;
        console.log(`  ${mode}: all ${clients} joined ${joinSeconds.toFixed(2)} s after the go (${nodes} node(s))`);
        await Promise.all(finished);
        await Promise.all(workerChildren.map((c) => c.waitFor('worker-done')));
        const alive = servers.filter((_, i) => ids[i] !== dying?.node);
        const afters = alive.map((s) => s.waitFor('after'));
        for (const s of alive) s.send({ type: 'measure-after-and-exit' });
        await Promise.all(afters);
      })(),
      timeoutMs,
      `the ${mode} run`,
    );
  } catch (e) {
    failure = (e as Error).message;
    console.error(`  ${mode}: run stopped early: ${failure}`);
  } finally {
    await Promise.all([...servers, ...workerChildren].map((c) => (failure ? c.kill() : c.stop())));
    if (redis) redisMemoryPeak = await redisMemory(redis.url).then((m) => m.peak, () => undefined);
    await redis?.stop();
  }
  const failed = done.filter((d) => !d.ok).length;
  const closeToNextTaskSeconds = [...closedAt]
    .filter(([r]) => firstTaskAt.has(r + 1) && !(dying && r === 2))
    .map(([r, at]) => (firstTaskAt.get(r + 1)! - at) / 1000);
  return {
    mode,
    ok: failure === undefined && failed === 0 && rounds_.length === rounds && done.length === clients,
    failure,
    nodes,
    joinSeconds,
    rounds: rounds_.sort((a, b) => a.round - b.round),
    leader,
    leaderRssPeak: leader ? peaks[leader]?.rss : undefined,
    leaderSocketBytesIn: leader ? traffic[leader] : undefined,
    leaderRedisBytesIn,
    nodeRssPeak: Object.fromEntries(Object.entries(peaks).flatMap(([id, p]) => (p ? [[id, p.rss]] : []))),
    closeToNextTaskSeconds,
    failover,
    failedClients: failed,
    redisMemoryPeak,
    redisMemoryAtStart,
    seconds: (Date.now() - started) / 1000,
  };
}

console.log(`cluster bench: ${clients} clients in ${workers} processes, MLP 784-${hidden}-10, ${perClient} images each, ${rounds} rounds of FedAvg; modes ${modes.join(', ')}; ${repeat} run(s) each`);
const runs: RunResult[] = [];
for (let i = 0; i < repeat; i++) {
  for (const mode of modes) {
    console.log(`\n=== ${mode}${repeat > 1 ? ` (run ${i + 1} of ${repeat})` : ''}`);
    runs.push(await runOnce(mode));
  }
}

const med = (values: (number | undefined)[]) => median(values.filter((v): v is number => v !== undefined && Number.isFinite(v)));
const summary = modes.map((mode) => {
  const rs = runs.filter((r) => r.mode === mode);
  return {
    mode,
    runs: rs.length,
    okRuns: rs.filter((r) => r.ok).length,
    nodes: rs[0]?.nodes,
    joinSeconds: med(rs.map((r) => r.joinSeconds)),
    roundSeconds: Array.from({ length: rounds }, (_, k) => med(rs.map((r) => r.rounds[k]?.seconds))),
    aggregateSeconds: med(rs.flatMap((r) => r.rounds.map((x) => x.aggregateSeconds))),
    leaderRssPeak: med(rs.map((r) => r.leaderRssPeak)),
    leaderSocketBytesIn: med(rs.map((r) => r.leaderSocketBytesIn)),
    leaderRedisBytesIn: med(rs.map((r) => r.leaderRedisBytesIn)),
    closeToNextTaskSeconds: med(rs.flatMap((r) => r.closeToNextTaskSeconds)),
    failoverToNewLeaderSeconds: med(rs.map((r) => r.failover?.toNewLeaderSeconds)),
    failoverToNextTaskSeconds: med(rs.map((r) => r.failover?.toNextTaskSeconds)),
    bytesReceivedPerRound: med(rs.map((r) => r.rounds[0]?.bytesReceived)),
    bytesSentPerRound: med(rs.map((r) => r.rounds[0]?.bytesSent)),
    redisMemoryPeak: med(rs.map((r) => r.redisMemoryPeak)),
    redisMemoryAtStart: med(rs.map((r) => r.redisMemoryAtStart)),
    nodeRssPeakMax: med(rs.map((r) => Math.max(...Object.values(r.nodeRssPeak)))),
  };
});
const f = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '-');
console.log(`\nmedians over ${repeat} run(s) per mode:`);
console.log(
  renderTable(
    ['mode', 'nodes', 'ok', 'all joined s', 'round s', 'aggregate s', 'close → next task s', 'leader RSS peak MiB', 'leader bytes in (sockets + Redis)', 'Redis peak MiB', 'failover: new leader / next task s'],
    summary.map((s) => [
      s.mode,
      String(s.nodes),
      `${s.okRuns}/${s.runs}`,
      f(s.joinSeconds),
      s.roundSeconds.map((v) => f(v, 1)).join(' / '),
      f(s.aggregateSeconds, 3),
      f(s.closeToNextTaskSeconds),
      Number.isFinite(s.leaderRssPeak) ? mib(s.leaderRssPeak) : '-',
      Number.isFinite(s.leaderSocketBytesIn) ? `${formatBytes(s.leaderSocketBytesIn)} + ${formatBytes(s.leaderRedisBytesIn)}` : '-',
      Number.isFinite(s.redisMemoryPeak) ? mib(s.redisMemoryPeak) : '-',
      s.mode === 'failover' ? `${f(s.failoverToNewLeaderSeconds)} / ${f(s.failoverToNextTaskSeconds)}` : '-',
    ]),
  ),
);
const result = {
  date: new Date().toISOString(),
  command: `node --import tsx bench/cluster-load.ts ${process.argv.slice(2).join(' ')}`.trim(),
  ok: runs.every((r) => r.ok),
  config: { clients, rounds, nodes: clusterNodes, workers, perClient, model: `mlp 784-${hidden}-10`, strategy: 'fedavg', leaseMs },
  summary,
  runs,
};
await mkdir(dirname(o.out), { recursive: true });
await writeFile(o.out, JSON.stringify(result, null, 2) + '\n');
console.log(`results: ${o.out}`);
process.exit(result.ok ? 0 : 1);
