// The rate-limit buckets of joined clients, one per client id (issue 23): a client's allowance follows its id, not
// its connection, so reconnecting (to this server or, in a cluster, to another node) does not refill it. In memory
// for one server (LocalClientBuckets); shared through Redis by the nodes of a cluster (cluster/redis-client-buckets.ts).
import { bucketFor, type RateLimit, type TokenBucket } from './token-bucket.js';

export interface ClientBuckets {
  /** Messages a client may send at once after being quiet. */
  readonly capacity: number;
  /**
   * Takes one token of `clientId`'s bucket; false: the message is over the limit. Synchronous where the buckets are
   * local (the message is handled in the same tick, as before).
   */
  take(clientId: string, now: number): boolean | Promise<boolean>;
}

/** One process's buckets. Only joined (authenticated) ids get one, so the table is bounded by the token registry. */
export class LocalClientBuckets implements ClientBuckets {
  private readonly buckets = new Map<string, TokenBucket>();
  readonly capacity: number;

  constructor(private readonly limit: RateLimit) {
    this.capacity = bucketFor(limit, 0).capacity;
  }

  take(clientId: string, now: number): boolean {
    let bucket = this.buckets.get(clientId);
    if (!bucket) this.buckets.set(clientId, (bucket = bucketFor(this.limit, now)));
    return bucket.take(now);
  }
}
