// What sharing the limits through Redis costs (issue 23): the same work against the in-memory stores (one server)
// and the Redis stores (a cluster node), in the same run, interleaved, on a real redis-server on loopback.
// - Per accepted message, end to end: joined RawPeers on a real SocketServer send heartbeats (one in flight per peer)
//   under a rate limit none of them reaches; node CPU µs per accepted message (this process: server and peers, the
//   same in both settings, so the difference is what the shared bucket adds) and redis-server CPU µs per message.
// - The rate-limit take alone: node CPU µs per take, one at a time and 64 in flight.
// The Redis buckets run twice: with a burst of 8 (a lease of 1 token: one script per message) and with a large burst
// (a lease of 16 tokens: one script per 16 messages).
// - The join decision (JoinThrottle.decide): latency p50/p99 for a known id from a new address (one script, reads
//   only) and for an id whose check is delayed (two scripts; reserving the slot is a write, which a cluster's Redis
//   fsyncs before answering: appendfsync always).
// A first pass warms up and is not recorded.
// Usage: node --import tsx bench/shared-limits.ts [--messages 20000] [--decisions 5000] [--passes 3] [--out file]
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname } from 'node:path';
import { Command } from 'commander';
import { Redis } from 'ioredis';
import { positiveInt } from '../cli/options.js';
import { JoinThrottle } from '../server/auth/join-throttle.js';
import { MemoryJoinLimitStore, type JoinLimitStore } from '../server/auth/join-limit-store.js';
import { TokenRegistry } from '../server/auth/token-registry.js';
import { ClusterKeys } from '../server/cluster/cluster-keys.js';
import { RedisClientBuckets } from '../server/cluster/redis-client-buckets.js';
import { RedisJoinLimitStore } from '../server/cluster/redis-join-limits.js';
import { LocalClientBuckets, type ClientBuckets } from '../server/limits/client-buckets.js';
import { SocketServer } from '../server/transport/socket-server.js';
import { RedisProcess } from '../test/cluster/redis-process.js';
import { RawPeer } from '../test/reliability/raw-peer.js';
import { median, percentile, renderTable } from './lib/stats.js';

const cli = new Command('shared-limits')
  .option('--messages <n>', 'accepted messages per setting and pass (end to end, and per take)', '20000')
  .option('--decisions <n>', 'join decisions per setting, kind and pass', '5000')
  .option('--passes <n>', 'passes of each setting (interleaved; the tables give the median)', '3')
  .option('--out <file>', 'JSON summary', 'bench/results/shared-limits.json')
  .parse();
const o = cli.opts<{ messages: string; decisions: string; passes: string; out: string }>();
const messages = positiveInt('messages')(o.messages);
const decisions = positiveInt('decisions')(o.decisions);
const passes = positiveInt('passes')(o.passes);

// Never reached: every message is accepted. A burst of 8 leases one token per round trip (every message asks Redis),
// a large one MAX_LEASE (16) tokens per round trip (redis-client-buckets.ts).
const RATE = { messagesPerSecond: 1e6, burst: 1_000_000 };
const RATE_LEASE_1 = { messagesPerSecond: 1e6, burst: 8 };
const SETTINGS = ['memory', 'redis lease 16', 'redis lease 1'] as const;
type Setting = (typeof SETTINGS)[number];
const PEERS = 20;
const tokens = Object.fromEntries(Array.from({ length: PEERS }, (_, i) => [`c${i}`, `token-of-client-${i}`]));

const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** redis-server's CPU so far (µs), from INFO cpu. */
async function redisCpuUs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const get = (name: string) => Number(new RegExp(`${name}:([0-9.]+)`).exec(info)![1]);
  return (get('used_cpu_user') + get('used_cpu_sys')) * 1e6;
}

async function endToEnd(buckets: ClientBuckets, joinLimits: JoinLimitStore | undefined, inspect: Redis): Promise<{ nodeUs: number; redisUs: number; perSecond: number }> {
  const server = new SocketServer({
    host: '127.0.0.1',
    port: 0,
    registry: new TokenRegistry(tokens),
    maxMessageBytes: 1024 * 1024,
    rateLimit: RATE,
    clientBuckets: buckets,
    ...(joinLimits ? { joinLimits } : {}),
    handlers: { welcomeInfo: () => ({ currentRound: 1, totalRounds: 1 }), onJoined() {}, onLeft() {}, onUpdate() {}, onProbeRequest() {}, onClientError() {} },
    log: () => {},
  });
  const { port } = await server.listen();
  const peers = Array.from({ length: PEERS }, () => new RawPeer(`http://127.0.0.1:${port}`));
  try {
    for (const [i, p] of peers.entries()) {
      const env = await p.join(`c${i}`, tokens[`c${i}`]);
      if (env.body !== 'welcome') throw new Error(`c${i} not welcomed: ${env.error?.message}`);
    }
    const each = Math.ceil(messages / PEERS);
    const run = (n: number) =>
      Promise.all(
        peers.map(async (p) => {
          for (let k = 0; k < n; k++) {
            p.channel.send({ heartbeat: { sentUnixMs: k } });
            const env = await p.nextOf('heartbeat', 'error');
            if (env.body !== 'heartbeat') throw new Error(`refused: ${env.error?.message}`);
          }
        }),
      );
    await run(200); // warm-up (the JIT, the scripts loaded)
    const [cpu0, redis0, t0] = [cpuUs(), await redisCpuUs(inspect), performance.now()];
    await run(each);
    const [cpu1, redis1, t1] = [cpuUs(), await redisCpuUs(inspect), performance.now()];
    const n = each * PEERS;
    return { nodeUs: (cpu1 - cpu0) / n, redisUs: (redis1 - redis0) / n, perSecond: n / ((t1 - t0) / 1000) };
  } finally {
    for (const p of peers) p.close();
    await server.close();
  }
}

