// What acking only replicated updates costs (issue 23, minReplicasAcked): the time from "record this update" to "ack
// it" in a cluster node's store (RedisStore.recordUpdate: the recording script, then for minReplicasAcked 1 a marker,
// WAIT and a read-back on the replica-ack connection), against a primary with one replica on loopback, for
// minReplicasAcked 0 and 1 in the same run, one update at a time and 50 at once. Real ClientUpdates of the 784-16-10
// MLP (51 KB each). Usage: node --import tsx bench/replica-ack-latency.ts [--updates 300] [--out file]
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Command } from 'commander';
import { Redis } from 'ioredis';
import { positiveInt } from '../cli/options.js';
import { ClusterKeys } from '../server/cluster/cluster-keys.js';
import { ReplicaAcks } from '../server/cluster/replica-acks.js';
import { RedisStore } from '../server/store/redis-store.js';
import type { ClientUpdate } from '../server/strategies/strategy.js';
import { RedisProcess } from '../test/cluster/redis-process.js';
import { median, percentile, renderTable } from './lib/stats.js';

const cli = new Command('replica-ack-latency')
  .option('--updates <n>', 'updates recorded per setting and pattern', '300')
  .option('--out <file>', 'JSON summary', 'bench/results/replica-ack-latency.json')
  .parse();
const o = cli.opts<{ updates: string; out: string }>();
const n = positiveInt('updates')(o.updates);

function update(clientId: string, round: number): ClientUpdate {
  const shapes = [[784, 16], [16], [16, 10], [10]];
  const weights = shapes.map((shape, i) => ({ name: `w${i}`, shape, values: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, k) => Math.sin(k + i)) }));
  return { clientId, round, weights, numExamples: 100, activations: [], importance: [], metrics: {}, labelHistogram: [] };
}

const primary = await RedisProcess.start();
const replica = await RedisProcess.start({ replicaOf: primary.port });
const rows: { minReplicasAcked: number; pattern: string; p50: number; p99: number; acksPerSecond: number }[] = [];
try {
  const main = new Redis(primary.url);
  const ackConn = new Redis(primary.url);
  while (!/state=online/.test(await main.info('replication'))) await new Promise((r) => setTimeout(r, 50));
  for (const minReplicasAcked of [0, 1, 0, 1]) {
    const keys = new ClusterKeys(`bench-${minReplicasAcked}-${Date.now()}`);
    const acks = new ReplicaAcks(ackConn, keys.replicaMark, { minReplicasAcked, replicaAckTimeoutMs: 1000 }, () => {});
    const store = new RedisStore(main, keys, 'n1', primary.url, () => undefined, acks, () => {});
    let round = 0;
    for (const pattern of ['one at a time', '50 at once']) {
      round++;
      const ids = Array.from({ length: n }, (_, i) => `c${i}`);
      await main.hset(keys.round, 'round', round, 'phase', 'training');
      await main.sadd(keys.sampled(round), ...ids);
      const ms: number[] = [];
      const record = async (id: string) => {
        const started = performance.now();
        const r = await store.recordUpdate(update(id, round), 'f'.repeat(64), `digest-${id}`);
        if (r.status !== 'recorded') throw new Error(`not recorded: ${JSON.stringify(r)}`);
        ms.push(performance.now() - started);
      };
      const t0 = performance.now();
      if (pattern === 'one at a time') for (const id of ids) await record(id);
      else for (let i = 0; i < n; i += 50) await Promise.all(ids.slice(i, i + 50).map(record));
      const seconds = (performance.now() - t0) / 1000;
      rows.push({ minReplicasAcked, pattern, p50: median(ms), p99: percentile(ms, 99), acksPerSecond: n / seconds });
    }
  }
  main.disconnect();
  ackConn.disconnect();
} finally {
  await replica.stop();
  await primary.stop();
}
// Two passes of each setting (interleaved, the machine is shared): the table gives the median of the two.
const summary = ['one at a time', '50 at once'].flatMap((pattern) =>
  [0, 1].map((minReplicasAcked) => {
    const rs = rows.filter((r) => r.pattern === pattern && r.minReplicasAcked === minReplicasAcked);
    return { pattern, minReplicasAcked, p50Ms: median(rs.map((r) => r.p50)), p99Ms: median(rs.map((r) => r.p99)), acksPerSecond: median(rs.map((r) => r.acksPerSecond)) };
  }),
);
console.log(
  renderTable(
    ['pattern', 'minReplicasAcked', 'record → ack p50 ms', 'p99 ms', 'acks / s'],
    summary.map((s) => [s.pattern, String(s.minReplicasAcked), s.p50Ms.toFixed(2), s.p99Ms.toFixed(2), s.acksPerSecond.toFixed(0)]),
  ),
);
const result = { date: new Date().toISOString(), command: `node --import tsx bench/replica-ack-latency.ts ${process.argv.slice(2).join(' ')}`.trim(), updates: n, summary, passes: rows };
await mkdir(dirname(o.out), { recursive: true });
await writeFile(o.out, JSON.stringify(result, null, 2) + '\n');
console.log(`results: ${o.out}`);
