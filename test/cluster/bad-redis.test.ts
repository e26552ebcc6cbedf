// A node given a wrong or missing Redis fails at start with an error that says what is wrong and how to fix it:
// nothing listening at the URL, a Redis that would lose acked updates (no AOF, or no fsync per write), a URL that
// is not a Redis URL, or a federation in Redis started with another config. Once as the CLI (exit code, stderr).
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { FedProx } from '../../server/strategies/fedprox.js';
import { quietServer, TOKENS } from '../federation/helpers.js';
import type { FederationServer } from '../../server/federation-server.js';
import { clusterNode } from './helpers.js';
import { freePort, RedisProcess, requireRedisServer } from './redis-process.js';
import { catchPublishErrors, connectRedis, dropRedis } from '../../server/cluster/redis-connection.js';

async function startError(redisUrl: string, overrides: Parameters<typeof clusterNode>[2] = { rounds: 1 }, federation = 'bad'): Promise<string> {
  return startErrorOf(clusterNode(redisUrl, 'n1', overrides, { federation }).server);
}

/** Why start() fails (it must). */
async function startErrorOf(server: FederationServer): Promise<string> {
  try {
    await server.start();
  } catch (e) {
    return (e as Error).message;
  } finally {
    await server.stop();
  }
  throw new Error('start() succeeded');
}

describe('cluster: a node with a wrong or missing Redis fails at start', function () {
  this.timeout(120_000);
  let dir: string;

  before(async function () {
    requireRedisServer(this);
    await initBackend();
    dir = await mkdtemp(join(tmpdir(), 'fedfuse-bad-redis-'));
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('nothing listening at the URL', async () => {
    const port = await freePort();
    expect(await startError(`redis://127.0.0.1:${port}`)).to.match(new RegExp(`cannot reach Redis at redis://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED.*is redis-server running there`));
  });

  it('a Redis without AOF, one that does not fsync every write, and one that evicts keys', async () => {
    const plain = await RedisProcess.start({ durable: false });
    try {
      const message = await startError(plain.url);
      expect(message).to.contain(`Redis at ${plain.url} would lose acknowledged updates on a restart: appendonly is "no", must be "yes"`);
      expect(message).to.contain('appendfsync always');
      const conn = new Redis(plain.url);
      await conn.config('SET', 'appendonly', 'yes');
      await conn.config('SET', 'appendfsync', 'everysec');
      conn.disconnect();
      expect(await startError(plain.url)).to.contain('appendfsync is "everysec", must be "always"');
      // A memory limit that evicts keys would drop acked updates.
      const conn2 = new Redis(plain.url);
      await conn2.config('SET', 'appendfsync', 'always');
      await conn2.config('SET', 'maxmemory', '100mb');
      await conn2.config('SET', 'maxmemory-policy', 'allkeys-lru');
      conn2.disconnect();
      expect(await startError(plain.url)).to.contain('maxmemory-policy is "allkeys-lru" with maxmemory 104857600, must be "noeviction"');
    } finally {
      await plain.stop();
    }
  });

  it('a URL that is not a Redis URL, and a password in the URL is not repeated', async () => {
    expect(await startError('http://127.0.0.1:6379').catch((e: Error) => e.message)).to.contain('cluster.redis: must be a redis:// or rediss:// URL');
    const port = await freePort();
    const message = await startError(`redis://user:s3cret@127.0.0.1:${port}`);
    expect(message).to.contain(`redis://user:***@127.0.0.1:${port}`);
    expect(message).not.to.contain('s3cret');
  });

  it('a sentinel block with a mistake, both or neither of redis and sentinel, and unreachable sentinels', async () => {
    const errorOf = async (cluster: Record<string, unknown>) => startErrorOf(quietServer({ rounds: 1, cluster: { nodeId: 'n1', ...cluster } as never }).server);
    const badSentinel = (await errorOf({ sentinel: { sentinels: ['127.0.0.1'], masterName: 'm' } }).catch((e: Error) => e.message));
    expect(badSentinel).to.contain('cluster.sentinel.sentinels.0: must be host:port');
    expect(await errorOf({}).catch((e: Error) => e.message)).to.contain('cluster.redis: is required (a redis:// URL), unless cluster.sentinel');
    const both = await errorOf({ redis: 'redis://127.0.0.1:1', sentinel: { sentinels: ['127.0.0.1:1'], masterName: 'm' } }).catch((e: Error) => e.message);
    expect(both).to.contain('cluster.sentinel: goes without cluster.redis');
    expect(await errorOf({ redis: 'redis://127.0.0.1:1', minReplicasAcked: -1 }).catch((e: Error) => e.message)).to.contain('cluster.minReplicasAcked');
    const port = await freePort();
    const unreachable = await errorOf({ sentinel: { sentinels: [`127.0.0.1:${port}`], masterName: 'm', password: 'pw-s3cret' } });
    expect(unreachable).to.match(new RegExp(`cannot reach Redis at the primary "m" of Redis Sentinel 127\\.0\\.0\\.1:${port}: .*are the sentinels running`));
    expect(unreachable).not.to.contain('pw-s3cret');
  });

  it("a failed publish of socket.io's adapter is logged, not an unhandled rejection that ends the node (found by the fault campaign)", async () => {
    const redis = await RedisProcess.start();
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const logs: string[] = [];
      const pub = catchPublishErrors(await connectRedis({ redis: redis.url }), (line) => logs.push(line));
      expect(await pub.publish('fedfuse:test', 'hint')).to.equal(0);
      dropRedis(pub);
      while (pub.status !== 'end') await new Promise((r) => setTimeout(r, 10));
      // What the adapter does: publish, and never look at the promise.
      void pub.publish('fedfuse:test', 'hint');
      await new Promise((r) => setTimeout(r, 100));
      expect(logs).to.deep.equal(['cluster: a message to the other nodes was lost: Connection is closed.']);
      expect(unhandled).to.deep.equal([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await redis.stop();
    }
  });

  it('a federation that Redis holds with another strategy', async () => {
    const redis = await RedisProcess.start();
    try {
      const first = clusterNode(redis.url, 'n1', { rounds: 1 }, { federation: 'other' }).server;
      await first.start();
      try {
        const message = await startError(redis.url, { rounds: 1, strategy: new FedProx(0.1) }, 'other');
        expect(message).to.match(/federation "other" in Redis at .* was started with another model, strategy, seed or training config/);
      } finally {
        await first.stop();
      }
    } finally {
      await redis.stop();
    }
  });

  it('fedfuse serve exits with the error on stderr (exit code 2)', async () => {
    const port = await freePort();
    const config = join(dir, 'server.yaml');
    await writeFile(
      config,
      [
        'port: 0',
        'rounds: 1',
        `tokens: { alice: "${TOKENS.alice}" }`,
        'model: { kind: mlp, widths: [784, 16, 10] }',
        'strategy: { name: fedavg }',
        `cluster: { redis: "redis://127.0.0.1:${port}", nodeId: cli-node }`,
      ].join('\n'),
    );
    const child = spawn(process.execPath, ['bin/fedfuse.js', 'serve', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code).to.equal(2);
    expect(stderr).to.contain(`cannot reach Redis at redis://127.0.0.1:${port}`);
  });
});
