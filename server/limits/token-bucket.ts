// A token bucket: `burst` messages may arrive at once, then `ratePerSecond` on average. Pure (the clock is passed in)
// so it can be tested without timers.

export interface RateLimit {
  /** Sustained messages per second a client may send. */
  messagesPerSecond: number;
  /** Messages a client may send at once after being quiet. Default: max(1, ceil(messagesPerSecond)). */
  burst?: number;
  /** Consecutive messages over the limit after which the connection is closed. Default 20. */
  disconnectAfter?: number;
}

export function validateRateLimit(limit: RateLimit, owner: string): void {
  if (!(limit.messagesPerSecond > 0) || !Number.isFinite(limit.messagesPerSecond)) {
    throw new Error(`${owner} rateLimit.messagesPerSecond must be a positive number, got ${limit.messagesPerSecond}`);
  }
  for (const key of ['burst', 'disconnectAfter'] as const) {
    const v = limit[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) {
      throw new Error(`${owner} rateLimit.${key} must be a positive integer, got ${v}`);
    }
  }
}

export class TokenBucket {
  private tokens: number;
  private lastMs: number;
  readonly capacity: number;

  constructor(
    readonly ratePerSecond: number,
    burst: number,
    nowMs: number,
  ) {
    if (!(ratePerSecond > 0)) throw new Error(`token bucket rate must be positive, got ${ratePerSecond}`);
    if (!(burst >= 1)) throw new Error(`token bucket burst must be at least 1, got ${burst}`);
    this.capacity = burst;
    this.tokens = burst;
    this.lastMs = nowMs;
  }

  /** Takes one token if there is one; false means the message is over the limit. */
  take(nowMs: number): boolean {
    // A clock that goes backwards (NTP step) must not mint or destroy tokens.
    const elapsed = Math.max(0, nowMs - this.lastMs);
    this.lastMs = Math.max(this.lastMs, nowMs);
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed / 1000) * this.ratePerSecond);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** A bucket for one connection under `limit`. */
export function bucketFor(limit: RateLimit, nowMs: number): TokenBucket {
  return new TokenBucket(limit.messagesPerSecond, limit.burst ?? Math.max(1, Math.ceil(limit.messagesPerSecond)), nowMs);
}
