// The federation server of the load and soak benches, alone in its own process so that its memory (RSS, heap,
// tf.memory()) is its own. Config: one JSON argv (ServerChildConfig). Reports over IPC (ServerMessage).
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { FederationServer } from '../../server/federation-server.js';
import { summaryToRow } from '../../server/rounds/round-row.js';
import { benchServerOptions } from './bench-server.js';
import type { MemorySample, ServerChildConfig, ServerCommand, ServerMessage } from './protocol.js';

const config = JSON.parse(process.argv[2]) as ServerChildConfig;
const report = (m: ServerMessage) => process.send!(m);
const gc = (globalThis as { gc?: () => void }).gc;

function sampleMemory(): MemorySample {
  const m = process.memoryUsage();
  const t = tf.memory();
  return {
    rss: m.rss,
    heapTotal: m.heapTotal,
    heapUsed: m.heapUsed,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    numTensors: t.numTensors,
    tfBytes: t.numBytes,
  };
}

const peak = sampleMemory();
function notePeak(): void {
  const s = sampleMemory();
  for (const k of Object.keys(peak) as (keyof MemorySample)[]) peak[k] = Math.max(peak[k], s[k]);
}

process.on('uncaughtException', (e) => {
  report({ type: 'failed', message: e.stack ?? String(e) });
  process.exit(1);
});

const backend = await initBackend();
let logLines = 0;
const server = new FederationServer({
  ...(await benchServerOptions(config)),
  ...(config.cluster ? { cluster: config.cluster } : {}),
  logger: process.env.FEDFUSE_BENCH_NODE_LOG
    ? (line) => process.stderr.write(`${new Date().toISOString().slice(11, 23)} [${config.cluster?.nodeId ?? 'server'}] ${line}\n`)
    : () => logLines++,
});
let leading = false;
let dieWhenAggregating: number | undefined;
server.on('cluster', (e) => {
  if (e.type === 'leader') leading = true;
  if (e.type === 'follower') leading = false;
  report({ type: 'cluster', event: e, atMs: Date.now() });
});
server.on('phase', (e) => {
  report({ type: 'phase', round: e.round, phase: e.phase, atMs: Date.now() });
  if (leading && e.phase === 'aggregating' && e.round === dieWhenAggregating) {
    // Once the parent has the message, die as a crashed process would: no cleanup, sockets cut.
    process.send!({ type: 'dying', round: e.round, atMs: Date.now() } satisfies ServerMessage, () => process.kill(process.pid, 'SIGKILL'));
  }
});

const startedAt = new Map<number, number>();
let joined = 0;
server.on('client-joined', (e) => {
  if (e.reconnected) return;
  if (++joined === (config.expectedJoins ?? config.clients)) report({ type: 'all-joined', atMs: Date.now(), joined });
});
server.on('round-started', (e) => {
  if (!startedAt.has(e.round)) startedAt.set(e.round, Date.now());
  report({ type: 'round-started', round: e.round, attempt: e.attempt, atMs: Date.now() });
});
server.on('update-rejected', (e) => report({ type: 'rejected', round: e.round, clientId: e.clientId, code: e.code, reason: e.reason }));
server.on('round-finished', (s) => {
  const finishedAtMs = Date.now();
  if (config.gcEachRound) gc?.();
  notePeak();
  const { fusion: _fusion, ...row } = summaryToRow(s);
  report({
    type: 'round',
    report: {
      ...row,
      rejected: s.rejected,
      startedAtMs: startedAt.get(s.round) ?? finishedAtMs,
      finishedAtMs,
      memory: sampleMemory(),
    },
  });
});

const sampler = setInterval(notePeak, config.sampleMs);
const { url } = await server.start();
report({ type: 'listening', url, backend, memory: sampleMemory() });

process.on('message', (m: ServerCommand) => {
  if (m.type === 'die-when-aggregating') dieWhenAggregating = m.round;
  if (m.type !== 'measure-after-and-exit') return;
  void (async () => {
    // The clients have left; let socket.io finish closing their sockets, then measure what the idle server keeps.
    await new Promise((r) => setTimeout(r, 1000));
    clearInterval(sampler);
    notePeak();
    gc?.();
    const memory = sampleMemory();
    // For leak hunting: a heap snapshot of the idle server (open it in Chrome DevTools → Memory).
    const snapshotPath = process.env.FEDFUSE_BENCH_HEAP_SNAPSHOT;
    if (snapshotPath) (await import('node:v8')).writeHeapSnapshot(snapshotPath);
    report({ type: 'traffic', ...server.traffic });
    report({ type: 'after', memory, peak });
    await server.stop();
    process.disconnect();
    process.exit(0);
  })();
});

try {
  await server.finished();
  notePeak();
  report({ type: 'finished', atMs: Date.now(), peak: { ...peak }, logLines });
} catch (e) {
  report({ type: 'failed', message: (e as Error).message });
}
