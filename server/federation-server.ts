// The library API of the server and its composition root: it wires the socket transport, update admission, the
// rounds (the local RoundCoordinator, or in cluster mode a node of a federation in Redis), aggregation, evaluation
// and persistence together. Everything a deployment changes comes in through FederationServerOptions.
import { EventEmitter } from 'node:events';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { TokenRegistry } from './auth/token-registry.js';
import { UpdateAdmission, type AdmissionGate } from './admission/update-admission.js';
import { decodeRecordedUpdates } from './admission/recorded-updates.js';
import { aggregateRound, type AggregationSettings, type RoundAggregation } from './aggregation/aggregate-round.js';
import { reportAggregation } from './aggregation/aggregation-report.js';
import { LocalPersistence } from './checkpoint/local-persistence.js';
import { lastModelSha256, type JournalEntry } from './checkpoint/update-journal.js';
import { parseClusterOptions, type ClusterSettings } from './cluster/cluster-options.js';
import type { ClusterHost } from './cluster/cluster-host.js';
import type { ClusterNode, ClusterNodeStatus } from './cluster/cluster-node.js';
import { ClusterRuntime, type ClusterTransportWiring } from './cluster/cluster-runtime.js';
import { escapingLog } from './logging/log-text.js';
import { bansAt, parseBanOptions, type BanSettings } from './defence/client-bans.js';
import '@fedfuse/client/internal/proto/protobuf-runtime.js';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { evaluateModel, type ModelEvaluation } from './rounds/model-evaluation.js';
import { reportCoordinatorEvent } from './rounds/coordinator-events.js';
import { RoundCoordinator, type RoundOutcome, type RoundPhase } from './rounds/round-coordinator.js';
import { RoundPlanner, type RoundPlan } from './rounds/round-planner.js';
import { roundResultMessage, roundSummary, summaryFromStore } from './rounds/round-summary.js';
import { federationConfigHash } from './store/config-hash.js';
import type { CommittedRound } from './store/federation-store.js';
import { FileStore } from './store/file-store.js';
import type { ClientUpdate } from './strategies/strategy.js';
import { ResultDelivery } from './transport/result-delivery.js';
import { SocketServer, type ClientSession } from './transport/socket-server.js';
import { RoundTraffic } from './transport/round-traffic.js';
import { TaskDispatch } from './transport/task-dispatch.js';
import { serverUrl, socketServerOptions } from './transport/transport-options.js';
import { aggregationSettings, checkProbeForStrategy, roundSettings, validateOptions, type FederationServerOptions } from './federation-options.js';
import type { EmitFederationEvent, FederationServerEvents, RoundSummary, TierRoundSummary } from './federation-events.js';
import { TierRoundModels } from './tiers/tier-round-models.js';
import { chooseTier, type TierRequest } from './tiers/model-tiers.js';
import { parseTiers } from './tiers/tier-options.js';
import type { RoundMessages } from './transport/result-delivery.js';

export type { FederationServerOptions } from './federation-options.js';
export type {
  FederationServerEvents,
  RoundSummary,
  TierRoundSummary,
  RoundStartedEvent,
  UpdateAcceptedEvent,
  UpdateRejectedEvent,
  UpdateExcludedEvent,
  RoundRetriedEvent,
  ClientErrorEvent,
  CheckpointFailedEvent,
} from './federation-events.js';

/** A round's result as it passes from aggregation to evaluation to broadcast (the coordinator's hooks return it). */
interface RoundResult {
  aggregation: RoundAggregation;
  evaluation?: ModelEvaluation;
  /** Tiered federations: the figures of each tier's model for the next round. */
  tierEvaluations?: Map<string, ModelEvaluation>;
  summary?: RoundSummary;
}

