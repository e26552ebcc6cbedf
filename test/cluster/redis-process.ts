// A real redis-server for one test file: its own temp directory and a free loopback port, AOF with an fsync per
// write (what cluster mode requires), no RDB snapshots. Never a system-wide Redis. Without Debian's redis-server the
// cluster tests fail loudly; only FEDFUSE_REDIS_TESTS=skip (set by .ci/run when the package cannot be installed)
// turns them into skips with a warning.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export function redisServerAvailable(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Call in a describe's before(): skips the suite loudly when allowed, else fails it naming the fix. */
export function requireRedisServer(ctx: Mocha.Context): void {
  if (redisServerAvailable()) return;
  if (process.env.FEDFUSE_REDIS_TESTS === 'skip') {
    console.warn('\n  !!! SKIPPING cluster tests: no redis-server (FEDFUSE_REDIS_TESTS=skip; apt-get install -y redis-server) !!!\n');
    ctx.skip();
  }
  throw new Error('the cluster tests need Debian\'s redis-server on PATH (apt-get install -y redis-server; .ci/run installs it)');
}

/**
 * Waits until the Redis (or sentinel) process `child` answers PING on its loopback `port` (a Redis replaying its AOF
 * answers LOADING until its data is back); fails when it exits or stays silent for 10 s.
 */
export async function untilAnswers(port: number, child: ChildProcess, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {});
    try {
      await probe.connect();
      if ((await probe.ping()) === 'PONG') return;
    } catch {
      // not up yet
    } finally {
      probe.disconnect();
    }
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode} at start`);
    if (Date.now() > deadline) throw new Error(`${what} did not answer within 10 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export class RedisProcess {
  private child: ChildProcess | undefined;

  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly extraArgs: string[],
  ) {}

  /**
   * Starts redis-server with the settings cluster mode requires (or others, to test that they are refused); with
   * `replicaOf`, as a replica of the Redis on that loopback port.
   */
  static async start(opts: { durable?: boolean; replicaOf?: number } = {}): Promise<RedisProcess> {
    const dir = await mkdtemp(join(tmpdir(), 'fedfuse-redis-'));
    const durable = opts.durable ?? true;
    const args = durable ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
    // A replica's first sync starts at once (not after the default 5 s wait for more replicas).
    args.push('--repl-diskless-sync-delay', '0');
    if (opts.replicaOf !== undefined) args.push('--replicaof', '127.0.0.1', String(opts.replicaOf));
    const redis = new RedisProcess(dir, await freePort(), args);
    await redis.launch();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  private async launch(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--daemonize', 'no', '--loglevel', 'warning', ...this.extraArgs],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr!.on('data', (d: Buffer) => process.stderr.write(`[redis-server] ${d}`));
    this.child = child;
    await untilAnswers(this.port, child, 'redis-server');
  }

  /** The process, for signals (SIGSTOP/SIGCONT in the fault campaign). */
  get pid(): number | undefined {
    return this.child?.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  /** SIGKILL: what an acked write must survive (appendfsync always). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  /** Killed, then started again on the same port and directory: it replays its AOF. */
  async restart(downMs = 0): Promise<void> {
    await this.kill();
    if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.kill();
    await rm(this.dir, { recursive: true, force: true });
  }
}
