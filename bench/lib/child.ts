// Forks a bench child (TypeScript through tsx) with an IPC channel, and turns its messages into callbacks and
// promises. A child that exits before the awaited message rejects the wait with its exit code, so a crashed child
// never hangs the bench.
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
/** `--import tsx` resolves from the child's working directory: the package root. */
const PACKAGE_ROOT = resolve(HERE, '..', '..');

export class BenchChild<In extends { type: string }, Out = unknown> {
  readonly process: ChildProcess;
  private readonly listeners: ((m: In) => void)[] = [];
  private exitInfo: string | undefined;
  private readonly exitWaiters: ((info: string) => void)[] = [];

  /** `file` is relative to bench/lib; `config` goes to the child as one JSON argument. */
  constructor(
    readonly name: string,
    file: string,
    config: unknown,
  ) {
    // FEDFUSE_BENCH_CHILD_ARGS adds node flags to every child, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
    const extra = process.env.FEDFUSE_BENCH_CHILD_ARGS?.split(' ').filter(Boolean) ?? [];
    const execArgv = ['--import', 'tsx', '--expose-gc', ...extra];
    this.process = fork(join(HERE, file), [JSON.stringify(config)], {
      cwd: PACKAGE_ROOT,
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.process.on('message', (m) => {
      for (const l of [...this.listeners]) l(m as In);
    });
    this.process.on('exit', (code, signal) => {
      this.exitInfo = signal ? `killed by ${signal}` : `exited with code ${code}`;
      for (const w of this.exitWaiters.splice(0)) w(this.exitInfo);
    });
  }

  on(listener: (m: In) => void): void {
    this.listeners.push(listener);
  }

  send(message: Out): void {
    if (this.process.connected) this.process.send(message as object);
  }

  /** The first message of this type from now on. */
  waitFor<T extends In['type']>(type: T): Promise<Extract<In, { type: T }>> {
    return new Promise((resolvePromise, reject) => {
      if (this.exitInfo) return reject(new Error(`${this.name} ${this.exitInfo} before sending '${type}'`));
      const listener = (m: In) => {
        if (m.type !== type) return;
        this.listeners.splice(this.listeners.indexOf(listener), 1);
        resolvePromise(m as Extract<In, { type: T }>);
      };
      this.listeners.push(listener);
      this.exitWaiters.push((info) => reject(new Error(`${this.name} ${info} before sending '${type}'`)));
    });
  }

  exited(): Promise<string> {
    if (this.exitInfo) return Promise.resolve(this.exitInfo);
    return new Promise((r) => this.exitWaiters.push(r));
  }

  kill(): void {
    if (!this.exitInfo) this.process.kill('SIGKILL');
  }

  /** Gives the child `graceMs` to exit by itself (it writes profiles on exit), then kills it. */
  async stop(graceMs = 3000): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.exited(), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    this.kill();
  }
}

/** Rejects after `ms` with a message naming what took too long; the benches stop themselves with it. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
