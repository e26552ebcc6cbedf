// One node of a cluster: several FederationServer processes sharing one federation through Redis. Every node takes
// clients, admits their updates into Redis, and sends its own clients their tasks and results from the shared round
// state (read on every hint from another node and every poll, so a lost hint only delays). One node at a time also
// leads (cluster-leader.ts): it holds a lease in Redis and renews it; when it dies, another node takes the lease
// within about leaseMs and resumes the round from Redis.
import type { Redis } from 'ioredis';
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { weightsSha256 } from '../checkpoint/update-journal.js';
import { RejectionTally } from '../rounds/rejection-tally.js';
import type { SubmitResult } from '../rounds/round-coordinator.js';
import type { AdmissionGate } from '../admission/update-admission.js';
import { encodePartial, fusedPartial, partialSum, type PartialAggregate } from '../aggregation/partial-aggregation.js';
import { RedisStore } from '../store/redis-store.js';
import type { ClientUpdate } from '../strategies/strategy.js';
import { ClusterKeys, FencedError } from './cluster-keys.js';
import type { ClusterHost } from './cluster-host.js';
import { ClusterLeader, type LeaderSettings } from './cluster-leader.js';
import { LeaderLease } from './leader-lease.js';
import { Membership, type NodeStatus } from './membership.js';
import { checkDurability, closeRedis, connectRedis, describeRedis, dropRedis } from './redis-connection.js';
import { isTransientRedisError, ReplicaAcks } from './replica-acks.js';
import { RoundState, type RoundView } from './round-state.js';

/** A node as the dashboard shows it. */
export interface ClusterNodeStatus extends NodeStatus {
  leader: boolean;
  clients: number;
}

