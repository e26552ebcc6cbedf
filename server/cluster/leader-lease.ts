// The leader lease: one node at a time coordinates rounds. A node takes the lease with SET NX PX and, in the same
// script, a new fencing token (INCR); it renews it while it leads. A leader that dies stops renewing, the key
// expires, and another node's next attempt takes it — so the federation is without a leader for at most about the
// lease time plus one attempt interval.
import type { Redis } from 'ioredis';
import type { ClusterKeys } from './cluster-keys.js';

const ACQUIRE = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  local token = redis.call('INCR', KEYS[2])
  redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. token, 'PX', ARGV[2])
  return token
end
return false`;

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export class LeaderLease {
  constructor(
    private readonly redis: Redis,
    private readonly keys: ClusterKeys,
    private readonly nodeId: string,
    readonly leaseMs: number,
  ) {}

  /** The new fencing token when this node took the lease, undefined when another node holds it. */
  async tryAcquire(): Promise<number | undefined> {
    const token = await this.redis.eval(ACQUIRE, 2, this.keys.lease, this.keys.fence, this.nodeId, this.leaseMs);
    return token === null ? undefined : Number(token);
  }

  /** Extends the lease; false when it is no longer this node's (expired and taken, or lost). */
  async renew(token: number): Promise<boolean> {
    return (await this.redis.eval(RENEW, 1, this.keys.lease, `${this.nodeId} ${token}`, this.leaseMs)) === 1;
  }

  async release(token: number): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.keys.lease, `${this.nodeId} ${token}`);
  }

  /** Who leads now, if anyone: { nodeId, token }. */
  async holder(): Promise<{ nodeId: string; token: number } | undefined> {
    const value = await this.redis.get(this.keys.lease);
    const m = value ? /^(\S+) (\d+)$/.exec(value) : null;
    return m ? { nodeId: m[1], token: Number(m[2]) } : undefined;
  }
}
