// What an app embeds to take part in a federation: connects over socket.io, joins with its token, and for every
// task trains the global model on its local data, uploads the result and waits for the ack. Survives connection
// drops (reconnects, rejoins and receives the current task again if still due). Browser-safe: imports only this
// package, TF.js, socket.io-client and protobufjs, never server code.
import * as tf from '#tf';
import { io, type Socket } from 'socket.io-client';
import './proto/protobuf-runtime.js';
import { fedfuse } from './proto/generated/fedfuse.js';
import { PROTOCOL_VERSION } from './proto/envelope.js';
import { encodeFloatTensor } from './proto/tensor-codec.js';
import { payloadToModelState } from './proto/model-payload.js';
import { DEFAULT_CHUNK_BYTES, EnvelopeChannel } from './transport/envelope-channel.js';
import type { ModelState } from './model/model-state.js';
import { readWeights, writeWeights, type WeightTensor } from './model/weights.js';
import { trainLocally, type LocalTrainingResult } from './training/local-training.js';
import type { TrainingConfig, TrainingProgress } from './training/training-config.js';
import { computeProbeOutputs, type ImportanceFunction } from './training/probe-outputs.js';
import { hashString, mixSeed } from './training/seeded-random.js';
import { TypedEmitter } from './typed-emitter.js';
import { modelFromTopology } from './model-from-topology.js';
import { parseTaskConfig } from './task-config.js';
import { ProbeCache, type ProbeSetData } from './probe-cache.js';

const ErrorCode = fedfuse.v1.ErrorCode;

export interface LocalData {
  /** Examples, first axis = example, the rest = the model's input shape. */
  xs: tf.Tensor;
  /** Integer class ids. */
  ys: tf.Tensor1D;
  numClasses: number;
}

export interface FederatedClientOptions {
  /**
   * The server, or several nodes of one cluster (any of them takes the client): on every reconnect attempt the
   * client tries the next URL of the list, so it moves to a live node when its node goes away. One URL behind a
   * load balancer works too.
   */
  serverUrl: string | string[];
  clientId: string;
  token: string;
  data: LocalData;
  /** Optional: build the model locally (must match the server's topology); default: rebuilt from the task's topology. */
  createModel?: () => tf.LayersModel;
  reconnect?: { retries?: number; delayMs?: number };
  /** Largest message sent or accepted. Default 256 MiB. */
  maxMessageBytes?: number;
  chunkBytes?: number;
  logger?: (line: string) => void;
  /** Importance scores (default: importance/'s computeImportance). */
  importance?: ImportanceFunction;
  /**
   * Heterogeneous federations (device tiers): the tier this client runs, by the server's name for it. The server
   * refuses the join (NO_FITTING_TIER) when it has no such tier.
   */
  tier?: string;
  /**
   * Heterogeneous federations: the largest model this device can train, in parameters. The server gives the client
   * the largest tier whose model fits, and refuses the join (NO_FITTING_TIER) when none does.
   */
  maxParameters?: number;
  /**
   * TLS trust for an https:// server, Node only (a browser uses its own trust store and ignores this): `ca` is the
   * PEM certificate(s) to trust, e.g. a self-signed server certificate; `rejectUnauthorized: false` accepts any
   * certificate (testing only).
   */
  tls?: { ca?: string | string[]; rejectUnauthorized?: boolean };
  /**
   * For simulations and tests only (e.g. a poisoning attacker against the server's defences): replaces the trained
   * weights before they are uploaded. `global` is the model the task sent. An app leaves this unset.
   */
  transformUpdate?: (update: { round: number; weights: WeightTensor[]; global: ModelState }) => WeightTensor[];
}

export interface FederatedClientEvents {
  task: { round: number; config: TrainingConfig; deadlineUnixMs: number; resent: boolean };
  /** After every batch of local training. */
  progress: { round: number } & TrainingProgress;
  trained: { round: number; result: LocalTrainingResult; seconds: number };
  uploaded: { round: number; bytes: number };
  model: { round: number; final: boolean; metrics: Record<string, number>; participants: string[] };
  /** A server error reply (code = its ErrorCode name), or CLIENT_FAILED for this client's own failure (also reported to the server). */
  error: { code: string; message: string; round: number };
  disconnected: { reason: string };
  reconnected: { round: number };
  /**
   * A delay the server explains, not an error: 'waiting-for-store' (the update is received, its ack waits until the
   * server's store has it) or 'join-deferred' (the server cannot take clients now; the Join is sent again after
   * `retryAfterMs`).
   */
  status: { state: 'waiting-for-store' | 'join-deferred'; message: string; round: number; retryAfterMs?: number };
}

