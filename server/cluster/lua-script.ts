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

export class LuaScript {
  private readonly sha: string;

  constructor(private readonly lua: string) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  /**
   * Runs the script with `keys` and `args`. Throws LimitStoreUnavailable (naming `what`) while Redis is not ready, or
   * when no answer comes within `timeoutMs` (Redis went away mid-command: the command waits in the offline queue).
   */
  async run(redis: Redis, what: string, keys: readonly string[], args: readonly (string | number)[], timeoutMs = 2000): Promise<unknown> {
    if (redis.status !== 'ready') throw new LimitStoreUnavailable(what);
    const call = (async () => {
      try {
        return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
      } catch (e) {
        if (!(e as Error).message.startsWith('NOSCRIPT')) throw e;
        return await redis.eval(this.lua, keys.length, ...keys, ...args);
      }
    })();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new LimitStoreUnavailable(what)), timeoutMs)));
    try {
      return await Promise.race([call, late]);
    } finally {
      clearTimeout(timer);
      call.catch(() => {}); // answered late (or never): nobody waits for it any more
    }
  }
}

/** Lua: the Redis server's clock in ms (one clock for every node; scripts may read TIME since Redis 5). */
export const LUA_NOW_MS = `local function now_ms() local t = redis.call('TIME') return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) end`;
