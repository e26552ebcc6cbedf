// Which code produced a result: the git commit of the checkout (and whether it had uncommitted changes), recorded in
// every results.json so numbers in BENCHMARKS.md can be traced to the code that measured them.
import { execFile } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const HERE = dirname(fileURLToPath(import.meta.url));

export interface CodeVersion {
  commit: string;
  /** Uncommitted changes to tracked files when the run started. */
  dirty: boolean;
}

/** The checkout's commit, or undefined outside a git checkout (e.g. an npm-installed copy) or without git. */
export async function codeVersion(): Promise<CodeVersion | undefined> {
  try {
    const { stdout: commit } = await run('git', ['rev-parse', 'HEAD'], { cwd: HERE, timeout: 5000 });
    const { stdout: status } = await run('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: HERE, timeout: 5000 });
    return { commit: commit.trim(), dirty: status.trim().length > 0 };
  } catch {
    return undefined;
  }
}