async function takes(buckets: ClientBuckets, inFlight: number): Promise<number> {
  const t = async (i: number) => {
    if (!(await buckets.take(`c${i % PEERS}`, Date.now()))) throw new Error('over the limit');
  };
  for (let i = 0; i < 200; i++) await t(i); // warm-up
  const cpu0 = cpuUs();
  for (let i = 0; i < messages; i += inFlight) await Promise.all(Array.from({ length: Math.min(inFlight, messages - i) }, (_, k) => t(i + k)));
  return (cpuUs() - cpu0) / messages;
}

async function joinDecisions(store: JoinLimitStore): Promise<Record<'new address' | 'delayed id', { p50: number; p99: number }>> {
  const throttle = new JoinThrottle({ freeFailures: 5, baseMs: 1000, maxMs: 60_000, idDelayMaxMs: 10_000 }, store);
  const time = async (clientId: string, address: (i: number) => string) => {
    const ms: number[] = [];
    for (let i = 0; i < decisions; i++) {
      const t0 = performance.now();
      await throttle.decide(clientId, address(i), true, Date.now());
      ms.push(performance.now() - t0);
    }
    return { p50: median(ms) * 1000, p99: percentile(ms, 99) * 1000 };
  };
  const fresh = await time('c1', (i) => `10.1.${i >> 8 & 255}.${i & 255}`);
  // c2 failed from elsewhere: each decision reads its standing, then reserves a check slot.
  for (let i = 0; i < 8; i++) await throttle.failed('c2', `10.9.0.${i}`, true, Date.now());
  const delayed = await time('c2', (i) => `10.2.${i >> 8 & 255}.${i & 255}`);
  return { 'new address': fresh, 'delayed id': delayed };
}

const loadBefore = os.loadavg()[0];
const redisProcess = await RedisProcess.start();
const inspect = new Redis(redisProcess.url);
const conn = new Redis(redisProcess.url);
await Promise.all([inspect.ping(), conn.ping()]);
type Row = { pass: number; store: Setting; metrics: Record<string, number> };
const rows: Row[] = [];
try {
  // Pass 0 warms up (the JIT, Redis's script cache) and is not recorded.
  for (let pass = 0; pass <= passes; pass++) {
    for (const store of SETTINGS) {
      const keys = new ClusterKeys(`bench-${pass}-${Date.now()}`);
      const buckets = () =>
        store === 'memory' ? new LocalClientBuckets(RATE) : new RedisClientBuckets(conn, keys, store === 'redis lease 1' ? RATE_LEASE_1 : RATE);
      const joinStore = () => (store === 'memory' ? new MemoryJoinLimitStore() : new RedisJoinLimitStore(conn, keys));
      const e2e = await endToEnd(buckets(), joinStore(), inspect);
      const one = await takes(buckets(), 1);
      const many = await takes(buckets(), 64);
      const join = await joinDecisions(joinStore());
      if (pass === 0) continue;
      rows.push({
        pass,
        store,
        metrics: {
        e2eNodeUsPerMessage: e2e.nodeUs,
        e2eRedisServerUsPerMessage: e2e.redisUs,
        e2eMessagesPerSecond: e2e.perSecond,
        takeUsOneAtATime: one,
        takeUs64InFlight: many,
        joinNewAddressP50Us: join['new address'].p50,
        joinNewAddressP99Us: join['new address'].p99,
        joinDelayedIdP50Us: join['delayed id'].p50,
        joinDelayedIdP99Us: join['delayed id'].p99,
        },
      });
      console.log(`pass ${pass}/${passes} ${store}: ${JSON.stringify(rows.at(-1))}`);
    }
  }
} finally {
  inspect.disconnect();
  conn.disconnect();
  await redisProcess.stop();
}

const metrics = Object.keys(rows[0].metrics);
const summary = Object.fromEntries(
  SETTINGS.map((store) => [store, Object.fromEntries(metrics.map((m) => [m, median(rows.filter((r) => r.store === store).map((r) => r.metrics[m]))]))]),
);
console.log(
  renderTable(
    ['metric (median of passes)', ...SETTINGS],
    metrics.map((m) => [m, ...SETTINGS.map((st) => summary[st][m].toFixed(1))]),
  ),
);
const result = {
  date: new Date().toISOString(),
  command: `npm run bench:shared-limits -- ${process.argv.slice(2).join(' ')}`.trim(),
  machine: `${os.cpus().length} cores, ${process.version}`,
  // The machine is shared: the 1-minute load average before and after the run (≈ cores busy with other work).
  loadAverage: { before: loadBefore, after: os.loadavg()[0] },
  messages,
  decisions,
  passes,
  peers: PEERS,
  summary,
  passesDetail: rows,
};
await mkdir(dirname(o.out), { recursive: true });
await writeFile(o.out, JSON.stringify(result, null, 2) + '\n');
console.log(`results: ${o.out}`);
