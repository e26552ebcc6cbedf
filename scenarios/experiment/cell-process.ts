// Runs one cell in its own Node process (compiled JS, or the TypeScript through tsx in the repo) and reports how it ended.
import { spawn } from 'node:child_process';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CellArgs } from './cell-args.js';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The worker beside this module, in the same form (dist/*.js in the package, *.ts when run from source). */
const OWN_EXTENSION = extname(fileURLToPath(import.meta.url));
const WORKER = join(HERE, `cell-worker${OWN_EXTENSION}`);
const LOADER_ARGS = OWN_EXTENSION === '.ts' ? ['--import', 'tsx'] : [];
/** The package root: `--import tsx` resolves from the child's working directory. */
const PACKAGE_ROOT = resolve(HERE, '..', '..');

export interface CellProcessResult {
  ok: boolean;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines of the child's stderr, to show when it failed. */
  stderrTail: string;
  /** Killed because it ran past the time limit. */
  timedOut: boolean;
}

export interface CellProcessOptions {
  /** Kill the cell (SIGKILL) after this many milliseconds; default: no limit. */
  timeoutMs?: number;
}

const TAIL_LINES = 20;
const MAX_KEPT_CHARS = 64 * 1024;

export function runCellProcess(args: CellArgs, opts: CellProcessOptions = {}): Promise<CellProcessResult> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [...LOADER_ARGS, WORKER, JSON.stringify(args)], {
      cwd: PACKAGE_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      // Keep only the end: a failing cell's last lines say why.
      stderr = (stderr + chunk).slice(-MAX_KEPT_CHARS);
    });
    let timedOut = false;
    // A hung cell (e.g. a federation waiting on a client that died) must not stall the whole experiment.
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, opts.timeoutMs);
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null, extra = '') => {
      if (timer) clearTimeout(timer);
      const tail = (stderr + extra).trimEnd().split('\n').slice(-TAIL_LINES).join('\n');
      resolvePromise({ ok: exitCode === 0 && !timedOut, exitCode, signal, stderrTail: tail, timedOut });
    };
    child.on('error', (err) => finish(null, null, `\ncannot start the cell process: ${err.message}`));
    child.on('close', (code, signal) => finish(code, signal));
  });
}

/** Runs `task` over the items with at most `limit` running at once; resolves when all have finished. */
export async function forEachConcurrently<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`concurrency must be a positive integer, got ${limit}`);
  let next = 0;
  const lane = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
