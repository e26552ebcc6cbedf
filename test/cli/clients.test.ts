// `fedfuse clients` as a user runs one simulation over several machines: `clients --write-server` writes the server's
// files, the compiled `serve` runs on them, and two `clients` processes (one in-process, one with 2 workers) each run
// half of the scenario's clients against it over loopback. The federation must give `run`'s rounds exactly.
import { expect } from 'chai';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadScenario } from '../../scenarios/load-scenario.js';
import { runScenario } from '../../scenarios/runner.js';
import type { RoundRow } from '../../server/rounds/round-row.js';
import { within } from '../fuzz/frame-link.js';

const CLI = join(process.cwd(), 'bin', 'fedfuse.js');
const execCli = promisify(execFile);

const SCENARIO = `
name: clients-tiny
dataset: mnist
trainLimit: 1600
testLimit: 300
partition: { kind: dirichlet, alpha: 0.5 }
clients: 4
rounds: 2
local: { epochs: 1, batchSize: 32, learningRate: 0.05 }
model: { kind: mlp, widths: [784, 16, 10] }
strategy: { name: neuron-interpolation }
seed: 2
probe: { size: 100 }
`;

/** A CLI process with its output kept; `exited` resolves with its exit code. */
function cli(args: string[]): { child: ChildProcess; out: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, out: () => out, exited };
}

const rowsOf = (rows: RoundRow[]) => rows.map((r) => ({ round: r.round, participants: r.participants, accuracy: r.accuracy, loss: r.loss, fusion: r.fusion }));

describe('fedfuse clients (one simulation over several processes, the compiled CLI)', function () {
  this.timeout(240_000);
  let dir: string;
  let file: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fedfuse-clients-'));
    file = join(dir, 'scenario.yaml');
    await writeFile(file, SCENARIO);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("two clients processes against one serve give run's rounds exactly", async () => {
    const files = join(dir, 'server');
    const written = await execCli(process.execPath, [CLI, 'clients', '--scenario', file, '--write-server', files]);
    expect(written.stdout).to.include(join(files, 'server.yaml'));
    const token = join(files, 'client-token');
    const out = join(dir, 'served');
    const serve = cli([
      'serve', '--config', join(files, 'server.yaml'), '--port', '0', '--out', out,
      '--probe', join(files, 'probe-x.npy'), '--probe-labels', join(files, 'probe-y.npy'),
      '--eval-x', join(files, 'test-x.npy'), '--eval-y', join(files, 'test-y.npy'),
    ]);
    const parts: ReturnType<typeof cli>[] = [];
    try {
      const url = await within(
        (async () => {
          for (;;) {
            const m = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(serve.out());
            if (m) return m[1];
            if (serve.child.exitCode !== null) throw new Error(`serve exited early:\n${serve.out()}`);
            await new Promise((r) => setTimeout(r, 100));
          }
        })(),
        'serve listening',
        60_000,
      );
      parts.push(cli(['clients', '--scenario', file, '--ids', '0-1', '--server', url, '--token-file', token, '--workers', '1']));
      parts.push(cli(['clients', '--scenario', file, '--ids', '2-3', '--server', url, '--token-file', token, '--workers', '2']));
      const codes = await within(Promise.all([serve.exited, ...parts.map((p) => p.exited)]), 'the federation', 200_000);
      expect(codes, [serve, ...parts].map((p) => p.out()).join('\n----\n')).to.deep.equal([0, 0, 0]);
    } finally {
      for (const p of [serve, ...parts]) p.child.kill('SIGKILL');
    }
    expect(parts[0].out()).to.match(/all 2 clients have the final model \(round 2\)/);
    expect(parts[1].out()).to.match(/in 2 worker processes/);
    const served = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as { rounds: RoundRow[] };
    const local = await runScenario(await loadScenario(file), { outDir: join(dir, 'run'), print: false, workers: 1 });
    expect(rowsOf(served.rounds)).to.deep.equal(rowsOf(local.rounds));
    expect(served.rounds.map((r) => r.participants)).to.deep.equal([4, 4]);
  });

  it('refuses ids outside the scenario, and clients without a token, naming what is wrong', async () => {
    // The token variable is not inherited: each case gives its token (or none) itself.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'FEDFUSE_CLIENT_TOKEN'));
    const fail = (args: string[]) =>
      execCli(process.execPath, [CLI, 'clients', '--scenario', file, ...args], { env }).then(
        () => 'exit 0',
        (e: { code: number; stderr: string }) => `exit ${e.code}: ${e.stderr.trim()}`,
      );
    expect(await fail(['--ids', '2-4', '--server', 'http://127.0.0.1:9', '--token', 'a-long-token'])).to.match(
      /exit 2: .*--ids: client 4 is out of range: the scenario has 4 client\(s\), indexes 0-3/,
    );
    expect(await fail(['--server', 'http://127.0.0.1:9'])).to.match(/give the clients' token with --token-file/);
    expect(await fail(['--token', 'a-long-token'])).to.match(/give the server with --server/);
  });
});
