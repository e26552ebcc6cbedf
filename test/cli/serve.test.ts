// `fedfuse serve` as a user runs it: the compiled CLI in its own process, real clients over loopback. Without a
// checkpointDir every client still gets the final model, --out holds the results, and bad input is refused before
// the server listens, naming the file and the field.
import { expect } from 'chai';
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { FederatedClient, modelToState, type LocalData } from '@fedfuse/client';
import { writeNpy } from '../../common/io/npy-file.js';
import { loadMnist } from '../../scenarios/data/mnist.js';
import { disposeData, mnistSlice, TOKENS } from '../federation/helpers.js';
import { within } from '../fuzz/frame-link.js';

const CLI = join(process.cwd(), 'bin', 'fedfuse.js');
const run = promisify(execFile);

function config(overrides: string): string {
  return [
    'port: 0',
    'rounds: 2',
    'minClients: 2',
    'roundDeadlineSeconds: 60',
    `tokens: { alice: "${TOKENS.alice}", bob: "${TOKENS.bob}" }`,
    'model: { kind: mlp, widths: [784, 32, 10] }',
    'training: { localEpochs: 1, batchSize: 32, learningRate: 0.05 }',
    overrides,
  ].join('\n');
}

async function refusal(dir: string, yaml: string, extra: string[] = []): Promise<string> {
  const file = join(dir, `bad-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, yaml);
  return run(process.execPath, [CLI, 'serve', '--config', file, ...extra]).then(
    (r) => `exit 0 (expected a refusal): ${r.stdout}`,
    (e: { code: number; stderr: string }) => `exit ${e.code}: ${e.stderr.trim()}`.replaceAll(file, 'CONFIG'),
  );
}

describe('fedfuse serve (the compiled CLI)', function () {
  this.timeout(120_000);
  let dir: string;
  let data: LocalData[];

  before(async () => {
    await initBackend();
    dir = await mkdtemp(join(tmpdir(), 'fedfuse-serve-'));
    data = [await mnistSlice(0, 300), await mnistSlice(300, 300)];
    const test = await loadMnist({ split: 'test', limit: 500 });
    await writeNpy(join(dir, 'x.npy'), test.x, [test.n, 784]);
    await writeNpy(join(dir, 'y.npy'), test.y, [test.n]);
    // The server's probe set: 100 training images the clients do not hold (they train on images 0..599).
    const train = await loadMnist({ split: 'train', limit: 1100 });
    await writeNpy(join(dir, 'probe.npy'), train.x.slice(1000 * 784, 1100 * 784), [100, 784]);
    await writeNpy(join(dir, 'probe-y.npy'), train.y.slice(1000, 1100), [100]);
  });
  after(async () => {
    disposeData(...data);
    await rm(dir, { recursive: true, force: true });
  });

  /** `fedfuse serve` as a child process, once it printed its url. */
  async function startServe(configFile: string, out: string) {
    const probe = ['--probe', join(dir, 'probe.npy'), '--probe-labels', join(dir, 'probe-y.npy')];
    const child = spawn(process.execPath, [CLI, 'serve', '--config', configFile, ...probe, '--eval-x', join(dir, 'x.npy'), '--eval-y', join(dir, 'y.npy'), '--out', out], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = { stdout: '', stderr: '' };
    child.stdout.on('data', (b: Buffer) => (output.stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output.stderr += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await within(
        (async () => {
          for (;;) {
            const hit = /serving on (http:\/\/\S+)/.exec(output.stdout);
            if (hit) return hit[1];
            if (child.exitCode !== null) throw new Error(`serve exited early: ${output.stderr}`);
            await new Promise((r) => setTimeout(r, 20));
          }
        })(),
        'serve prints its url',
      );
      return { child, output, exited, url };
    } catch (e) {
      child.kill('SIGKILL');
      throw e;
    }
  }

  it('without a checkpointDir, hands both clients the final model, writes --out and prints the round table', async () => {
    // No strategy in the file: neuron interpolation, the default, with the probe set it needs.
    await writeFile(join(dir, 'server.yaml'), config(''));
    const out = join(dir, 'out');
    const { child, output, exited, url } = await startServe(join(dir, 'server.yaml'), out);
    const clients: FederatedClient[] = [];
    try {
      for (const [i, id] of (['alice', 'bob'] as const).entries()) {
        clients.push(new FederatedClient({ serverUrl: url, clientId: id, token: TOKENS[id], data: data[i], logger: () => {} }));
      }
      await Promise.all(clients.map((c) => c.start()));
      const finals = await within(Promise.all(clients.map(async (c) => modelToState(await c.finished()))), 'both clients get the final model');
      expect(await within(exited, 'serve exits after the last round')).to.equal(0);

      const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as {
        rounds: { round: number; accuracy: number; fusion?: { path: string } }[];
        config: Record<string, unknown>;
      };
      expect(results.rounds.map((r) => r.round)).to.deep.equal([1, 2]);
      for (const r of results.rounds) expect(r.fusion?.path).to.be.oneOf(['fused', 'fallback']);
      expect(results.rounds[1].accuracy).to.be.greaterThan(0.5);
      expect(JSON.stringify(results)).not.to.include(TOKENS.alice);
      expect((await readFile(join(out, 'rounds.csv'), 'utf8')).split('\n')[0]).to.match(/^round,participants/);
      expect((await stat(join(out, 'model', 'model.json'))).isFile()).to.equal(true);
      expect(output.stdout).to.match(/round\s+clients\s+late\s+rejected\s+test acc/);
      // Both clients hold the model the server wrote.
      const saved = new Float32Array((await readFile(join(out, 'model', 'weights.bin'))).buffer.slice(0));
      expect(finals[0].weights[0].values.slice(0, 8)).to.deep.equal(saved.slice(0, 8));
      expect(finals[1].weights.map((w) => [...w.values.slice(0, 4)])).to.deep.equal(finals[0].weights.map((w) => [...w.values.slice(0, 4)]));
    } finally {
      await Promise.all(clients.map((c) => c.stop()));
      clients.forEach((c) => c.model?.dispose());
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('issue 19: a default serve (no defence option, neuron interpolation) holds a client that returns the global model ×1e15', async () => {
    const file = join(dir, 'attacked.yaml');
    await writeFile(file, config('').replace('minClients: 2', 'minClients: 3').replace(`bob: "${TOKENS.bob}" }`, `bob: "${TOKENS.bob}", carol: "${TOKENS.carol}" }`));
    const out = join(dir, 'attacked-out');
    const { child, output, exited, url } = await startServe(file, out);
    const attacker = await mnistSlice(600, 300);
    const clients = (['alice', 'bob', 'carol'] as const).map(
      (id, i) =>
        new FederatedClient({
          serverUrl: url,
          clientId: id,
          token: TOKENS[id],
          data: id === 'carol' ? attacker : data[i],
          logger: () => {},
          ...(id === 'carol' ? { transformUpdate: ({ global }) => global.weights.map((w) => ({ ...w, values: w.values.map((v) => v * 1e15) })) } : {}),
        }),
    );
    try {
      await Promise.all(clients.map((c) => c.start()));
      await within(Promise.all(clients.map((c) => c.finished())), 'every client gets the final model');
      expect(await within(exited, 'serve exits after the last round')).to.equal(0);
      const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as { rounds: { participants: number; accuracy: number; guard?: { published: string } }[] };
      // carol's uploads are refused at decode in both rounds; the rounds go on with alice and bob.
      expect(results.rounds.map((r) => r.participants)).to.deep.equal([2, 2]);
      expect(results.rounds.map((r) => r.guard?.published)).to.deep.equal(['candidate', 'candidate']);
      expect(results.rounds[1].accuracy).to.be.greaterThan(0.5);
      expect(output.stdout).to.match(/rejected the update of carol: BAD_TENSOR: weight 0 \(.+\): value .* is beyond the bound 10000 on any weight's magnitude \(defence\.maxAbsWeight\)/);
      const saved = new Float32Array((await readFile(join(out, 'model', 'weights.bin'))).buffer.slice(0));
      expect(Math.max(...saved.map(Math.abs))).to.be.below(10);
    } finally {
      await Promise.all(clients.map((c) => c.stop()));
      clients.forEach((c) => c.model?.dispose());
      disposeData(attacker);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses impossible counts, strategy option typos, unknown model kinds and mis-shaped data before listening', async () => {
    expect(await refusal(dir, config('minClients: 3').replace('minClients: 2\n', ''))).to.match(
      /^exit 2: fedfuse: CONFIG is invalid:\n\s+minClients: is 3, but tokens lists only 2 client\(s\)/,
    );
    expect(await refusal(dir, config('strategy: { name: fedprox, options: { muu: 0.1 } }'))).to.equal(
      'exit 2: fedfuse: CONFIG: strategy: strategy fedprox does not take option(s) muu (known: mu)',
    );
    expect(await refusal(dir, config('strategy: { name: weight-matching }'))).to.equal(
      'exit 2: fedfuse: CONFIG: minUpdates: strategy weight-matching fuses exactly 2 client updates per round; set minUpdates: 2',
    );
    expect(await refusal(dir, config('').replace('kind: mlp', 'kind: mlpp'))).to.match(/CONFIG is invalid:\n\s+model.kind: expected kind 'mlp'/);
    expect(await refusal(dir, config(''))).to.match(
      /^exit 2: fedfuse: CONFIG: strategy neuron-interpolation aggregates with the server's probe set: give one with --probe/,
    );
    expect(await refusal(dir, config('strategy: { name: fedavg, options: { calibrateOutput: true } }'), ['--probe', join(dir, 'probe.npy')])).to.equal(
      "exit 2: fedfuse: CONFIG: strategy fedavg needs the probe set's labels (calibrateOutput): give them with --probe-labels",
    );
    await writeNpy(join(dir, 'probe-bad.npy'), new Float32Array(5 * 10), [5, 10]);
    expect(await refusal(dir, config(''), ['--probe', join(dir, 'probe-bad.npy')])).to.include(
      `--probe ${join(dir, 'probe-bad.npy')} has shape [5, 10], but the model of CONFIG takes [n, 784]`,
    );
    await writeNpy(join(dir, 'y-bad.npy'), new Int32Array(500).fill(12), [500]);
    expect(await refusal(dir, config('strategy: { name: fedavg }'), ['--eval-x', join(dir, 'x.npy'), '--eval-y', join(dir, 'y-bad.npy')])).to.include(
      "label 0 is 12, outside the model's classes 0..9",
    );
    // The checkpoint key (issue 23): from the file the config names, else from FEDFUSE_CHECKPOINT_KEY.
    const keyFile = join(dir, 'short.key');
    await writeFile(keyFile, 'short\n');
    const keyed = `strategy: { name: fedavg }\ncheckpointDir: ${join(dir, 'ckpt')}`;
    expect(await refusal(dir, config(`${keyed}\ncheckpointKeyFile: ${keyFile}`))).to.equal(
      `exit 2: fedfuse: CONFIG: checkpointKeyFile ${keyFile}: the checkpoint key is 5 bytes; at least 16 are needed`,
    );
    const envFile = join(dir, 'env-key.yaml');
    await writeFile(envFile, config(keyed));
    const viaEnv = await run(process.execPath, [CLI, 'serve', '--config', envFile], { env: { ...process.env, FEDFUSE_CHECKPOINT_KEY: 'tiny' } }).then(
      () => 'exit 0',
      (e: { code: number; stderr: string }) => `exit ${e.code}: ${e.stderr.trim()}`,
    );
    expect(viaEnv).to.equal('exit 2: fedfuse: FEDFUSE_CHECKPOINT_KEY: the checkpoint key is 4 bytes; at least 16 are needed');
  });
});
