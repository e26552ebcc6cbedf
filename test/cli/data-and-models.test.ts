// Data and models in and out through the compiled CLI: `data export` writes .npy with the scenarios' own
// preprocessing and probe draw, `token` prints a token with the digest server.yaml takes, and `run --save-models`
// writes TF.js directories that `fuse` reads (vanilla needs no probe; bad eval files are refused before any write).
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseNpy } from '@fedfuse/client/internal/io/npy.js';
import { writeNpy } from '../../common/io/npy-file.js';
import { parseScenario } from '../../scenarios/load-scenario.js';
import { prepareSplit } from '../../scenarios/prepare-split.js';
import { TokenRegistry } from '../../server/auth/token-registry.js';

const CLI = join(process.cwd(), 'bin', 'fedfuse.js');
const run = promisify(execFile);

async function npy(path: string) {
  const bytes = await readFile(path);
  return parseNpy(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
}

describe('fedfuse data export, token, run --save-models → fuse (the compiled CLI)', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fedfuse-cli-data-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('data export writes the probe a scenario with the same seed draws, test and training slices', async () => {
    const out = join(dir, 'data');
    await run(process.execPath, [CLI, 'data', 'export', 'mnist', '--probe', '50', '--test', '100', '--train', '30', '--train-offset', '10', '--seed', '3', '--out', out]);
    const [px, py, tx, ty, trainX] = await Promise.all(['probe-x', 'probe-y', 'test-x', 'test-y', 'train-x'].map((n) => npy(join(out, `${n}.npy`))));
    expect([px.shape, py.shape, tx.shape, ty.shape, trainX.shape]).to.deep.equal([[50, 784], [50], [100, 784], [100], [30, 784]]);
    const scenario = parseScenario({
      name: 'probe-check', dataset: 'mnist', partition: { kind: 'iid' }, clients: 2, rounds: 1,
      local: { epochs: 1, batchSize: 32, learningRate: 0.05, optimizer: 'sgd' },
      model: { kind: 'mlp', widths: [784, 10] }, strategy: { name: 'fedavg' }, seed: 3, probe: { size: 50 }, testLimit: 100,
    });
    const split = await prepareSplit(scenario);
    expect([...(px.data as Float32Array)]).to.deep.equal([...split.probe.x]);
    expect([...(py.data as Int32Array)]).to.deep.equal([...split.probe.y]);
    expect([...(tx.data as Float32Array).slice(0, 784 * 3)]).to.deep.equal([...split.test.x.slice(0, 784 * 3)]);
  });

  it('token prints a token and the sha256 digest that server.yaml accepts for it', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'token', '--client', 'alice']);
    const token = /^token:\s+(\S+)$/m.exec(stdout)![1];
    const digest = /^sha256:\s+([0-9a-f]{64})$/m.exec(stdout)![1];
    expect(token).to.have.length(64);
    expect(stdout).to.include(`tokens: { "alice": { sha256: "${digest}" } }`);
    expect(new TokenRegistry({ alice: { sha256: digest } }).verify('alice', token)).to.deep.equal({ ok: true });
  });

  it('run --save-models writes the global and client models; fuse --method vanilla averages them without a probe', async () => {
    const out = join(dir, 'run');
    await run(process.execPath, [CLI, 'run', 'scenarios/examples/experiment-tiny.yaml', '--rounds', '1', '--quiet', '--save-models', '--out', out]);
    for (const m of ['global', 'round-1/client-1', 'round-1/client-2']) {
      expect((await stat(join(out, 'models', m, 'model.json'))).isFile(), m).to.equal(true);
    }
    const parents = [join(out, 'models', 'round-1', 'client-1'), join(out, 'models', 'round-1', 'client-2')];
    const fused = join(dir, 'fused');
    const { stdout } = await run(process.execPath, [CLI, 'fuse', ...parents, '--method', 'vanilla', '--out', fused, '--quiet']);
    expect(stdout).to.include(`fused model: ${fused}`);
    expect((await stat(join(fused, 'model.json'))).isFile()).to.equal(true);

    await writeNpy(join(dir, 'ex.npy'), new Float32Array(4 * 784), [4, 784]);
    await writeNpy(join(dir, 'ey.npy'), new Int32Array(3), [3]);
    const never = join(dir, 'never');
    const bad = await run(process.execPath, [CLI, 'fuse', ...parents, '--method', 'vanilla', '--out', never, '--eval-x', join(dir, 'ex.npy'), '--eval-y', join(dir, 'ey.npy')]).then(
      () => 'exit 0',
      (e: { code: number; stderr: string }) => `exit ${e.code}: ${e.stderr.trim()}`,
    );
    expect(bad).to.equal(`exit 2: fedfuse: --eval-y ${join(dir, 'ey.npy')} has 3 labels but --eval-x has 4 examples`);
    expect(await stat(never).then(() => 'written', () => 'not written')).to.equal('not written');
  });
});
