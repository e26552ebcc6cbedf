// Names of a federation's Redis keys (all under fedfuse:<federation>:) and the fenced write: the leader's writes to
// shared round state carry its fencing token and are refused once another node has taken the lease, so a leader that
// stalled (a long GC, a cut network) cannot overwrite what its successor decided.
import type { Redis } from 'ioredis';

export class ClusterKeys {
  readonly prefix: string;

  constructor(federation: string) {
    this.prefix = `fedfuse:${federation}:`;
  }

  /** Holder of the leader lease ("<nodeId> <token>", expires). */
  get lease(): string { return `${this.prefix}lease`; }
  /** Fencing counter: incremented by each new leader; its value is the current leader's token. */
  get fence(): string { return `${this.prefix}fence`; }
  /** Hash of the settings every node of the federation must share. */
  get config(): string { return `${this.prefix}config`; }
  /**
   * The last committed round: round, modelSha, history, strategyState, configHash, the committing leader's token,
   * and `durable`: the last round whose commit replicas were confirmed to hold (only that one is adopted).
   */
  get committed(): string { return `${this.prefix}committed`; }
  /** Every commit in order, JSON { round, token, modelSha, node } (an audit trail). */
  get commits(): string { return `${this.prefix}commits`; }
  /** Incremented before each WAIT for the replicas (replica-acks.ts). */
  get replicaMark(): string { return `${this.prefix}replica-mark`; }
  /** A global model by the sha256 of its weights (content-addressed, so writing one needs no fence). */
  model(sha: string): string { return `${this.prefix}model:${sha}`; }
  /** The round in progress: round, attempt, phase, startedAt, deadline, partials. */
  get round(): string { return `${this.prefix}round`; }
  /** Clients sampled in any attempt of a round. */
  sampled(round: number): string { return `${this.prefix}sampled:${round}`; }
  /** A round's accepted updates (journal entries), their digests and the node that accepted each. */
  updates(round: number): string { return `${this.prefix}updates:${round}`; }
  digests(round: number): string { return `${this.prefix}digests:${round}`; }
  owners(round: number): string { return `${this.prefix}owners:${round}`; }
  /** Per node: its tally of the round's rejected updates (JSON). */
  rejected(round: number): string { return `${this.prefix}rejected:${round}`; }
  /** A node's pre-aggregate of its own clients' updates (hierarchical aggregation). */
  partial(round: number, nodeId: string): string { return `${this.prefix}partial:${round}:${nodeId}`; }
  /** clientId → the example count it declared when it first joined (any node). */
  get declared(): string { return `${this.prefix}declared`; }
  /** clientId → the node it is connected to. */
  get clients(): string { return `${this.prefix}clients`; }
  /** nodeId → { url, startedAt } of every node that ever joined; alive(nodeId) exists while it heartbeats. */
  get nodes(): string { return `${this.prefix}nodes`; }
  alive(nodeId: string): string { return `${this.prefix}alive:${nodeId}`; }
  /** nodeId → its socket traffic so far (JSON { bytesSent, bytesReceived }). */
  get traffic(): string { return `${this.prefix}traffic`; }
  /** Keys of one round, removed once the round is committed. */
  roundKeys(round: number): string[] {
    return [this.sampled(round), this.updates(round), this.digests(round), this.owners(round), this.rejected(round)];
  }
}

/** A write refused because another node holds the lease now. */
export class FencedError extends Error {
  constructor(token: number, why = 'is no longer current (another node leads)') {
    super(`leadership lost: fencing token ${token} ${why}`);
    this.name = 'FencedError';
  }
}

/** One Redis command of a fenced batch: [command, key, ...arguments]. */
export type FencedCommand = [string, string, ...(string | number | Buffer)[]];

// KEYS[1] = fence, ARGV[1] = token, ARGV[2] = number of commands, then per command: its argument count and arguments.
const FENCED_EXEC = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return redis.error_reply('FENCED') end
local n = tonumber(ARGV[2])
local i = 3
for c = 1, n do
  local argc = tonumber(ARGV[i])
  local args = {}
  for a = 1, argc do args[a] = ARGV[i + a] end
  redis.call(unpack(args))
  i = i + argc + 1
end
return n`;

/** Runs `commands` atomically if `token` is still the current fencing token; else throws FencedError. */
export async function fencedExec(redis: Redis, keys: ClusterKeys, token: number, commands: readonly FencedCommand[]): Promise<void> {
  const argv: (string | number | Buffer)[] = [String(token), commands.length];
  for (const c of commands) argv.push(c.length, ...c);
  try {
    await redis.eval(FENCED_EXEC, 1, keys.fence, ...argv);
  } catch (e) {
    if ((e as Error).message.includes('FENCED')) throw new FencedError(token);
    throw e;
  }
}
