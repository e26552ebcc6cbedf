import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, truncate, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { buildModel } from '../../common/model/model-spec.js';
import { modelToState, stateToModel, type ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { CheckpointStore } from '../../server/checkpoint/checkpoint-store.js';

describe('CheckpointStore', () => {
  let dir: string;
  let state: ModelState;

  before(async () => {
    await initBackend();
    const model = buildModel({ kind: 'mlp', widths: [6, 5, 3], activation: 'relu' }, 3);
    state = modelToState(model);
    model.dispose();
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fedfuse-ckpt-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns null when nothing was saved', async () => {
    expect(await new CheckpointStore(join(dir, 'missing')).load()).to.equal(null);
  });

  it('round-trips the model and the round state', async () => {
    const store = new CheckpointStore<{ acc: number }>(dir);
    await store.save(1, state, { history: [{ acc: 0.5 }], configHash: 'abc' });
    const loaded = (await store.load())!;
    expect(loaded.round).to.equal(1);
    expect(loaded.state.history).to.deep.equal([{ acc: 0.5 }]);
    expect(loaded.state.configHash).to.equal('abc');
    expect(loaded.model.weights.map((w) => w.shape)).to.deep.equal(state.weights.map((w) => w.shape));
    loaded.model.weights.forEach((w, i) => expect(Array.from(w.values)).to.deep.equal(Array.from(state.weights[i].values)));
    const model = await stateToModel(loaded.model);
    model.dispose();
  });

  it('writes the layout tf.io loads (model.json with weightsManifest + weights.bin)', async () => {
    const store = new CheckpointStore(dir);
    const path = await store.save(4, state, { history: [], configHash: 'x' });
    const json = JSON.parse(await readFile(join(path, 'model.json'), 'utf8'));
    expect(json.format).to.equal('layers-model');
    expect(json.weightsManifest[0].paths).to.deep.equal(['weights.bin']);
    const bin = await readFile(join(path, 'weights.bin'));
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest[0].weights,
        weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
      }),
    );
    const got = model.getWeights().map((t) => Array.from(t.dataSync()));
    model.dispose();
    expect(got).to.deep.equal(state.weights.map((w) => Array.from(w.values)));
  });

  it('keeps only the newest checkpoints and ignores leftovers of an interrupted write', async () => {
    const store = new CheckpointStore(dir, { keep: 2 });
    for (let r = 1; r <= 4; r++) await store.save(r, state, { history: [], configHash: 'x' });
    await mkdir(join(dir, 'round-000005.tmp-dead'));
    await writeFile(join(dir, 'round-000005.tmp-dead', 'weights.bin'), 'partial');
    expect((await store.load())!.round).to.equal(4);
    const names = (await readdir(dir)).filter((n) => n.startsWith('round-') && !n.includes('.tmp-')).sort();
    expect(names).to.deep.equal(['round-000003', 'round-000004']);
  });

  it('falls back to the previous checkpoint when the newest is damaged', async () => {
    const store = new CheckpointStore(dir);
    await store.save(1, state, { history: [], configHash: 'x' });
    await store.save(2, state, { history: [], configHash: 'x' });
    await truncate(join(dir, 'round-000002', 'weights.bin'), 10);
    expect((await store.load())!.round).to.equal(1);
  });

  it('leaves the previous checkpoint intact when a save fails', async () => {
    const store = new CheckpointStore(dir);
    await store.save(1, state, { history: [], configHash: 'x' });
    let error: Error | undefined;
    await store.save(2, { ...state, topologyJson: '{not json' }, { history: [], configHash: 'x' }).catch((e) => (error = e));
    expect(error?.message).to.match(/topology is not valid JSON/);
    expect((await store.load())!.round).to.equal(1);
  });

  it('always loads an intact checkpoint after the writer is killed mid-save (SIGKILL)', async function () {
    this.timeout(60_000);
    for (let attempt = 0; attempt < 3; attempt++) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/server/fixtures/checkpoint-writer.ts', dir], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      // Let it get into some later save, then kill it wherever it is.
      await new Promise((r) => setTimeout(r, 50 + attempt * 70));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const loaded = await new CheckpointStore(dir).load();
      expect(loaded).to.not.equal(null);
      const round = loaded!.round;
      expect(loaded!.model.weights[0].values.every((v) => v === round)).to.equal(true);
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir);
    }
  });
});
