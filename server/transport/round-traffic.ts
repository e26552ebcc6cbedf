// A round's bytes over this server's sockets (its summary's bytesSent and bytesReceived): the counters when the round
// was first planned, subtracted from the counters when its result went out.
type Traffic = { bytesSent: number; bytesReceived: number };

export class RoundTraffic {
  private atStart: ({ round: number; byTier?: ReadonlyMap<string, Traffic> } & Traffic) | undefined;

  /** `round` is being planned; only the first call for a round counts. `byTier`: tiered federations' per-tier counters. */
  started(round: number, now: Traffic, byTier?: ReadonlyMap<string, Traffic>): void {
    if (this.atStart?.round !== round) this.atStart = { round, ...now, ...(byTier ? { byTier } : {}) };
  }

  /** A tier's bytes since `round` started. */
  tierSince(round: number, tier: string, now: ReadonlyMap<string, Traffic>): Traffic {
    const zero = { bytesSent: 0, bytesReceived: 0 };
    const at = (this.atStart?.round === round ? this.atStart.byTier?.get(tier) : undefined) ?? zero;
    const current = now.get(tier) ?? zero;
    return { bytesSent: current.bytesSent - at.bytesSent, bytesReceived: current.bytesReceived - at.bytesReceived };
  }

  /** The bytes since `round` started (since the server started, when that was not seen). */
  since(round: number, now: Traffic): Traffic {
    const atStart = this.atStart?.round === round ? this.atStart : { bytesSent: 0, bytesReceived: 0 };
    return { bytesSent: now.bytesSent - atStart.bytesSent, bytesReceived: now.bytesReceived - atStart.bytesReceived };
  }
}
