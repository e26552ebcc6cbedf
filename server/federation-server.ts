// The library API of the server: wires the socket transport, the round coordinator, the strategy, evaluation and
// checkpoints together. Everything a deployment changes comes in through FederationServerOptions.
import { EventEmitter } from 'node:events';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@fedfuse/client/internal/proto/protobuf-runtime.js';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { ProtocolError } from '@fedfuse/client/internal/proto/errors.js';
import { modelStateToPayload } from '@fedfuse/client/internal/proto/model-payload.js';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { splitLevels } from '@fedfuse/client/internal/model/levels.js';
import { stateToModel, type ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { sameShapes } from '@fedfuse/client/internal/model/weights.js';
import { TokenRegistry, type TokenSpec } from './auth/token-registry.js';
import { validateJoinBackoff, type JoinBackoffOptions } from './auth/failed-join-backoff.js';
import { CheckpointStore } from './checkpoint/checkpoint-store.js';
import { UpdateJournal, weightsSha256 } from './checkpoint/update-journal.js';
import { DurableWriteError, type SyncedFileWriter } from './checkpoint/synced-write.js';
import { RoundCoordinator, type CoordinatorEvent, type RoundOutcome, type RoundPhase } from './rounds/round-coordinator.js';
import { tallyLegacyRejections, type RejectedUpdates } from './rounds/rejection-tally.js';
import { updateDigest } from './rounds/update-digest.js';
import { storedRoundSummarySchema, type StoredRoundSummary } from './rounds/round-summary-schema.js';
import { SocketServer, type ClientSession } from './transport/socket-server.js';
import { ProbeDelivery } from './transport/probe-delivery.js';
import { validateRateLimit, type RateLimit } from './limits/token-bucket.js';
import { decodeClientUpdate, type UpdateExpectations } from './transport/update-decoder.js';
import { isStateful } from './strategies/index.js';
import { parseScreeningOptions, type ScreeningOptions, type ScreeningSettings } from './defence/screening-options.js';
import { screenRound } from './defence/screen-round.js';
import { boundExampleWeights, exampleWeightOptionsSchema, type ExampleWeightOptions, type ExampleWeightSettings } from './defence/example-weights.js';
import { escapeControlCharacters, peerText } from './logging/log-text.js';
import type { ClientUpdate, FusionRoundReport, ProbeSet, RoundContext, Strategy, TrainingConfig } from './strategies/strategy.js';

const ErrorCode = fedfuse.v1.ErrorCode;

export interface FederationServerOptions {
  host?: string;
  /** 0 = an ephemeral port (see start()'s result). */
  port?: number;
  rounds: number;
  /** Clients that must be connected before a round starts. */
  minClients: number;
  /** Fraction in (0, 1] or integer count of connected clients asked to train each round. Default 1 (all). */
  clientsPerRound?: number;
  roundDeadlineMs: number;
  /** Accepted updates a round needs; with fewer at the deadline it is retried. Default 1. */
  minUpdates?: number;
  seed?: number;
  strategy: Strategy;
  initialModel: ModelState;
  /** Base training config; the strategy may adjust it per round. */
  training: TrainingConfig;
  tokens: Record<string, TokenSpec>;
  /** Checkpoints after each round, and a journal of the round's accepted updates (written before each ack). */
  checkpointDir?: string;
  /** Writes (and fsyncs) checkpoint and journal files; default node:fs. Injectable to simulate a full disk. */
  checkpointWriter?: SyncedFileWriter;
  probe?: ProbeSet;
  evaluate?: (model: ModelState) => Promise<{ accuracy: number; loss: number }>;
  /** Largest message accepted or sent. Default 256 MiB. (Before it joins, a connection may send only 64 KiB.) */
  maxMessageBytes?: number;
  /** Bytes of partial uploads held for all connections together; beyond it uploads are refused (TOO_LARGE). Default max(1 GiB, 2 × maxMessageBytes). */
  maxPendingUploadBytes?: number;
  chunkBytes?: number;
  /** A partial upload that received nothing for this long is dropped (a timer) and its client told. Default 120 s. */
  transferTimeoutMs?: number;
  heartbeatMs?: number;
  /** Joined clients at most; a Join beyond it gets a SERVER_FULL error. Default: unlimited. */
  maxClients?: number;
  /** Per-client envelope rate (token bucket); over it → RATE_LIMITED, persistent abuse → disconnect. Default: none. */
  rateLimit?: RateLimit;
  /** Protocol errors (bad frames, malformed envelopes) one connection may cause before it is disconnected. Default 50. */
  maxProtocolErrors?: number;
  /** Serve https/wss with this PEM key and certificate (start() then returns an https:// url). */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /**
   * Backoff on failed joins, per address and per client id: after `freeFailures` (5) failures, joins from that
   * address / for that id are refused unchecked for baseMs (1 s), doubling per failure up to maxMs (60 s).
   */
  joinBackoff?: JoinBackoffOptions;
  /**
   * Update screening before every strategy's aggregation (server/defence/): leave out updates whose norm is an
   * outlier and/or whose probe accuracy is far below the others'. Off unless given; never excludes a majority.
   */
  defence?: ScreeningOptions;
  /**
   * Bounds on the example count an update is weighed with, for every strategy: at most what its client declared when
   * it first joined, at most `maxExamples`, and (when set) at most `medianMultiple` × the round's median claimed count.
   */
  exampleWeights?: ExampleWeightOptions;
  logger?: (line: string) => void;
}

export interface RoundSummary {
  round: number;
  /** Clients whose update went into the aggregate. */
  participants: string[];
  stragglers: string[];
  /** Updates rejected in the round, counted per reason (error code). */
  rejected: RejectedUpdates[];
  /** Accepted updates the defence screening left out of the aggregate (not in participants). */
  excluded: { clientId: string; reason: string }[];
  accuracy?: number;
  loss?: number;
  bytesSent: number;
  bytesReceived: number;
  seconds: number;
  aggregateSeconds: number;
  /** Fusing strategies: which path the round took (fused or fallback) and the held-out probe losses behind it. */
  fusion?: FusionRoundReport;
}

export interface RoundStartedEvent {
  round: number;
  attempt: number;
  sampled: string[];
  deadlineUnixMs: number;
}
export interface UpdateAcceptedEvent {
  round: number;
  clientId: string;
  update: ClientUpdate;
  bytes: number;
}
export interface UpdateRejectedEvent {
  round: number;
  clientId: string;
  code: string;
  reason: string;
}
export interface UpdateExcludedEvent {
  round: number;
  clientId: string;
  reason: string;
}
export interface RoundRetriedEvent {
  round: number;
  attempt: number;
  received: number;
  needed: number;
}

/** A client told the server it could not carry out its task (its message, capped in length). */
export interface ClientErrorEvent {
  round: number;
  clientId: string;
  code: string;
  message: string;
}

/** A checkpoint or update-journal write failed (e.g. ENOSPC); the federation goes on, the previous checkpoint is intact. */
export interface CheckpointFailedEvent {
  round: number;
  what: 'checkpoint' | 'journal';
  path: string;
  code: string;
  errno?: number;
  message: string;
}

export interface FederationServerEvents {
  'round-started': [RoundStartedEvent];
  'update-accepted': [UpdateAcceptedEvent];
  'update-rejected': [UpdateRejectedEvent];
  'update-excluded': [UpdateExcludedEvent];
  'round-retried': [RoundRetriedEvent];
  'round-finished': [RoundSummary];
  'checkpoint-failed': [CheckpointFailedEvent];
  'client-error': [ClientErrorEvent];
  /** After a restart: updates of the resumed round read back from the journal and counted as accepted. */
  'updates-restored': [{ round: number; clientIds: string[]; skipped: string[] }];
  'client-joined': [{ clientId: string; numSamples: number; reconnected: boolean }];
  'client-left': [{ clientId: string; reason: string }];
  phase: [{ phase: RoundPhase; round: number }];
  log: [string];
}

/** What the server expects a level's uploads to look like (derived from the global topology). */
interface LevelShapes {
  outputShapes: number[][];
  widths: number[];
}

interface RoundPlan {
  round: number;
  ctx: RoundContext;
  config: TrainingConfig;
  modelPayload: fedfuse.v1.IModelPayload;
  expectations: UpdateExpectations;
  trafficAtStart: { bytesSent: number; bytesReceived: number };
  aggregateSeconds: number;
  fusion?: FusionRoundReport;
  excluded: { clientId: string; reason: string }[];
  evaluation?: { accuracy: number; loss: number };
  summary?: RoundSummary;
}

const MIB = 1024 * 1024;
/** A client's error message is shown in logs and events escaped, up to this many characters. */
const MAX_CLIENT_ERROR_CHARS = 500;
/** Rejected updates of one client logged per round; the rest are counted in the round summary only. */
const LOGGED_REJECTIONS_PER_ROUND = 10;

/** Summaries of checkpoints written before rejections were tallied list one { clientId, reason } per rejection. */
function upgradeRejected(rejected: readonly (RejectedUpdates | { clientId: string; reason: string })[]): RejectedUpdates[] {
  const legacy = rejected.filter((r): r is { clientId: string; reason: string } => 'reason' in r);
  const current = rejected.filter((r): r is RejectedUpdates => 'count' in r);
  return legacy.length > 0 ? [...current, ...tallyLegacyRejections(legacy)] : current;
}

function parseExampleWeights(raw: ExampleWeightOptions | undefined): ExampleWeightSettings {
  const parsed = exampleWeightOptionsSchema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`FederationServer option exampleWeights.${issue.path.join('.')}: ${issue.message}`);
}

