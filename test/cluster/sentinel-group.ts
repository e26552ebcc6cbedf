// A real Redis Sentinel group for one test file (or the fault campaign): a primary and its replicas (redis-server,
// each in its own temp dir on a free loopback port, AOF with an fsync per write) and sentinels (Debian's
// redis-sentinel, each with its own config file, which it rewrites) watching them under one master name. Failure
// detection is tuned down (downAfterMs) so a failover takes seconds, not the 30 s default. Without redis-sentinel the
// tests that need it fail loudly, unless FEDFUSE_REDIS_TESTS=skip (then they skip, loudly).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, RedisProcess, requireRedisServer, untilAnswers } from './redis-process.js';

export const MASTER_NAME = 'fedfuse';

export function redisSentinelAvailable(): boolean {
  return spawnSync('redis-sentinel', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Call in a describe's before(): needs redis-server and redis-sentinel (fails naming the fix, or skips loudly). */
export function requireRedisSentinel(ctx: Mocha.Context): void {
  requireRedisServer(ctx);
  if (redisSentinelAvailable()) return;
  if (process.env.FEDFUSE_REDIS_TESTS === 'skip') {
    console.warn('\n  !!! SKIPPING Redis Sentinel tests: no redis-sentinel (FEDFUSE_REDIS_TESTS=skip; apt-get install -y redis-sentinel) !!!\n');
    ctx.skip();
  }
  throw new Error("the Sentinel tests need Debian's redis-sentinel on PATH (apt-get install -y redis-sentinel; .ci/run installs it)");
}

class SentinelProcess {
  private child: ChildProcess | undefined;

  constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  async start(primaryPort: number, replicaPorts: number[], downAfterMs: number, failoverTimeoutMs: number): Promise<void> {
    const config = join(this.dir, 'sentinel.conf');
    await writeFile(
      config,
      [
        `port ${this.port}`,
        'bind 127.0.0.1',
        `dir ${this.dir}`,
        'loglevel warning',
        `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${primaryPort} 2`,
        `sentinel down-after-milliseconds ${MASTER_NAME} ${downAfterMs}`,
        `sentinel failover-timeout ${MASTER_NAME} ${failoverTimeoutMs}`,
        `sentinel parallel-syncs ${MASTER_NAME} 1`,
        // Known at once rather than from the primary's INFO, which a sentinel reads every 10 s at first.
        ...replicaPorts.map((p) => `sentinel known-replica ${MASTER_NAME} 127.0.0.1 ${p}`),
        '',
      ].join('\n'),
    );
    const child = spawn('redis-sentinel', [config], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => process.stderr.write(`[redis-sentinel] ${d}`));
    this.child = child;
    await untilAnswers(this.port, child, 'redis-sentinel');
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
}

export class SentinelGroup {
  private constructor(
    /** Every Redis server of the group; which one is the primary changes with failovers (see primary()). */
    readonly servers: RedisProcess[],
    private readonly sentinels: SentinelProcess[],
    private readonly sentinelDir: string,
  ) {}

  /** One primary, `replicas` replicas of it, `sentinels` sentinels (quorum 2). */
  static async start(opts: { replicas?: number; sentinels?: number; downAfterMs?: number; failoverTimeoutMs?: number } = {}): Promise<SentinelGroup> {
    const primary = await RedisProcess.start();
    const servers = [primary];
    const sentinelDir = await mkdtemp(join(tmpdir(), 'fedfuse-sentinel-'));
    const sentinels: SentinelProcess[] = [];
    const group = new SentinelGroup(servers, sentinels, sentinelDir);
    try {
      for (let i = 0; i < (opts.replicas ?? 1); i++) servers.push(await RedisProcess.start({ replicaOf: primary.port }));
      await group.untilReplicasSynced(primary, servers.length - 1);
      for (let i = 0; i < (opts.sentinels ?? 3); i++) {
        const dir = join(sentinelDir, `s${i}`);
        await mkdir(dir);
        const s = new SentinelProcess(await freePort(), dir);
        await s.start(primary.port, servers.slice(1).map((r) => r.port), opts.downAfterMs ?? 2000, opts.failoverTimeoutMs ?? 5000);
        sentinels.push(s);
      }
      // Every sentinel must know the replicas (it learns them from the primary's INFO, about every 10 s at first).
      await group.untilSentinelsSee(servers.length - 1);
    } catch (e) {
      await group.stop();
      throw e;
    }
    return group;
  }

  /** host:port of every sentinel, as cluster.sentinel.sentinels takes them. */
  get sentinelAddresses(): string[] {
    return this.sentinels.map((s) => `127.0.0.1:${s.port}`);
  }

  /** The cluster options' sentinel block for this group. */
  get clusterTarget(): { sentinel: { sentinels: string[]; masterName: string } } {
    return { sentinel: { sentinels: this.sentinelAddresses, masterName: MASTER_NAME } };
  }

  /** The server the sentinels name as primary now. */
  async primary(): Promise<RedisProcess> {
    const port = await this.primaryPort();
    const found = this.servers.find((s) => s.port === port);
    if (!found) throw new Error(`the sentinels name 127.0.0.1:${port} as primary, which is not in this group`);
    return found;
  }

  async primaryPort(): Promise<number> {
    const conn = new Redis(this.sentinels[0].port, '127.0.0.1', { maxRetriesPerRequest: 1 });
    try {
      const reply = (await conn.call('SENTINEL', 'get-master-addr-by-name', MASTER_NAME)) as [string, string];
      return Number(reply[1]);
    } finally {
      conn.disconnect();
    }
  }

  /** Waits until the sentinels name another primary than `port` (a failover happened). */
  async untilPromotedFrom(port: number): Promise<RedisProcess> {
    for (;;) {
      const now = await this.primaryPort().catch(() => port);
      if (now !== port) return this.primary();
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Whether the primary has a replica that is in sync (a primary's loss would be survived now). */
  async hasSyncedReplica(): Promise<boolean> {
    const conn = this.connect(await this.primary());
    try {
      const info = await conn.info('replication');
      return /^slave\d+:.*state=online/m.test(info);
    } catch {
      return false;
    } finally {
      conn.disconnect();
    }
  }

  /** A direct connection to one server (to read what a replica holds); the caller disconnects it. */
  connect(server: RedisProcess): Redis {
    return new Redis(server.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
  }

  private async untilReplicasSynced(primary: RedisProcess, replicas: number): Promise<void> {
    const conn = this.connect(primary);
    try {
      for (;;) {
        const info = await conn.info('replication');
        const online = info.split('\n').filter((l) => /^slave\d+:.*state=online/.test(l)).length;
        if (online >= replicas) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      conn.disconnect();
    }
  }

  private async untilSentinelsSee(replicas: number): Promise<void> {
    for (const s of this.sentinels) {
      const conn = new Redis(s.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
      try {
        for (;;) {
          const list = (await conn.call('SENTINEL', 'replicas', MASTER_NAME)) as unknown[];
          const master = (await conn.call('SENTINEL', 'master', MASTER_NAME)) as string[];
          const sentinelsKnown = Number(master[master.indexOf('num-other-sentinels') + 1]);
          if (list.length >= replicas && sentinelsKnown >= this.sentinels.length - 1) break;
          await new Promise((r) => setTimeout(r, 100));
        }
      } finally {
        conn.disconnect();
      }
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.sentinels.map((s) => s.kill()));
    await Promise.all(this.servers.map((s) => s.stop()));
    await rm(this.sentinelDir, { recursive: true, force: true });
  }
}
