// The failed-join state of a cluster, in Redis (issue 23): every node reads and writes the same per-address and
// per-client-id backoffs, check slots and trusted pairs, so guesses spread over N nodes are limited like guesses on
// one. Each step is one Lua script (atomic: two nodes cannot both take the same slot, or both miss a failure), timed
// by Redis's clock (the nodes' clocks may disagree). Every key expires: a backoff 2 × maxMs after its last failure
// (when the memory store forgets it too), a slot queue once its last slot opened, a trusted pair after TRUST_MS.
// Keys: fedfuse:<federation>:join:{addr,id,slot,pairs}:<address or client id>.
import type { Redis } from 'ioredis';
import type { JoinBackoffOptions } from '../auth/failed-join-backoff.js';
import type { JoinLimitStore, JoinStanding } from '../auth/join-limit-store.js';
import type { ClusterKeys } from './cluster-keys.js';
import { LUA_NOW_MS, LuaScript } from './lua-script.js';

/** How long an (id, address) pair that joined stays trusted after its latest successful join. */
export const TRUST_MS = 30 * 24 * 3600 * 1000;

// KEYS: addr [, id, slot, pairs]; ARGV: address. Returns { addressWait, trusted, idWait, idStep }.
const STANDING = new LuaScript(`${LUA_NOW_MS}
local now = now_ms()
local function wait(key) return math.max(0, tonumber(redis.call('HGET', key, 'b') or '0') - now) end
local aw = wait(KEYS[1])
if #KEYS == 1 then return {aw, 0, 0, 0} end
local iw = wait(KEYS[2])
local step = 0
if iw > 0 then step = tonumber(redis.call('HGET', KEYS[2], 's') or '0') else redis.call('DEL', KEYS[3]) end
return {aw, redis.call('SISMEMBER', KEYS[4], ARGV[1]), iw, step}`);

// KEYS: slot; ARGV: earliestMs, spacingMs. Returns the slot's delay from now.
const RESERVE = new LuaScript(`${LUA_NOW_MS}
local now = now_ms()
local at = math.max(now + tonumber(ARGV[1]), tonumber(redis.call('GET', KEYS[1]) or '0'))
local nxt = at + tonumber(ARGV[2])
redis.call('SET', KEYS[1], string.format('%d', nxt), 'PX', math.max(1, nxt - now))
return at - now`);

// KEYS: addr [, id]; ARGV: freeFailures, baseMs, maxMs. The rule of failed-join-backoff.ts, per key.
const FAIL = new LuaScript(`${LUA_NOW_MS}
local now = now_ms()
local free, base, max = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
for _, key in ipairs(KEYS) do
  local over = redis.call('HINCRBY', key, 'f', 1) - free
  if over > 0 then
    local step = math.min(max, base * 2 ^ math.min(over - 1, 30))
    redis.call('HSET', key, 'b', string.format('%d', now + step), 's', string.format('%d', step))
  end
  redis.call('PEXPIRE', key, 2 * max)
end
return 1`);

// KEYS: id, slot, pairs; ARGV: address, trustMs.
const SUCCEED = new LuaScript(`
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('PEXPIRE', KEYS[3], ARGV[2])
return 1`);

export class RedisJoinLimitStore implements JoinLimitStore {
  private readonly freeFailures: number;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    keys: ClusterKeys,
    opts: JoinBackoffOptions = {},
  ) {
    this.freeFailures = opts.freeFailures ?? 5;
    this.baseMs = opts.baseMs ?? 1000;
    this.maxMs = opts.maxMs ?? 60_000;
    this.prefix = `${keys.prefix}join:`;
  }

  private key(kind: 'addr' | 'id' | 'slot' | 'pairs', name: string): string {
    return `${this.prefix}${kind}:${name}`;
  }

  async standing(clientId: string | undefined, address: string): Promise<JoinStanding> {
    const keys = [this.key('addr', address)];
    if (clientId !== undefined) keys.push(this.key('id', clientId), this.key('slot', clientId), this.key('pairs', clientId));
    const [addressWaitMs, trusted, idWaitMs, idStepMs] = (await STANDING.run(this.redis, 'join limits', keys, [address])) as number[];
    return { addressWaitMs, trusted: trusted === 1, idWaitMs, idStepMs };
  }

  async reserveSlot(clientId: string, earliestMs: number, spacingMs: number): Promise<number> {
    return Number(await RESERVE.run(this.redis, 'join limits', [this.key('slot', clientId)], [Math.round(earliestMs), Math.round(spacingMs)]));
  }

  async failed(clientId: string | undefined, address: string): Promise<void> {
    const keys = [this.key('addr', address)];
    if (clientId !== undefined) keys.push(this.key('id', clientId));
    await FAIL.run(this.redis, 'join limits', keys, [this.freeFailures, this.baseMs, this.maxMs]);
  }

  async succeeded(clientId: string, address: string): Promise<void> {
    await SUCCEED.run(this.redis, 'join limits', [this.key('id', clientId), this.key('slot', clientId), this.key('pairs', clientId)], [address, TRUST_MS]);
  }
}