/** The last update this client trained, kept until the next round's so it can be re-sent instead of retrained. */
interface LastUpdate {
  round: number;
  /** Deadline of the task it answers: the same task re-sent after a reconnect carries the same deadline. */
  deadline: number;
  body: fedfuse.v1.IEnvelope;
  bytes: number;
  /** Acknowledged (or rejected) by the server: no need to send it again for this task. */
  settled: boolean;
}

/** Loaded on first use: only clients of fusion strategies need importance scores (bundlers split it out). */
const defaultImportance: ImportanceFunction = async (model, probeX, labels, method) => {
  const { computeImportance, IMPORTANCE_METHODS } = await import('./importance/index.js');
  const known = IMPORTANCE_METHODS.find((m) => m === method);
  if (!known) throw new Error(`the server asked for unknown importance method "${method}" (known: ${IMPORTANCE_METHODS.join(', ')})`);
  return computeImportance(model, probeX, labels, known);
};

/** A client's error message travels to the server up to this length. */
const MAX_REPORTED_ERROR_CHARS = 1000;

/** Errors after which rejoining cannot help. */
const FATAL_CODES = new Set<number>([ErrorCode.UNAUTHORIZED, ErrorCode.PROTOCOL_VERSION, ErrorCode.NO_FITTING_TIER]);

/** The URLs a client may connect to, in the order it tries them. */
function serverUrls(serverUrl: string | string[]): string[] {
  const urls = Array.isArray(serverUrl) ? serverUrl : [serverUrl];
  if (urls.length === 0 || urls.some((u) => typeof u !== 'string' || u === '')) throw new Error('FederatedClient needs a serverUrl (or a non-empty list of them)');
  return urls;
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {}); // may legitimately never be awaited
  return { promise, resolve, reject };
}

export class FederatedClient extends TypedEmitter<FederatedClientEvents> {
  private readonly opts: FederatedClientOptions;
  private readonly log: (line: string) => void;
  private socket: Socket | undefined;
  private channel: EnvelopeChannel | undefined;
  private modelValue: tf.LayersModel | undefined;
  private modelTopology: string | undefined;
  /** Task and round-result handling run one after another: a model is never overwritten mid-training. */
  private work: Promise<void> = Promise.resolve();
  private lastUpdate: LastUpdate | undefined;
  /** Joined on the current connection (uploads wait for this after a reconnect). */
  private joinedNow = false;
  private everJoined = false;
  private closed = false;
  private finalModel: ModelState | undefined;
  private readonly startup = deferred<void>();
  private readonly done = deferred<tf.LayersModel>();
  private readonly probes = new ProbeCache();
  /** Round of the task being worked on, for error reports. */
  private taskRound = 0;
  private numSamples = 0;
  /** Aborted by stop(), so a stopping client does not finish a long local training first. */
  private readonly abort = new AbortController();
  private histogram: number[] = [];
  private readonly urls: string[];
  private urlIndex = 0;
  private tierValue: { name: string; parameters: number } | undefined;
  private rejoinTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(opts: FederatedClientOptions) {
    super();
    if (!opts.clientId) throw new Error('FederatedClient needs a clientId');
    this.urls = serverUrls(opts.serverUrl);
    if (opts.maxParameters !== undefined && !(Number.isSafeInteger(opts.maxParameters) && opts.maxParameters > 0)) {
      throw new Error(`FederatedClient option maxParameters must be a positive integer, got ${opts.maxParameters}`);
    }
    if (opts.data.xs.shape[0] !== opts.data.ys.shape[0]) {
      throw new Error(`local data has ${opts.data.xs.shape[0]} examples but ${opts.data.ys.shape[0]} labels`);
    }
    this.opts = opts;
    this.log = opts.logger ?? ((line) => console.log(`[fedfuse client ${opts.clientId}] ${line}`));
  }

  /** Heterogeneous federations: the tier the server gave this client when it joined (its model's size), if any. */
  get tier(): { name: string; parameters: number } | undefined {
    return this.tierValue;
  }

