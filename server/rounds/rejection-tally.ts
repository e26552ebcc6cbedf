// Rejected updates of one round, counted per reason (the protocol error code) instead of one entry each: a client
// flooding bad updates grows a counter, not the round summary, its checkpoint or the server's memory.

/** Rejected updates of one reason in one round. */
export interface RejectedUpdates {
  /** The error code the rejections were answered with (WRONG_ROUND, BAD_TENSOR, REJECTED_UPDATE, ...). */
  code: string;
  count: number;
  /** Clients rejected for this reason (sorted; at most MAX_LISTED_CLIENTS, `count` says how many rejections in all). */
  clientIds: string[];
  /** The first rejection's reason, as told to its client. */
  example: string;
}

const MAX_LISTED_CLIENTS = 20;
const MAX_EXAMPLE_CHARS = 300;

export class RejectionTally {
  private readonly byCode = new Map<string, { count: number; clientIds: Set<string>; example: string }>();
  private readonly perClient = new Map<string, number>();
  /** Clients refused for a bad update (not for timing: a wrong round, not sampled, a resend): every one of them. */
  private readonly offenderIds = new Set<string>();

  /**
   * Counts one rejection; returns how many rejections this client has had in the round so far (this one included).
   * `offence`: the update itself was bad (the client-bans count these).
   */
  add(clientId: string, code: string, reason: string, offence = false): number {
    if (offence) this.offenderIds.add(clientId);
    let entry = this.byCode.get(code);
    if (!entry) {
      const example = reason.length > MAX_EXAMPLE_CHARS ? `${reason.slice(0, MAX_EXAMPLE_CHARS)}…` : reason;
      entry = { count: 0, clientIds: new Set(), example };
      this.byCode.set(code, entry);
    }
    entry.count++;
    if (entry.clientIds.size < MAX_LISTED_CLIENTS) entry.clientIds.add(clientId);
    const n = (this.perClient.get(clientId) ?? 0) + 1;
    this.perClient.set(clientId, n);
    return n;
  }

  /** Clients refused for a bad update in the round, sorted (not capped, unlike summary()'s lists). */
  offenders(): string[] {
    return [...this.offenderIds].sort();
  }

  /** Adds another tally's offenders (a cluster node's). */
  addOffenders(clientIds: readonly string[]): void {
    for (const id of clientIds) this.offenderIds.add(id);
  }

  /** Adds another tally's entry (a cluster node's): its count, listed clients and, if first, its example. */
  addCounted(r: RejectedUpdates): void {
    let entry = this.byCode.get(r.code);
    if (!entry) {
      entry = { count: 0, clientIds: new Set(), example: r.example };
      this.byCode.set(r.code, entry);
    }
    entry.count += r.count;
    for (const id of r.clientIds) if (entry.clientIds.size < MAX_LISTED_CLIENTS) entry.clientIds.add(id);
  }

  summary(): RejectedUpdates[] {
    return [...this.byCode]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([code, e]) => ({ code, count: e.count, clientIds: [...e.clientIds].sort(), example: e.example }));
  }
}

/**
 * Summaries in checkpoints written before rejections were tallied hold one { clientId, reason } per rejection, the
 * reason starting with its code ("WRONG_ROUND: ..."): tallied the same way here.
 */
export function tallyLegacyRejections(entries: readonly { clientId: string; reason: string }[]): RejectedUpdates[] {
  const tally = new RejectionTally();
  for (const { clientId, reason } of entries) {
    const m = /^([A-Z_]+): (.*)$/s.exec(reason);
    tally.add(clientId, m?.[1] ?? 'UNKNOWN', m?.[2] ?? reason);
  }
  return tally.summary();
}