function validateOptions(o: FederationServerOptions): void {
  const positiveInt = (v: number, name: string) => {
    if (!Number.isInteger(v) || v < 1) throw new Error(`FederationServer option ${name} must be a positive integer, got ${v}`);
  };
  positiveInt(o.rounds, 'rounds');
  positiveInt(o.minClients, 'minClients');
  if (o.minUpdates !== undefined) positiveInt(o.minUpdates, 'minUpdates');
  if (o.maxClients !== undefined) {
    positiveInt(o.maxClients, 'maxClients');
    if (o.maxClients < o.minClients) {
      throw new Error(`FederationServer option maxClients (${o.maxClients}) is below minClients (${o.minClients}): no round could ever start`);
    }
  }
  if (o.maxProtocolErrors !== undefined) positiveInt(o.maxProtocolErrors, 'maxProtocolErrors');
  if (o.maxPendingUploadBytes !== undefined) positiveInt(o.maxPendingUploadBytes, 'maxPendingUploadBytes');
  if (o.transferTimeoutMs !== undefined) positiveInt(o.transferTimeoutMs, 'transferTimeoutMs');
  if (o.rateLimit !== undefined) validateRateLimit(o.rateLimit, 'FederationServer option');
  if (o.joinBackoff !== undefined) validateJoinBackoff(o.joinBackoff, 'FederationServer option joinBackoff');
  if (o.tls !== undefined && (!o.tls.key || !o.tls.cert)) throw new Error('FederationServer option tls needs both key and cert (PEM)');
  if (!(o.roundDeadlineMs > 0)) throw new Error(`FederationServer option roundDeadlineMs must be positive, got ${o.roundDeadlineMs}`);
  if (!o.strategy) throw new Error('FederationServer option strategy is required');
  if (!o.initialModel?.weights?.length) throw new Error('FederationServer option initialModel has no weights');
  if (Object.keys(o.tokens ?? {}).length === 0) throw new Error('FederationServer option tokens lists no clients');
  if (o.probe) {
    const { shape, values } = o.probe.x;
    if (shape.reduce((a, b) => a * b, 1) !== values.length) {
      throw new Error(`FederationServer probe x has shape [${shape}] but ${values.length} values`);
    }
    if (o.probe.y && o.probe.y.length !== shape[0]) {
      throw new Error(`FederationServer probe has ${shape[0]} inputs but ${o.probe.y.length} labels`);
    }
  }
  if (o.defence !== undefined) {
    const defence = parseScreeningOptions(o.defence, 'FederationServer option defence');
    if (defence.probeAccuracy && !o.probe?.y) {
      throw new Error('FederationServer option defence.probeAccuracy needs a labelled probe set (probe.x and probe.y)');
    }
  }
}