  /** The latest global model applied (or being trained). */
  get model(): tf.LayersModel | undefined {
    return this.modelValue;
  }

  /** Connects and joins; resolves after the server's Welcome, rejects with the server's error (e.g. a bad token). */
  async start(): Promise<void> {
    if (this.socket) throw new Error('FederatedClient.start() was already called');
    const labels = this.opts.data.ys.dataSync();
    this.numSamples = labels.length;
    this.histogram = new Array<number>(this.opts.data.numClasses).fill(0);
    for (const y of labels) {
      if (!(y >= 0 && y < this.opts.data.numClasses && Number.isInteger(y))) {
        throw new Error(`local label ${y} is not a class id in [0, ${this.opts.data.numClasses})`);
      }
      this.histogram[y]++;
    }
    const socket = io(this.urls[0], {
      transports: ['websocket'],
      forceNew: true,
      reconnection: true,
      reconnectionAttempts: this.opts.reconnect?.retries ?? 20,
      reconnectionDelay: this.opts.reconnect?.delayMs ?? 500,
      reconnectionDelayMax: Math.max(this.opts.reconnect?.delayMs ?? 500, 5_000),
      autoConnect: false,
      ...(this.opts.tls?.ca !== undefined ? { ca: this.opts.tls.ca } : {}),
      ...(this.opts.tls?.rejectUnauthorized !== undefined ? { rejectUnauthorized: this.opts.tls.rejectUnauthorized } : {}),
    });
    const channel = new EnvelopeChannel(socket, {
      maxMessageBytes: this.opts.maxMessageBytes ?? 256 * 1024 * 1024,
      chunkBytes: this.opts.chunkBytes ?? DEFAULT_CHUNK_BYTES,
    });
    this.socket = socket;
    this.channel = channel;
    channel.onEnvelope((env) => this.onEnvelope(env));
    channel.onProtocolError((err) => {
      this.log(`bad message from server: ${err.codeName}: ${err.message}`);
      if (!this.everJoined) this.fail(new Error(`handshake with ${this.serverName} failed: the server's reply is not a valid fedfuse message: ${err.codeName}: ${err.message}`));
    });
    socket.on('connect', () => this.onConnect());
    // socket.io's Manager opens every attempt at its `uri`: with several URLs each attempt goes to the next one.
    if (this.urls.length > 1) socket.io.on('reconnect_attempt', () => this.nextUrl());
    socket.on('disconnect', (reason) => this.onDisconnect(reason));
    socket.io.on('reconnect_failed', () =>
      this.fail(new Error(`could not reach ${this.serverName} after ${this.opts.reconnect?.retries ?? 20} reconnection attempts`)),
    );
    socket.connect();
    return this.startup.promise;
  }

  /**
   * Resolves with the final global model once the server broadcasts it: this client's own model, which it no longer
   * touches after that (dispose it when done). Rejects if the client fails or is stopped first.
   */
  finished(): Promise<tf.LayersModel> {
    return this.done.promise;
  }

  /** The final global model as data (topology JSON + weights), once finished; `stateToModel` builds another copy. */
  get finalState(): ModelState | undefined {
    return this.finalModel;
  }