const INITIAL_COMMIT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'round', 0, 'modelSha', ARGV[1], 'history', '[]', 'configHash', ARGV[2], 'durable', 0)
redis.call('HSET', KEYS[2], 'round', 1, 'attempt', 0, 'phase', 'waiting-for-clients', 'startedAt', 0, 'deadline', 0, 'partials', '')
return 1`;

export class ClusterNode implements AdmissionGate {
  readonly keys: ClusterKeys;
  readonly store: RedisStore;
  private readonly roundState: RoundState;
  private readonly membership: Membership;
  private readonly lease: LeaderLease;
  private view: RoundView;
  private leader: ClusterLeader | undefined;
  private adoptedRound = -1;
  /** Per local client: the task (round:deadline) it was last sent. */
  private sentTasks = new Map<string, string>();
  /** This round's updates admitted here, for this node's pre-aggregate. */
  private localUpdates = new Map<string, ClientUpdate>();
  private rejections = new RejectionTally();
  private partialWritten = 0;
  private viewRound = 0;
  private syncing: Promise<void> | undefined;
  private syncAgain = false;
  private timers: ReturnType<typeof setInterval>[] = [];
  private lastRenewedAt = 0;
  private stopped = false;
  private redisDown = false;
  private nodesCache: ClusterNodeStatus[] = [];
  private emitHint: (kind: string) => void = () => {};
  private readonly finishedWaiters: { resolve: (h: unknown) => void; reject: (e: Error) => void }[] = [];
  private finishedValue: { ok: true } | { ok: false; error: Error } | undefined;

  private readonly acks: ReplicaAcks;

  private constructor(
    private readonly redis: Redis,
    /** The replica-ack connection (WAIT blocks it; see replica-acks.ts). */
    private readonly ackRedis: Redis,
    private readonly host: ClusterHost,
    private readonly settings: LeaderSettings,
    private readonly url: string,
  ) {
    const c = settings.cluster;
    this.keys = new ClusterKeys(c.federation);
    this.acks = new ReplicaAcks(ackRedis, this.keys.replicaMark, c, (line) => host.log(line));
    this.store = new RedisStore(redis, this.keys, c.nodeId, url, () => this.leader?.token, this.acks, (line) => host.log(line));
    this.roundState = new RoundState(redis, this.keys);
    this.membership = new Membership(redis, this.keys, c.nodeId, c.leaseMs);
    this.lease = new LeaderLease(redis, this.keys, c.nodeId, c.leaseMs);
    this.view = emptyView();
  }

  /**
   * Connects to Redis and checks it before anything listens: reachable, AOF with fsync always, and the federation's
   * settings the same as this node's. The first node of a federation commits its initial model as round 0.
   */
  static async connect(host: ClusterHost, settings: LeaderSettings, initialModel: ModelState): Promise<ClusterNode> {
    const c = settings.cluster;
    const redis = await connectRedis(c);
    let ackRedis: Redis | undefined;
    try {
      await checkDurability(redis, describeRedis(c));
      ackRedis = await connectRedis(c);
      const node = new ClusterNode(redis, ackRedis, host, settings, describeRedis(c));
      await node.joinFederation(initialModel);
      return node;
    } catch (e) {
      dropRedis(redis);
      if (ackRedis) dropRedis(ackRedis);
      throw e;
    }
  }

  private async joinFederation(initialModel: ModelState): Promise<void> {
    const hash = this.host.configHash();
    const set = await this.redis.set(this.keys.config, hash, 'NX');
    if (set === null) {
      const existing = await this.redis.get(this.keys.config);
      if (existing !== hash) {
        throw new Error(
          `node ${this.settings.cluster.nodeId}: federation "${this.settings.cluster.federation}" in Redis at ${this.url} was started with another model, strategy, seed or training config; ` +
            `give every node the same config, or this node another cluster.federation`,
        );
      }
    }
    const sha = await this.store.saveModel(initialModel);
    await this.redis.eval(INITIAL_COMMIT, 2, this.keys.committed, this.keys.round, sha, hash);
  }

  /** Starts heartbeats, the lease campaign and the state polling; `hints` carries messages between nodes. */
  async start(advertisedUrl: string, hints: { emit(kind: string): void; on(listener: (kind: string) => void): void }): Promise<void> {
    this.emitHint = (kind) => hints.emit(kind);
    hints.on(() => this.onHint());
    this.redis.on('close', () => {
      if (this.redisDown || this.stopped) return;
      this.redisDown = true;
      this.host.log(`Redis at ${this.url} unreachable (connection closed); waiting for it (acks wait until it is back)`);
    });
    this.redis.on('ready', () => {
      if (!this.redisDown) return;
      this.redisDown = false;
      this.host.log(`Redis at ${this.url} reachable again`);
      void this.sync();
    });
    await this.membership.register({ url: advertisedUrl, startedAt: Date.now() });
    await this.sync();
    const leaseMs = this.settings.cluster.leaseMs;
    const every = (ms: number, fn: () => Promise<void>) => {
      const t = setInterval(() => {
        if (!this.stopped) fn().catch((e: Error) => this.host.log(`cluster: ${e.message}`));
      }, ms);
      this.timers.push(t);
    };
    every(Math.max(100, Math.floor(leaseMs / 3)), () => this.campaign());
    every(Math.max(100, Math.min(500, Math.floor(leaseMs / 6))), () => this.poll());
    await this.campaign();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    const leader = this.leader;
    this.leader = undefined;
    leader?.stop();
    // Handing back the lease now saves the others a lease time; with Redis gone the keys expire by themselves.
    const cleanup = (async () => {
      if (leader) await this.lease.release(leader.token);
      for (const id of this.host.localClients()) await this.membership.clientLeft(id);
      await this.membership.leave();
    })().catch(() => {});
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([cleanup, new Promise((r) => (timer = setTimeout(r, 1000)))]);
    clearTimeout(timer);
    await Promise.all([closeRedis(this.redis), closeRedis(this.ackRedis)]);
  }

  get nodeId(): string {
    return this.settings.cluster.nodeId;
  }

  /** The connection the shared limits use (shared-limits.ts): the node's own, so they fail over with it. */
  get limitsConnection(): Redis {
    return this.redis;
  }

  /** Whether this node's Redis connection is up (updates can be recorded and acked). */
  get redisReachable(): boolean {
    return this.redis.status === 'ready' && !this.stopped;
  }

  get isLeader(): boolean {
    return this.leader !== undefined;
  }

  get currentRound(): number {
    return Math.min(this.view.round, this.settings.rounds + 1);
  }

  get phase(): string {
    if (this.finishedValue?.ok) return 'finished';
    return this.leader?.phase ?? this.view.phase;
  }

  /** Every node of the federation, alive or not, and which one leads (refreshed with the heartbeats). */
  get nodes(): readonly ClusterNodeStatus[] {
    return this.nodesCache;
  }

  /** Resolves when the last round is committed, rejects when the federation failed. */
  finished(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.finishedValue) return this.finishedValue.ok ? resolve() : reject(this.finishedValue.error);
      this.finishedWaiters.push({ resolve: () => resolve(), reject });
    });
  }

  /** The task a local client is due now, if any (after a reconnect, or a probe-set request). */
  dueTask(clientId: string): { round: number; deadline: number } | undefined {
    const v = this.view;
    if (v.phase !== 'training' || !v.sampled.has(clientId) || v.answered.has(clientId)) return undefined;
    return { round: v.round, deadline: v.deadline };
  }

  // ---- admission gate ----------------------------------------------------------------------------------------

  checkUpdate(clientId: string, round: number): SubmitResult {
    const v = this.view;
    if (round === v.round && v.answered.has(clientId)) return { status: 'duplicate' };
    if (round !== v.round || v.phase !== 'training') {
      const reason =
        round === v.round
          ? `round ${round} is not accepting updates (phase ${v.phase})`
          : `update is for round ${round}, but the current round is ${v.round}` + (v.phase === 'training' ? '' : ` (phase ${v.phase})`);
      return { status: 'rejected', code: 'WRONG_ROUND', reason };
    }
    if (!v.sampled.has(clientId)) return { status: 'rejected', code: 'NOT_SAMPLED', reason: `client ${clientId} was not sampled for round ${round}` };
    return { status: 'accepted' };
  }

  /**
   * After Redis recorded the update (RedisStore.recordUpdate, which checked the round atomically with the write): it
   * counts, whatever this node's view says by now; the leader hears of it.
   */
  submitUpdate(clientId: string, round: number, update: ClientUpdate): SubmitResult {
    if (round !== this.view.round) return { status: 'accepted' };
    (this.view.answered as Set<string>).add(clientId);
    if (this.settings.cluster.aggregation === 'hierarchical') this.localUpdates.set(clientId, update);
    this.emitHint('accepted');
    if (this.leader) void this.leader.poll().catch(() => {});
    return { status: 'accepted' };
  }

  noteRejected(clientId: string, code: string, reason: string, offence: boolean): number {
    const n = this.rejections.add(clientId, code, reason, offence);
    const round = this.view.round;
    void this.roundState.saveRejections(round, this.nodeId, this.rejections).catch(() => {});
    return n;
  }

  // ---- clients -----------------------------------------------------------------------------------------------

  async clientJoined(clientId: string, numSamples: number): Promise<void> {
    await this.membership.clientJoined(clientId, numSamples);
    this.sentTasks.delete(clientId);
    this.emitHint('joined');
    if (this.leader) void this.leader.poll().catch(() => {});
    this.sendDueTasks();
  }

  async clientLeft(clientId: string): Promise<void> {
    this.sentTasks.delete(clientId);
    await this.membership.clientLeft(clientId);
    this.emitHint('left');
  }

  // ---- shared state ------------------------------------------------------------------------------------------

  private onHint(): void {
    void this.sync();
    if (this.leader) void this.leader.poll().catch((e: Error) => this.host.log(`cluster: ${e.message}`));
  }

  private async poll(): Promise<void> {
    await this.sync();
    await this.leader?.poll();
  }

  /** Reads the shared state and acts on what changed; concurrent calls collapse into one more run. */
  sync(): Promise<void> {
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      try {
        do {
          this.syncAgain = false;
          await this.syncOnce();
        } while (this.syncAgain && !this.stopped);
      } catch (e) {
        if (!this.stopped) this.host.log(`cluster: could not read the shared state: ${(e as Error).message}`);
      } finally {
        this.syncing = undefined;
      }
    })();
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    const v = await this.roundState.read();
    if (this.stopped) return;
    if (v.phase === 'failed') return this.settle({ ok: false, error: new Error(`the federation failed in round ${v.round} (see the leader's log)`) });
    if (v.committed > this.adoptedRound) await this.adoptCommitted(v.committed);
    const previous = this.view;
    if (v.round !== this.viewRound) {
      this.viewRound = v.round;
      this.sentTasks = new Map();
      this.localUpdates = new Map();
      this.rejections = new RejectionTally();
    }
    this.view = v;
    // Training closed: this node's traffic for the round is complete; tell Redis now rather than at the next heartbeat.
    if (v.phase === 'aggregating' && previous.phase !== 'aggregating') void this.membership.heartbeat(this.host.traffic()).catch(() => {});
    if (v.phase !== previous.phase || v.round !== previous.round) {
      this.host.events.phase({ phase: v.phase as Parameters<ClusterHost['events']['phase']>[0]['phase'], round: v.round });
    }
    if (v.phase === 'training' && (v.attempt !== previous.attempt || v.round !== previous.round)) {
      this.host.events.roundStarted({ round: v.round, attempt: v.attempt, sampled: [...v.sampled].sort(), deadlineUnixMs: v.deadline });
    }
    this.sendDueTasks();
    if (v.partials && v.partials.round === v.round && this.partialWritten !== v.round && !this.leader) {
      this.partialWritten = v.round;
      void this.writePartial(v.round, v.partials.weights).catch((e: Error) => {
        this.partialWritten = 0;
        this.host.log(`round ${v.round}: could not write this node's pre-aggregate: ${e.message}`);
      });
    }
  }

  /** Adopts the committed round if it is `durable` (a later commit read meanwhile waits for its own durable mark). */
  private async adoptCommitted(durable: number): Promise<void> {
    const committed = await this.store.loadCommitted();
    if (!committed || committed.round <= this.adoptedRound || committed.round > durable) return;
    const final = committed.round >= this.settings.rounds;
    const first = this.adoptedRound < 0;
    await this.host.adopt(committed, final);
    if (!first) {
      for (const summary of committed.history.filter((h) => h.round > this.adoptedRound)) this.host.events.roundFinished(summary);
    }
    this.adoptedRound = committed.round;
    if (final) this.settle({ ok: true });
  }

  private settle(value: { ok: true } | { ok: false; error: Error }): void {
    if (this.finishedValue) return;
    this.finishedValue = value;
    for (const w of this.finishedWaiters.splice(0)) {
      if (value.ok) w.resolve(undefined);
      else w.reject(value.error);
    }
  }

  /** Sends the current attempt's task to every local client that owes an update and has not been sent it. */
  private sendDueTasks(): void {
    const v = this.view;
    if (v.phase !== 'training') return;
    const task = `${v.round}:${v.deadline}`;
    for (const id of this.host.localClients()) {
      if (!v.sampled.has(id) || v.answered.has(id) || this.sentTasks.get(id) === task) continue;
      this.sentTasks.set(id, task);
      this.host.sendTask(id, v.round, v.deadline);
    }
  }

  // ---- hierarchical aggregation ------------------------------------------------------------------------------

  private async writePartial(round: number, weights: Record<string, number>): Promise<void> {
    const owners = await this.store.owners(round);
    const mine = new Map(Object.entries(weights).filter(([id]) => owners.get(id)?.node === this.nodeId));
    if (mine.size === 0) return;
    const { partial } = await this.computePartial(round, this.nodeId, mine);
    await this.redis.set(this.keys.partial(round, this.nodeId), encodePartial(partial));
    this.emitHint('partial');
  }

  /**
   * The pre-aggregate of the given clients' updates with the leader's weights: from this node's memory where it
   * admitted them, else from Redis (a dead node's clients, or this node after a restart).
   */
  private async computePartial(round: number, nodeId: string, weights: ReadonlyMap<string, number>): Promise<{ partial: PartialAggregate; bytesRead: number }> {
    const ids = [...weights.keys()].sort();
    const updates: ClientUpdate[] = [];
    const missing = ids.filter((id) => !(nodeId === this.nodeId && this.localUpdates.get(id)?.round === round));
    let bytesRead = 0;
    if (missing.length > 0) {
      const baseSha = weightsSha256(this.host.plan(round).ctx.global.weights);
      const { entries, problems, bytes } = await this.store.loadUpdates(round, baseSha, missing);
      bytesRead = bytes;
      const decoded = this.host.decodeRecorded(round, entries);
      for (const p of [...problems, ...decoded.problems]) this.host.log(`round ${round}: recorded update left out of node ${nodeId}'s pre-aggregate: ${p}`);
      updates.push(...decoded.updates);
    }
    for (const id of ids) if (!missing.includes(id)) updates.push(this.localUpdates.get(id)!);
    updates.sort((a, b) => (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0));
    // The leader's weights: bounded over the whole round (example-weights.ts), the same for every node.
    const weighed = updates.map((u) => ({ ...u, numExamples: weights.get(u.clientId)! }));
    const strategy = this.host.strategy;
    if (strategy.hierarchical === 'fuse') {
      const ctx = this.host.plan(round).ctx;
      const { model } = await (strategy.nodeAggregate ? strategy.nodeAggregate(ctx, weighed) : strategy.aggregate(ctx, weighed));
      return { partial: fusedPartial(nodeId, weighed, model.weights), bytesRead };
    }
    return { partial: partialSum(nodeId, weighed), bytesRead };
  }

  // ---- leadership --------------------------------------------------------------------------------------------

  private async campaign(): Promise<void> {
    const leaseMs = this.settings.cluster.leaseMs;
    await this.membership.heartbeat(this.host.traffic());
    // A node that was frozen longer than its lease (a long GC, SIGSTOP) had its clients dropped from the registry by
    // the leader, though they stayed connected to it: it registers them again.
    await this.membership.reregister(this.host.localClients());
    await this.refreshNodes();
    const leader = this.leader;
    if (leader) {
      let mine: boolean;
      try {
        mine = await this.lease.renew(leader.token);
      } catch (e) {
        // Redis unreachable: keep leading only while the lease we last renewed would still be ours.
        mine = Date.now() - this.lastRenewedAt < leaseMs;
        if (!mine) this.stepDown(`could not renew the lease for ${leaseMs} ms: ${(e as Error).message}`);
        return;
      }
      if (mine) this.lastRenewedAt = Date.now();
      else this.stepDown('the lease expired and another node took it');
      return;
    }
    const token = await this.lease.tryAcquire();
    if (token === undefined || this.stopped) return;
    this.lastRenewedAt = Date.now();
    // Lead only with a token the replicas hold: a token a failover loses could be handed out again.
    const fence = this.keys.fence;
    if (!(await this.acks.confirm(async (r) => Number(await r.get(fence)) >= token)) || this.stopped) return;
    await this.sync();
    const next = new ClusterLeader({
      redis: this.redis,
      keys: this.keys,
      store: this.store,
      roundState: this.roundState,
      membership: this.membership,
      host: this.host,
      settings: this.settings,
      token,
      hint: (kind) => {
        this.emitHint(kind);
        void this.sync();
      },
      computePartial: (round, nodeId, weights) => this.computePartial(round, nodeId, weights),
      onLost: (e) => this.onLeaderLost(next, e),
    });
    this.leader = next;
    try {
      const resumedRound = await next.start(this.view);
      this.host.log(`cluster: node ${this.nodeId} leads (fencing token ${token}), from round ${resumedRound}`);
      this.host.events.cluster({ type: 'leader', nodeId: this.nodeId, token, resumedRound });
    } catch (e) {
      this.onLeaderLost(next, e as Error);
    }
  }

  private onLeaderLost(leader: ClusterLeader, e: Error): void {
    if (this.leader !== leader) return;
    // Fenced out, or Redis dropped the connection mid-write (a failover): another leader resumes from Redis.
    if (e instanceof FencedError || e.cause instanceof FencedError || isTransientRedisError(e) || isTransientRedisError(e.cause)) return this.stepDown(e.message);
    // Anything else is a failure of the federation itself (e.g. the strategy threw): every node learns of it.
    this.settle({ ok: false, error: e });
    void this.roundState
      .phase(leader.token, this.view.round, 'failed')
      .catch(() => {})
      .then(() => {
        this.emitHint('state');
        this.stepDown(`round failed: ${e.message}`);
      });
  }

  private stepDown(reason: string): void {
    const leader = this.leader;
    if (!leader) return;
    this.leader = undefined;
    leader.stop();
    this.host.log(`cluster: node ${this.nodeId} no longer leads: ${reason}`);
    this.host.events.cluster({ type: 'follower', nodeId: this.nodeId, reason });
    void this.lease.release(leader.token).catch(() => {});
  }

  private async refreshNodes(): Promise<void> {
    const [nodes, holder, clients] = await Promise.all([this.membership.nodes(), this.lease.holder(), this.membership.clients()]);
    const perNode = new Map<string, number>();
    for (const nodeId of clients.values()) perNode.set(nodeId, (perNode.get(nodeId) ?? 0) + 1);
    this.nodesCache = nodes.map((n) => ({ ...n, leader: holder?.nodeId === n.nodeId, clients: n.alive ? perNode.get(n.nodeId) ?? 0 : 0 }));
  }
}

function emptyView(): RoundView {
  return {
    committed: 0,
    committedModelSha: undefined,
    round: 0,
    attempt: 0,
    phase: 'idle',
    startedAt: 0,
    deadline: 0,
    sampled: new Set(),
    answered: new Set(),
    partials: undefined,
  };
}
