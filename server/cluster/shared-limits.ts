// A cluster node's limits, shared with the other nodes through Redis (issue 23): the failed-join backoff, the
// rate-limit buckets of joined clients and, with cluster.maxClients, the federation-wide cap on clients. What the
// node's socket server is given in place of its in-memory ones.
import type { Redis } from 'ioredis';
import type { JoinBackoffOptions } from '../auth/failed-join-backoff.js';
import type { RateLimit } from '../limits/token-bucket.js';
import type { SocketServerOptions } from '../transport/socket-server.js';
import type { ClusterKeys } from './cluster-keys.js';
import { RedisClientBuckets } from './redis-client-buckets.js';
import { RedisClientSeats } from './redis-client-seats.js';
import { RedisJoinLimitStore } from './redis-join-limits.js';

export type SharedLimits = Pick<SocketServerOptions, 'joinLimits' | 'clientBuckets' | 'seats'>;

export function sharedLimits(
  redis: Redis,
  keys: ClusterKeys,
  node: { nodeId: string; maxClients?: number },
  o: { joinBackoff?: JoinBackoffOptions; rateLimit?: RateLimit },
): SharedLimits {
  return {
    joinLimits: new RedisJoinLimitStore(redis, keys, o.joinBackoff),
    ...(o.rateLimit ? { clientBuckets: new RedisClientBuckets(redis, keys, o.rateLimit) } : {}),
    ...(node.maxClients !== undefined ? { seats: new RedisClientSeats(redis, keys, node.nodeId, node.maxClients) } : {}),
  };
}
