// Runs one cell in its own Node process (compiled JS, or the TypeScript through tsx in the repo) and reports how it ended.
import { spawn } from 'node:child_process';
import { siblingScript, StderrTail } from '../child-script.js';
import type { CellArgs } from './cell-args.js';

const WORKER = siblingScript(import.meta.url, 'cell-worker');

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

export function runCellProcess(args: CellArgs, opts: CellProcessOptions = {}): Promise<CellProcessResult> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [...WORKER.execArgv, WORKER.file, JSON.stringify(args)], {
      cwd: WORKER.cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const stderr = new StderrTail(child.stderr);
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
      resolvePromise({ ok: exitCode === 0 && !timedOut, exitCode, signal, stderrTail: stderr.lines(extra), timedOut });
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
