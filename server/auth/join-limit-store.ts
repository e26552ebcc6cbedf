// Where the failed-join state lives (issue 23): the per-address and per-client-id backoffs, the check slots of a
// client id that others are guessing, and the (id, address) pairs that joined. A single-process server keeps it in
// memory (MemoryJoinLimitStore, below); every node of a cluster shares one in Redis (cluster/redis-join-limits.ts),
// so guesses spread over N nodes are limited like guesses on one. The rules that use it are join-throttle.ts's.
import { FailedJoinBackoff, type JoinBackoffOptions } from './failed-join-backoff.js';

/** A join attempt's standing, read at once. Waits are milliseconds from now. */
export interface JoinStanding {
  /** How long the address must still wait before its joins are checked (0: not backing off). */
  addressWaitMs: number;
  /** The (client id, address) pair joined successfully before: its joins are checked at once. */
  trusted: boolean;
  /** How long the client id's backoff still lasts (0: none; its queue of check slots is then cleared). */
  idWaitMs: number;
  /** The length of the id's latest backoff step while it lasts (else 0). */
  idStepMs: number;
}

export interface JoinLimitStore {
  /**
   * The standing of a join of `clientId` (undefined: an unknown id, which is never a key) from `address`. The memory
   * store uses `now`; a shared store may use one clock for all nodes instead (Redis's).
   */
  standing(clientId: string | undefined, address: string, now: number): Promise<JoinStanding>;
  /**
   * Reserves the id's next check slot, atomically across whoever shares the store: the slot opens at
   * max(now + earliestMs, the id's next free slot), and the one after it `spacingMs` later. Returns its delay from now.
   */
  reserveSlot(clientId: string, earliestMs: number, spacingMs: number, now: number): Promise<number>;
  /** A failed join from `address` (and, for a known id, of `clientId`). */
  failed(clientId: string | undefined, address: string, now: number): Promise<void>;
  /** A successful join: the id's backoff and slots end, and the pair is trusted from now on. */
  succeeded(clientId: string, address: string, now: number): Promise<void>;
}

/** The process-local store: the behaviour of a single server (bounded tables; nothing shared). */
export class MemoryJoinLimitStore implements JoinLimitStore {
  private readonly byAddress: FailedJoinBackoff;
  private readonly byId: FailedJoinBackoff;
  /** (id, address) pairs that joined, most recent last; bounded like the backoff tables. */
  private readonly trusted = new Map<string, true>();
  private readonly maxTrusted: number;
  /** Per backing-off client id: when its next check slot opens (clock ms). */
  private readonly nextSlot = new Map<string, number>();

  constructor(opts: JoinBackoffOptions = {}) {
    this.byAddress = new FailedJoinBackoff(opts);
    this.byId = new FailedJoinBackoff(opts);
    this.maxTrusted = opts.maxKeys ?? 10_000;
  }

  async standing(clientId: string | undefined, address: string, now: number): Promise<JoinStanding> {
    const addressWaitMs = this.byAddress.waitMs(address, now);
    if (clientId === undefined) return { addressWaitMs, trusted: false, idWaitMs: 0, idStepMs: 0 };
    const idWaitMs = this.byId.waitMs(clientId, now);
    if (idWaitMs === 0) this.nextSlot.delete(clientId);
    return { addressWaitMs, trusted: this.trusted.has(pairKey(clientId, address)), idWaitMs, idStepMs: this.byId.stepMs(clientId, now) };
  }

  async reserveSlot(clientId: string, earliestMs: number, spacingMs: number, now: number): Promise<number> {
    const at = Math.max(now + earliestMs, this.nextSlot.get(clientId) ?? 0);
    this.nextSlot.set(clientId, at + spacingMs);
    return at - now;
  }

  async failed(clientId: string | undefined, address: string, now: number): Promise<void> {
    this.byAddress.fail(address, now);
    if (clientId !== undefined) this.byId.fail(clientId, now);
  }

  async succeeded(clientId: string, address: string): Promise<void> {
    this.byId.succeed(clientId);
    this.nextSlot.delete(clientId);
    const pair = pairKey(clientId, address);
    this.trusted.delete(pair);
    this.trusted.set(pair, true);
    while (this.trusted.size > this.maxTrusted) this.trusted.delete(this.trusted.keys().next().value as string);
  }
}

/** Unambiguous whatever the id holds (its length first). */
function pairKey(clientId: string, address: string): string {
  return `${clientId.length}:${clientId}@${address}`;
}
