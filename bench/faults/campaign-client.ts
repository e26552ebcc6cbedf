// One client of the fault campaign in its own process: an SDK FederatedClient on its MNIST slice that reports its own
// log over IPC (ClientEvent) — every task, training, ack and received model (by the sha256 of its weights) — and plays
// the faults its config gives it. Config: one JSON argv (CampaignClientConfig).
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { readWeights } from '@fedfuse/client/internal/model/weights.js';
import { FederatedClient } from '@fedfuse/client';
import { weightsSha256 } from '../../server/checkpoint/update-journal.js';
import { mnistSlice } from '../../test/federation/helpers.js';
import type { CampaignClientConfig, ClientEvent, ClientFault } from './protocol.js';

const config = JSON.parse(process.argv[2]) as CampaignClientConfig;
const report = (e: ClientEvent, then: () => void = () => {}) => process.send!(e, then);

await initBackend();
const data = await mnistSlice(config.offset, config.limit);
report({ type: 'ready' });
// Small chunks: an upload is many frames, so a kill right after it is sent cuts it half-way more often than not.
const client = new FederatedClient({
  serverUrl: config.urls,
  clientId: config.clientId,
  token: config.token,
  data,
  chunkBytes: 4096,
  reconnect: { retries: 10_000, delayMs: 200 },
  logger: process.env.FEDFUSE_BENCH_CLIENT_LOG ? (line) => process.stderr.write(`${new Date().toISOString().slice(11, 23)} [${config.clientId}] ${line}\n`) : () => {},
});
const faultAt = (kind: ClientFault['kind'], round: number) => config.faults.find((f) => f.kind === kind && f.round === round);
const sleeper = new Int32Array(new SharedArrayBuffer(4));

client.on('task', (e) => {
  report({ type: 'task', round: e.round, resent: e.resent });
  if (e.resent) return;
  const slow = faultAt('slow-client', e.round);
  if (slow?.kind === 'slow-client') {
    report({ type: 'fault', fault: slow });
    const until = Date.now() + slow.ms;
    while (Date.now() < until) Atomics.wait(sleeper, 0, 0, 50);
  }
  const move = faultAt('client-switch-node', e.round);
  if (move) {
    report({ type: 'fault', fault: move });
    // A cut connection (what a flaky network does): socket.io reconnects, and the SDK tries the next node's URL.
    (client as unknown as { socket?: { io: { engine?: { close(): void } } } }).socket?.io.engine?.close();
  }
});
client.on('trained', (e) => {
  report({ type: 'trained', round: e.round });
  const kill = faultAt('client-kill-mid-upload', e.round);
  // The SDK sends the update right after this event, in the same turn: die on the next one, mid-transfer.
  if (kill) setImmediate(() => report({ type: 'fault', fault: kill }, () => process.kill(process.pid, 'SIGKILL')));
});
client.on('uploaded', (e) => report({ type: 'acked', round: e.round }));
client.on('model', (e) => {
  const sha = client.model ? weightsSha256(readWeights(client.model)) : '';
  report({ type: 'model', round: e.round, sha, final: e.final });
});
client.on('status', (e) => report({ type: 'status', state: e.state, round: e.round }));
client.on('error', (e) => report({ type: 'error', code: e.code, message: e.message, round: e.round }));
client.on('reconnected', () => report({ type: 'reconnected' }));
try {
  await client.start();
  report({ type: 'joined' });
  await client.finished();
  report({ type: 'finished' }, () => process.exit(0));
} catch (e) {
  report({ type: 'failed', message: (e as Error).message }, () => process.exit(1));
}
