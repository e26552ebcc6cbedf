// The federation-wide client cap (cluster.maxClients) on the cluster's client registry (membership.ts: clientId →
// node): a claim adds the client under this node unless the registry already holds `max` clients; a registered
// client (a reconnect, to any node) moves here without counting twice. The leader drops a dead node's clients from
// the registry, so their seats come free.
import type { Redis } from 'ioredis';
import type { ClientSeats, SeatClaim } from '../limits/client-seats.js';
import type { ClusterKeys } from './cluster-keys.js';
import { LuaScript } from './lua-script.js';

// KEYS: clients; ARGV: clientId, nodeId, max. Returns -1 (seated) or the number of clients (full).
const CLAIM = new LuaScript(`
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  local n = redis.call('HLEN', KEYS[1])
  if n >= tonumber(ARGV[3]) then return n end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return -1`);

const RELEASE = new LuaScript(`
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0`);

export class RedisClientSeats implements ClientSeats {
  constructor(
    private readonly redis: Redis,
    private readonly keys: ClusterKeys,
    private readonly nodeId: string,
    private readonly max: number,
  ) {}

  async claim(clientId: string): Promise<SeatClaim> {
    const n = Number(await CLAIM.run(this.redis, 'client seats', [this.keys.clients], [clientId, this.nodeId, this.max]));
    return n < 0 ? { ok: true } : { ok: false, taken: n, max: this.max };
  }

  async release(clientId: string): Promise<void> {
    await RELEASE.run(this.redis, 'client seats', [this.keys.clients], [clientId, this.nodeId]);
  }
}
