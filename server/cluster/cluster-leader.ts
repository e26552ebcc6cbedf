// The node that holds the lease runs the round coordinator for the whole cluster. It starts from what Redis holds —
// the last committed round, the round in progress (its attempt, sampled clients and deadline) and the updates
// recorded for it — so a new leader resumes a round rather than restarting it: no recorded update is lost and no
// client is asked to train again. Its hooks write the round state (fenced by its token) instead of sending tasks:
// every node sends its own clients their tasks and results from that state.
import type { Redis } from 'ioredis';
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { RoundCoordinator, type CoordinatorEvent, type RoundOutcome, type RoundSettings } from '../rounds/round-coordinator.js';
import type { StoredRoundSummary } from '../rounds/round-summary-schema.js';
import { aggregationSummary, offendersOf } from '../rounds/round-summary.js';
import { bansAt, type BanSettings } from '../defence/client-bans.js';
import { guardedAggregate, type RoundAggregation } from '../aggregation/aggregate-round.js';
import { screensUpdates } from '../defence/screening-options.js';
import { boundExampleWeights, type ExampleWeightSettings } from '../defence/example-weights.js';
import { averageOfPartials, decodePartial, partialAsUpdate, type PartialAggregate } from '../aggregation/partial-aggregation.js';
import { isStateful } from '../strategies/index.js';
import { weightsSha256 } from '../checkpoint/update-journal.js';
import type { RedisStore, UpdateOwner } from '../store/redis-store.js';
import type { CommittedRound } from '../store/federation-store.js';
import type { ClusterKeys } from './cluster-keys.js';
import type { ClusterHost } from './cluster-host.js';
import type { Membership } from './membership.js';
import type { RoundState, RoundView } from './round-state.js';
import type { ClusterSettings } from './cluster-options.js';

export interface LeaderSettings extends RoundSettings {
  exampleWeights: ExampleWeightSettings;
  cluster: ClusterSettings;
  bans?: BanSettings;
}

export interface LeaderDeps {
  redis: Redis;
  keys: ClusterKeys;
  store: RedisStore;
  roundState: RoundState;
  membership: Membership;
  host: ClusterHost;
  settings: LeaderSettings;
  token: number;
  /** Tells the other nodes to read the shared state now (they also poll it). */
  hint(kind: string): void;
  /** A node's pre-aggregate of the given clients' updates (this node's, or a dead node's, computed here). */
  computePartial(round: number, nodeId: string, weights: ReadonlyMap<string, number>): Promise<{ partial: PartialAggregate; bytesRead: number }>;
  /** The leader stopped: fenced out (another node leads), or the federation failed. */
  onLost(e: Error): void;
}

interface LeaderResult {
  aggregation: RoundAggregation;
  model: ModelState;
  evaluation?: { accuracy: number; loss: number };
  summary?: StoredRoundSummary;
}

const PARTIAL_POLL_MS = 50;

