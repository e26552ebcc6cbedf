// A Node edge app in a federation: loads its share of the training data (.npy files from `fedfuse data export`),
// joins the server with its token, trains whenever asked, and at the end evaluates the final model it received.
//
//   node dist/client.js --server http://127.0.0.1:8765 --id alice --token <token> --data ./data [--part 1/2]
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FederatedClient, initBackend, parseNpy, toFloat32, toInt32Labels, type NpyArray } from '@fedfuse/client';

const { values: args } = parseArgs({
  options: {
    server: { type: 'string' },
    id: { type: 'string' },
    token: { type: 'string' },
    data: { type: 'string', default: './data' },
    part: { type: 'string', default: '1/1' },
  },
});
if (!args.server || !args.id || !args.token) {
  console.error('usage: client --server <url> --id <client id> --token <token> [--data <dir>] [--part i/n]');
  process.exit(2);
}
const [part, parts] = args.part.split('/').map(Number);
if (!part || !parts || part > parts) throw new Error(`--part must be i/n with 1 ≤ i ≤ n, got ${args.part}`);

async function npy(file: string): Promise<NpyArray> {
  const bytes = await readFile(join(args.data, file));
  return parseNpy(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), file);
}

/** This client's share of <data>/<name>-x.npy and -y.npy: rows of part `part` of `parts`. */
async function load(name: string, share: { part: number; parts: number }): Promise<{ xs: tf.Tensor; ys: tf.Tensor1D }> {
  const x = toFloat32(await npy(`${name}-x.npy`));
  const y = toInt32Labels(await npy(`${name}-y.npy`));
  const rows = Math.floor(y.data.length / share.parts);
  const start = (share.part - 1) * rows;
  const perExample = x.data.length / y.data.length;
  const xs = tf.tensor(x.data.subarray(start * perExample, (start + rows) * perExample), [rows, ...x.shape.slice(1)]);
  return { xs, ys: tf.tensor1d(y.data.subarray(start, start + rows), 'int32') };
}

/** sha256 of the model's weights (float32, in model.weights order): equal across clients that got the same model. */
function weightsSha256(model: tf.LayersModel): string {
  const hash = createHash('sha256');
  for (const w of model.weights) {
    const values = w.read().dataSync() as Float32Array;
    hash.update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }
  return hash.digest('hex');
}

const backend = await initBackend();
const train = await load('train', { part, parts });
const client = new FederatedClient({
  serverUrl: args.server,
  clientId: args.id,
  token: args.token,
  data: { ...train, numClasses: 10 },
  logger: (line) => console.log(`[${args.id}] ${line}`),
});
client.on('progress', (p) => {
  if (p.batch === p.batchesPerEpoch - 1) console.log(`[${args.id}] round ${p.round}, epoch ${p.epoch + 1}/${p.epochs}: loss ${p.loss.toFixed(3)}`);
});
client.on('error', (e) => console.error(`[${args.id}] ${e.code}: ${e.message}`));

await client.start();
const model = await client.finished();
const test = await load('test', { part: 1, parts: 1 });
const accuracy = tf.tidy(() => {
  const predicted = (model.predict(test.xs) as tf.Tensor).argMax(-1);
  return predicted.equal(test.ys).mean().dataSync()[0] ?? 0;
});
console.log(JSON.stringify({ event: 'finished', clientId: args.id, backend, accuracy, weightsSha256: weightsSha256(model) }));
model.dispose();
tf.dispose([train.xs, train.ys, test.xs, test.ys]);
