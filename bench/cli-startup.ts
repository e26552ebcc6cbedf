// Start-up cost of the compiled CLI, as a user pays it: `fedfuse --help` and `fedfuse --version` against a bare
// `node -e 0`, and the whole `fedfuse fuse` process on two MNIST 784-256-10 MLPs with HF against the fusion time the
// command itself reports. Each command runs --runs times (default 7), interleaved; medians and ratios come from this
// one run. Besides wall time, each process's CPU time (user + system, from bash's `time`), which other load on a shared
// machine disturbs less. Needs `npm run build` first.
//   npm run bench:cli-startup [-- --runs 7] [-- --baseline <dir>]   (= node --import tsx bench/cli-startup.ts)
// --baseline: a built checkout of another commit (bin/fedfuse.js + dist/) whose `fuse` is timed alongside, interleaved.
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

const runsAt = process.argv.indexOf('--runs');
const RUNS = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 7;
const CLI = join(process.cwd(), 'bin', 'fedfuse.js');
const baselineAt = process.argv.indexOf('--baseline');
const BASELINE_CLI = baselineAt > 0 ? join(process.argv[baselineAt + 1], 'bin', 'fedfuse.js') : undefined;
if (BASELINE_CLI && !existsSync(BASELINE_CLI)) throw new Error(`--baseline: no ${BASELINE_CLI}`);
const run = promisify(execFile);

/** Runs node with `args` under bash's `time`: wall seconds, CPU seconds (user + system) and stdout. */
async function seconds(args: string[]): Promise<{ wall: number; cpu: number; stdout: string }> {
  const quoted = [process.execPath, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const { stdout, stderr } = await run('bash', ['-c', `TIMEFORMAT='TIME %R %U %S'; time ${quoted}`], { maxBuffer: 16 * 1024 * 1024 });
  const m = /TIME (\d+\.\d+) (\d+\.\d+) (\d+\.\d+)/.exec(stderr);
  if (!m) throw new Error(`no timing from bash for node ${args.join(' ')}:\n${stderr}`);
  return { wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), stdout };
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

  const names = ['node', 'help', 'version', 'fuse', 'baseline'] as const;
  const wall = Object.fromEntries(names.map((k) => [k, [] as number[]])) as Record<(typeof names)[number], number[]>;
  const cpu = Object.fromEntries(names.map((k) => [k, [] as number[]])) as Record<(typeof names)[number], number[]>;
  const fusion: number[] = [];
  const baselineFusion: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const fuseArgs = (cli: string) => [cli, 'fuse', join(dir, 'a'), join(dir, 'b'), '--method', 'hf', '--probe', join(dir, 'probe.npy'), '--out', join(dir, `fused-${i}`), '--quiet'];
    const runs: [(typeof names)[number], string[]][] = [
      ['node', ['-e', '0']],
      ['help', [CLI, '--help']],
      ['version', [CLI, '--version']],
      ['fuse', fuseArgs(CLI)],
      ...(BASELINE_CLI ? [['baseline', fuseArgs(BASELINE_CLI)] as [(typeof names)[number], string[]]] : []),
    ];
    for (const [name, args] of runs) {
      const r = await seconds(args);
      wall[name].push(r.wall);
      cpu[name].push(r.cpu);
      const reported = /\(fusion (\d+\.\d+) s\)/.exec(r.stdout);
      if (name === 'fuse' || name === 'baseline') {
        if (!reported) throw new Error(`fuse did not report its fusion time:\n${r.stdout}`);
        (name === 'fuse' ? fusion : baselineFusion).push(Number(reported[1]));
      }
    }
  }
  const w = Object.fromEntries(names.map((k) => [k, median(wall[k])])) as Record<(typeof names)[number], number>;
  const c = Object.fromEntries(names.map((k) => [k, median(cpu[k])])) as Record<(typeof names)[number], number>;
  const overheads = wall.fuse.map((t, i) => t - fusion[i]);
  const ms = (s: number) => `${(1000 * s).toFixed(0)} ms`;
  console.log(`median of ${RUNS} runs, interleaved; node ${process.version}; ${new Date().toISOString().slice(0, 10)}\n`);
  console.log(
    renderTable(
      ['command', 'median wall', 'vs node -e 0', 'median CPU (user + sys)', 'CPU vs node -e 0'],
      (
        [
          ['node -e 0', 'node'],
          ['fedfuse --help', 'help'],
          ['fedfuse --version', 'version'],
          ['fedfuse fuse (2 × 784-256-10, hf, 400 probe rows)', 'fuse'],
          ...(BASELINE_CLI ? ([['the same fuse, --baseline build', 'baseline']] as const) : []),
        ] as const
      ).map(([label, k]) => [label, ms(w[k]), `${(w[k] / w.node).toFixed(2)}×`, ms(c[k]), `${(c[k] / c.node).toFixed(2)}×`]),
      true,
    ),
  );
  console.log('');
  console.log(
    renderTable(
      ['fedfuse fuse, 2 × 784-256-10, hf, 400 probe rows', 'median'],
      [
        ['whole process (wall)', ms(w.fuse)],
        ['whole process (CPU)', ms(c.fuse)],
        ['fusion time it reports (wall)', ms(median(fusion))],
        ['overhead (wall − fusion), median of per-run differences', ms(median(overheads))],
        ...(BASELINE_CLI
          ? [
              ['--baseline: whole process (wall / CPU)', `${ms(w.baseline)} / ${ms(c.baseline)}`],
              ['--baseline: fusion time it reports (wall)', ms(median(baselineFusion))],
            ]
          : []),
      ],
      true,
    ),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