export class FederationServer extends EventEmitter<FederationServerEvents> {
  private readonly opts: FederationServerOptions;
  private readonly log: (line: string) => void;
  private readonly aggregation: AggregationSettings;
  private readonly bans: BanSettings | undefined;
  private readonly registry: TokenRegistry;
  /** Single process with a checkpointDir: checkpoints and the update journal. */
  private readonly persistence: LocalPersistence | undefined;
  private readonly clusterSettings: ClusterSettings | undefined;
  private readonly planner: RoundPlanner;
  private readonly tasks: TaskDispatch;
  private readonly results: ResultDelivery;
  private readonly admission: UpdateAdmission;
  /** Tiered federations: the tiers and the models they train each round. */
  private readonly tiering: TierRoundModels | undefined;
  /** Per client id: the example count it declared when it first joined (a later join cannot raise it). */
  private readonly declaredExamples = new Map<string, number>();
  private globalState: ModelState;
  /** sha256 of a global model's weights (what the round's updates were trained on). */
  private readonly modelSha256 = lastModelSha256();
  private history: RoundSummary[] = [];
  /** Who runs the rounds once started: the local coordinator, or (cluster mode) this node of the federation. */
  private coordinator: RoundCoordinator<ClientUpdate, RoundResult> | undefined;
  private cluster: ClusterRuntime | undefined;
  private transport: SocketServer | undefined;
  private readonly roundTraffic = new RoundTraffic();
  private firstRound = 1;
  private stopped = false;
  private readonly done: Promise<RoundSummary[]>;
  private resolveDone!: (s: RoundSummary[]) => void;
  private rejectDone!: (e: Error) => void;

