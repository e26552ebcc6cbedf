// The Redis implementation of the federation store (several nodes). An update is recorded by one script that checks
// the shared round state (this round, still training, the client sampled) and that no update of that client is
// there yet, so the first update wins across all nodes and none is written once the leader closed the round; with
// appendfsync always, Redis replies only after the write is on disk; with replicas, the write must also have reached
// minReplicasAcked of them (replica-acks.ts), and only then is the client acknowledged.
// Committing a round writes the model (content-addressed) and then, fenced by the leader's token, the round's
// summary history and the next round's state in one transaction; once replicas have it, a second fenced write marks
// it durable, and only a durable commit is adopted by the nodes (sent to clients): a commit that a failover loses
// was never published, so a round is published once, by whichever leader commits it durably.
import type { Redis } from 'ioredis';
import { z } from 'zod';
import '@fedfuse/client/internal/proto/protobuf-runtime.js';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { modelStateToPayload, payloadToModelState } from '@fedfuse/client/internal/proto/model-payload.js';
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { decodeEntry, encodeEntry, weightsSha256, type JournalEntry } from '../checkpoint/update-journal.js';
import { storedRoundSummarySchema } from '../rounds/round-summary-schema.js';
import type { ClientUpdate } from '../strategies/strategy.js';
import { fencedExec, FencedError, type ClusterKeys, type FencedCommand } from '../cluster/cluster-keys.js';
import { isTransientRedisError, type ReplicaAcks } from '../cluster/replica-acks.js';
import type { CommittedRound, FederationStore, RecordResult, RoundCommit } from './federation-store.js';

const RECORD_UPDATE = `
local state = redis.call('HMGET', KEYS[1], 'round', 'phase')
if state[1] ~= ARGV[1] then
  return {'WRONG_ROUND', 'update is for round ' .. ARGV[1] .. ', but the current round is ' .. tostring(state[1])}
end
if state[2] ~= 'training' then
  return {'WRONG_ROUND', 'round ' .. ARGV[1] .. ' is not accepting updates (phase ' .. tostring(state[2]) .. ')'}
end
if redis.call('SISMEMBER', KEYS[2], ARGV[2]) == 0 then
  return {'NOT_SAMPLED', 'client ' .. ARGV[2] .. ' was not sampled for round ' .. ARGV[1]}
end
local earlier = redis.call('HGET', KEYS[3], ARGV[2])
if earlier then
  if earlier == ARGV[3] then return {'duplicate'} end
  return {'different'}
end
redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
redis.call('HSET', KEYS[4], ARGV[2], ARGV[4])
redis.call('HSET', KEYS[5], ARGV[2], ARGV[5])
return {'recorded'}`;

/** Who accepted an update, and its claimed example count (what the leader needs without reading the update). */
export const ownerSchema = z.object({ node: z.string(), numExamples: z.number().int().positive() });
export type UpdateOwner = z.infer<typeof ownerSchema>;

const committedSchema = z.object({
  round: z.coerce.number().int().min(0),
  modelSha: z.string().regex(/^[0-9a-f]{64}$/),
  history: z.string(),
  configHash: z.string(),
  strategyState: z.string().optional(),
  durable: z.coerce.number().int().min(0).optional(),
  token: z.coerce.number().int().min(0).optional(),
});

export function encodeModel(model: ModelState): Buffer {
  return Buffer.from(fedfuse.v1.ModelPayload.encode(modelStateToPayload(model)).finish());
}

export function decodeModel(bytes: Uint8Array): ModelState {
  return payloadToModelState(fedfuse.v1.ModelPayload.decode(bytes));
}

