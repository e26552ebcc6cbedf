// The messages the load and soak benches exchange with their child processes over Node IPC: the server child
// (bench/lib/server-child.ts) and the client workers (bench/lib/client-worker.ts). Each child gets its config as
// one JSON argv argument and reports with process.send.
import type { TrainingConfig } from '../../server/strategies/strategy.js';
import type { ClusterEvent } from '../../server/cluster/cluster-host.js';
import type { ClusterOptions } from '../../server/cluster/cluster-options.js';
import type { RejectedUpdates } from '../../server/rounds/rejection-tally.js';
import type { RoundRow } from '../../server/rounds/round-row.js';

/** Token of a bench client: loopback only, so derived from the id on both sides. */
export const benchToken = (clientId: string): string => `bench-token-${clientId}`;
export const benchClientId = (i: number): string => `client-${String(i).padStart(3, '0')}`;

/** Local training both benches ask for: one epoch of plain SGD, no activations (the default scenario's settings). */
export const BENCH_TRAINING: TrainingConfig = {
  localEpochs: 1,
  batchSize: 32,
  learningRate: 0.05,
  optimizer: 'sgd',
  proximalMu: 0,
  sendActivations: false,
  importanceMethod: '',
  seed: 1,
  halfPrecision: false,
};

export interface ServerChildConfig {
  clients: number;
  rounds: number;
  widths: number[];
  strategy: { name: string; options?: Record<string, unknown> };
  training: TrainingConfig;
  roundDeadlineMs: number;
  clientsPerRound?: number;
  seed: number;
  /** MNIST test images the server evaluates the global model on after every round (0 = no evaluation). */
  evalSize: number;
  /** MNIST training images (from index 55,000, never a client's) the server sends as probe set (0 = none). */
  probeSize: number;
  /** How often to sample memory for the peak, ms. */
  sampleMs: number;
  /** Run a full GC before each per-round memory sample (needs --expose-gc), so the curve shows retained memory. */
  gcEachRound: boolean;
  /** Cluster mode: this server is one node of a federation in Redis (the cluster bench, the fault campaign). */
  cluster?: ClusterOptions;
  /** The port to listen on (default 0, any free one): a node restarted by the fault campaign keeps its address. */
  port?: number;
  /** Clients that must be connected before a round starts (default `clients`: all of them). */
  minClients?: number;
  /** socket.io ping interval (a frozen server is noticed by its clients after about this + max(this, 5 s)). */
  heartbeatMs?: number;
  /** Clients expected at this server (default `clients`): 'all-joined' says when that many joined here. */
  expectedJoins?: number;
}

export interface MemorySample {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  numTensors: number;
  tfBytes: number;
}

/**
 * A finished round as the benches record it: the round's row (its `seconds` the server's own round time, first task
 * sent → result broadcast) without the fusion part, its rejected updates kept per reason (see RoundSummary.rejected),
 * and the bench's own timings and memory.
 */
export interface RoundReport extends Omit<RoundRow, 'rejected' | 'fusion'> {
  rejected: RejectedUpdates[];
  startedAtMs: number;
  finishedAtMs: number;
  /** After the round (after a GC when gcEachRound). */
  memory: MemorySample;
}

export type ServerMessage =
  | { type: 'listening'; url: string; backend: string; memory: MemorySample }
  | { type: 'all-joined'; atMs: number; joined: number }
  | { type: 'round'; report: RoundReport }
  | { type: 'rejected'; round: number; clientId: string; code: string; reason: string }
  | { type: 'finished'; atMs: number; peak: MemorySample; logLines: number }
  | { type: 'after'; memory: MemorySample; peak: MemorySample }
  | { type: 'failed'; message: string }
  | { type: 'cluster'; event: ClusterEvent; atMs: number }
  | { type: 'round-started'; round: number; attempt: number; atMs: number }
  | { type: 'phase'; round: number; phase: string; atMs: number }
  /** Sent right before the node SIGKILLs itself (dieWhenAggregating). */
  | { type: 'dying'; round: number; atMs: number }
  | { type: 'traffic'; bytesSent: number; bytesReceived: number };

/** Parent → server child. The cluster bench's failover run tells the leader to SIGKILL itself when it starts aggregating `round`. */
export type ServerCommand = { type: 'measure-after-and-exit' } | { type: 'die-when-aggregating'; round: number };

export interface ClientWorkerConfig {
  url: string;
  /** Cluster nodes: client i tries urls[i mod n] first, then the others in order (its list rotated). */
  urls?: string[];
  /** Index of the first client of this worker; its ids are benchClientId(first .. first + count - 1). */
  first: number;
  count: number;
  /** MNIST training images per client; client i gets images [i × perClient, (i + 1) × perClient). */
  perClient: number;
}

export interface ClientRoundTiming {
  round: number;
  /** Local training (task received → trained), ms. */
  trainMs: number;
  /** Trained → server's ack (encode, send, server decode/validate, ack back), ms. */
  uploadToAckMs: number;
}

/** Parent → client worker: start joining (sent to all workers at once, after each said 'ready'). */
export type WorkerCommand = { type: 'go' };

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'joined'; clientId: string; joinMs: number; atMs: number }
  | { type: 'client-error'; clientId: string; code: string; message: string; round: number }
  | { type: 'client-done'; clientId: string; ok: boolean; reason?: string; rounds: ClientRoundTiming[] }
  | { type: 'worker-done'; rssPeak: number };
