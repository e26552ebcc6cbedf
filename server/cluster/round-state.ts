// The round in progress as the cluster shares it: which round and attempt, its phase, deadline and sampled clients,
// which clients' updates are recorded (and by which node), each node's tally of rejected updates, and the leader's
// request for pre-aggregates. Every node reads it (a view refreshed on each hint and every poll); only the leader
// writes it, fenced by its token.
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { RejectionTally, type RejectedUpdates } from '../rounds/rejection-tally.js';
import { fencedExec, type ClusterKeys, type FencedCommand } from './cluster-keys.js';

/** What every node knows of the round in progress. */
export interface RoundView {
  /** The last committed round whose commit is durable (0 before the first). */
  committed: number;
  committedModelSha: string | undefined;
  round: number;
  attempt: number;
  /** The leader's coordinator phase ('waiting-for-clients', 'training', 'aggregating', ...). */
  phase: string;
  startedAt: number;
  deadline: number;
  sampled: ReadonlySet<string>;
  /** Clients whose update for the round is recorded. */
  answered: ReadonlySet<string>;
  /** The leader's request for pre-aggregates of the round (hierarchical aggregation), if any. */
  partials: PartialsRequest | undefined;
}

export const partialsRequestSchema = z.object({
  round: z.number().int().positive(),
  /** clientId → the example count its update is weighed with. */
  weights: z.record(z.string(), z.number().positive()),
});
export type PartialsRequest = z.infer<typeof partialsRequestSchema>;

const rejectedSchema = z.array(z.object({ code: z.string(), count: z.number().int().min(0), clientIds: z.array(z.string()), example: z.string() }));
const nodeTallySchema = z.union([rejectedSchema, z.object({ tally: rejectedSchema, offenders: z.array(z.string()) })]);

export class RoundState {
  constructor(
    private readonly redis: Redis,
    private readonly keys: ClusterKeys,
  ) {}

  async read(): Promise<RoundView> {
    const [committed, state] = await Promise.all([this.redis.hmget(this.keys.committed, 'round', 'modelSha', 'durable'), this.redis.hgetall(this.keys.round)]);
    // A commit counts once replicas hold it (see RedisStore.markDurable); federations from before it have no field.
    const committedRound = Math.min(Number(committed[0] ?? 0), Number(committed[2] ?? committed[0] ?? 0));
    const round = Number(state.round ?? committedRound + 1);
    const [sampled, answered] = await Promise.all([this.redis.smembers(this.keys.sampled(round)), this.redis.hkeys(this.keys.owners(round))]);
    let partials: PartialsRequest | undefined;
    if (state.partials) {
      const parsed = partialsRequestSchema.safeParse(JSON.parse(state.partials));
      partials = parsed.success ? parsed.data : undefined;
    }
    return {
      committed: committedRound,
      committedModelSha: committed[1] ?? undefined,
      round,
      attempt: Number(state.attempt ?? 0),
      phase: state.phase ?? 'waiting-for-clients',
      startedAt: Number(state.startedAt ?? 0),
      deadline: Number(state.deadline ?? 0),
      sampled: new Set(sampled),
      answered: new Set(answered),
      partials,
    };
  }

  /**
   * Fenced: an attempt of `round` started, its clients sampled (added to those of earlier attempts). The first
   * attempt also records the cluster's traffic so far, so whichever node commits the round can tell its bytes.
   */
  attemptStarted(
    token: number,
    a: { round: number; attempt: number; sampled: string[]; startedAt: number; deadline: number; trafficAtStart?: { bytesSent: number; bytesReceived: number } },
  ): Promise<void> {
    const commands: FencedCommand[] = [
      ['HSET', this.keys.round, 'round', a.round, 'attempt', a.attempt, 'phase', 'training', 'startedAt', a.startedAt, 'deadline', a.deadline],
    ];
    if (a.trafficAtStart) commands.push(['HSET', this.keys.round, 'trafficAtStart', JSON.stringify(a.trafficAtStart)]);
    if (a.sampled.length > 0) commands.push(['SADD', this.keys.sampled(a.round), ...a.sampled]);
    return fencedExec(this.redis, this.keys, token, commands);
  }

  /** Fenced: the leader's phase of `round`; updates are recorded only while it is 'training'. */
  phase(token: number, round: number, phase: string): Promise<void> {
    return fencedExec(this.redis, this.keys, token, [['HSET', this.keys.round, 'round', round, 'phase', phase]]);
  }

  /** Fenced: asks every node for the pre-aggregate of its clients' updates. */
  requestPartials(token: number, request: PartialsRequest): Promise<void> {
    return fencedExec(this.redis, this.keys, token, [['HSET', this.keys.round, 'partials', JSON.stringify(request)]]);
  }

  /** The cluster's traffic when the round's first attempt started (see attemptStarted). */
  async trafficAtStart(round: number): Promise<{ bytesSent: number; bytesReceived: number } | undefined> {
    const [r, json] = await this.redis.hmget(this.keys.round, 'round', 'trafficAtStart');
    if (Number(r) !== round || !json) return undefined;
    const parsed = z.object({ bytesSent: z.number(), bytesReceived: z.number() }).safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : undefined;
  }

  /** This node's tally of the round's rejected updates (the leader merges all nodes' tallies into the summary). */
  async saveRejections(round: number, nodeId: string, tally: RejectionTally): Promise<void> {
    await this.redis.hset(this.keys.rejected(round), nodeId, JSON.stringify({ tally: tally.summary(), offenders: tally.offenders() }));
  }

  /** Every node's tally of the round merged: the rejections per reason, and the clients refused for a bad update. */
  async rejections(round: number): Promise<{ rejected: RejectedUpdates[]; offenders: string[] }> {
    const merged = new RejectionTally();
    for (const json of Object.values(await this.redis.hgetall(this.keys.rejected(round)))) {
      const parsed = nodeTallySchema.safeParse(JSON.parse(json));
      if (!parsed.success) continue;
      // Nodes of an older fedfuse stored the tally alone.
      const { tally, offenders } = Array.isArray(parsed.data) ? { tally: parsed.data, offenders: [] } : parsed.data;
      for (const r of tally) merged.addCounted(r);
      merged.addOffenders(offenders);
    }
    return { rejected: merged.summary(), offenders: merged.offenders() };
  }
}
