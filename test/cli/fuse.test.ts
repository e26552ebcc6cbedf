import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runFuse, type FuseOptions } from '../../cli/commands/fuse.js';
import { loadModelDir, saveModelDir } from '../../common/io/model-dir.js';
import { writeNpy } from '../../common/io/npy-file.js';
import { buildModel, modelSpecSchema } from '../../common/model/model-spec.js';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { loadMnist } from '../../scenarios/data/mnist.js';
import type { Dataset } from '../../scenarios/data/dataset.js';
import { subset } from '../../scenarios/data/dataset.js';
import { evaluateModel } from '../../scenarios/evaluate.js';

const run = promisify(execFile);

/** Trains a 784-32-10 MLP on the examples of `ds` whose label is in `classes` (a non-IID client). */
async function trainParent(ds: Dataset, classes: number[], seed: number): Promise<tf.LayersModel> {
  const rows = [...ds.y.keys()].filter((i) => classes.includes(ds.y[i]));
  const part = subset(ds, rows);
  const model = buildModel(modelSpecSchema.parse({ kind: 'mlp', widths: [784, 32, 10] }), seed);
  model.compile({ optimizer: tf.train.adam(0.005), loss: (y: tf.Tensor, p: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, p) });
  const xs = tf.tensor2d(part.x, [part.n, 784]);
  const ys = tf.oneHot(tf.tensor1d(part.y, 'int32'), 10);
  await model.fit(xs, ys, { epochs: 5, batchSize: 32, verbose: 0, shuffle: false });
  tf.dispose([xs, ys]);
  return model;
}

async function failure(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'no error',
    (e: Error) => e.message,
  );
}

