// How to start one of our own modules as a child process: the compiled .js beside the caller in the package, or the
// TypeScript through tsx when running from the repository.
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ChildScript {
  /** The module to run. */
  file: string;
  /** Node flags it needs (`--import tsx` for a .ts file). */
  execArgv: string[];
  /** The package root: `--import tsx` resolves from the child's working directory. */
  cwd: string;
}

/** The module `name` (without extension) in the caller's folder, in the caller's own form (.js or .ts). */
export function siblingScript(callerUrl: string, name: string): ChildScript {
  const caller = fileURLToPath(callerUrl);
  const ext = extname(caller);
  return {
    file: join(dirname(caller), `${name}${ext}`),
    execArgv: ext === '.ts' ? ['--import', 'tsx'] : [],
    cwd: resolve(dirname(fileURLToPath(import.meta.url)), '..'),
  };
}

const TAIL_LINES = 20;
const MAX_KEPT_CHARS = 64 * 1024;

/** Keeps the end of a child's stderr (a failing child's last lines say why); `onText` also sees all of it. */
export class StderrTail {
  private text = '';

  constructor(stream: NodeJS.ReadableStream | null, onText?: (chunk: string) => void) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      this.text = (this.text + chunk).slice(-MAX_KEPT_CHARS);
      onText?.(chunk);
    });
  }

  /** The last lines, with `extra` appended. */
  lines(extra = ''): string {
    return (this.text + extra).trimEnd().split('\n').slice(-TAIL_LINES).join('\n');
  }
}
