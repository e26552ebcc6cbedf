// Opens the Redis connections a cluster node uses and checks, before the node listens, that Redis keeps what it
// acknowledges: an acked client update must survive a Redis restart, so AOF with an fsync per write is required
// (appendonly yes, appendfsync always), and a memory limit must refuse writes rather than evict keys
// (maxmemory-policy noeviction). A wrong URL, an unreachable Redis or other settings fail the start with an
// error that says which and how to fix it.
import { Redis } from 'ioredis';

/** Settings Redis must have, and why. */
const REQUIRED_SETTINGS: readonly { name: string; value: string }[] = [
  { name: 'appendonly', value: 'yes' },
  { name: 'appendfsync', value: 'always' },
];

/** The URL without its password, for log lines and errors. */
export function redactRedisUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/**
 * A connected client. After start it retries for ever (commands wait in its offline queue while Redis restarts),
 * so an update's write completes, and is acked, once Redis is back.
 */
export async function connectRedis(url: string, connectTimeoutMs = 3000): Promise<Redis> {
  const where = redactRedisUrl(url);
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: connectTimeoutMs,
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    retryStrategy: (times) => Math.min(50 * times, 500),
  });
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
    const reason = firstError?.message ?? (e as Error).message;
    throw new Error(`cannot reach Redis at ${where}: ${reason} (is redis-server running there, and is the URL right?)`);
  }
  return redis;
}

/** Throws naming every required setting Redis lacks (or saying that CONFIG GET is not allowed). */
export async function checkDurability(redis: Redis, url: string): Promise<void> {
  const where = redactRedisUrl(url);
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
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([redis.quit().catch(() => {}), new Promise((r) => (timer = setTimeout(r, 1000)))]);
  clearTimeout(timer);
  redis.disconnect();
}
