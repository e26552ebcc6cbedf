// Exponential backoff on failed joins, per key (an address, a client id): the first `freeFailures` failures cost
// nothing, each one after that doubles the wait before that key is checked again (up to maxMs). During the wait a
// Join is refused without its token being checked, so guessing runs at a few tries per minute, not at socket speed.

export interface JoinBackoffOptions {
  /** Failures per key before any wait. Default 5. */
  freeFailures?: number;
  /** The first wait; each further failure doubles it. Default 1000 ms. */
  baseMs?: number;
  /** Longest wait. Default 60 000 ms. */
  maxMs?: number;
  /** Keys remembered at most (the oldest are forgotten first), so a stream of new keys cannot grow memory. Default 10 000. */
  maxKeys?: number;
}

interface KeyState {
  failures: number;
  blockedUntil: number;
  lastFailure: number;
  /** Length of the latest wait imposed (0 while within the free failures). */
  stepMs: number;
}

export class FailedJoinBackoff {
  private readonly freeFailures: number;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly maxKeys: number;
  /** Insertion order = order of the latest failure (re-inserted on each), so the first key is the stalest. */
  private readonly keys = new Map<string, KeyState>();

  constructor(opts: JoinBackoffOptions = {}) {
    this.freeFailures = opts.freeFailures ?? 5;
    this.baseMs = opts.baseMs ?? 1000;
    this.maxMs = opts.maxMs ?? 60_000;
    this.maxKeys = opts.maxKeys ?? 10_000;
    validateJoinBackoff(opts, 'joinBackoff');
  }

  get size(): number {
    return this.keys.size;
  }

  /** Milliseconds `key` must still wait before a Join for it is checked (0: check it now). */
  waitMs(key: string, now: number): number {
    const state = this.keys.get(key);
    if (!state) return 0;
    // Long quiet after the last failure: forget the key (its next failure starts the count again).
    if (now - state.lastFailure > 2 * this.maxMs && now >= state.blockedUntil) {
      this.keys.delete(key);
      return 0;
    }
    return Math.max(0, state.blockedUntil - now);
  }

  /** The length of the wait `key`'s latest failure imposed, while that wait lasts (else 0). */
  stepMs(key: string, now: number): number {
    return this.waitMs(key, now) > 0 ? this.keys.get(key)!.stepMs : 0;
  }

  fail(key: string, now: number): void {
    const state = this.keys.get(key) ?? { failures: 0, blockedUntil: 0, lastFailure: now, stepMs: 0 };
    this.keys.delete(key);
    state.failures++;
    state.lastFailure = now;
    const over = state.failures - this.freeFailures;
    if (over > 0) {
      state.stepMs = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(over - 1, 30));
      state.blockedUntil = now + state.stepMs;
    }
    this.keys.set(key, state);
    while (this.keys.size > this.maxKeys) this.keys.delete(this.keys.keys().next().value as string);
  }

  succeed(key: string): void {
    this.keys.delete(key);
  }
}

export function validateJoinBackoff(o: JoinBackoffOptions, owner: string): void {
  const check = (v: number | undefined, name: string, min: number) => {
    if (v !== undefined && (!Number.isInteger(v) || v < min)) throw new Error(`${owner}.${name} must be an integer ≥ ${min}, got ${v}`);
  };
  check(o.freeFailures, 'freeFailures', 0);
  check(o.baseMs, 'baseMs', 1);
  check(o.maxMs, 'maxMs', 1);
  check(o.maxKeys, 'maxKeys', 1);
}
