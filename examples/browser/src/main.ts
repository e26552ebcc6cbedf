// A page that trains in the browser tab and takes part in a fedfuse federation: the app serves the bundle, the
// wasm backend's .wasm files (www/wasm/) and its data (.npy files from `fedfuse data export`).
import * as tf from '@tensorflow/tfjs';
import { FederatedClient, initBackend, parseNpy, toFloat32, toInt32Labels, type NpyArray } from '@fedfuse/client';

/** What the page reports when the federation ends (also on window.fedfuseResult, for automation). */
interface PageResult {
  event: 'finished' | 'failed';
  clientId: string;
  backend?: string;
  accuracy?: number;
  weightsSha256?: string;
  error?: string;
}

const params = new URLSearchParams(location.search);
const statusEl = document.getElementById('status')!;
const logEl = document.getElementById('log')!;

function log(line: string): void {
  logEl.textContent += `${line}\n`;
}

function setStatus(text: string): void {
  statusEl.textContent = text;
}

async function npy(url: string): Promise<NpyArray> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return parseNpy(new Uint8Array(await response.arrayBuffer()), url);
}

/** Part `part` of `parts` of <data><name>-x.npy / -y.npy. */
async function load(data: string, name: string, part: number, parts: number): Promise<{ xs: tf.Tensor; ys: tf.Tensor1D }> {
  const x = toFloat32(await npy(`${data}${name}-x.npy`));
  const y = toInt32Labels(await npy(`${data}${name}-y.npy`));
  const rows = Math.floor(y.data.length / parts);
  const start = (part - 1) * rows;
  const per = x.data.length / y.data.length;
  const xs = tf.tensor(x.data.subarray(start * per, (start + rows) * per), [rows, ...x.shape.slice(1)]);
  return { xs, ys: tf.tensor1d(y.data.subarray(start, start + rows), 'int32') };
}

async function weightsSha256(model: tf.LayersModel): Promise<string> {
  const arrays = model.weights.map((w) => w.read().dataSync() as Float32Array);
  const all = new Uint8Array(arrays.reduce((n, a) => n + a.byteLength, 0));
  let at = 0;
  for (const a of arrays) {
    all.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += a.byteLength;
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', all));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function main(): Promise<PageResult> {
  const server = params.get('server');
  const clientId = params.get('id') ?? 'browser';
  const token = params.get('token');
  const data = params.get('data') ?? 'data/';
  const [part = 1, parts = 1] = (params.get('part') ?? '1/1').split('/').map(Number);
  if (!server || !token) throw new Error('the page needs ?server=<url>&token=<token> (and id, data, part)');

  // webgl where the browser has it, else wasm with its binaries from this site, else cpu.
  const backend = await initBackend({ wasmPaths: new URL('wasm/', location.href).href });
  log(`TF.js backend: ${backend}`);
  const train = await load(data, 'train', part, parts);
  const client = new FederatedClient({ serverUrl: server, clientId, token, data: { ...train, numClasses: 10 }, logger: log });
  client.on('progress', (p) => setStatus(`round ${p.round}: epoch ${p.epoch + 1}/${p.epochs}, batch ${p.batch + 1}/${p.batchesPerEpoch}, loss ${p.loss.toFixed(3)}`));
  client.on('model', (m) => setStatus(`round ${m.round} done${m.final ? ' (final model)' : ''}`));
  await client.start();
  const model = await client.finished();
  const test = await load(data, 'test', 1, 1);
  const accuracy = tf.tidy(() => (model.predict(test.xs) as tf.Tensor).argMax(-1).equal(test.ys).mean().dataSync()[0] ?? 0);
  const result: PageResult = { event: 'finished', clientId, backend, accuracy, weightsSha256: await weightsSha256(model) };
  tf.dispose([train.xs, train.ys, test.xs, test.ys]);
  return result;
}

main().then(
  (result) => {
    setStatus(`finished: test accuracy ${(100 * (result.accuracy ?? 0)).toFixed(2)}%`);
    (window as unknown as { fedfuseResult: PageResult }).fedfuseResult = result;
  },
  (e: Error) => {
    setStatus(`failed: ${e.message}`);
    (window as unknown as { fedfuseResult: PageResult }).fedfuseResult = { event: 'failed', clientId: params.get('id') ?? '', error: e.message };
  },
);