export class FederationServer extends EventEmitter<FederationServerEvents> {
  private readonly opts: FederationServerOptions;
  private readonly registry: TokenRegistry;
  private readonly store: CheckpointStore<StoredRoundSummary> | undefined;
  private readonly journal: UpdateJournal | undefined;
  private globalSha: { state: ModelState; sha256: string } | undefined;
  private readonly log: (line: string) => void;
  private readonly screening: ScreeningSettings | undefined;
  private readonly exampleWeights: ExampleWeightSettings;
  /** Per client id: the example count it declared when it first joined (a later join cannot raise it). */
  private readonly declaredExamples = new Map<string, number>();
  private globalState: ModelState;
  private history: RoundSummary[] = [];
  private coordinator: RoundCoordinator<ClientUpdate> | undefined;
  private transport: SocketServer | undefined;
  private plan: RoundPlan | undefined;
  private levelShapesCache: { topologyJson: string; shapes: LevelShapes | Error } | undefined;
  private finalResult: fedfuse.v1.IRoundResult | undefined;
  private readonly probeDelivery: ProbeDelivery | undefined;
  /** Clients that joined at some point, and those sent the final model: the end of a federation waits for both. */
  private readonly joinedIds = new Set<string>();
  private readonly finalSentTo = new Set<string>();
  /** Per client: the update it sent for the round (its digest): being validated, accepted, or failed the strategy's check. */
  private readonly roundUpdates = new Map<string, { round: number; digest: string; validating: boolean; failedCheck?: boolean }>();
  private firstRound = 1;
  private stopped = false;
  private readonly done: Promise<RoundSummary[]>;
  private resolveDone!: (s: RoundSummary[]) => void;
  private rejectDone!: (e: Error) => void;