describe('fedfuse fuse', function () {
  this.timeout(120_000);
  let dir: string;
  let base: Omit<FuseOptions, 'out'>;
  let test: Dataset;

  before(async () => {
    await initBackend();
    dir = await mkdtemp(join(tmpdir(), 'fedfuse-fuse-'));
    const train = await loadMnist({ split: 'train', limit: 1600 });
    const probe = await loadMnist({ split: 'train', offset: 1600, limit: 200 });
    test = await loadMnist({ split: 'test', limit: 1000 });
    // Two non-IID parents: one saw digits 0-4 (plus a little of 5-9), the other 5-9 (plus a little of 0-4).
    const a = await trainParent(subset(train, [...Array(1000).keys()]), [0, 1, 2, 3, 4, 5], 1);
    const b = await trainParent(subset(train, [...Array(1000).keys()].map((i) => i + 600)), [4, 5, 6, 7, 8, 9], 2);
    await saveModelDir(a, join(dir, 'a'));
    await saveModelDir(b, join(dir, 'b'));
    a.dispose();
    b.dispose();
    await writeNpy(join(dir, 'probe.npy'), probe.x, [probe.n, 28, 28]); // image-shaped: reshaped to the flat input
    await writeNpy(join(dir, 'probe-y.npy'), probe.y, [probe.n]);
    await writeNpy(join(dir, 'test-x.npy'), test.x, [test.n, 784]);
    await writeNpy(join(dir, 'test-y.npy'), test.y, [test.n]);
    base = {
      modelDirs: [join(dir, 'a'), join(dir, 'b')],
      method: 'kf-linear',
      importance: 'conductance',
      probe: join(dir, 'probe.npy'),
      probeLabels: join(dir, 'probe-y.npy'),
      evalX: join(dir, 'test-x.npy'),
      evalY: join(dir, 'test-y.npy'),
      seed: 3,
    };
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('fuses two MNIST models, saves a loadable model and reports accuracies', async () => {
    const before = tf.memory().numTensors;
    const lines: string[] = [];
    const out = join(dir, 'fused-kf');
    const report = await runFuse({ ...base, out, log: (l) => lines.push(l) });
    expect(tf.memory().numTensors).to.equal(before);
    expect(report.importanceTargets).to.equal('labels');
    expect(report.perLevel.map((l) => l.level)).to.deep.equal([0, 1]);
    const e = report.evaluation!;
    expect(e.examples).to.equal(1000);
    expect(e.vanillaAverage).to.be.a('number');
    // Non-IID parents: averaging their weights blindly mixes unrelated neurons; aligned fusion does clearly better.
    for (const acc of [...e.parents, e.vanillaAverage!, e.fused]) expect(acc).to.be.within(0.1, 1);
    expect(e.fused).to.be.greaterThan(e.vanillaAverage! + 0.05);
    // The saved model is the fused one: reloaded, it scores what the report says.
    const fused = await loadModelDir(out);
    const xs = tf.tensor2d(test.x, [test.n, 784]);
    const ys = tf.tensor1d(test.y, 'int32');
    expect(evaluateModel(fused, xs, ys).accuracy).to.equal(e.fused);
    tf.dispose([xs, ys]);
    fused.dispose();
    const saved = JSON.parse(await readFile(join(out, 'fuse-report.json'), 'utf8')) as { method: string };
    expect(saved.method).to.equal('kf-linear');
    expect(lines.some((l) => /^vanilla weight average\s+\d+\.\d\d%$/.test(l))).to.equal(true);
    expect(lines.some((l) => /^fused \(kf-linear, conductance\)\s+\d+\.\d\d%$/.test(l))).to.equal(true);
    expect(lines.some((l) => /^fusion time: \d+\.\d\d s/.test(l))).to.equal(true);
  });

  it('runs the baselines on the same parents: OTFusion, weight matching and the vanilla average, with the ensemble line', async () => {
    const before = tf.memory().numTensors;
    const fused: Record<string, number> = {};
    let vanillaAverage = 0;
    let ensemble = 0;
    for (const method of ['otfusion', 'weight-matching', 'vanilla']) {
      const lines: string[] = [];
      const out = join(dir, `fused-${method}`);
      const report = await runFuse({ ...base, method, importance: undefined, out, log: (l) => lines.push(l) });
      const e = report.evaluation!;
      fused[method] = e.fused;
      vanillaAverage = e.vanillaAverage!;
      ensemble = e.ensemble;
      expect(report.importanceTargets).to.equal('none');
      expect(lines.some((l) => new RegExp(`^fused \\(${method}\\)\\s+\\d+\\.\\d\\d%$`).test(l)), lines.join('\n')).to.equal(true);
      expect(lines.some((l) => /^prediction ensemble \(reference, not one model\)\s+\d+\.\d\d%$/.test(l))).to.equal(true);
      const reloaded = await loadModelDir(out);
      const xs = tf.tensor2d(test.x, [test.n, 784]);
      const ys = tf.tensor1d(test.y, 'int32');
      expect(evaluateModel(reloaded, xs, ys).accuracy).to.equal(e.fused);
      tf.dispose([xs, ys]);
      reloaded.dispose();
    }
    expect(tf.memory().numTensors).to.equal(before);
    // The vanilla baseline is exactly the reference line. (Whether alignment helps depends on the parents: these two
    // saw nearly disjoint digits; test/baselines/ checks that OT and weight matching recover permuted copies.)
    expect(fused.vanilla).to.equal(vanillaAverage);
    for (const m of ['otfusion', 'weight-matching']) expect(fused[m], m).to.be.within(0.1, 1);
    expect(ensemble).to.be.within(0.1, 1);
  });

  it('without probe labels, falls back to predicted classes and says so', async () => {
    const lines: string[] = [];
    const report = await runFuse({
      ...base,
      method: 'hf',
      importance: 'feature-ablation',
      probeLabels: undefined,
      evalX: undefined,
      evalY: undefined,
      out: join(dir, 'fused-hf'),
      log: (l) => lines.push(l),
    });
    expect(report.importanceTargets).to.equal('predictions');
    expect(report.notes.join(' ')).to.match(/no --probe-labels: feature-ablation scores attribute each parent's own predicted classes/);
    expect(lines[0]).to.match(/^note: no --probe-labels/);
    expect(report.evaluation).to.equal(undefined);
    expect((await stat(join(dir, 'fused-hf', 'weights.bin'))).size).to.be.greaterThan(0);
  });

  it('rejects bad input with one clear message each', async () => {
    const out = join(dir, 'never');
    const three = [...base.modelDirs, base.modelDirs[0]];
    expect(await failure(runFuse({ ...base, out, method: 'hf', modelDirs: three }))).to.equal(
      '--method hf fuses exactly 2 models, got 3 (use kf-linear, kf-gradient or otfusion for more)',
    );
    expect(await failure(runFuse({ ...base, out, method: 'weight-matching', modelDirs: three }))).to.match(/--method weight-matching fuses exactly 2 models, got 3/);
    expect(await failure(runFuse({ ...base, out, method: 'otfusion' }))).to.equal(
      '--importance conductance applies to neuron interpolation only; --method otfusion uses no importance scores',
    );
    expect(await failure(runFuse({ ...base, out, method: 'average' }))).to.match(
      /--method must be one of hf, kf-linear, kf-gradient, otfusion, weight-matching, vanilla, got "average"/,
    );
    expect(await failure(runFuse({ ...base, out, importance: 'random' }))).to.match(/--importance must be one of/);
    expect(await failure(runFuse({ ...base, out, ridge: 'lots' }))).to.match(/--ridge must be auto or a number >= 0, got "lots"/);
    expect(await failure(runFuse({ ...base, out, grouping: 'random' }))).to.match(/--grouping must be one of match, index/);
    expect(await failure(runFuse({ ...base, out, modelDirs: [base.modelDirs[0], join(dir, 'missing')] }))).to.equal(
      `${join(dir, 'missing')}: no such model directory`,
    );
    expect(await failure(runFuse({ ...base, out, probe: join(dir, 'probe-y.npy') }))).to.match(
      /--probe .*probe-y\.npy has shape \[200\], but the models take \[n, 784\]/,
    );
    expect(await failure(runFuse({ ...base, out, probeLabels: join(dir, 'test-y.npy') }))).to.match(
      /--probe-labels .* has 1000 labels but --probe has 200 examples/,
    );
    expect(await failure(runFuse({ ...base, out, evalY: undefined }))).to.equal('--eval-x and --eval-y go together');
    expect(await failure(runFuse({ ...base, out, seed: '-1' }))).to.match(/--seed must be a non-negative integer/);
  });

  it('refuses to fuse models with different architectures', async () => {
    const conv = buildModel(
      modelSpecSchema.parse({
        kind: 'sequential',
        inputShape: [784],
        layers: [{ type: 'dense', units: 32 }, { type: 'dense', units: 16 }, { type: 'dense', units: 10, activation: 'linear' }],
      }),
      5,
    );
    await saveModelDir(conv, join(dir, 'deeper'));
    conv.dispose();
    const message = await failure(runFuse({ ...base, out: join(dir, 'never'), modelDirs: [base.modelDirs[0], join(dir, 'deeper')] }));
    expect(message).to.match(/parent 1/);
    expect(message).to.not.include('\n');
  });

  it('loads model directories with several weight shards, and names a short weight file', async () => {
    // Re-shard parent a's weights.bin into two files and two manifest groups, as tfjs converters write them.
    const json = JSON.parse(await readFile(join(base.modelDirs[0], 'model.json'), 'utf8'));
    const bin = await readFile(join(base.modelDirs[0], 'weights.bin'));
    const specs = json.weightsManifest[0].weights as { shape: number[] }[];
    const firstBytes = specs.slice(0, 2).reduce((a, w) => a + 4 * w.shape.reduce((x, y) => x * y, 1), 0);
    const sharded = join(dir, 'sharded');
    await mkdir(sharded, { recursive: true });
    await writeFile(join(sharded, 'group1-shard1of1.bin'), bin.subarray(0, firstBytes));
    await writeFile(join(sharded, 'group2-shard1of1.bin'), bin.subarray(firstBytes));
    json.weightsManifest = [
      { paths: ['group1-shard1of1.bin'], weights: specs.slice(0, 2) },
      { paths: ['group2-shard1of1.bin'], weights: specs.slice(2) },
    ];
    await writeFile(join(sharded, 'model.json'), JSON.stringify(json));
    const [original, reloaded] = [await loadModelDir(base.modelDirs[0]), await loadModelDir(join(sharded, 'model.json'))];
    const x = tf.tensor2d(test.x.subarray(0, 784 * 5), [5, 784]);
    const [p, q] = [original.predict(x) as tf.Tensor, reloaded.predict(x) as tf.Tensor];
    expect([...q.dataSync()]).to.deep.equal([...p.dataSync()]);
    tf.dispose([x, p, q]);
    original.dispose();
    reloaded.dispose();
    await writeFile(join(sharded, 'group2-shard1of1.bin'), bin.subarray(firstBytes, firstBytes + 8));
    expect(await failure(loadModelDir(sharded))).to.match(/sharded: weight files hold \d+ bytes, model.json lists \d+/);
  });

  it('runs as the real CLI: prints the table, exits 0; bad input exits 2 with a one-line message', async function () {
    const cli = join(process.cwd(), 'bin', 'fedfuse.js');
    const exists = await stat(join(process.cwd(), 'cli', 'main.ts')).then(() => true, () => false);
    if (!exists) this.skip();
    const args = ['fuse', ...base.modelDirs, '--method', 'kf-linear', '--importance', 'uniform'];
    const ok = await run(process.execPath, [
      cli,
      ...args,
      '--probe', base.probe!,
      '--probe-labels', base.probeLabels!,
      '--eval-x', base.evalX!,
      '--eval-y', base.evalY!,
      '--out', join(dir, 'fused-cli'),
    ]);
    expect(ok.stdout).to.match(/fused \(kf-linear, uniform\)\s+\d+\.\d\d%/);
    expect((await stat(join(dir, 'fused-cli', 'model.json'))).isFile()).to.equal(true);
    const bad = await run(process.execPath, [cli, ...args, '--probe', join(dir, 'nope.npy'), '--out', join(dir, 'never')]).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(bad.code).to.equal(2);
    expect(bad.stderr.trim()).to.equal(`fedfuse: ${join(dir, 'nope.npy')}: no such file`);
    const help = await run(process.execPath, [cli, 'fuse', '--help']);
    expect(help.stdout).to.include('--importance <method>');
  });
});
