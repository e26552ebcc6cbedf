// Start-up cost of the compiled CLI, as a user pays it: `fedfuse --help` and `fedfuse --version` against a bare
// `node -e 0`, and the whole `fedfuse fuse` process on two MNIST 784-256-10 MLPs with HF against the fusion time the
// command itself reports. Each command runs 5 times, interleaved; medians and ratios come from this one run.
// Needs `npm run build` first.   npm run bench:cli-startup   (= node --import tsx bench/cli-startup.ts)
import * as tf from '@tensorflow/tfjs';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { trainLocally } from '@fedfuse/client/internal/training/local-training.js';
import { buildModel } from '../common/model/model-spec.js';
import { saveModelDir } from '../common/io/model-dir.js';
import { writeNpy } from '../common/io/npy-file.js';
import { loadMnist } from '../scenarios/data/mnist.js';
import { median, renderTable } from './lib/stats.js';

const RUNS = 5;
const CLI = join(process.cwd(), 'bin', 'fedfuse.js');
const run = promisify(execFile);

async function seconds(args: string[]): Promise<{ wall: number; stdout: string }> {
  const started = performance.now();
  const { stdout } = await run(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 });
  return { wall: (performance.now() - started) / 1000, stdout };
}

/** A parent as in the paper's MNIST setting: 784-256-10, trained on its own 2000 examples. */
async function trainParent(offset: number, seed: number, dir: string): Promise<void> {
  const ds = await loadMnist({ split: 'train', offset, limit: 2000 });
  const xs = tf.tensor2d(ds.x, [ds.n, 784]);
  const ys = tf.tensor1d(ds.y, 'int32');
  const model = buildModel({ kind: 'mlp', widths: [784, 256, 10], activation: 'relu' }, seed);
  await trainLocally(model, { xs, ys, numClasses: 10 }, { localEpochs: 2, batchSize: 32, learningRate: 0.05, optimizer: 'sgd', proximalMu: 0, seed });
  await saveModelDir(model, dir);
  model.dispose();
  tf.dispose([xs, ys]);
}

if (!existsSync(join(process.cwd(), 'dist', 'cli', 'main.js'))) throw new Error('run npm run build first: the bench times the compiled CLI');
await initBackend();
const dir = await mkdtemp(join(tmpdir(), 'fedfuse-cli-startup-'));
try {
  await trainParent(0, 1, join(dir, 'a'));
  await trainParent(2000, 2, join(dir, 'b'));
  const probe = await loadMnist({ split: 'train', offset: 50_000, limit: 400 });
  await writeNpy(join(dir, 'probe.npy'), probe.x, [probe.n, 784]);

  const times = { node: [] as number[], help: [] as number[], version: [] as number[], fuse: [] as number[], fusion: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    times.node.push((await seconds(['-e', '0'])).wall);
    times.help.push((await seconds([CLI, '--help'])).wall);
    times.version.push((await seconds([CLI, '--version'])).wall);
    const fuse = await seconds([CLI, 'fuse', join(dir, 'a'), join(dir, 'b'), '--method', 'hf', '--probe', join(dir, 'probe.npy'), '--out', join(dir, `fused-${i}`), '--quiet']);
    const reported = /\(fusion (\d+\.\d+) s\)/.exec(fuse.stdout);
    if (!reported) throw new Error(`fuse did not report its fusion time:\n${fuse.stdout}`);
    times.fuse.push(fuse.wall);
    times.fusion.push(Number(reported[1]));
  }
  const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)])) as Record<keyof typeof times, number>;
  const overheads = times.fuse.map((wall, i) => wall - times.fusion[i]);
  const ms = (s: number) => `${(1000 * s).toFixed(0)} ms`;
  console.log(`median of ${RUNS} runs, interleaved; node ${process.version}; ${new Date().toISOString().slice(0, 10)}\n`);
  console.log(
    renderTable(
      ['command', 'median wall', 'vs node -e 0'],
      [
        ['node -e 0', ms(m.node), '1.00×'],
        ['fedfuse --help', ms(m.help), `${(m.help / m.node).toFixed(2)}×`],
        ['fedfuse --version', ms(m.version), `${(m.version / m.node).toFixed(2)}×`],
      ],
      true,
    ),
  );
  console.log('');
  console.log(
    renderTable(
      ['fedfuse fuse, 2 × 784-256-10, hf, 400 probe rows', 'median'],
      [
        ['whole process (wall)', ms(m.fuse)],
        ['fusion time it reports', ms(m.fusion)],
        ['overhead (wall − fusion), median of per-run differences', ms(median(overheads))],
      ],
      true,
    ),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
