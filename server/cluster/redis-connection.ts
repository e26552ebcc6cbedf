// Opens the Redis connections a cluster node uses — to one Redis by URL, or to the primary Redis Sentinel names (the
// connection follows a promoted replica by itself) — and checks, before the node listens, that Redis keeps what it
// acknowledges: an acked client update must survive a Redis restart, so AOF with an fsync per write is required
// (appendonly yes, appendfsync always), and a memory limit must refuse writes rather than evict keys
// (maxmemory-policy noeviction). A wrong URL, an unreachable Redis or other settings fail the start with an
// error that says which and how to fix it.
import { Redis, type RedisOptions } from 'ioredis';
import type { ClusterOptions } from './cluster-options.js';

/** Where a node's Redis is: a URL, or a Sentinel group's primary. */
export type RedisTarget = Pick<ClusterOptions, 'redis' | 'sentinel'>;

/** Settings Redis must have, and why. */
const REQUIRED_SETTINGS: readonly { name: string; value: string }[] = [
  { name: 'appendonly', value: 'yes' },
  { name: 'appendfsync', value: 'always' },
];

/** The URL without its password, for log lines and errors. */
export function redactRedisUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/** The target for log lines and errors, without passwords. */
export function describeRedis(target: RedisTarget): string {
  if (target.redis !== undefined) return redactRedisUrl(target.redis);
  const s = target.sentinel!;
  return `the primary "${s.masterName}" of Redis Sentinel ${s.sentinels.join(',')}`;
}

function sentinelOptions(s: NonNullable<RedisTarget['sentinel']>, detectFailovers: boolean): RedisOptions {
  return {
    sentinels: s.sentinels.map((hp) => {
      const at = hp.lastIndexOf(':');
      return { host: hp.slice(0, at), port: Number(hp.slice(at + 1)) };
    }),
    name: s.masterName,
    role: 'master',
    ...(s.password !== undefined ? { password: s.password } : {}),
    ...(s.sentinelPassword !== undefined ? { sentinelPassword: s.sentinelPassword } : {}),
    ...(s.tls ? { tls: {}, sentinelTLS: {}, enableTLSForSentinelMode: true } : {}),
    // Ask the sentinels again every 100-500 ms while the primary is down, and (detectFailovers) drop a connection to an
    // old primary as soon as they announce a failover (+switch-master), not when it times out.
    sentinelRetryStrategy: (times: number) => Math.min(100 * times, 500),
    failoverDetector: detectFailovers,
  };
}

/**
 * How long a node that starts while Sentinel fails over waits for the new primary: the sentinels answer, but the
 * primary they name refuses until they agree it is down (down-after-milliseconds, 30 s by default) and promote a
 * replica. Found by the fault campaign: a node restarted just after the primary's SIGKILL exited on ECONNREFUSED.
 */
export const SENTINEL_START_WAIT_MS = 60_000;

/**
 * A connected client. After start it retries for ever (commands wait in its offline queue while Redis restarts, or
 * while Sentinel promotes a replica), so an update's write completes, and is acked, once Redis is back.
 * `detectFailovers` (Sentinel): also listen for the sentinels' failover announcements. ioredis then fails the commands
 * queued meanwhile when an announcement interrupts a reconnect; the node's own commands retry, but socket.io's adapter
 * does not catch its publishes, so its connections go without (a SIGKILLed primary closes them anyway).
 * The start fails at once when Redis (or every sentinel) is unreachable: a wrong address should say so. With
 * Sentinel, a primary that the sentinels name but that refuses is a failover in progress: the start waits for it,
 * up to `sentinelStartWaitMs`.
 */
