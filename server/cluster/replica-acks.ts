// Acknowledged means replicated: Redis replicates asynchronously, so a primary that dies right after a write can take
// it along when Sentinel promotes a replica that never received it. Before an update is acked (or a round committed),
// the node checks on a connection of its own that the write reached `minReplicasAcked` replicas: it writes a marker
// and sends WAIT, which returns once replicas hold everything up to that marker (the replication stream is in order,
// so every write that completed before the marker is covered, whichever connection made it). Then, on the same
// connection (so on the same primary, even if Sentinel switched it meanwhile), it checks that the write is there:
// a write lost by a failover is reported, and its caller writes it again rather than ack what Redis no longer has.
//
// Fewer replicas connected than asked for (after a failover, before the old primary returns as a replica): the
// check waits for the replicas that are connected, and with none it relies on the primary's AOF alone; both are
// logged when they start and end. A deployment that must never ack without a replica sets Redis's own
// `min-replicas-to-write`: the primary then refuses the write and nothing is acked.
import type { Redis } from 'ioredis';

export interface ReplicaAckSettings {
  minReplicasAcked: number;
  replicaAckTimeoutMs: number;
}

/** Reads the update (or commit) back on the connection that ran WAIT: whether it is on the primary now. */
export type PresenceCheck = (redis: Redis) => Promise<boolean>;

interface Waiter {
  present: PresenceCheck | undefined;
  resolve(there: boolean): void;
  reject(e: Error): void;
}

export class ReplicaAcks {
  private queue: Waiter[] = [];
  private running = false;
  /** Replicas connected at the last check, while fewer than minReplicasAcked (for the log's transitions). */
  private short: number | undefined;

  constructor(
    /** Its own connection: WAIT blocks it, and it must never hold up the lease or the round state. */
    private readonly redis: Redis,
    private readonly markKey: string,
    private readonly settings: ReplicaAckSettings,
    private readonly log: (line: string) => void,
  ) {}

  get minReplicasAcked(): number {
    return this.settings.minReplicasAcked;
  }

  /**
   * Resolves true once every write completed before this call is on the replicas (see above) and `present` finds it
   * on the primary; false when `present` does not find it (lost in a failover). Waits for as long as that takes
   * (Redis down, a failover, a replica catching up): callers tell their clients why their ack waits.
   */
  confirm(present?: PresenceCheck): Promise<boolean> {
    if (this.settings.minReplicasAcked === 0 && !present) return Promise.resolve(true);
    return new Promise((resolve, reject) => {
      this.queue.push({ present, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  /** One marker and WAIT covers every waiter queued before it was sent. */
  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0);
        try {
          await this.untilReplicated();
          for (const w of batch) {
            const there = w.present ? await w.present(this.redis) : true;
            w.resolve(there);
          }
        } catch (e) {
          for (const w of batch) w.reject(e as Error);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async untilReplicated(): Promise<void> {
    const wanted = this.settings.minReplicasAcked;
    if (wanted === 0) return;
    for (;;) {
      try {
        const replies = await this.redis.pipeline().incr(this.markKey).info('replication').exec();
        const error = replies?.[0]?.[0] ?? replies?.[1]?.[0];
        if (error) throw error;
        const connected = Number(/^connected_slaves:(\d+)/m.exec(String(replies?.[1]?.[1]))?.[1] ?? 0);
        this.noteReplicas(connected);
        const needed = Math.min(wanted, connected);
        // WAIT for more replicas than are connected would only sit out its timeout.
        if (needed === 0) return;
        const acked = Number(await this.redis.call('WAIT', needed, this.settings.replicaAckTimeoutMs));
        if (acked >= needed) return;
      } catch (e) {
        if (!isTransientRedisError(e)) throw e;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  private noteReplicas(connected: number): void {
    const wanted = this.settings.minReplicasAcked;
    if (connected >= wanted) {
      if (this.short !== undefined) this.log(`Redis: ${connected} replica(s) connected again; acks wait for ${wanted}`);
      this.short = undefined;
      return;
    }
    if (this.short === connected) return;
    this.short = connected;
    this.log(
      connected === 0
        ? `Redis: no replica connected (minReplicasAcked ${wanted}); acks rely on the primary's AOF alone until one connects`
        : `Redis: ${connected} replica(s) connected (minReplicasAcked ${wanted}); acks wait for ${connected} until more connect`,
    );
  }
}

/**
 * Errors that a retry outlives: the connection dropped with the command in flight (a failover, a restart), the
 * server is loading its AOF, is a replica now, or refuses writes for want of replicas (min-replicas-to-write).
 */
export function isTransientRedisError(e: unknown): boolean {
  const message = e instanceof Error ? e.message : String(e);
  return /Connection is closed|aborted due to connection close|^(NOREPLICAS|LOADING|READONLY|MASTERDOWN|TRYAGAIN)\b/.test(message);
}