  async stop(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.rejoinTimer);
    this.abort.abort();
    this.startup.reject(new Error('the client was stopped before it joined'));
    this.done.reject(new Error('the client was stopped before the federation finished'));
    this.channel?.close();
    this.socket?.disconnect();
    this.socket?.io.engine?.close();
    await this.work.catch(() => {});
  }

  // ---- connection ----------------------------------------------------------------------------------------------

  private onConnect(): void {
    this.channel!.reset();
    this.joinedNow = false;
    this.sendJoin();
  }

  private sendJoin(): void {
    clearTimeout(this.rejoinTimer);
    this.sendNow({
      join: {
        protocolVersion: PROTOCOL_VERSION,
        clientId: this.opts.clientId,
        authToken: this.opts.token,
        numSamples: this.numSamples,
        labelHistogram: this.histogram,
        ...(this.opts.tier !== undefined ? { tier: this.opts.tier } : {}),
        ...(this.opts.maxParameters !== undefined ? { maxParameters: this.opts.maxParameters } : {}),
      },
    });
  }

  private onDisconnect(reason: string): void {
    this.joinedNow = false;
    this.channel?.reset();
    if (this.closed) return;
    this.log(`disconnected (${reason})`);
    this.emit('disconnected', { reason });
    if (reason === 'io server disconnect') {
      // The server closed this socket (e.g. it restarted); socket.io does not retry that by itself.
      setTimeout(() => {
        if (this.closed) return;
        if (this.urls.length > 1) this.nextUrl();
        this.socket?.connect();
      }, this.opts.reconnect?.delayMs ?? 500);
    }
  }

  /** The server's URL, or the list of them, for messages. */
  private get serverName(): string {
    return this.urls.join(' or ');
  }

  private nextUrl(): void {
    this.urlIndex = (this.urlIndex + 1) % this.urls.length;
    (this.socket!.io as unknown as { uri: string }).uri = this.urls[this.urlIndex];
    this.log(`trying ${this.urls[this.urlIndex]}`);
  }

  /** Sends only on a live connection: socket.io would otherwise buffer and replay frames before our Join. */
  private sendNow(body: fedfuse.v1.IEnvelope): number | undefined {
    if (this.closed || !this.socket?.connected || !this.channel) return undefined;
    try {
      return this.channel.send(body);
    } catch (e) {
      this.log(`could not send ${Object.keys(body).join(',')}: ${(e as Error).message}`);
      return undefined;
    }
  }

  private fail(err: Error): void {
    if (this.closed) return;
    this.log(err.message);
    this.startup.reject(err);
    this.done.reject(err);
    void this.stop();
  }

  // ---- messages ------------------------------------------------------------------------------------------------

  private onEnvelope(env: fedfuse.v1.Envelope): void {
    if (!this.everJoined && env.body !== 'welcome' && env.body !== 'error' && env.body !== 'heartbeat' && env.body !== 'serverStatus') {
      this.fail(new Error(`handshake with ${this.serverName} failed: the server answered Join with ${env.body} instead of Welcome`));
      return;
    }
    switch (env.body) {
      case 'welcome':
        return this.onWelcome(env.welcome!);
      case 'error':
        return this.onServerError(env.error!);
      case 'trainTask': {
        const task = env.trainTask!;
        this.enqueue(() => this.runTask(task));
        return;
      }
      case 'updateAck':
        return this.onAck(env.updateAck!.round ?? 0);
      case 'roundResult': {
        const result = env.roundResult!;
        this.enqueue(() => this.applyRoundResult(result));
        return;
      }
      case 'heartbeat':
        return;
      case 'serverStatus':
        return this.onServerStatus(env.serverStatus!);
      default:
        this.log(`ignoring unexpected ${env.body} message from the server`);
    }
  }

  private onWelcome(w: fedfuse.v1.IWelcome): void {
    if (!this.everJoined && w.protocolVersion !== PROTOCOL_VERSION) {
      this.fail(new Error(`server welcomed client ${this.opts.clientId} with protocol version ${w.protocolVersion}, this client speaks ${PROTOCOL_VERSION}`));
      return;
    }
    this.joinedNow = true;
    const round = w.currentRound ?? 0;
    if (w.tier) this.tierValue = { name: w.tier, parameters: Number(w.tierParameters ?? 0) };
    if (!this.everJoined) {
      this.everJoined = true;
      this.log(`joined${w.tier ? ` as tier ${w.tier} (${Number(w.tierParameters ?? 0)} parameters)` : ''}; server at round ${round} of ${w.totalRounds ?? 0}`);
      this.startup.resolve();
    } else {
      this.log(`rejoined; server at round ${round}`);
      this.emit('reconnected', { round });
    }
  }

  private onServerError(e: fedfuse.v1.IError): void {
    const code = e.code ?? ErrorCode.UNKNOWN;
    const codeName = ErrorCode[code] ?? String(code);
    const message = e.message ?? '';
    const round = e.round ?? 0;
    if (FATAL_CODES.has(code)) {
      this.fail(new Error(`server refused client ${this.opts.clientId}: ${codeName}: ${message}`));
      return;
    }
    if (code === ErrorCode.UNAVAILABLE) return this.onUnavailable(message, round, e.retryAfterMs ?? 0);
    this.log(`server error ${codeName}${round ? ` (round ${round})` : ''}: ${message}`);
    if (this.lastUpdate?.round === round) this.lastUpdate.settled = true; // rejected: sending it again would not help
    this.emit('error', { code: codeName, message, round });
  }

  /** The server cannot take this client now (its store is down): a delay, not an error; the Join goes again later. */
  private onUnavailable(message: string, round: number, retryAfterMs: number): void {
    const delay = retryAfterMs > 0 ? retryAfterMs : this.opts.reconnect?.delayMs ?? 500;
    this.log(`server unavailable: ${message}; joining again in ${delay} ms`);
    this.emit('status', { state: 'join-deferred', message, round, retryAfterMs: delay });
    if (this.joinedNow) return;
    clearTimeout(this.rejoinTimer);
    this.rejoinTimer = setTimeout(() => {
      if (!this.closed && !this.joinedNow) this.sendJoin();
    }, delay);
  }

  private onServerStatus(s: fedfuse.v1.IServerStatus): void {
    const round = s.round ?? 0;
    const message = s.message ?? '';
    if (s.state !== fedfuse.v1.ServerState.WAITING_FOR_STORE) {
      this.log(`ignoring server status ${s.state ?? 0}: ${message}`);
      return;
    }
    this.log(`round ${round}: ${message}`);
    this.emit('status', { state: 'waiting-for-store', message, round });
  }

  private onAck(round: number): void {
    const last = this.lastUpdate;
    if (!last || last.round !== round || last.settled) return;
    last.settled = true;
    this.log(`round ${round}: update acknowledged`);
    this.emit('uploaded', { round, bytes: last.bytes });
  }

  private enqueue(job: () => Promise<void>): void {
    this.work = this.work.then(job).catch((e: Error) => {
      if (this.closed) return;
      const round = this.taskRound;
      this.log(`error${round ? ` (round ${round})` : ''}: ${e.message}`);
      // The server's log (and whoever watches it) learns why this client will not deliver.
      this.sendNow({ error: { code: ErrorCode.CLIENT_FAILED, message: e.message.slice(0, MAX_REPORTED_ERROR_CHARS), round } });
      this.emit('error', { code: 'CLIENT_FAILED', message: e.message, round });
    });
  }

  // ---- tasks ---------------------------------------------------------------------------------------------------

  private async runTask(task: fedfuse.v1.ITrainTask): Promise<void> {
    if (this.closed) return;
    const round = task.round ?? 0;
    this.taskRound = round;
    const config = parseTaskConfig(task.config);
    const deadlineUnixMs = Number(task.deadlineUnixMs ?? 0);
    const last = this.lastUpdate;
    if (last && round < last.round) return; // stale
    if (last && round === last.round) {
      // A task we already trained for. The same task re-sent after a reconnect (same deadline) needs the update only
      // if it was never acknowledged; a new deadline means the server lacks it (a retry, or a restarted server that
      // resumed from its checkpoint with the same global model), so send it again rather than retrain.
      if (last.settled && last.deadline === deadlineUnixMs) return;
      this.emit('task', { round, config, deadlineUnixMs, resent: true });
      this.log(`round ${round}: task received again; re-sending the trained update`);
      last.deadline = deadlineUnixMs;
      last.settled = false;
      this.sendLastUpdate();
      return;
    }
    // The probe set is checked before training, so a bad or missing one costs no training.
    let probe: ProbeSetData | undefined;
    if (config.sendActivations || config.importanceMethod !== '') {
      const found = this.probes.lookup(task);
      if (!found.ok) {
        // Not held (a new client process, or another set): the server answers with the task again, probe included.
        this.log(`round ${round}: the task names probe set ${found.missingSha256.slice(0, 12)}…, which this client does not hold; asking the server for it`);
        this.sendNow({ probeRequest: { round, probeSha256: found.missingSha256 } });
        return;
      }
      probe = found.probe;
    }
    const global = payloadToModelState(task.globalModel ?? {});
    const model = await this.applyModel(global);
    this.emit('task', { round, config, deadlineUnixMs, resent: false });

    const started = performance.now();
    const result = await trainLocally(model, this.opts.data, {
      localEpochs: config.localEpochs,
      batchSize: config.batchSize,
      learningRate: config.learningRate,
      optimizer: config.optimizer,
      proximalMu: config.proximalMu,
      seed: mixSeed(config.seed, round, hashString(this.opts.clientId)),
    }, { signal: this.abort.signal, onProgress: (p) => this.emit('progress', { round, ...p }) });
    const seconds = (performance.now() - started) / 1000;
    if (this.closed) return;
    this.log(`round ${round}: trained ${result.steps} steps in ${seconds.toFixed(1)} s, local loss ${result.loss.toFixed(4)}`);
    this.emit('trained', { round, result, seconds });

    const half = config.halfPrecision;
    const trained = readWeights(model);
    const diverged = trained.find((w) => w.values.some((v) => !Number.isFinite(v)));
    if (diverged) {
      throw new Error(`round ${round}: local training diverged (weight ${diverged.name} is not finite, learning rate ${config.learningRate}); not uploading`);
    }
    const weights = this.opts.transformUpdate ? this.opts.transformUpdate({ round, weights: trained, global }) : trained;
    const update: fedfuse.v1.IClientUpdate = {
      round,
      clientId: this.opts.clientId,
      weights: weights.map((w) => encodeFloatTensor(w.name, w.shape, w.values, { half })),
      numExamples: result.numExamples,
      metrics: { train_loss: result.loss, train_accuracy: result.accuracy },
    };
    if (probe) {
      const outputs = await this.probeOutputs(model, probe, config);
      update.activations = outputs.activations.map((a, l) => encodeFloatTensor(`level_${l}`, a.shape, a.values, { half }));
      update.importance = outputs.importance.map((s, l) => encodeFloatTensor(`importance_${l}`, [s.length], s, { half }));
    }
    this.lastUpdate = { round, deadline: deadlineUnixMs, body: { clientUpdate: update }, bytes: 0, settled: false };
    this.sendLastUpdate();
  }

  private async probeOutputs(model: tf.LayersModel, probe: ProbeSetData, config: TrainingConfig) {
    const x = tf.tensor(probe.x.values, probe.x.shape, 'float32');
    try {
      return await computeProbeOutputs(
        model,
        x,
        probe.y,
        { activations: config.sendActivations, importanceMethod: config.importanceMethod },
        this.opts.importance ?? defaultImportance,
      );
    } finally {
      x.dispose();
    }
  }

  private sendLastUpdate(): void {
    const last = this.lastUpdate;
    if (!last) return;
    if (!this.joinedNow) {
      this.log(`round ${last.round}: not connected; the update goes out after rejoining if the round still wants it`);
      return;
    }
    const bytes = this.sendNow(last.body);
    if (bytes !== undefined) {
      last.bytes = bytes;
      this.log(`round ${last.round}: uploaded ${bytes} bytes`);
    }
  }

  /**
   * Puts `state` into the local model, building the model first if needed. A model built from a new topology
   * replaces the current one only once the weights fit it, so a bad model never becomes the client's model.
   */
  private async applyModel(state: ModelState): Promise<tf.LayersModel> {
    if (this.modelValue && (this.opts.createModel || this.modelTopology === state.topologyJson)) {
      writeWeights(this.modelValue, state.weights);
      return this.modelValue;
    }
    if (this.opts.createModel) {
      this.modelValue = this.opts.createModel();
      this.modelTopology = state.topologyJson;
      writeWeights(this.modelValue, state.weights);
      return this.modelValue;
    }
    // The topology may only declare as many weight values as the server actually sent (nothing else is allocated).
    const sent = state.weights.reduce((n, w) => n + w.values.length, 0);
    const next = await modelFromTopology(state.topologyJson, sent);
    try {
      writeWeights(next, state.weights);
    } catch (e) {
      next.dispose();
      throw e;
    }
    this.modelValue?.dispose();
    this.modelValue = next;
    this.modelTopology = state.topologyJson;
    return next;
  }

  private async applyRoundResult(result: fedfuse.v1.IRoundResult): Promise<void> {
    if (this.closed && !result.final) return;
    const round = result.round ?? 0;
    const final = result.final ?? false;
    const state = payloadToModelState(result.globalModel ?? {});
    await this.applyModel(state);
    const metrics = { ...(result.metrics ?? {}) } as Record<string, number>;
    this.emit('model', { round, final, metrics, participants: [...(result.participants ?? [])] });
    if (final && !this.finalModel) {
      this.finalModel = state;
      this.log(`federation finished after round ${round}`);
      this.done.resolve(this.modelValue!);
      // Nothing more will come: leave, so the server need not wait for us and socket.io stops reconnecting.
      this.closed = true;
      this.startup.resolve();
      this.channel?.close();
      this.socket?.disconnect();
    }
  }
}