  constructor(opts: FederationServerOptions) {
    super();
    validateOptions(opts);
    this.opts = opts;
    const logger = opts.logger ?? ((line: string) => console.log(`[fedfuse server] ${line}`));
    this.log = escapingLog(logger, (line) => this.safeEmit('log', line));
    this.aggregation = aggregationSettings(opts);
    this.bans = opts.bans && parseBanOptions(opts.bans, 'FederationServer option bans');
    // Banned clients connected when a round starts hear why they get no task (every node tells its own).
    this.on('round-started', (e) => this.tellBanned(e.round));
    this.registry = new TokenRegistry(opts.tokens);
    this.persistence = opts.checkpointDir
      ? new LocalPersistence({
          store: new FileStore(opts.checkpointDir, opts.checkpointWriter, opts.checkpointKey === undefined ? undefined : Buffer.from(opts.checkpointKey)),
          strategy: opts.strategy,
          initialModel: opts.initialModel,
          configHash: () => federationConfigHash(opts),
          log: this.log,
          writeFailed: (e) => this.safeEmit('checkpoint-failed', e),
        })
      : undefined;
    this.clusterSettings = opts.cluster && parseClusterOptions(opts.cluster, 'FederationServer option cluster');
    this.globalState = opts.initialModel;
    const { maxAbsWeight } = this.aggregation.screening;
    const tierModels = opts.tiers
      ? new TierRoundModels(parseTiers(opts.tiers, 'FederationServer option'), opts.initialModel, opts.strategy, { probe: opts.probe, seed: opts.seed ?? 0 })
      : undefined;
    this.tiering = tierModels;
    this.planner = new RoundPlanner({
      strategy: opts.strategy,
      training: opts.training,
      probe: opts.probe,
      seed: opts.seed ?? 0,
      ...(maxAbsWeight !== false ? { maxAbsWeight } : {}),
      ...(tierModels ? { tiers: { list: tierModels.tiers, models: (round, global) => tierModels.modelsOf(round, global) } } : {}),
    });
    this.tasks = new TaskDispatch({
      planner: this.planner,
      plan: (round) => this.planFor(round),
      probe: opts.probe,
      session: (clientId) => this.transport!.session(clientId),
      dueTask: (clientId) => (this.node ?? this.coordinator!).dueTask(clientId),
      log: this.log,
      clientError: (e) => this.safeEmit('client-error', e),
    });
    this.results = new ResultDelivery(() => this.transport);
    this.admission = new UpdateAdmission({
      gate: (): AdmissionGate => this.node ?? this.coordinator!,
      plan: (round) => this.planFor(round),
      expectations: (plan, tier) => this.planner.expectationsFor(plan, tier),
      strategy: opts.strategy,
      store: () => this.node?.store ?? this.persistence?.store,
      baseSha256: () => this.modelSha256(this.globalState),
      send: (clientId, body) => this.transport?.send(clientId, body),
      // Several nodes: an update that is not in Redis cannot reach the leader, so it is never acked.
      requireDurable: this.clusterSettings !== undefined,
      stopped: () => this.stopped,
      log: this.log,
      events: {
        accepted: (update, bytes) => this.safeEmit('update-accepted', { round: update.round, clientId: update.clientId, update, bytes }),
        rejected: (e) => this.safeEmit('update-rejected', e),
        // Only the file store reports failed writes (a failed Redis write leaves the update unacked instead).
        writeFailed: (round, e, consequence) => this.persistence?.reportWriteFailure(round, 'journal', e, consequence),
      },
    });
    this.done = new Promise((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    this.done.catch(() => {});
  }

  /** The round being run (the next one, before start; rounds + 1 once finished). */
  get currentRound(): number {
    return this.node?.currentRound ?? this.coordinator?.currentRound ?? this.firstRound;
  }

  /** The current global model. */
  get global(): ModelState {
    return this.globalState;
  }

  /** Tiered federations: the model each tier runs now (derived from the current global model), by tier name. */
  get tierModels(): ReadonlyMap<string, ModelState> | undefined {
    return this.currentTierModels();
  }

  get phase(): RoundPhase {
    return (this.node?.phase as RoundPhase | undefined) ?? this.coordinator?.phase ?? 'idle';
  }

  /** Cluster mode: the federation's nodes, alive or not, and which one leads (empty in single-process mode). */
  get clusterNodes(): readonly ClusterNodeStatus[] {
    return this.node?.nodes ?? [];
  }

  /** Bytes over this server's sockets since it started (frames included). */
  get traffic(): { bytesSent: number; bytesReceived: number } {
    return this.transport?.traffic ?? { bytesSent: 0, bytesReceived: 0 };
  }

  /** Ids of the clients connected right now. */
  get connectedClients(): string[] {
    return this.transport?.clientIds ?? [];
  }

  async start(): Promise<{ port: number; url: string; resumedFromRound: number }> {
    if (this.coordinator || this.transport) throw new Error('FederationServer.start() was already called');
    await initBackend();
    if (this.clusterSettings) return this.startClusterNode(this.clusterSettings);
    const opts = this.opts;
    const resumed = await this.persistence?.resume();
    if (resumed) {
      this.globalState = resumed.model;
      this.history = resumed.history;
    }
    const resumedFromRound = resumed?.round ?? 0;
    this.firstRound = resumedFromRound + 1;
    await this.tiering?.derive(this.firstRound, this.globalState);
    await this.planner.refreshLevelShapes(this.globalState);
    checkProbeForStrategy(opts);
    this.checkLevels(this.firstRound);
    const persistence = this.persistence;
    const coordinator = new RoundCoordinator<ClientUpdate, RoundResult>({
      ...roundSettings(opts),
      firstRound: this.firstRound,
      eligible: this.bans ? (clientId, round) => !this.bannedIn(round).has(clientId) : undefined,
      hooks: {
        sendTask: (clientId, round, deadline) => this.tasks.send(clientId, round, deadline),
        aggregate: (o) => this.aggregate(o),
        evaluate: opts.evaluate ? (o, r) => this.evaluate(o, r) : undefined,
        broadcast: (o, final, r) => this.broadcast(o, final, r),
        checkpoint: persistence ? (o) => persistence.checkpoint(o.round, this.globalState, this.history) : undefined,
      },
      onEvent: (e) => reportCoordinatorEvent(e, this.log, this.safeEmit),
    });
    this.coordinator = coordinator;
    this.transport = this.createTransport();
    await this.restoreJournal(coordinator);
    const { port } = await this.transport.listen();
    this.settleWhen(coordinator.finished);
    coordinator.start();
    const url = serverUrl(opts, port);
    this.log(
      `listening on ${url}; strategy ${opts.strategy.name}; rounds ${this.firstRound}..${opts.rounds}` +
        (resumedFromRound > 0 ? ` (resumed after round ${resumedFromRound})` : ''),
    );
    return { port, url, resumedFromRound };
  }

  /** Resolves with every round's summary (including rounds before a resume) when all rounds are done. */
  finished(): Promise<RoundSummary[]> {
    return this.done;
  }

  /**
   * After the last round, before stop(): waits until every client that joined was sent the final model and has left
   * (the SDK leaves once it has it; one reconnecting meanwhile gets it on rejoining), at most `timeoutMs`. Returns
   * the clients that were never sent it and those still connected, both empty when everyone got it.
   */
  finalDelivery(timeoutMs: number): Promise<{ notSent: string[]; stillConnected: string[] }> {
    return this.results.untilFinalDelivered(timeoutMs, () => this.stopped);
  }

  /**
   * Tells the server that these clients will not deliver their update for the round in training (e.g. the process
   * that simulated them died): it stops waiting for them, so training closes once the others have answered (and the
   * round is retried, as at a deadline, when that leaves fewer than minUpdates). Returns the clients it was still
   * waiting for. Single-process servers only: a cluster node leaves it to the round's deadline.
   */
  clientsFailed(clientIds: readonly string[], reason: string): string[] {
    const coordinator = this.coordinator;
    if (!coordinator) return [];
    const round = coordinator.currentRound;
    const dropped = clientIds.filter((id) => coordinator.clientFailed(id));
    if (dropped.length > 0) this.log(`round ${round}: not waiting for ${dropped.join(', ')} any more: ${reason}`);
    return dropped;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.coordinator?.stop();
    await this.node?.stop();
    await this.transport?.close();
    await this.cluster?.closeAdapter();
    this.rejectDone(new Error('the federation server was stopped before all rounds were done'));
  }

  // ---- start-up ----------------------------------------------------------------------------------------------

  /** One node of a federation in Redis: checks Redis, listens, then takes part (and leads when it holds the lease). */
  private async startClusterNode(settings: ClusterSettings): Promise<{ port: number; url: string; resumedFromRound: number }> {
    const opts = this.opts;
    checkProbeForStrategy(opts);
    const leader = { ...roundSettings(opts), exampleWeights: this.aggregation.exampleWeights, cluster: settings, bans: this.bans };
    const cluster = await ClusterRuntime.connect(this.clusterHost(), this.safeEmit, leader, opts.initialModel);
    this.cluster = cluster;
    this.transport = await cluster.openTransport((round) => this.checkLevels(round), (wiring) => this.createTransport(wiring));
    const started = await cluster.listen(this.transport, (port) => serverUrl(opts, port), () => this.stop());
    this.settleWhen(cluster.node.finished());
    return started;
  }

  /** Fails at start, not at the first task, when the round's tasks ask for per-level uploads the model cannot give. */
  private checkLevels(round: number): void {
    if (this.planner.planFor(round, this.globalState).wantsProbe) this.planner.checkLevels(this.globalState);
  }

  /** finished() resolves with the summaries once `rounds` does (and rejects when the federation failed). */
  private settleWhen(rounds: Promise<unknown>): void {
    rounds.then(
      () => {
        this.log(`all ${this.opts.rounds} rounds done`);
        this.resolveDone(this.history);
      },
      (e: Error) => this.rejectDone(e),
    );
  }

  private createTransport(cluster?: ClusterTransportWiring): SocketServer {
    return new SocketServer(
      socketServerOptions(this.opts, {
        registry: this.registry,
        adapter: cluster?.adapter,
        deferJoins: cluster?.deferJoins,
        ...cluster?.limits({ joinBackoff: this.opts.joinBackoff, rateLimit: this.opts.rateLimit }),
        health: cluster?.health ?? (() => ({ ok: !this.stopped, round: this.currentRound, clients: this.connectedClients.length })),
        log: this.log,
        handlers: {
          welcomeInfo: () => ({ currentRound: this.currentRound, totalRounds: this.opts.rounds }),
          chooseTier: (request) => this.chooseTier(request),
          onJoined: (s, replaced) => this.onJoined(s, replaced),
          onLeft: (s, reason) => this.onLeft(s, reason),
          onUpdate: (s, msg, bytes) => this.admission.receive(s, msg, bytes),
          onProbeRequest: (s, msg) => this.tasks.onProbeRequest(s, msg),
          onClientError: (s, msg) => this.tasks.onClientError(s, msg),
        },
      }),
    );
  }

  /** After a restart: the updates acknowledged for the round being resumed count as received (resends are duplicates). */
  private async restoreJournal(coordinator: RoundCoordinator<ClientUpdate, RoundResult>): Promise<void> {
    const round = this.firstRound;
    if (!this.persistence || round > this.opts.rounds) return;
    const journal = await this.persistence.restoreJournal(round, this.modelSha256(this.globalState), (entries) => this.decodeRecorded(round, entries));
    if (!journal) return;
    coordinator.restoreUpdates(round, journal.restored);
    this.admission.markRestored(round, journal.restored);
    this.safeEmit('updates-restored', { round, clientIds: [...journal.restored.keys()].sort(), skipped: journal.problems });
  }

  // ---- cluster mode ------------------------------------------------------------------------------------------

  private get node(): ClusterNode | undefined {
    return this.cluster?.node;
  }

  /** What the cluster node uses of this server (its events are mapped by ClusterRuntime). */
  private clusterHost(): Omit<ClusterHost, 'events'> {
    return {
      strategy: this.opts.strategy,
      screening: this.aggregation.screening,
      log: (line) => this.log(line),
      localClients: () => this.connectedClients,
      sendTask: (clientId, round, deadline) => this.tasks.send(clientId, round, deadline),
      adopt: (committed, final) => this.adopt(committed, final),
      plan: (round) => this.planFor(round),
      decodeRecorded: (round, entries) => this.decodeRecorded(round, entries),
      aggregate: (round, updates, declared) => this.aggregateUpdates(round, updates, declared),
      evaluate: (round, model) => evaluateModel(this.opts.evaluate, round, model, this.log),
      traffic: () => this.traffic,
      configHash: () => federationConfigHash(this.opts),
    };
  }

  /** A round committed by the cluster's leader: this node's global model from now on; its clients get the result. */
  private async adopt(committed: CommittedRound, final: boolean): Promise<void> {
    this.globalState = committed.model;
    this.history = committed.history.map(summaryFromStore);
    this.results.adopted(committed.round, this.globalState, this.history.at(-1), final);
    await this.planner.refreshLevelShapes(this.globalState);
  }

  // ---- rounds ------------------------------------------------------------------------------------------------

  private planFor(round: number): RoundPlan {
    if (this.transport) this.roundTraffic.started(round, this.transport.traffic, this.tiering && this.transport.trafficByTier);
    return this.planner.planFor(round, this.globalState);
  }

  private decodeRecorded(round: number, entries: readonly JournalEntry[]): { updates: ClientUpdate[]; problems: string[] } {
    return decodeRecordedUpdates(entries, (entry) => {
      const plan = this.planFor(round);
      if (!plan.tiers) return { expectations: plan.expectations };
      // A journal entry's tier is the one whose shapes its weights have.
      const shapes = (entry.message.weights ?? []).map((w) => (w.shape ?? []).join('x')).join(',');
      const tier = [...plan.tiers.values()].find((t) => t.expectations.weightShapes.map((w) => w.join('x')).join(',') === shapes);
      return tier ? { expectations: tier.expectations, tier: tier.tier.name } : { expectations: plan.expectations };
    });
  }

  private async aggregate(outcome: RoundOutcome<ClientUpdate>): Promise<RoundResult> {
    const aggregation = await this.aggregateUpdates(outcome.round, outcome.updates, this.declaredExamples);
    this.globalState = aggregation.model;
    if (this.tiering) {
      // The next round's tier models are part of the aggregation's work (and what the tiers run from now on).
      const used = new Set(aggregation.participants);
      const derived = await this.tiering.derive(outcome.round + 1, this.globalState, outcome.updates.filter((u) => used.has(u.clientId)));
      aggregation.seconds += derived.seconds;
    }
    await this.planner.refreshLevelShapes(this.globalState);
    return { aggregation };
  }

  /** Tiered federations: the models the tiers run from now on (derived after the latest aggregation, or at start). */
  private currentTierModels(): ReadonlyMap<string, ModelState> | undefined {
    return this.tiering?.latest?.models;
  }

  private async aggregateUpdates(round: number, updates: readonly ClientUpdate[], declared: ReadonlyMap<string, number>): Promise<RoundAggregation> {
    const plan = this.planFor(round);
    // Tiered rounds: each update is screened against the model its tier was sent.
    const tierModels = plan.tiers ? [...plan.tiers.values()].map((t) => t.model) : [];
    const aggregation = await aggregateRound(plan.ctx, updates, declared, this.aggregation, tierModels);
    reportAggregation(round, aggregation, { log: this.log, excluded: (e) => this.safeEmit('update-excluded', e) });
    return aggregation;
  }

  private async evaluate(outcome: RoundOutcome<ClientUpdate>, result: RoundResult): Promise<RoundResult> {
    const evaluation = await evaluateModel(this.opts.evaluate, outcome.round, this.globalState, this.log);
    let tierEvaluations: Map<string, ModelEvaluation> | undefined;
    const tierModels = this.currentTierModels();
    if (tierModels) {
      tierEvaluations = new Map();
      for (const [tier, model] of tierModels) {
        const e = await evaluateModel(this.opts.evaluate, outcome.round, model, (line) => this.log(`tier ${tier}: ${line}`));
        if (e) tierEvaluations.set(tier, e);
      }
    }
    return { ...result, ...(evaluation ? { evaluation } : {}), ...(tierEvaluations ? { tierEvaluations } : {}) };
  }

  private async broadcast(outcome: RoundOutcome<ClientUpdate>, final: boolean, result: RoundResult): Promise<RoundResult> {
    const { aggregation, evaluation, tierEvaluations } = result;
    this.results.send(this.roundMessages(outcome.round, aggregation.participants, evaluation, tierEvaluations, final), aggregation.excluded);
    const summary = roundSummary(outcome, aggregation, evaluation, this.roundTraffic.since(outcome.round, this.transport!.traffic));
    const tiers = this.tierSummaries(outcome, aggregation.participants, tierEvaluations);
    if (tiers) summary.tiers = tiers;
    if (this.bans) summary.banned = bansAt([...this.history, summary], outcome.round + 1, this.bans);
    this.history.push(summary);
    return { ...result, summary };
  }

  /** A round's result: the global model's, and each tier's own model for its clients (each encoded once). */
  private roundMessages(
    round: number,
    participants: string[],
    evaluation: ModelEvaluation | undefined,
    tierEvaluations: ReadonlyMap<string, ModelEvaluation> | undefined,
    final: boolean,
  ): RoundMessages {
    const global = roundResultMessage(round, this.globalState, participants, evaluation, final);
    const tierModels = this.currentTierModels();
    if (!tierModels) return { global };
    const tiers = new Map([...tierModels].map(([tier, model]) => [tier, roundResultMessage(round, model, participants, tierEvaluations?.get(tier), final)]));
    return { global, tiers };
  }

  private tierSummaries(
    outcome: RoundOutcome<ClientUpdate>,
    participants: readonly string[],
    evaluations: ReadonlyMap<string, ModelEvaluation> | undefined,
  ): Record<string, TierRoundSummary> | undefined {
    if (!this.tiering) return undefined;
    const inAggregate = new Set(participants);
    const traffic = this.transport!.trafficByTier;
    const out: Record<string, TierRoundSummary> = {};
    for (const tier of this.tiering.tiers) {
      const e = evaluations?.get(tier.name);
      out[tier.name] = {
        participants: outcome.updates.filter((u) => u.tier === tier.name && inAggregate.has(u.clientId)).length,
        parameters: tier.parameters,
        ...(e ? { accuracy: e.accuracy, loss: e.loss } : {}),
        ...this.roundTraffic.tierSince(outcome.round, tier.name, traffic),
      };
    }
    return out;
  }

  /** The tier a joining client gets (tiered federations); without tiers, a tier name or too small a limit is refused. */
  private chooseTier(request: TierRequest): { tier: string; parameters: number } | { error: string } | undefined {
    if (this.tiering) {
      const choice = chooseTier(this.tiering.tiers, request);
      return 'error' in choice ? choice : { tier: choice.tier.name, parameters: choice.tier.parameters };
    }
    if (request.tier !== '') return { error: `this federation has no tiers; the client asked for tier "${request.tier}"` };
    const parameters = this.globalState.weights.reduce((n, w) => n + w.values.length, 0);
    if (request.maxParameters > 0 && request.maxParameters < parameters) {
      return { error: `the federation's model has ${parameters} parameters, more than the client's max_parameters ${request.maxParameters} (it has no smaller tiers)` };
    }
    return undefined;
  }

  // ---- client bans -------------------------------------------------------------------------------------------

  /** Clients banned in `round`, from the round summaries so far (this process's, or the cluster's committed ones). */
  private bannedIn(round: number): Set<string> {
    return new Set(this.bans ? bansAt(this.history, round, this.bans).map((b) => b.clientId) : []);
  }

  /** Tells banned clients (all connected ones, or just `only`) why they get no task in `round`. */
  private tellBanned(round: number, only?: string): void {
    if (!this.bans || !this.transport) return;
    for (const ban of bansAt(this.history, round, this.bans)) {
      if (only !== undefined && ban.clientId !== only) continue;
      const message = `client ${ban.clientId} is left out of rounds ${ban.fromRound}..${ban.untilRound}: ${ban.reason}`;
      if (this.transport.send(ban.clientId, { error: { code: fedfuse.v1.ErrorCode.BANNED, message, round } })) this.log(`round ${round}: ${message}`);
    }
  }

  // ---- clients -----------------------------------------------------------------------------------------------

  private onJoined(session: ClientSession, replaced: boolean): void {
    const { clientId, numSamples } = session;
    this.log(`client ${clientId} joined (${numSamples} examples)${replaced ? ', replacing its old connection' : ''}`);
    this.safeEmit('client-joined', { clientId, numSamples, reconnected: replaced });
    this.results.clientJoined(clientId);
    if (!this.declaredExamples.has(clientId)) this.declaredExamples.set(clientId, numSamples);
    this.node?.clientJoined(clientId, numSamples).catch((e: Error) => this.log(`cluster: could not register ${clientId}: ${e.message}`));
    if (this.phase === 'finished') {
      // Late joiners (or clients reconnecting after the end, or after a restart past the last round) get the final model.
      const last = this.history.at(-1);
      this.results.sendFinal(session, () => this.roundMessages(last?.round ?? this.opts.rounds, last?.participants ?? [], undefined, undefined, true));
      return;
    }
    this.coordinator?.clientJoined(clientId);
    this.tellBanned(this.currentRound, clientId);
  }

  private onLeft(session: ClientSession, reason: string): void {
    const { clientId } = session;
    this.coordinator?.clientLeft(clientId);
    this.node?.clientLeft(clientId).catch((e: Error) => this.log(`cluster: could not unregister ${clientId}: ${e.message}`));
    this.safeEmit('client-left', { clientId, reason });
  }

  /** Emits without letting a throwing listener break the server's own state handling. */
  private readonly safeEmit: EmitFederationEvent = (event, ...args) => {
    try {
      (this.emit as (e: typeof event, ...a: typeof args) => boolean)(event, ...args);
    } catch (e) {
      const line = `listener for '${String(event)}' threw: ${(e as Error).message}`;
      if (event !== 'log') this.log(line);
      else console.error(line);
    }
  };
}