export class ClusterLeader {
  private coordinator: RoundCoordinator<UpdateOwner, LeaderResult> | undefined;
  private committed!: CommittedRound;
  /** Fenced writes in the order the coordinator decided them. */
  private writes: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly deps: LeaderDeps) {}

  get token(): number {
    return this.deps.token;
  }

  get phase(): string | undefined {
    return this.coordinator?.phase;
  }

  /** Takes over from what Redis holds. Returns the round it resumes. */
  async start(view: RoundView): Promise<number> {
    const { store, host, settings } = this.deps;
    const committed = await store.loadCommitted();
    if (!committed) throw new Error('no committed round in Redis (internal error: the node commits round 0 at start)');
    // A commit whose leader died before marking it durable: nobody was sent it yet; it counts once replicas hold it.
    if (view.committed < committed.round) await store.markDurable(this.deps.token, committed.round);
    this.committed = committed;
    this.committedModelSha = weightsSha256(committed.model.weights);
    if (committed.strategyState !== undefined && isStateful(host.strategy)) host.strategy.importState(committed.strategyState);
    const firstRound = committed.round + 1;
    const coordinator = new RoundCoordinator<UpdateOwner, LeaderResult>({
      rounds: settings.rounds,
      firstRound,
      minClients: settings.minClients,
      clientsPerRound: settings.clientsPerRound,
      minUpdates: settings.minUpdates,
      deadlineMs: settings.deadlineMs,
      seed: settings.seed,
      eligible: settings.bans ? (clientId, round) => !bansAt(this.committed.history, round, settings.bans!).some((b) => b.clientId === clientId) : undefined,
      hooks: {
        // Every node sends its own clients their tasks from the round state (attemptStarted below).
        sendTask: () => {},
        aggregate: (o) => this.aggregate(o),
        evaluate: async (o, r) => ({ ...r, evaluation: await host.evaluate(o.round, r.model) }),
        broadcast: (o, _final, r) => this.commit(o, r),
      },
      onEvent: (e) => this.onEvent(e),
    });
    this.coordinator = coordinator;
    coordinator.finished.catch((e: Error) => this.lost(e));
    if (firstRound <= settings.rounds && view.round === firstRound) {
      const owners = await store.owners(firstRound);
      if (owners.size > 0) coordinator.restoreUpdates(firstRound, owners);
    }
    await this.reconcileClients();
    const resumable = view.round === firstRound && view.attempt >= 1 && view.phase !== 'waiting-for-clients';
    if (firstRound <= settings.rounds && resumable) {
      host.log(`round ${firstRound}: resuming attempt ${view.attempt} (${view.answered.size} of ${view.sampled.size} sampled updates recorded, phase ${view.phase})`);
      coordinator.resume({
        attempt: view.attempt,
        sampled: [...view.sampled],
        startedAt: view.startedAt,
        deadline: view.deadline,
        trainingClosed: view.phase !== 'training',
      });
    } else {
      coordinator.start();
    }
    return firstRound;
  }

  stop(): void {
    this.stopped = true;
    this.coordinator?.stop();
  }

  /** Brings the coordinator's view of connected clients and recorded updates up to date with Redis. */
  async poll(): Promise<void> {
    await this.reconcileClients();
    const c = this.coordinator;
    if (!c || c.phase !== 'training') return;
    const round = c.currentRound;
    for (const [clientId, owner] of await this.deps.store.owners(round)) {
      if (c.currentRound === round && c.phase === 'training') c.submitUpdate(clientId, round, owner);
    }
  }

  /** Clients registered at a live node are connected; those of dead nodes are dropped from the registry. */
  private async reconcileClients(): Promise<void> {
    const { membership } = this.deps;
    const c = this.coordinator;
    if (!c) return;
    const [clients, nodes] = await Promise.all([membership.clients(), membership.nodes()]);
    const alive = new Set(nodes.filter((n) => n.alive).map((n) => n.nodeId));
    const connected = new Set<string>();
    for (const [clientId, nodeId] of clients) {
      if (alive.has(nodeId)) connected.add(clientId);
      else await membership.clientLeft(clientId, nodeId);
    }
    if (this.stopped) return;
    for (const id of c.connectedClients) if (!connected.has(id)) c.clientLeft(id);
    const known = new Set(c.connectedClients);
    for (const id of [...connected].sort()) if (!known.has(id)) c.clientJoined(id);
  }

  private onEvent(e: CoordinatorEvent<LeaderResult>): void {
    const { roundState, host, token } = this.deps;
    switch (e.type) {
      case 'log':
        host.log(e.line);
        break;
      case 'round-started':
        host.log(`round ${e.round}: attempt ${e.attempt}, tasks to ${e.sampled.join(', ')}`);
        this.write(async () => {
          const trafficAtStart = e.attempt === 1 ? await this.deps.membership.traffic() : undefined;
          await roundState.attemptStarted(token, {
            round: e.round,
            attempt: e.attempt,
            sampled: e.sampled,
            startedAt: this.coordinatorStartedAt(e.deadline),
            deadline: e.deadline,
            trafficAtStart,
          });
        });
        break;
      case 'round-retried':
        host.events.roundRetried({ round: e.round, attempt: e.attempt, received: e.received, needed: e.needed });
        break;
      case 'phase':
        // 'training' is written with its attempt; the others close admission or tell the dashboards.
        if (e.phase !== 'training' && e.phase !== 'sampling' && e.phase !== 'idle' && e.phase !== 'stopped') {
          this.write(() => roundState.phase(token, e.round, e.phase));
        }
        break;
      case 'round-finished':
      case 'training-closed':
        break;
    }
  }

  private coordinatorStartedAt(deadline: number): number {
    return deadline - this.deps.settings.deadlineMs;
  }

  private write(fn: () => Promise<void>): void {
    this.writes = this.writes.then(async () => {
      if (this.stopped) return;
      await fn();
      this.deps.hint('state');
    });
    this.writes.catch((e: Error) => this.lost(e));
  }

  private lost(e: Error): void {
    if (this.stopped) return;
    this.stop();
    this.deps.onLost(e);
  }

  private async aggregate(outcome: RoundOutcome<UpdateOwner>): Promise<LeaderResult> {
    const { store, roundState, membership, host, settings, token } = this.deps;
    const round = outcome.round;
    await this.writes;
    // From here no node records another update for the round: what Redis holds now is exactly what was acked.
    await roundState.phase(token, round, 'aggregating');
    this.deps.hint('state');
    const owners = await store.owners(round);
    const declared = await membership.declared();
    const hierarchical = settings.cluster.aggregation === 'hierarchical' && host.strategy.hierarchical !== undefined && !screensUpdates(host.screening);
    const started = performance.now();
    if (!hierarchical) {
      const { entries, problems, bytes } = await store.loadUpdates(round, this.committedModelSha);
      const decoded = host.decodeRecorded(round, entries);
      for (const p of [...problems, ...decoded.problems]) host.log(`round ${round}: recorded update left out: ${p}`);
      const aggregation = await host.aggregate(round, decoded.updates, declared);
      host.events.cluster({ type: 'aggregated', round, mode: 'flat', updatesRead: entries.length, partialsRead: 0, bytesFromRedis: bytes, computedForNodes: [] });
      return { aggregation, model: aggregation.model };
    }
    const bounded = boundExampleWeights([...owners].map(([clientId, o]) => ({ clientId, numExamples: o.numExamples })), declared, settings.exampleWeights);
    for (const c of bounded.capped) host.log(`round ${round}: weighed the update of ${c.clientId} as ${c.weighed} examples (it claimed ${c.claimed}; capped at ${c.reason})`);
    const weights = new Map(bounded.updates.map((u) => [u.clientId, u.numExamples]));
    await roundState.requestPartials(token, { round, weights: Object.fromEntries(weights) });
    this.deps.hint('partials');
    const { partials, bytes, read, computedForNodes } = await this.collectPartials(round, owners, weights);
    const plan = host.plan(round);
    const kind = host.strategy.hierarchical!;
    const pseudo =
      kind === 'average'
        ? [partialAsUpdate({ ...partials[0], weight: partials.reduce((n, p) => n + p.weight, 0), nodeId: 'cluster', labelHistogram: [] }, round, averageOfPartials(partials))]
        : partials.map((p) => partialAsUpdate(p, round, p.tensors.map((t) => ({ name: t.name, shape: t.shape, values: Float32Array.from(t.values) }))));
    const { model, fusion, guard } = await guardedAggregate(host.strategy, plan.ctx, pseudo, host.screening);
    const aggregation: RoundAggregation = {
      model,
      ...(fusion ? { fusion } : {}),
      participants: [...weights.keys()].sort(),
      excluded: [],
      spared: [],
      capped: bounded.capped,
      guard,
      seconds: (performance.now() - started) / 1000,
    };
    host.log(`round ${round}: combined ${partials.length} node pre-aggregates of ${weights.size} updates in ${aggregation.seconds.toFixed(2)} s${fusion ? ` (${fusion.path})` : ''}`);
    host.events.cluster({ type: 'aggregated', round, mode: 'hierarchical', updatesRead: 0, partialsRead: read, bytesFromRedis: bytes, computedForNodes });
    return { aggregation, model };
  }

  /**
   * Each node's pre-aggregate: read from Redis once the node wrote it; computed here (from the updates in Redis)
   * for this node, for nodes that are not alive, and for nodes that did not answer within partialTimeoutMs.
   */
  private async collectPartials(
    round: number,
    owners: ReadonlyMap<string, UpdateOwner>,
    weights: ReadonlyMap<string, number>,
  ): Promise<{ partials: PartialAggregate[]; bytes: number; read: number; computedForNodes: string[] }> {
    const { redis, keys, membership, settings } = this.deps;
    const byNode = new Map<string, Map<string, number>>();
    for (const [clientId, o] of owners) {
      if (!weights.has(clientId)) continue;
      if (!byNode.has(o.node)) byNode.set(o.node, new Map());
      byNode.get(o.node)!.set(clientId, weights.get(clientId)!);
    }
    const partials: PartialAggregate[] = [];
    const computedForNodes: string[] = [];
    let bytes = 0;
    let read = 0;
    const computeHere = async (nodeId: string) => {
      const r = await this.deps.computePartial(round, nodeId, byNode.get(nodeId)!);
      partials.push(r.partial);
      bytes += r.bytesRead;
      if (nodeId !== membership.nodeId) computedForNodes.push(nodeId);
    };
    const pending = new Set(byNode.keys());
    if (pending.delete(membership.nodeId)) await computeHere(membership.nodeId);
    const deadline = Date.now() + settings.cluster.partialTimeoutMs;
    while (pending.size > 0) {
      if (this.stopped) throw new Error(`round ${round}: this node stopped leading while it gathered the pre-aggregates`);
      for (const nodeId of [...pending]) {
        const raw = await redis.getBuffer(keys.partial(round, nodeId));
        if (!raw) continue;
        const partial = decodePartial(raw);
        const expected = [...byNode.get(nodeId)!.keys()].sort();
        if (partial.clientIds.join('\n') !== expected.join('\n')) continue; // an older request's; wait for this one
        partials.push(partial);
        bytes += raw.length;
        read++;
        pending.delete(nodeId);
      }
      if (pending.size === 0) break;
      const alive = new Set((await membership.nodes()).filter((n) => n.alive).map((n) => n.nodeId));
      for (const nodeId of [...pending]) {
        if (alive.has(nodeId) && Date.now() < deadline) continue;
        this.deps.host.log(`round ${round}: computing node ${nodeId}'s pre-aggregate here (${alive.has(nodeId) ? `no answer within ${settings.cluster.partialTimeoutMs} ms` : 'the node is gone'})`);
        pending.delete(nodeId);
        await computeHere(nodeId);
      }
      if (pending.size > 0) await new Promise((r) => setTimeout(r, PARTIAL_POLL_MS));
    }
    partials.sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
    return { partials, bytes, read, computedForNodes };
  }

  /** sha256 of the committed model: the global model of the round being run (recorded updates name it). */
  private committedModelSha = '';

  private async commit(outcome: RoundOutcome<UpdateOwner>, result: LeaderResult): Promise<LeaderResult> {
    const { store, roundState, membership, host } = this.deps;
    const round = outcome.round;
    const a = result.aggregation;
    const sampled = await this.deps.redis.smembers(this.deps.keys.sampled(round));
    const participants = new Set(a.participants);
    const excluded = new Set(a.excluded.map((e) => e.clientId));
    // From the round's start to its commit (the previous leader's start, after a failover); nodes report their
    // traffic with their heartbeats, so these figures are up to leaseMs / 3 late.
    await membership.heartbeat(host.traffic());
    const traffic = await membership.traffic();
    const atStart = (await roundState.trafficAtStart(round)) ?? traffic;
    const { rejected, offenders } = await roundState.rejections(round);
    const summary: StoredRoundSummary = {
      round,
      participants: a.participants,
      stragglers: sampled.filter((id) => !participants.has(id) && !excluded.has(id)).sort(),
      rejected,
      excluded: a.excluded,
      offenders: offendersOf(offenders, a.excluded),
      ...(result.evaluation ? { accuracy: result.evaluation.accuracy, loss: result.evaluation.loss } : {}),
      // Never below 0, whatever a restarted node reported (a negative count would fail every node's read of it).
      bytesSent: Math.max(0, traffic.bytesSent - atStart.bytesSent),
      bytesReceived: Math.max(0, traffic.bytesReceived - atStart.bytesReceived),
      seconds: (Date.now() - outcome.startedAt) / 1000,
      ...aggregationSummary(a),
    };
    if (this.deps.settings.bans) summary.banned = bansAt([...this.committed.history, summary], round + 1, this.deps.settings.bans);
    const history = [...this.committed.history, summary];
    const strategy = host.strategy;
    await this.writes;
    const previousSha = this.committedModelSha;
    await store.commitRound(round, result.model, { history, configHash: host.configHash(), strategyState: isStateful(strategy) ? strategy.exportState() : undefined }, previousSha);
    this.committed = { ...this.committed, round, model: result.model, history };
    this.committedModelSha = weightsSha256(result.model.weights);
    this.deps.hint('state');
    return { ...result, summary };
  }
}