  constructor(opts: FederationServerOptions) {
    super();
    validateOptions(opts);
    this.opts = opts;
    this.screening = opts.defence && parseScreeningOptions(opts.defence, 'FederationServer option defence');
    this.exampleWeights = parseExampleWeights(opts.exampleWeights);
    this.registry = new TokenRegistry(opts.tokens);
    const writeFile = opts.checkpointWriter;
    this.store = opts.checkpointDir
      ? new CheckpointStore<StoredRoundSummary>(opts.checkpointDir, { writeFile, historySchema: storedRoundSummarySchema })
      : undefined;
    this.journal = opts.checkpointDir ? new UpdateJournal(join(opts.checkpointDir, 'journal'), { writeFile }) : undefined;
    this.globalState = opts.initialModel;
    this.probeDelivery = opts.probe && new ProbeDelivery(opts.probe);
    const logger = opts.logger ?? ((line: string) => console.log(`[fedfuse server] ${line}`));
    // Every line is escaped on its way out: text from peers inside it cannot start a line of its own.
    this.log = (line) => {
      const safe = escapeControlCharacters(line);
      logger(safe);
      this.safeEmit('log', safe);
    };
    this.done = new Promise((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    this.done.catch(() => {});
  }

  /** The round being run (the next one, before start; rounds + 1 once finished). */
  get currentRound(): number {
    return this.coordinator?.currentRound ?? this.firstRound;
  }

  /** The current global model. */
  get global(): ModelState {
    return this.globalState;
  }

  get phase(): RoundPhase {
    return this.coordinator?.phase ?? 'idle';
  }

  /** Ids of the clients connected right now. */
  get connectedClients(): string[] {
    return this.transport?.clientIds ?? [];
  }

  async start(): Promise<{ port: number; url: string; resumedFromRound: number }> {
    if (this.coordinator) throw new Error('FederationServer.start() was already called');
    await initBackend();
    const resumedFromRound = await this.resume();
    this.firstRound = resumedFromRound + 1;
    await this.refreshLevelShapes();
    const opts = this.opts;
    // Fail at start, not at the first task, when the strategy needs what the server lacks.
    if (opts.strategy.needsProbe && !opts.probe) {
      throw new Error(`strategy ${opts.strategy.name} aggregates with the server's probe set, but the server has none (give it a probe set)`);
    }
    const firstConfig = opts.strategy.configureRound(
      { round: this.firstRound, global: this.globalState, probe: opts.probe, seed: opts.seed ?? 0 },
      opts.training,
    );
    if (firstConfig.sendActivations || firstConfig.importanceMethod !== '') {
      if (!opts.probe) {
        throw new Error(`strategy ${opts.strategy.name} asks clients for activations/importance, but the server has no probe set`);
      }
      this.levelShapes();
    }
    this.coordinator = new RoundCoordinator<ClientUpdate>({
      rounds: opts.rounds,
      firstRound: this.firstRound,
      minClients: opts.minClients,
      clientsPerRound: opts.clientsPerRound,
      minUpdates: opts.minUpdates,
      deadlineMs: opts.roundDeadlineMs,
      seed: opts.seed,
      hooks: {
        sendTask: (clientId, round, deadline) => this.sendTask(clientId, round, deadline),
        aggregate: (o) => this.aggregate(o),
        evaluate: opts.evaluate ? (o) => this.evaluate(o) : undefined,
        broadcast: (o, final) => this.broadcast(o, final),
        checkpoint: this.store ? (o) => this.checkpoint(o) : undefined,
      },
      onEvent: (e) => this.onCoordinatorEvent(e),
    });
    this.transport = new SocketServer({
      host: opts.host ?? '127.0.0.1',
      port: opts.port ?? 0,
      registry: this.registry,
      maxMessageBytes: opts.maxMessageBytes ?? 256 * MIB,
      maxPendingUploadBytes: opts.maxPendingUploadBytes,
      transferTimeoutMs: opts.transferTimeoutMs,
      chunkBytes: opts.chunkBytes,
      heartbeatMs: opts.heartbeatMs,
      maxClients: opts.maxClients,
      rateLimit: opts.rateLimit,
      maxProtocolErrors: opts.maxProtocolErrors,
      tls: opts.tls,
      joinBackoff: opts.joinBackoff,
      log: this.log,
      handlers: {
        welcomeInfo: () => ({ currentRound: this.coordinator!.currentRound, totalRounds: opts.rounds }),
        onJoined: (s, replaced) => this.onJoined(s, replaced),
        onLeft: (s, reason) => {
          this.coordinator?.clientLeft(s.clientId);
          this.safeEmit('client-left', { clientId: s.clientId, reason });
        },
        onUpdate: (s, msg, bytes) => this.onUpdate(s, msg, bytes),
        onProbeRequest: (s, msg) => this.onProbeRequest(s, msg),
        onClientError: (s, msg) => this.onClientError(s, msg),
      },
    });
    await this.restoreJournal();
    const { port } = await this.transport.listen();
    this.coordinator.finished.then(
      () => {
        this.log(`all ${opts.rounds} rounds done`);
        this.resolveDone(this.history);
      },
      (e: Error) => this.rejectDone(e),
    );
    this.coordinator.start();
    const host = opts.host ?? '127.0.0.1';
    const url = `${opts.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
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
  async finalDelivery(timeoutMs: number): Promise<{ notSent: string[]; stillConnected: string[] }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const notSent = [...this.joinedIds].filter((id) => !this.finalSentTo.has(id)).sort();
      const stillConnected = this.connectedClients;
      const everyoneDone = notSent.length === 0 && stillConnected.length === 0;
      if (everyoneDone || Date.now() >= deadline || this.stopped) return { notSent, stillConnected };
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.coordinator?.stop();
    await this.transport?.close();
    this.rejectDone(new Error('the federation server was stopped before all rounds were done'));
  }

  // ---- checkpoints -------------------------------------------------------------------------------------------

  /** Hash of what must stay the same across a resume (not rounds, tokens or deadlines, which may change). */
  private configHash(): string {
    const o = this.opts;
    const material = {
      weightShapes: o.initialModel.weights.map((w) => w.shape),
      strategy: o.strategy.name,
      seed: o.seed ?? 0,
      training: o.training,
    };
    return createHash('sha256').update(JSON.stringify(material)).digest('hex');
  }

  private async resume(): Promise<number> {
    if (!this.store) return 0;
    // A skipped (damaged or edited) checkpoint is said out loud; load throws when none is intact.
    const ckpt = await this.store.load((dir, reason) => this.log(`warning: checkpoint ${dir} skipped: ${reason}`));
    if (!ckpt) return 0;
    if (!sameShapes(ckpt.model.weights, this.opts.initialModel.weights)) {
      throw new Error(
        `checkpoint ${ckpt.dir} holds a model whose weight shapes differ from the configured model; ` +
          `use another checkpointDir or the matching model`,
      );
    }
    if (ckpt.state.configHash !== this.configHash()) {
      this.log(`warning: checkpoint ${ckpt.dir} was written with a different strategy/seed/training config; resuming anyway`);
    }
    if (ckpt.state.strategyState !== undefined && isStateful(this.opts.strategy)) {
      this.opts.strategy.importState(ckpt.state.strategyState);
    }
    this.globalState = ckpt.model;
    // Checkpoints written before the defence screening existed have no `excluded` per round.
    this.history = ckpt.state.history.map((h) => ({ ...(h as RoundSummary), excluded: h.excluded ?? [], rejected: upgradeRejected(h.rejected) }));
    this.log(`resuming from checkpoint ${ckpt.dir} (round ${ckpt.round} done)`);
    return ckpt.round;
  }

  /**
   * A failed save (disk full, ...) is reported loudly but does not stop the federation: the previous checkpoint is
   * intact, this round's journal is kept, and the next round's save tries again.
   */
  private async checkpoint(outcome: RoundOutcome<ClientUpdate>): Promise<void> {
    const strategy = this.opts.strategy;
    let dir: string;
    try {
      dir = await this.store!.save(outcome.round, this.globalState, {
        history: this.history,
        configHash: this.configHash(),
        strategyState: isStateful(strategy) ? strategy.exportState() : undefined,
      });
    } catch (e) {
      if (!(e instanceof DurableWriteError)) throw e;
      this.reportWriteFailure(outcome.round, 'checkpoint', e, 'the previous checkpoint is intact; the next round retries the save');
      return;
    }
    this.log(`round ${outcome.round}: checkpoint written to ${dir}`);
    try {
      await this.journal!.discardThrough(outcome.round);
    } catch (e) {
      this.log(`round ${outcome.round}: could not remove the update journal of checkpointed rounds: ${(e as Error).message}`);
    }
  }

  private reportWriteFailure(round: number, what: 'checkpoint' | 'journal', e: DurableWriteError, consequence: string): void {
    this.log(`ERROR round ${round}: ${what} write FAILED: ${e.message}; ${consequence}`);
    this.safeEmit('checkpoint-failed', { round, what, path: e.path, code: e.code, errno: e.errno, message: e.message });
  }

  /** sha256 of the current global model's weights (what the round's updates were trained on). */
  private globalSha256(): string {
    if (this.globalSha?.state !== this.globalState) {
      this.globalSha = { state: this.globalState, sha256: weightsSha256(this.globalState.weights) };
    }
    return this.globalSha.sha256;
  }

  /**
   * After a restart: the updates the previous process acknowledged for the round being resumed count as received
   * (validated again like any upload). Journals of other rounds are stale and removed.
   */
  private async restoreJournal(): Promise<void> {
    const journal = this.journal;
    const round = this.firstRound;
    if (!journal || round > this.opts.rounds) return;
    await journal.discardAllBut(round);
    const { entries, problems } = await journal.load(round, this.globalSha256());
    const restored = new Map<string, ClientUpdate>();
    for (const entry of entries) {
      try {
        restored.set(entry.clientId, decodeClientUpdate(entry.message, entry.clientId, entry.labelHistogram, this.planFor(round).expectations));
      } catch (e) {
        problems.push(`${entry.path}: ${(e as Error).message}`);
      }
    }
    for (const p of problems) this.log(`round ${round}: journal entry not restored (that client trains again): ${p}`);
    if (restored.size === 0 && problems.length === 0) return;
    this.coordinator!.restoreUpdates(round, restored);
    for (const [clientId, u] of restored) this.roundUpdates.set(clientId, { round, digest: updateDigest(u), validating: false });
    const clientIds = [...restored.keys()].sort();
    this.log(`round ${round}: restored ${clientIds.length} accepted update(s) from the journal: ${clientIds.join(', ') || 'none'}`);
    this.safeEmit('updates-restored', { round, clientIds, skipped: problems });
  }

  // ---- rounds ------------------------------------------------------------------------------------------------

  /** Per-round facts every task and every validation of the round share (computed once per round). */
  private planFor(round: number): RoundPlan {
    if (this.plan?.round === round) return this.plan;
    const ctx: RoundContext = { round, global: this.globalState, probe: this.opts.probe, seed: this.opts.seed ?? 0 };
    const config = this.opts.strategy.configureRound(ctx, this.opts.training);
    const wantsProbe = config.sendActivations || config.importanceMethod !== '';
    if (wantsProbe && !this.opts.probe) {
      throw new Error(`strategy ${this.opts.strategy.name} asks clients for activations/importance, but the server has no probe set`);
    }
    const levels = wantsProbe ? this.levelShapes() : undefined;
    const probeSize = this.opts.probe?.x.shape[0] ?? 0;
    this.plan = {
      round,
      ctx,
      config,
      modelPayload: modelStateToPayload(this.globalState),
      expectations: {
        round,
        weightShapes: this.globalState.weights.map((w) => w.shape),
        activationShapes: config.sendActivations ? levels!.outputShapes.map((s) => [probeSize, ...s]) : undefined,
        importanceWidths: config.importanceMethod !== '' ? levels!.widths : undefined,
      },
      trafficAtStart: this.transport!.traffic,
      aggregateSeconds: 0,
      excluded: [],
    };
    return this.plan;
  }

  /** Output shape (without batch) and width of each level of the global model; recomputed when the topology changes. */
  private async refreshLevelShapes(): Promise<void> {
    const topologyJson = this.globalState.topologyJson;
    if (this.levelShapesCache?.topologyJson === topologyJson) return;
    const topology = JSON.parse(topologyJson) as tf.io.ModelJSON['modelTopology'];
    const model = await tf.models.modelFromJSON({ modelTopology: topology });
    try {
      const levels = splitLevels(model);
      const shapes: LevelShapes = {
        outputShapes: levels.map((l) => (l.weightLayer.outputShape as (number | null)[]).slice(1) as number[]),
        widths: levels.map((l) => l.width),
      };
      this.levelShapesCache = { topologyJson, shapes };
    } catch (e) {
      // Only strategies that ask for per-level uploads need levels; they get this error when a round is planned.
      this.levelShapesCache = { topologyJson, shapes: e as Error };
    } finally {
      model.dispose();
    }
  }

  private levelShapes(): LevelShapes {
    const cached = this.levelShapesCache;
    if (!cached || cached.topologyJson !== this.globalState.topologyJson) {
      throw new Error('level shapes of the global model were not computed (internal error)');
    }
    if (cached.shapes instanceof Error) {
      throw new Error(`the global model cannot be split into levels for activation uploads: ${cached.shapes.message}`);
    }
    return cached.shapes;
  }

  private sendTask(clientId: string, round: number, deadline: number): void {
    const plan = this.planFor(round);
    const { config } = plan;
    const wantsProbe = config.sendActivations || config.importanceMethod !== '';
    const session = this.transport!.session(clientId);
    const probeFields = wantsProbe && this.probeDelivery ? this.probeDelivery.taskFields(session) : {};
    const task: fedfuse.v1.ITrainTask = {
      round,
      globalModel: plan.modelPayload,
      config: { ...config },
      deadlineUnixMs: deadline,
      ...probeFields,
    };
    if (!session?.send({ trainTask: task })) {
      this.log(`round ${round}: could not send the task to ${clientId} (not connected); it may reconnect before the deadline`);
      return;
    }
    if (probeFields.probeInputs) this.probeDelivery!.markDelivered(session);
  }

  /** The client lacks the probe set its task named: send it the task again, this time with the probe tensors. */
  private onProbeRequest(session: ClientSession, request: fedfuse.v1.IProbeRequest): void {
    const round = request.round ?? 0;
    const coordinator = this.coordinator!;
    const delivery = this.probeDelivery;
    if (!delivery || request.probeSha256 !== delivery.sha256) {
      this.log(`round ${round}: ${session.clientId} asked for probe set ${String(request.probeSha256).slice(0, 12)}…, which this server does not hold; ignored`);
      return;
    }
    delivery.forget(session);
    const deadline = coordinator.currentDeadline;
    if (coordinator.currentRound !== round || deadline === undefined || !coordinator.isDue(session.clientId)) {
      this.log(`round ${round}: ${session.clientId} asked for the probe set of a task no longer due; it gets it with its next task`);
      return;
    }
    this.log(`round ${round}: ${session.clientId} does not hold the probe set; re-sending its task with it`);
    this.sendTask(session.clientId, round, deadline);
  }

  private onClientError(session: ClientSession, error: fedfuse.v1.IError): void {
    const round = error.round ?? 0;
    const code = ErrorCode[error.code ?? ErrorCode.UNKNOWN] ?? String(error.code);
    const message = peerText(String(error.message ?? ''), MAX_CLIENT_ERROR_CHARS);
    this.log(`round ${round}: client ${session.clientId} reported ${code}: ${message}`);
    this.safeEmit('client-error', { round, clientId: session.clientId, code, message });
  }

  private async aggregate(outcome: RoundOutcome<ClientUpdate>): Promise<void> {
    const plan = this.planFor(outcome.round);
    const started = performance.now();
    const screened = this.screening ? await this.screen(plan, outcome.updates) : outcome.updates;
    const updates = this.boundWeights(plan.round, screened);
    const { model: next, fusion } = await this.opts.strategy.aggregate(plan.ctx, updates);
    plan.aggregateSeconds = (performance.now() - started) / 1000;
    plan.fusion = fusion;
    if (!sameShapes(next.weights, this.globalState.weights)) {
      throw new Error(`strategy ${this.opts.strategy.name} returned a model whose weight shapes differ from the global model`);
    }
    for (const w of next.weights) {
      for (let i = 0; i < w.values.length; i++) {
        const v = w.values[i];
        if (v - v !== 0) throw new Error(`strategy ${this.opts.strategy.name} produced a non-finite value in weight ${w.name}`);
      }
    }
    this.globalState = next;
    await this.refreshLevelShapes();
    this.log(
      `round ${outcome.round}: aggregated ${updates.length} updates (${updates.map((u) => u.clientId).join(', ')}) ` +
        `in ${plan.aggregateSeconds.toFixed(2)} s` +
        (fusion
          ? `; ${fusion.path === 'fused' ? 'fused model kept' : 'fell back to the plain average'} ` +
            `(held-out probe ${fusion.lossKind}: fused ${fusion.fusedProbeLoss.toFixed(4)}, average ${fusion.averageProbeLoss.toFixed(4)} on ${fusion.checkRows} rows)`
          : ''),
    );
  }

  /** Every strategy weighs updates by their example counts: no client may claim its way to all the weight. */
  private boundWeights(round: number, updates: readonly ClientUpdate[]): ClientUpdate[] {
    const bounded = boundExampleWeights(updates, this.declaredExamples, this.exampleWeights);
    for (const c of bounded.capped) {
      this.log(`round ${round}: weighed the update of ${c.clientId} as ${c.weighed} examples (it claimed ${c.claimed}; capped at ${c.reason})`);
    }
    return bounded.updates;
  }

  /** The defence screening: excluded updates are logged, emitted, told to their client and kept in the summary. */
  private async screen(plan: RoundPlan, updates: ClientUpdate[]): Promise<ClientUpdate[]> {
    const { kept, excluded, spared } = await screenRound(
      this.globalState, updates, this.screening!, this.opts.probe, this.opts.minUpdates ?? 1,
    );
    plan.excluded = excluded;
    for (const { clientId, reason } of excluded) {
      this.log(`round ${plan.round}: excluded the update from ${clientId} from the aggregate: ${reason}`);
      this.transport!.send(clientId, {
        error: { code: ErrorCode.REJECTED_UPDATE, message: `update excluded from the aggregate: ${reason}`, round: plan.round },
      });
      this.safeEmit('update-excluded', { round: plan.round, clientId, reason });
    }
    for (const { clientId, reason } of spared) {
      this.log(`round ${plan.round}: kept the flagged update from ${clientId} (excluding it would exclude a majority or leave fewer than minUpdates): ${reason}`);
    }
    return kept;
  }

  private async evaluate(outcome: RoundOutcome<ClientUpdate>): Promise<void> {
    const plan = this.planFor(outcome.round);
    try {
      plan.evaluation = await this.opts.evaluate!(this.globalState);
    } catch (e) {
      // Evaluation only observes the federation; a failing hook must not stop training.
      this.log(`round ${outcome.round}: evaluation failed (the round goes on without metrics): ${(e as Error).message}`);
      return;
    }
    this.log(
      `round ${outcome.round}: test accuracy ${plan.evaluation.accuracy.toFixed(4)}, loss ${plan.evaluation.loss.toFixed(4)}`,
    );
  }

  private async broadcast(outcome: RoundOutcome<ClientUpdate>, final: boolean): Promise<void> {
    const plan = this.planFor(outcome.round);
    const excludedIds = new Set(plan.excluded.map((e) => e.clientId));
    const participants = outcome.participants.filter((id) => !excludedIds.has(id));
    const metrics: Record<string, number> = {};
    if (plan.evaluation) {
      metrics.accuracy = plan.evaluation.accuracy;
      metrics.loss = plan.evaluation.loss;
    }
    const result: fedfuse.v1.IRoundResult = {
      round: outcome.round,
      globalModel: modelStateToPayload(this.globalState),
      metrics,
      participants,
      final,
    };
    if (final) {
      this.finalResult = result;
      for (const id of this.transport!.clientIds) this.finalSentTo.add(id);
    }
    this.transport!.broadcast({ roundResult: result });
    const traffic = this.transport!.traffic;
    plan.summary = {
      round: outcome.round,
      participants,
      stragglers: outcome.stragglers,
      rejected: outcome.rejected,
      excluded: plan.excluded,
      ...(plan.evaluation ? { accuracy: plan.evaluation.accuracy, loss: plan.evaluation.loss } : {}),
      bytesSent: traffic.bytesSent - plan.trafficAtStart.bytesSent,
      bytesReceived: traffic.bytesReceived - plan.trafficAtStart.bytesReceived,
      seconds: (Date.now() - outcome.startedAt) / 1000,
      aggregateSeconds: plan.aggregateSeconds,
      ...(plan.fusion ? { fusion: plan.fusion } : {}),
    };
    this.history.push(plan.summary);
  }

  private onCoordinatorEvent(e: CoordinatorEvent): void {
    switch (e.type) {
      case 'log':
        this.log(e.line);
        break;
      case 'phase':
        this.safeEmit('phase', { phase: e.phase, round: e.round });
        break;
      case 'round-started':
        this.log(`round ${e.round}: attempt ${e.attempt}, tasks to ${e.sampled.join(', ')}`);
        this.safeEmit('round-started', { round: e.round, attempt: e.attempt, sampled: e.sampled, deadlineUnixMs: e.deadline });
        break;
      case 'round-retried':
        this.safeEmit('round-retried', { round: e.round, attempt: e.attempt, received: e.received, needed: e.needed });
        break;
      case 'round-finished': {
        const summary = this.plan?.round === e.round ? this.plan.summary : undefined;
        if (summary) this.safeEmit('round-finished', summary);
        break;
      }
      case 'training-closed':
        break;
    }
  }

  // ---- clients -----------------------------------------------------------------------------------------------

  private onJoined(session: ClientSession, replaced: boolean): void {
    this.log(`client ${session.clientId} joined (${session.numSamples} examples)${replaced ? ', replacing its old connection' : ''}`);
    this.safeEmit('client-joined', { clientId: session.clientId, numSamples: session.numSamples, reconnected: replaced });
    this.joinedIds.add(session.clientId);
    if (!this.declaredExamples.has(session.clientId)) this.declaredExamples.set(session.clientId, session.numSamples);
    if (this.coordinator!.phase === 'finished') {
      // Late joiners (or clients reconnecting after the end, or after a restart past the last round) get the final model.
      this.finalResult ??= {
        round: this.history.at(-1)?.round ?? this.opts.rounds,
        globalModel: modelStateToPayload(this.globalState),
        metrics: {},
        participants: this.history.at(-1)?.participants ?? [],
        final: true,
      };
      if (session.send({ roundResult: this.finalResult })) this.finalSentTo.add(session.clientId);
      return;
    }
    this.coordinator!.clientJoined(session.clientId);
  }

  private onUpdate(session: ClientSession, msg: fedfuse.v1.IClientUpdate, bytes: number): void {
    const clientId = session.clientId;
    const round = msg.round ?? 0;
    const coordinator = this.coordinator!;
    if ((msg.clientId ?? '') !== clientId) {
      return this.rejectUpdate(
        session,
        round,
        ErrorCode.UNAUTHORIZED,
        `client ${clientId} may only send updates for itself, not for "${msg.clientId ?? ''}"`,
      );
    }
    const check = coordinator.checkUpdate(clientId, round);
    if (check.status === 'rejected') {
      const code = check.code === 'WRONG_ROUND' ? ErrorCode.WRONG_ROUND : ErrorCode.REJECTED_UPDATE;
      return this.rejectUpdate(session, round, code, check.reason);
    }
    let update: ClientUpdate;
    try {
      update = decodeClientUpdate(msg, clientId, session.labelHistogram, this.planFor(round).expectations);
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      return this.rejectUpdate(session, round, e.code, e.message);
    }
    // Exactly one update per client and round: the first one is validated, journaled, counted and acked; the same
    // update again is a resend (acked again), a different one is refused.
    const digest = updateDigest(update);
    const earlier = this.roundUpdates.get(clientId);
    if (earlier?.round === round) {
      // A failed check (e.g. of uploaded activations) costs the round: resending until a lucky sample passes is no way in.
      if (earlier.failedCheck) {
        return this.rejectUpdate(session, round, ErrorCode.REJECTED_UPDATE, `client ${clientId} failed the check of its update in round ${round}; it may send again in the next round`);
      }
      if (earlier.digest !== digest) {
        return this.rejectUpdate(session, round, ErrorCode.REJECTED_UPDATE, `client ${clientId} already sent a different update for round ${round}; only the first one counts`);
      }
      if (earlier.validating) {
        this.log(`round ${round}: duplicate update from ${clientId} while its first copy is validated (acknowledged with it)`);
        return;
      }
    }
    if (check.status === 'duplicate') {
      this.log(`round ${round}: duplicate update from ${clientId} ignored (acknowledged again)`);
      session.send({ updateAck: { round } });
      return;
    }
    this.roundUpdates.set(clientId, { round, digest, validating: true });
    void this.acceptUpdate(session, update, bytes);
  }

  private async acceptUpdate(session: ClientSession, update: ClientUpdate, bytes: number): Promise<void> {
    const { clientId, round } = update;
    const strategy = this.opts.strategy;
    if (strategy.validateUpdate) {
      try {
        await strategy.validateUpdate(this.planFor(round).ctx, update);
      } catch (e) {
        this.roundUpdates.set(clientId, { round, digest: '', validating: false, failedCheck: true });
        return this.rejectUpdate(session, round, ErrorCode.REJECTED_UPDATE, (e as Error).message);
      }
    }
    if (this.stopped) return;
    const journaled = await this.journalUpdate(update);
    if (this.stopped) return;
    const result = this.coordinator!.submitUpdate(clientId, round, update);
    if (result.status === 'rejected') {
      this.roundUpdates.delete(clientId);
      if (journaled) await this.journal!.remove(round, clientId).catch(() => {});
      const code = result.code === 'WRONG_ROUND' ? ErrorCode.WRONG_ROUND : ErrorCode.REJECTED_UPDATE;
      return this.rejectUpdate(session, round, code, result.reason);
    }
    this.roundUpdates.set(clientId, { round, digest: updateDigest(update), validating: false });
    // Ack through the current session: the client may have reconnected while the update was being validated.
    this.transport!.send(clientId, { updateAck: { round } });
    if (result.status === 'accepted') {
      this.log(`round ${round}: accepted update from ${clientId} (${update.numExamples} examples, ${bytes} bytes)`);
      this.safeEmit('update-accepted', { round, clientId, update, bytes });
    }
  }

  /**
   * Persists an update before it is acknowledged. Only a new update is written (a duplicate is already on disk).
   * When the write fails the update is still accepted, in memory only, and the failure reported loudly: a full
   * disk should not stop the federation, it only loses crash safety for this update.
   */
  private async journalUpdate(update: ClientUpdate): Promise<boolean> {
    if (!this.journal || this.coordinator!.checkUpdate(update.clientId, update.round).status !== 'accepted') return false;
    try {
      await this.journal.record(update, this.globalSha256());
      return true;
    } catch (e) {
      if (!(e instanceof DurableWriteError)) throw e;
      this.reportWriteFailure(update.round, 'journal', e, `the update of ${update.clientId} is accepted in memory only (lost if the server crashes)`);
      return false;
    }
  }

  /**
   * A rejected update is a protocol error of its connection (disconnect at maxProtocolErrors) and a count in the round
   * summary; the log lists a client's first few rejections per round, then says it stops listing them.
   */
  private rejectUpdate(session: ClientSession, round: number, code: fedfuse.v1.ErrorCode, reason: string): void {
    const codeName = ErrorCode[code] ?? String(code);
    const nth = this.coordinator?.noteRejected(session.clientId, codeName, reason) ?? 1;
    if (nth <= LOGGED_REJECTIONS_PER_ROUND) this.log(`round ${round}: rejected update from ${session.clientId}: ${codeName}: ${reason}`);
    if (nth === LOGGED_REJECTIONS_PER_ROUND) {
      const current = this.coordinator?.currentRound ?? round;
      this.log(`round ${current}: further rejected updates from ${session.clientId} in round ${current} are counted, not logged`);
    }
    session.refuse(code, reason, round);
    this.safeEmit('update-rejected', { round, clientId: session.clientId, code: codeName, reason });
  }

  /** Emits without letting a throwing listener break the server's own state handling. */
  private safeEmit<K extends keyof FederationServerEvents>(event: K, ...args: FederationServerEvents[K]): void {
    try {
      (this.emit as (e: K, ...a: FederationServerEvents[K]) => boolean)(event, ...args);
    } catch (e) {
      const line = `listener for '${String(event)}' threw: ${(e as Error).message}`;
      if (event !== 'log') this.log(line);
      else console.error(line);
    }
  }
}
