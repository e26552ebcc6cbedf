// A round's bytes over this server's sockets (its summary's bytesSent and bytesReceived): the counters when the round
// was first planned, subtracted from the counters when its result went out.
type Traffic = { bytesSent: number; bytesReceived: number };

export class RoundTraffic {
  private atStart: ({ round: number } & Traffic) | undefined;

  /** `round` is being planned; only the first call for a round counts. */
  started(round: number, now: Traffic): void {
    if (this.atStart?.round !== round) this.atStart = { round, ...now };
  }

  /** The bytes since `round` started (since the server started, when that was not seen). */
  since(round: number, now: Traffic): Traffic {
    const atStart = this.atStart?.round === round ? this.atStart : { bytesSent: 0, bytesReceived: 0 };
    return { bytesSent: now.bytesSent - atStart.bytesSent, bytesReceived: now.bytesReceived - atStart.bytesReceived };
  }
}
