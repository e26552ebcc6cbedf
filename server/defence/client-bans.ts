// Bans of clients that keep sending bad updates: a client whose update was refused as bad (a malformed or invalid
// update, one that failed the strategy's check, one that spoke for another client) or excluded by the screening in
// `offences` of the last `withinRounds` rounds is left out of the next `forRounds` rounds (not sampled, told so).
// Pure: the bans follow from the round summaries alone (each lists its round's offenders), so they survive a restart
// with the history — in a checkpoint or in Redis — and every node of a cluster computes the same ones.
import { z } from 'zod';

export const banOptionsSchema = z
  .strictObject({
    /** Rounds with an offence (K) ... */
    offences: z.number().int().min(1),
    /** ... among the last M rounds ... */
    withinRounds: z.number().int().min(1),
    /** ... ban the client for the next T rounds. */
    forRounds: z.number().int().min(1),
  })
  .refine((b) => b.offences <= b.withinRounds, { message: 'offences must be at most withinRounds', path: ['offences'] });

export type BanSettings = z.infer<typeof banOptionsSchema>;

export interface Ban {
  clientId: string;
  /** The first and last round the client is left out of. */
  fromRound: number;
  untilRound: number;
  reason: string;
}

/** What the bans are computed from: each finished round and the clients that offended in it. */
export interface RoundOffenders {
  round: number;
  offenders?: readonly string[];
}

export function parseBanOptions(raw: unknown, where: string): BanSettings {
  const parsed = banOptionsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`${where}.${issue.path.join('.') || '(bans)'}: ${issue.message}`);
}

/**
 * The bans in force in `round`, from the rounds before it. A ban is decided at the end of a round the client was not
 * banned in, counting only offences since its previous ban ended (a ban is not renewed by the offences that caused it).
 */
export function bansAt(history: readonly RoundOffenders[], round: number, settings: BanSettings): Ban[] {
  const offences = new Map<string, number[]>();
  const latest = new Map<string, Ban>();
  for (const h of [...history].sort((a, b) => a.round - b.round)) {
    if (h.round >= round) break;
    for (const clientId of new Set(h.offenders ?? [])) {
      const ban = latest.get(clientId);
      if (ban && h.round <= ban.untilRound) continue;
      const rounds = (offences.get(clientId) ?? []).filter((r) => r > h.round - settings.withinRounds);
      rounds.push(h.round);
      offences.set(clientId, rounds);
      if (rounds.length >= settings.offences) {
        latest.set(clientId, {
          clientId,
          fromRound: h.round + 1,
          untilRound: h.round + settings.forRounds,
          reason: `updates refused or excluded in rounds ${rounds.join(', ')} (${rounds.length} of the last ${settings.withinRounds} rounds)`,
        });
        offences.set(clientId, []);
      }
    }
  }
  return [...latest.values()].filter((b) => b.fromRound <= round && round <= b.untilRound).sort((a, b) => (a.clientId < b.clientId ? -1 : 1));
}
