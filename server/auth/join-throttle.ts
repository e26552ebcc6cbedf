// Who may have a Join checked, and when, after failed joins (issue 11 item 9, reworked by issue 19).
//
// Failures count per address and per known client id, each with its own exponential backoff (failed-join-backoff.ts),
// but the two are not treated alike:
// - an ADDRESS that keeps failing is refused unchecked for its backoff: guessing from one address runs at a few tries
//   a minute;
// - a CLIENT ID that keeps failing is never refused: while it backs off, Joins for it are checked one at a time, each
//   in its own slot spaced by the id's backoff (capped at idDelayMaxMs), so guessing an id from many addresses runs
//   at one try per slot however many addresses join in, and the client that holds the token still gets in, after
//   at most a few slots (an address may have one Join waiting, so one guessing address holds at most one slot ahead
//   of it). Issue 19's finding: refusing per id let anyone who knew an id lock its owner out. An address the id
//   already joined from is trusted: the owner's reconnects are not delayed.
// The state lives in a JoinLimitStore (issue 23): in memory for one server, in Redis for a cluster, so that N nodes
// give a guesser the allowance of one. The one-waiting-Join-per-address rule stays per node: the waiting Join is a
// connection of this node.
import { validateJoinBackoff, type JoinBackoffOptions } from './failed-join-backoff.js';
import { MemoryJoinLimitStore, type JoinLimitStore } from './join-limit-store.js';

export interface JoinThrottleOptions extends JoinBackoffOptions {
  /** Longest delay of a check for a client id that others are guessing. Default 10 000 ms. */
  idDelayMaxMs?: number;
}

export type JoinDecision =
  /** Check the token after `delayMs` (0: now). */
  | { kind: 'check'; delayMs: number }
  /** Refuse unchecked: this address failed too often; it may try again in `waitMs`. */
  | { kind: 'refuse'; waitMs: number; reason: string };

export class JoinThrottle {
  private readonly idDelayMaxMs: number;
  /** Addresses with a delayed check pending: one at a time, so one address cannot queue thousands of guesses. */
  private readonly pending = new Set<string>();
  readonly store: JoinLimitStore;

  constructor(opts: JoinThrottleOptions = {}, store?: JoinLimitStore) {
    validateJoinThrottle(opts, 'joinBackoff');
    this.idDelayMaxMs = opts.idDelayMaxMs ?? 10_000;
    this.store = store ?? new MemoryJoinLimitStore(opts);
  }

  /** `known`: the id is in the token registry (unknown ids are not keys, so made-up ids cannot fill the tables). */
  async decide(clientId: string, address: string, known: boolean, now: number): Promise<JoinDecision> {
    const s = await this.store.standing(known ? clientId : undefined, address, now);
    if (s.addressWaitMs > 0) {
      return { kind: 'refuse', waitMs: s.addressWaitMs, reason: `too many failed joins from this address; try again in ${Math.ceil(s.addressWaitMs / 1000)} s` };
    }
    if (this.pending.has(address)) {
      return { kind: 'refuse', waitMs: 1000, reason: 'a join from this address is already waiting to be checked; try again in 1 s' };
    }
    if (!known || s.trusted || s.idWaitMs === 0) return { kind: 'check', delayMs: 0 };
    // The first Join waits out the id's current backoff, later ones queue behind it a whole backoff step apart.
    const spacing = Math.min(this.idDelayMaxMs, s.idStepMs);
    const delayMs = await this.store.reserveSlot(clientId, Math.min(this.idDelayMaxMs, s.idWaitMs), spacing, now);
    return { kind: 'check', delayMs };
  }

  /** A delayed check of `address` started (until settled(), further joins from it are refused). */
  waiting(address: string): void {
    this.pending.add(address);
  }

  settled(address: string): void {
    this.pending.delete(address);
  }

  failed(clientId: string, address: string, known: boolean, now: number): Promise<void> {
    return this.store.failed(known ? clientId : undefined, address, now);
  }

  succeeded(clientId: string, address: string, now: number): Promise<void> {
    return this.store.succeeded(clientId, address, now);
  }
}

export function validateJoinThrottle(o: JoinThrottleOptions, owner: string): void {
  validateJoinBackoff(o, owner);
  if (o.idDelayMaxMs !== undefined && (!Number.isInteger(o.idDelayMaxMs) || o.idDelayMaxMs < 0)) {
    throw new Error(`${owner}.idDelayMaxMs must be an integer ≥ 0, got ${o.idDelayMaxMs}`);
  }
}
