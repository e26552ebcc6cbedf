// The rate-limit buckets of a cluster's clients, in Redis (issue 23): one per client id, shared by the nodes, so a
// client that spreads its messages over nodes (or reconnects) gets the allowance of one. Refilled by Redis's clock;
// the key expires once the bucket would be full again, so idle clients cost nothing.
// Cheap: a node takes tokens in small batches (a lease of up to burst / 8, at most 16) and spends them locally, so
// most messages need no round trip (and no fsynced write: cluster Redis runs appendfsync always). The bound stays
// exact — every token a node spends came out of the one shared bucket; a client that moves to another node leaves at
// most a lease's worth unspent behind. A burst under 16 leases one token at a time: every message asks Redis.
// Key: fedfuse:<federation>:bucket:<client id>.
import type { Redis } from 'ioredis';
import type { ClientBuckets } from '../limits/client-buckets.js';
import { bucketFor, type RateLimit } from '../limits/token-bucket.js';
import type { ClusterKeys } from './cluster-keys.js';
import { LUA_NOW_MS, LuaScript } from './lua-script.js';

/** Largest lease: a node never holds more of a client's tokens than this unspent. */
export const MAX_LEASE = 16;

// KEYS: bucket; ARGV: tokens per ms, capacity, tokens wanted. Returns the tokens granted (0: over the limit).
const TAKE = new LuaScript(`${LUA_NOW_MS}
local now = now_ms()
local rate, cap, want = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local v = redis.call('HMGET', KEYS[1], 't', 'l')
local tokens, last = tonumber(v[1]) or cap, tonumber(v[2]) or now
tokens = math.min(cap, tokens + math.max(0, now - last) * rate)
local granted = math.min(want, math.floor(tokens))
tokens = tokens - granted
redis.call('HSET', KEYS[1], 't', string.format('%.6f', tokens), 'l', string.format('%d', math.max(last, now)))
redis.call('PEXPIRE', KEYS[1], math.ceil(cap / rate) + 1000)
return granted`);

export class RedisClientBuckets implements ClientBuckets {
  readonly capacity: number;
  /** Tokens taken per round trip. */
  readonly lease: number;
  private readonly perMs: string;
  private readonly prefix: string;
  /** Per client id: tokens this node took from the shared bucket and has not spent yet. */
  private readonly leased = new Map<string, number>();

  constructor(
    private readonly redis: Redis,
    keys: ClusterKeys,
    limit: RateLimit,
  ) {
    this.capacity = bucketFor(limit, 0).capacity;
    this.lease = Math.max(1, Math.min(MAX_LEASE, Math.floor(this.capacity / 8)));
    this.perMs = String(limit.messagesPerSecond / 1000);
    this.prefix = `${keys.prefix}bucket:`;
  }

  take(clientId: string): boolean | Promise<boolean> {
    const left = this.leased.get(clientId) ?? 0;
    if (left > 0) {
      this.leased.set(clientId, left - 1);
      return true;
    }
    return this.refill(clientId);
  }

  private async refill(clientId: string): Promise<boolean> {
    const granted = Number(await TAKE.run(this.redis, 'rate limit', [this.prefix + clientId], [this.perMs, this.capacity, this.lease]));
    if (granted < 1) return false;
    // Messages handled meanwhile may have leased too: the tokens add up, none is lost.
    this.leased.set(clientId, (this.leased.get(clientId) ?? 0) + granted - 1);
    return true;
  }
}
