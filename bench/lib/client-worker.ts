// A process of simulated bench clients: `count` SDK FederatedClients, each with its own socket.io connection and
// its own slice of real MNIST training images. Joins them all at once, reports join times and per-round
// trained→ack latency over IPC (WorkerMessage), and exits when every client has the final model or failed.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { loadMnist } from '../../scenarios/data/mnist.js';
import { subset, toTensors } from '../../scenarios/data/dataset.js';
import { FederatedClient } from '@fedfuse/client';
import { benchClientId, benchToken, type ClientRoundTiming, type ClientWorkerConfig, type WorkerCommand, type WorkerMessage } from './protocol.js';

const config = JSON.parse(process.argv[2]) as ClientWorkerConfig;
const report = (m: WorkerMessage) => process.send!(m);

await initBackend();
const { first, count, perClient } = config;
const ds = await loadMnist({ split: 'train', offset: first * perClient, limit: count * perClient });
if (ds.n < count * perClient) throw new Error(`MNIST has too few training images for ${first + count} clients × ${perClient}`);
// Each client's tensors come straight from the typed arrays (slicing one big wasm tensor reads it whole every time).
const clientData = Array.from({ length: count }, (_, k) => {
  const part = subset(ds, Array.from({ length: perClient }, (_, i) => k * perClient + i));
  return { ...toTensors(part, 'flat'), numClasses: 10 };
});

let rssPeak = process.memoryUsage.rss();
const rssSampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 200);

// Wait for the parent's go, so that all workers' clients start joining at the same moment.
report({ type: 'ready' });
await new Promise<void>((resolve) => process.on('message', (m: WorkerCommand) => m.type === 'go' && resolve()));

const runs: Promise<void>[] = [];
for (let k = 0; k < count; k++) {
  const clientId = benchClientId(first + k);
  const data = clientData[k];
  const urls = config.urls;
  const start = (first + k) % (urls?.length ?? 1);
  const serverUrl = urls ? [...urls.slice(start), ...urls.slice(0, start)] : config.url;
  const client = new FederatedClient({ serverUrl, clientId, token: benchToken(clientId), data, reconnect: { retries: 100, delayMs: 200 }, logger: () => {} });
  const timings = new Map<number, { taskAt: number; trainedAt?: number; timing?: ClientRoundTiming }>();
  client.on('task', (e) => {
    if (!e.resent) timings.set(e.round, { taskAt: performance.now() });
  });
  client.on('trained', (e) => {
    const t = timings.get(e.round);
    if (t) t.trainedAt = performance.now();
  });
  client.on('uploaded', (e) => {
    const t = timings.get(e.round);
    if (t?.trainedAt === undefined || t.timing) return;
    const now = performance.now();
    t.timing = { round: e.round, trainMs: t.trainedAt - t.taskAt, uploadToAckMs: now - t.trainedAt };
  });
  client.on('error', (e) => report({ type: 'client-error', clientId, code: e.code, message: e.message, round: e.round }));
  const joinStarted = performance.now();
  runs.push(
    (async () => {
      try {
        await client.start();
        report({ type: 'joined', clientId, joinMs: performance.now() - joinStarted, atMs: Date.now() });
        await client.finished();
        const rounds = [...timings.values()].flatMap((t) => (t.timing ? [t.timing] : []));
        report({ type: 'client-done', clientId, ok: true, rounds });
      } catch (e) {
        report({ type: 'client-done', clientId, ok: false, reason: (e as Error).message, rounds: [] });
      } finally {
        await client.stop();
        tf.dispose([data.xs, data.ys]);
      }
    })(),
  );
}
await Promise.all(runs);
clearInterval(rssSampler);
report({ type: 'worker-done', rssPeak });
process.disconnect();
process.exit(0);