export async function connectRedis(
  target: RedisTarget,
  o: { detectFailovers?: boolean; connectTimeoutMs?: number; sentinelStartWaitMs?: number } = {},
): Promise<Redis> {
  const where = describeRedis(target);
  const waitMs = target.sentinel !== undefined ? o.sentinelStartWaitMs ?? SENTINEL_START_WAIT_MS : 0;
  const waitUntil = Date.now() + waitMs;
  for (;;) {
    const attempt = await connectOnce(target, o);
    if ('redis' in attempt) return attempt.redis;
    const primaryRefused = target.sentinel !== undefined && !/All sentinels are unreachable|WRONGPASS|NOAUTH|NOPERM/.test(attempt.reason);
    if (primaryRefused && Date.now() < waitUntil) {
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    const hint = target.redis !== undefined ? 'is redis-server running there, and is the URL right?' : 'are the sentinels running, and do they monitor that master name?';
    const waited = primaryRefused ? `; waited ${Math.round(waitMs / 1000)} s for a failover` : '';
    throw new Error(`cannot reach Redis at ${where}: ${attempt.reason}${waited} (${hint})`);
  }
}

async function connectOnce(target: RedisTarget, o: { detectFailovers?: boolean; connectTimeoutMs?: number }): Promise<{ redis: Redis } | { reason: string }> {
  const connectTimeoutMs = o.connectTimeoutMs ?? 3000;
  const common: RedisOptions = {
    lazyConnect: true,
    connectTimeout: connectTimeoutMs,
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    retryStrategy: (times) => Math.min(50 * times, 500),
  };
  const redis = target.redis !== undefined ? new Redis(target.redis, common) : new Redis({ ...common, ...sentinelOptions(target.sentinel!, o.detectFailovers ?? true) });
  // ioredis reports each failed reconnect as an 'error'; the node says it once per outage (see ClusterNode).
  let firstError: Error | undefined;
  redis.on('error', (e: Error) => (firstError ??= e));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer within ${connectTimeoutMs} ms`)), connectTimeoutMs);
      redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
      redis.connect().catch((e: Error) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  } catch (e) {
    redis.disconnect();
    // The socket's own error (ECONNREFUSED, ENOTFOUND, WRONGPASS, ...) says more than ioredis's "Connection is closed".
    return { reason: firstError?.message ?? (e as Error).message };
  }
  // ioredis gives up ('end') when a failover announcement drops a reconnect attempt half-way (Sentinel mode): a node
  // never gives up on its Redis, so it starts over until closeRedis.
  redis.on('end', () => {
    if (closing.has(redis)) return;
    setTimeout(() => {
      if (!closing.has(redis) && redis.status === 'end') redis.connect().catch(() => {});
    }, 200);
  });
  return { redis };
}

/** Connections being closed on purpose (not reconnected). */
const closing = new WeakSet<Redis>();

/** Closes a connection at once (a failed start), without the reconnecting above. */
export function dropRedis(redis: Redis): void {
  closing.add(redis);
  redis.disconnect();
}

/** Throws naming every required setting Redis lacks (or saying that CONFIG GET is not allowed). */
export async function checkDurability(redis: Redis, where: string): Promise<void> {
  const wrong: string[] = [];
  for (const { name, value } of REQUIRED_SETTINGS) {
    let got: string | undefined;
    try {
      const reply = (await redis.config('GET', name)) as string[];
      got = reply[1];
    } catch (e) {
      throw new Error(
        `Redis at ${where} does not answer CONFIG GET ${name} (${(e as Error).message}); fedfuse checks appendonly yes and appendfsync always at start`,
      );
    }
    if (got !== value) wrong.push(`${name} is ${got === undefined ? 'unset' : `"${got}"`}, must be "${value}"`);
  }
  // A Redis with a memory limit must never evict keys to make room: an evicted update was acked.
  const [, maxmemory] = (await redis.config('GET', 'maxmemory')) as string[];
  const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as string[];
  if (maxmemory !== '0' && policy !== 'noeviction') wrong.push(`maxmemory-policy is "${policy}" with maxmemory ${maxmemory}, must be "noeviction"`);
  if (wrong.length > 0) {
    throw new Error(
      `Redis at ${where} would lose acknowledged updates on a restart: ${wrong.join('; ')} ` +
        `(redis.conf: appendonly yes, appendfsync always and, with a maxmemory, maxmemory-policy noeviction)`,
    );
  }
}

/**
 * Closes a connection politely (QUIT: commands in flight get their replies instead of rejecting unheard), or at once
 * when Redis does not answer within a second.
 */
export async function closeRedis(redis: Redis): Promise<void> {
  closing.add(redis);
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([redis.quit().catch(() => {}), new Promise((r) => (timer = setTimeout(r, 1000)))]);
  clearTimeout(timer);
  redis.disconnect();
}

/**
 * socket.io's Redis adapter publishes without handling a failed publish (Redis gone for good, the connection closed):
 * an unhandled rejection that would end the process. Here a failed publish is logged instead; the nodes poll the
 * shared state anyway, so a lost hint only delays.
 */
export function catchPublishErrors(pub: Redis, log: (line: string) => void): Redis {
  const publish = pub.publish.bind(pub) as (...args: unknown[]) => Promise<number>;
  (pub as unknown as { publish: (...args: unknown[]) => Promise<number> }).publish = (...args: unknown[]) => {
    const sent = publish(...args);
    sent.catch((e: Error) => log(`cluster: a message to the other nodes was lost: ${e.message}`));
    return sent;
  };
  return pub;
}
