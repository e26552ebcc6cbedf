// The rate-limit buckets of a cluster's clients, in Redis (issue 23): one per client id, shared by the nodes, so a
// client that spreads its messages over nodes (or reconnects) gets the allowance of one. One small script per message
// (refill by Redis's clock, take a token), sent by sha; the key expires once the bucket would be full again, so idle
// clients cost nothing. Key: fedfuse:<federation>:bucket:<client id>.
import type { Redis } from 'ioredis';
import type { ClientBuckets } from '../limits/client-buckets.js';
import { bucketFor, type RateLimit } from '../limits/token-bucket.js';
import type { ClusterKeys } from './cluster-keys.js';
import { LUA_NOW_MS, LuaScript } from './lua-script.js';

// KEYS: bucket; ARGV: tokens per ms, capacity. Returns 1 (taken) or 0 (over the limit).
const TAKE = new LuaScript(`${LUA_NOW_MS}
local now = now_ms()
local rate, cap = tonumber(ARGV[1]), tonumber(ARGV[2])
local v = redis.call('HMGET', KEYS[1], 't', 'l')
local tokens, last = tonumber(v[1]) or cap, tonumber(v[2]) or now
tokens = math.min(cap, tokens + math.max(0, now - last) * rate)
local ok = 0
if tokens >= 1 then tokens = tokens - 1 ok = 1 end
redis.call('HSET', KEYS[1], 't', string.format('%.6f', tokens), 'l', string.format('%d', math.max(last, now)))
redis.call('PEXPIRE', KEYS[1], math.ceil(cap / rate) + 1000)
return ok`);

export class RedisClientBuckets implements ClientBuckets {
  readonly capacity: number;
  private readonly perMs: string;
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    keys: ClusterKeys,
    limit: RateLimit,
  ) {
    this.capacity = bucketFor(limit, 0).capacity;
    this.perMs = String(limit.messagesPerSecond / 1000);
    this.prefix = `${keys.prefix}bucket:`;
  }

  async take(clientId: string): Promise<boolean> {
    return (await TAKE.run(this.redis, 'rate limit', [this.prefix + clientId], [this.perMs, this.capacity])) === 1;
  }
}