export class RedisStore implements FederationStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: ClusterKeys,
    private readonly nodeId: string,
    readonly description: string,
    /** The fencing token of this node while it leads (commits are refused without it). */
    private readonly fence: () => number | undefined,
    /** Waits until replicas hold a write (before an ack, before a commit is published). */
    private readonly acks: ReplicaAcks,
    private readonly log: (line: string) => void,
  ) {}

  async loadCommitted(): Promise<CommittedRound | undefined> {
    const raw = await this.redis.hgetall(this.keys.committed);
    if (Object.keys(raw).length === 0) return undefined;
    const parsed = committedSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`${this.keys.committed} in ${this.description} is damaged: ${parsed.error.issues[0].message}`);
    const c = parsed.data;
    const model = await this.loadModel(c.modelSha);
    const history = z.array(storedRoundSummarySchema).parse(JSON.parse(c.history));
    return {
      round: c.round,
      model,
      history,
      configHash: c.configHash,
      ...(c.strategyState !== undefined ? { strategyState: JSON.parse(c.strategyState) as unknown } : {}),
      where: `${this.description} ${this.keys.committed}`,
    };
  }

  /** The committed round number and its model's sha, cheaply (every node polls it). */
  async committedHead(): Promise<{ round: number; modelSha: string } | undefined> {
    const [round, modelSha] = await this.redis.hmget(this.keys.committed, 'round', 'modelSha');
    return round !== null && modelSha !== null ? { round: Number(round), modelSha } : undefined;
  }

  async loadModel(sha: string): Promise<ModelState> {
    const bytes = await this.redis.getBuffer(this.keys.model(sha));
    if (!bytes) throw new Error(`global model ${sha.slice(0, 12)}… is missing from ${this.description}`);
    const model = decodeModel(bytes);
    if (weightsSha256(model.weights) !== sha) throw new Error(`global model ${sha.slice(0, 12)}… in ${this.description} does not match its sha256`);
    return model;
  }

  /** Writes a global model under its sha256 (idempotent) and returns the sha. */
  async saveModel(model: ModelState): Promise<string> {
    const sha = weightsSha256(model.weights);
    await this.redis.set(this.keys.model(sha), encodeModel(model));
    return sha;
  }

  /**
   * Fenced: the committed round, the next round's state (waiting for clients) and the removal of the round's keys,
   * in one transaction. Models of rounds before the previous one are deleted.
   */
  async commitRound(round: number, model: ModelState, commit: RoundCommit, previousModelSha?: string): Promise<string> {
    const token = this.requireFence();
    const sha = await this.saveModel(model);
    const commands: FencedCommand[] = [
      ['HSET', this.keys.committed, 'round', round, 'modelSha', sha, 'history', JSON.stringify(commit.history), 'configHash', commit.configHash, 'token', token],
      // The audit trail of commits (the fault campaign checks one per round, under non-decreasing tokens).
      ['RPUSH', this.keys.commits, JSON.stringify({ round, token, modelSha: sha, node: this.nodeId })],
      ['HSET', this.keys.round, 'round', round + 1, 'attempt', 0, 'phase', 'waiting-for-clients', 'startedAt', 0, 'deadline', 0, 'partials', '', 'trafficAtStart', ''],
      ...this.keys.roundKeys(round).map((k): FencedCommand => ['DEL', k]),
    ];
    if (commit.strategyState !== undefined) commands.push(['HSET', this.keys.committed, 'strategyState', JSON.stringify(commit.strategyState)]);
    if (previousModelSha && previousModelSha !== sha) commands.push(['DEL', this.keys.model(previousModelSha)]);
    await fencedExec(this.redis, this.keys, token, commands);
    await this.markDurable(token, round);
    return `${this.description} ${this.keys.committed} (round ${round})`;
  }

  /**
   * Fenced, once replicas hold the commit of `round`: marks it durable, so the nodes adopt it. Throws FencedError when
   * a failover lost the commit (the next leader runs the round again; nobody was sent its result).
   */
  async markDurable(token: number, round: number): Promise<void> {
    const there = await this.acks.confirm(async (r) => (await r.hget(this.keys.committed, 'round')) === String(round));
    if (!there) throw new FencedError(token, `the commit of round ${round} was lost by a Redis failover before a replica had it`);
    await fencedExec(this.redis, this.keys, token, [['HSET', this.keys.committed, 'durable', round]]);
  }

  /**
   * Records the update, then waits until replicas hold it and checks that the primary (after any failover) still
   * does; one lost by a failover is recorded again, under the same checks of the round state.
   */
  async recordUpdate(update: ClientUpdate, baseSha256: string, digest: string): Promise<RecordResult> {
    for (;;) {
      let result: RecordResult;
      try {
        result = await this.recordOnce(update, baseSha256, digest);
      } catch (e) {
        // The script may or may not have run (its reply was lost): running it again is safe, a resend is a duplicate.
        if (!isTransientRedisError(e)) throw e;
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      if (result.status !== 'recorded' && result.status !== 'duplicate') return result;
      if (await this.acks.confirm((r) => this.holds(r, update.round, update.clientId, digest))) return result;
      this.log(`round ${update.round}: the update of ${update.clientId} was lost by a Redis failover before a replica had it; recording it again`);
    }
  }

  /**
   * Whether the primary `redis` talks to holds the update: recorded for its round, or (the leader was quicker than the
   * replicas' answer) counted in the round's committed summary.
   */
  private async holds(redis: Redis, round: number, clientId: string, digest: string): Promise<boolean> {
    if ((await redis.hget(this.keys.digests(round), clientId)) === digest) return true;
    const [committedRound, history] = await redis.hmget(this.keys.committed, 'round', 'history');
    if (Number(committedRound ?? 0) < round || !history) return false;
    const summary = z.array(storedRoundSummarySchema).parse(JSON.parse(history)).find((h) => h.round === round);
    return summary !== undefined && (summary.participants.includes(clientId) || (summary.excluded ?? []).some((e) => e.clientId === clientId));
  }

  private async recordOnce(update: ClientUpdate, baseSha256: string, digest: string): Promise<RecordResult> {
    const r = update.round;
    const owner: UpdateOwner = { node: this.nodeId, numExamples: update.numExamples };
    const reply = (await this.redis.eval(
      RECORD_UPDATE,
      5,
      this.keys.round,
      this.keys.sampled(r),
      this.keys.digests(r),
      this.keys.updates(r),
      this.keys.owners(r),
      String(r),
      update.clientId,
      digest,
      Buffer.from(encodeEntry(update, baseSha256)),
      JSON.stringify(owner),
    )) as string[];
    switch (reply[0]) {
      case 'recorded':
      case 'duplicate':
      case 'different':
        return { status: reply[0] };
      case 'WRONG_ROUND':
      case 'NOT_SAMPLED':
        return { status: 'refused', code: reply[0], reason: reply[1] };
      default:
        throw new Error(`unexpected reply from Redis when recording an update: ${JSON.stringify(reply)}`);
    }
  }

  async removeUpdate(round: number, clientId: string): Promise<void> {
    await this.redis.multi().hdel(this.keys.updates(round), clientId).hdel(this.keys.digests(round), clientId).hdel(this.keys.owners(round), clientId).exec();
  }

  /** clientId → owner of every update recorded for `round`. */
  async owners(round: number): Promise<Map<string, UpdateOwner>> {
    const raw = await this.redis.hgetall(this.keys.owners(round));
    return new Map(Object.entries(raw).map(([id, json]) => [id, ownerSchema.parse(JSON.parse(json))]));
  }

  /** Also says how many bytes were read from Redis (the leader's cost of flat aggregation). */
  async loadUpdates(round: number, baseSha256: string, only?: readonly string[]): Promise<{ entries: JournalEntry[]; problems: string[]; bytes: number }> {
    const key = this.keys.updates(round);
    const pairs: [string, Buffer | null][] = only
      ? (await this.redis.hmgetBuffer(key, ...only)).map((b, i) => [only[i], b])
      : Object.entries(await this.redis.hgetallBuffer(key));
    const entries: JournalEntry[] = [];
    const problems: string[] = [];
    const total = pairs.reduce((n, [, b]) => n + (b?.length ?? 0), 0);
    for (const [clientId, bytes] of pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const path = `${key} ${clientId}`;
      if (!bytes) {
        problems.push(`${path}: missing`);
        continue;
      }
      try {
        const { header, message } = decodeEntry(new Uint8Array(bytes));
        if (header.clientId !== clientId || message.clientId !== clientId) throw new Error(`holds client ${header.clientId}'s update`);
        if (header.round !== round || message.round !== round) throw new Error(`holds an update for round ${message.round}`);
        if (header.baseModelSha256 !== baseSha256) throw new Error('was trained on a different global model');
        entries.push({ clientId, labelHistogram: header.labelHistogram, message, path });
      } catch (e) {
        problems.push(`${path}: ${(e as Error).message}`);
      }
    }
    return { entries, problems, bytes: total };
  }

  /** A round's keys go when it is committed (commitRound): nothing else to discard. */
  async discardUpdatesBut(): Promise<void> {}

  async discardUpdatesThrough(): Promise<void> {}

  private requireFence(): number {
    const token = this.fence();
    if (token === undefined) throw new Error('only the leader commits rounds (internal error: no fencing token)');
    return token;
  }
}
