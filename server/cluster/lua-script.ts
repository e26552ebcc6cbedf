// A Lua script run by its sha1 (EVALSHA), sent whole only when Redis does not know it yet (a restarted Redis, a
// promoted replica): the limits run a script per message or join, and resending the body each time would cost more
// than the script itself. And the shared limits' guard: with Redis unreachable they fail at once instead of waiting
// in the connection's offline queue, so the caller can answer UNAVAILABLE.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A shared limit could not be read or written: Redis is unreachable (the caller answers UNAVAILABLE). */
export class LimitStoreUnavailable extends Error {
  constructor(what: string) {
    super(`${what}: Redis is unreachable`);
    this.name = 'LimitStoreUnavailable';
  }
}

/** Calls waiting for Redis, each with its deadline: one sweeping timer for all (a timer per message costs more). */
const waiting = new Set<{ deadline: number; expire: () => void }>();
let sweeper: ReturnType<typeof setInterval> | undefined;
const SWEEP_MS = 100;

function sweep(): void {
  const now = Date.now();
  for (const w of waiting) {
    if (w.deadline > now) continue;
    waiting.delete(w);
    w.expire();
  }
  if (waiting.size === 0 && sweeper !== undefined) {
    clearInterval(sweeper);
    sweeper = undefined;
  }
}

export class LuaScript {
  private readonly sha: string;

  constructor(private readonly lua: string) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  /**
   * Runs the script with `keys` and `args`. Throws LimitStoreUnavailable (naming `what`) while Redis is not ready, or
   * when no answer comes within about `timeoutMs` (Redis went away mid-command: the command waits in the offline
   * queue, and nobody waits for its answer any more).
   */
  run(redis: Redis, what: string, keys: readonly string[], args: readonly (string | number)[], timeoutMs = 2000): Promise<unknown> {
    if (redis.status !== 'ready') return Promise.reject(new LimitStoreUnavailable(what));
    return new Promise((resolve, reject) => {
      const entry = { deadline: Date.now() + timeoutMs, expire: () => reject(new LimitStoreUnavailable(what)) };
      waiting.add(entry);
      if (sweeper === undefined) {
        sweeper = setInterval(sweep, SWEEP_MS);
        sweeper.unref();
      }
      const settle = (ok: boolean, value: unknown) => {
        waiting.delete(entry);
        if (ok) resolve(value);
        else reject(value);
      };
      redis
        .evalsha(this.sha, keys.length, ...keys, ...args)
        .catch((e: Error) => {
          // Not in this Redis's script cache (a restart, a promoted replica): sent whole once, cached from then on.
          if (!e.message.startsWith('NOSCRIPT')) throw e;
          return redis.eval(this.lua, keys.length, ...keys, ...args);
        })
        .then(
          (v) => settle(true, v),
          (e: unknown) => settle(false, e),
        );
    });
  }
}

/** Lua: the Redis server's clock in ms (one clock for every node; scripts may read TIME since Redis 5). */
export const LUA_NOW_MS = `local function now_ms() local t = redis.call('TIME') return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) end`;
