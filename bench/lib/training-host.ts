// A host for bench/parallel-worker-kind.ts, run as a worker thread or as a child process: loads TF.js and its
// clients' data as a client worker does, trains each of them one local epoch with the SDK's trainLocally, and
// reports how long each step took. Reports through parentPort (thread) or process.send (process).
import { parentPort, workerData } from 'node:worker_threads';

interface HostConfig {
  scenario: string;
  indexes: number[];
}

/** rssBytes: the peak this host saw (a thread sees its whole process's). */
type HostReport = { bootSeconds: number; loadSeconds: number; trainSeconds: number; examples: number; rssBytes: number };

const started = performance.now();
let rssPeak = process.memoryUsage.rss();
const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 50);
const config = (parentPort ? workerData : JSON.parse(process.argv[2])) as HostConfig;
const report = (r: HostReport) => (parentPort ? parentPort.postMessage(r) : new Promise<void>((done) => process.send!(r, undefined, {}, () => done())));

const tf = await import('@tensorflow/tfjs');
const { initBackend } = await import('@fedfuse/client/internal/tf/backend.js');
const { trainLocally } = await import('@fedfuse/client/internal/training/local-training.js');
const { buildModel } = await import('../../common/model/model-spec.js');
const { loadScenario } = await import('../../scenarios/load-scenario.js');
const { clientDatasets } = await import('../../scenarios/prepare-split.js');
const { toTensors } = await import('../../scenarios/data/dataset.js');
const { dataShapeOf } = await import('../../scenarios/clients/simulated-clients.js');
await initBackend();
const booted = performance.now();
const scenario = await loadScenario(config.scenario);
const data = (await clientDatasets(scenario, config.indexes)).map((d) => ({ ...toTensors(d, dataShapeOf(scenario)), numClasses: d.numClasses }));
const loaded = performance.now();
let examples = 0;
for (const [k, d] of data.entries()) {
  const model = buildModel(scenario.model, scenario.seed);
  const { local } = scenario;
  await trainLocally(model, d, { localEpochs: local.epochs, batchSize: local.batchSize, learningRate: local.learningRate, optimizer: local.optimizer, proximalMu: 0, seed: k });
  examples += d.xs.shape[0];
  model.dispose();
}
const trained = performance.now();
tf.dispose(data.flatMap((d) => [d.xs, d.ys]));
await report({
  bootSeconds: (booted - started) / 1000,
  loadSeconds: (loaded - booted) / 1000,
  trainSeconds: (trained - loaded) / 1000,
  examples,
  rssBytes: Math.max(rssPeak, process.memoryUsage.rss()),
});
clearInterval(sampler);
if (!parentPort) process.exit(0);
