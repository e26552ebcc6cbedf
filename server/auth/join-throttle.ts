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
// The keys come from a JoinKeys function set, so that a shared store (issue 23: Redis, keyed on id + address) can
// replace them without changing the rules.
import { FailedJoinBackoff, validateJoinBackoff, type JoinBackoffOptions } from './failed-join-backoff.js';

export interface JoinThrottleOptions extends JoinBackoffOptions {
  /** Longest delay of a check for a client id that others are guessing. Default 10 000 ms. */
  idDelayMaxMs?: number;
}

/** The backoff keys of a join attempt. */
export interface JoinKeys {
  address(address: string): string;
  clientId(clientId: string): string;
  /** An (id, address) pair that joined successfully. */
  pair(clientId: string, address: string): string;
}

export const defaultJoinKeys: JoinKeys = {
  address: (address) => `address ${address}`,
  clientId: (clientId) => `client ${clientId}`,
  pair: (clientId, address) => `client ${clientId} from ${address}`,
};

export type JoinDecision =
  /** Check the token after `delayMs` (0: now). */
  | { kind: 'check'; delayMs: number }
  /** Refuse unchecked: this address failed too often; it may try again in `waitMs`. */
  | { kind: 'refuse'; waitMs: number; reason: string };

export class JoinThrottle {
  private readonly byAddress: FailedJoinBackoff;
  private readonly byId: FailedJoinBackoff;
  /** (id, address) pairs that joined, most recent last; bounded like the backoff tables. */
  private readonly trusted = new Map<string, true>();
  private readonly maxTrusted: number;
  private readonly idDelayMaxMs: number;
  /** Addresses with a delayed check pending: one at a time, so one address cannot queue thousands of guesses. */
  private readonly pending = new Set<string>();
  /** Per backing-off client id: when its next check slot opens (clock ms). Known ids only. */
  private readonly nextSlot = new Map<string, number>();

  constructor(
    opts: JoinThrottleOptions = {},
    private readonly keys: JoinKeys = defaultJoinKeys,
  ) {
    validateJoinThrottle(opts, 'joinBackoff');
    this.byAddress = new FailedJoinBackoff(opts);
    this.byId = new FailedJoinBackoff(opts);
    this.maxTrusted = opts.maxKeys ?? 10_000;
    this.idDelayMaxMs = opts.idDelayMaxMs ?? 10_000;
  }

  /** `known`: the id is in the token registry (unknown ids are not keys, so made-up ids cannot fill the tables). */
  decide(clientId: string, address: string, known: boolean, now: number): JoinDecision {
    const addressWait = this.byAddress.waitMs(this.keys.address(address), now);
    if (addressWait > 0) {
      return { kind: 'refuse', waitMs: addressWait, reason: `too many failed joins from this address; try again in ${Math.ceil(addressWait / 1000)} s` };
    }
    if (this.pending.has(address)) {
      return { kind: 'refuse', waitMs: 1000, reason: 'a join from this address is already waiting to be checked; try again in 1 s' };
    }
    if (!known || this.trusted.has(this.keys.pair(clientId, address))) return { kind: 'check', delayMs: 0 };
    const idKey = this.keys.clientId(clientId);
    const idWait = this.byId.waitMs(idKey, now);
    if (idWait === 0) {
      this.nextSlot.delete(idKey);
      return { kind: 'check', delayMs: 0 };
    }
    // The first Join waits out the id's current backoff, later ones queue behind it a whole backoff step apart.
    const spacing = Math.min(this.idDelayMaxMs, this.byId.stepMs(idKey, now));
    const at = Math.max(now + Math.min(this.idDelayMaxMs, idWait), this.nextSlot.get(idKey) ?? 0);
    this.nextSlot.set(idKey, at + spacing);
    return { kind: 'check', delayMs: at - now };
  }

  /** A delayed check of `address` started (until settled(), further joins from it are refused). */
  waiting(address: string): void {
    this.pending.add(address);
  }

  settled(address: string): void {
    this.pending.delete(address);
  }

  failed(clientId: string, address: string, known: boolean, now: number): void {
    this.byAddress.fail(this.keys.address(address), now);
    if (known) this.byId.fail(this.keys.clientId(clientId), now);
  }

  succeeded(clientId: string, address: string): void {
    this.byId.succeed(this.keys.clientId(clientId));
    this.nextSlot.delete(this.keys.clientId(clientId));
    const pair = this.keys.pair(clientId, address);
    this.trusted.delete(pair);
    this.trusted.set(pair, true);
    while (this.trusted.size > this.maxTrusted) this.trusted.delete(this.trusted.keys().next().value as string);
  }
}

export function validateJoinThrottle(o: JoinThrottleOptions, owner: string): void {
  validateJoinBackoff(o, owner);
  if (o.idDelayMaxMs !== undefined && (!Number.isInteger(o.idDelayMaxMs) || o.idDelayMaxMs < 0)) {
    throw new Error(`${owner}.idDelayMaxMs must be an integer ≥ 0, got ${o.idDelayMaxMs}`);
  }
}
