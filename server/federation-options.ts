// What a FederationServer is given (everything a deployment changes), and the checks on it before anything starts.
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import type { TokenSpec } from './auth/token-registry.js';
import { validateJoinThrottle, type JoinThrottleOptions } from './auth/join-throttle.js';
import type { SyncedFileWriter } from './checkpoint/synced-write.js';
import { MIN_CHECKPOINT_KEY_BYTES } from './checkpoint/checkpoint-store.js';
import { validateRateLimit, type RateLimit } from './limits/token-bucket.js';
import { TrustedProxies } from './transport/client-address.js';
import { parseScreeningOptions, type ScreeningOptions } from './defence/screening-options.js';
import { exampleWeightOptionsSchema, type ExampleWeightOptions, type ExampleWeightSettings } from './defence/example-weights.js';
import type { ClusterOptions } from './cluster/cluster-options.js';
import type { AggregationSettings } from './aggregation/aggregate-round.js';
import { parseBanOptions, type banOptionsSchema } from './defence/client-bans.js';
import type { z } from 'zod';
import type { RoundSettings } from './rounds/round-coordinator.js';
import type { ProbeSet, Strategy, TrainingConfig } from './strategies/strategy.js';
import { parseTiers, type TierSpec } from './tiers/tier-options.js';

export type BanOptions = z.input<typeof banOptionsSchema>;

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
  /**
   * Signs every checkpoint (HMAC-SHA256 of its manifest) with this key, and resumes only from checkpoints signed with
   * it: a consistent forgery by someone who can write checkpointDir but lacks the key is skipped as tampering. At least
   * 16 bytes; `fedfuse serve` reads it from checkpointKeyFile or FEDFUSE_CHECKPOINT_KEY.
   */
  checkpointKey?: string | Buffer;
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
  /**
   * Joined clients at most (of this node, in a cluster: cluster.maxClients caps all nodes together); a Join beyond it
   * gets a SERVER_FULL error. Default: unlimited.
   */
  maxClients?: number;
  /** Per-client envelope rate (token bucket); over it → RATE_LIMITED, persistent abuse → disconnect. Default: none. */
  rateLimit?: RateLimit;
  /** Protocol errors (bad frames, malformed envelopes) one connection may cause before it is disconnected. Default 50. */
  maxProtocolErrors?: number;
  /** Serve https/wss with this PEM key and certificate (start() then returns an https:// url). */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /**
   * Backoff on failed joins: after `freeFailures` (5) failures from one address, its joins are refused unchecked for
   * baseMs (1 s), doubling per failure up to maxMs (60 s); after as many failures for one client id, its joins from
   * other addresses are checked after the same backoff, capped at idDelayMaxMs (10 s): delayed, never refused.
   */
  joinBackoff?: JoinThrottleOptions;
  /**
   * Reverse proxies in front of the server (IPs or CIDR ranges, IPv4 or IPv6): a socket from one of them is limited
   * (failed-join backoff) under the address its X-Forwarded-For gives, the right-most entry that is not a trusted
   * proxy. Anyone else's X-Forwarded-For is ignored. Default: none (the socket's own peer address).
   */
  trustProxy?: string[];
  /**
   * The defence (server/defence/), on by default: weights beyond maxAbsWeight refused at decode; updates whose
   * distance from the global model is many times the round's median left out (and, when configured, norm outliers
   * by MAD and updates whose probe accuracy is far below the others'; never a majority); a candidate far worse than
   * the previous model on held-out probe rows not published. 'off', or `norm: false` etc., switches parts off.
   */
  defence?: ScreeningOptions;
  /**
   * Bounds on the example count an update is weighed with, for every strategy: at most what its client declared when
   * it first joined, at most `maxExamples`, and (when set) at most `medianMultiple` × the round's median claimed count.
   */
  exampleWeights?: ExampleWeightOptions;
  /**
   * Client bans: a client whose update was refused as bad or excluded by the screening in `offences` of the last
   * `withinRounds` rounds is left out of the next `forRounds` rounds (not sampled; told with a BANNED error). Off unless
   * given. The bans follow from the round summaries, so they survive a restart (checkpoint or Redis).
   */
  bans?: BanOptions;
  /**
   * Cluster mode: this server is one node of a federation whose state lives in Redis (see README, "Several
   * nodes"). Every node takes clients; one at a time leads the rounds. Excludes checkpointDir (Redis holds it all).
   */
  cluster?: ClusterOptions;
  /**
   * Device tiers (a heterogeneous federation): each tier trains the global architecture at a width rate; a joining
   * client gets the tier it names or the largest that fits its parameter limit. The strategy derives each tier's model
   * from the global model every round and fuses updates of every width into it (neuron-interpolation, heterofl,
   * fedrolex). `share` is not used by the server.
   */
  tiers?: TierSpec[];
  logger?: (line: string) => void;
}

/** How the rounds run: what the local RoundCoordinator and a cluster's leader are both given. */
export function roundSettings(o: FederationServerOptions): RoundSettings {
  return { rounds: o.rounds, minClients: o.minClients, clientsPerRound: o.clientsPerRound, minUpdates: o.minUpdates, deadlineMs: o.roundDeadlineMs, seed: o.seed };
}

export function parseExampleWeights(raw: ExampleWeightOptions | undefined): ExampleWeightSettings {
  const parsed = exampleWeightOptionsSchema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`FederationServer option exampleWeights.${issue.path.join('.')}: ${issue.message}`);
}

/** What every round's aggregation is given: the strategy, and the defence screening and example-weight bounds parsed. */
export function aggregationSettings(o: FederationServerOptions): AggregationSettings {
  return {
    strategy: o.strategy,
    screening: parseScreeningOptions(o.defence, 'FederationServer option defence'),
    exampleWeights: parseExampleWeights(o.exampleWeights),
    probe: o.probe,
    minUpdates: o.minUpdates ?? 1,
  };
}

export function validateOptions(o: FederationServerOptions): void {
  const positiveInt = (v: number, name: string) => {
    if (!Number.isInteger(v) || v < 1) throw new Error(`FederationServer option ${name} must be a positive integer, got ${v}`);
  };
  positiveInt(o.rounds, 'rounds');
  positiveInt(o.minClients, 'minClients');
  if (o.minUpdates !== undefined) positiveInt(o.minUpdates, 'minUpdates');
  if (o.maxClients !== undefined) {
    positiveInt(o.maxClients, 'maxClients');
    // maxClients is per node; in a cluster minClients counts the clients of all nodes.
    if (o.maxClients < o.minClients && o.cluster === undefined) {
      throw new Error(`FederationServer option maxClients (${o.maxClients}) is below minClients (${o.minClients}): no round could ever start`);
    }
  }
  if (o.maxProtocolErrors !== undefined) positiveInt(o.maxProtocolErrors, 'maxProtocolErrors');
  if (o.maxPendingUploadBytes !== undefined) positiveInt(o.maxPendingUploadBytes, 'maxPendingUploadBytes');
  if (o.transferTimeoutMs !== undefined) positiveInt(o.transferTimeoutMs, 'transferTimeoutMs');
  if (o.rateLimit !== undefined) validateRateLimit(o.rateLimit, 'FederationServer option');
  if (o.joinBackoff !== undefined) validateJoinThrottle(o.joinBackoff, 'FederationServer option joinBackoff');
  // Throws naming the first entry that is not an IP address or CIDR range.
  if (o.trustProxy !== undefined) new TrustedProxies(o.trustProxy, 'FederationServer option trustProxy');
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
  if (o.checkpointKey !== undefined) {
    if (o.checkpointDir === undefined) throw new Error('FederationServer option checkpointKey goes with checkpointDir (it signs the checkpoints written there)');
    const bytes = Buffer.from(o.checkpointKey).length;
    if (bytes < MIN_CHECKPOINT_KEY_BYTES) throw new Error(`FederationServer option checkpointKey is ${bytes} bytes; at least ${MIN_CHECKPOINT_KEY_BYTES} are needed`);
  }
  if (o.cluster !== undefined && o.checkpointDir !== undefined) {
    throw new Error('FederationServer options cluster and checkpointDir exclude each other: in cluster mode Redis holds the rounds and the updates');
  }
  if (o.tiers !== undefined) {
    parseTiers(o.tiers, 'FederationServer option');
    if (o.cluster !== undefined) throw new Error('FederationServer options tiers and cluster exclude each other: a tiered federation runs on one node');
  }
  const defence = parseScreeningOptions(o.defence, 'FederationServer option defence');
  if (defence.probeAccuracy && !o.probe?.y) {
    throw new Error('FederationServer option defence.probeAccuracy needs a labelled probe set (probe.x and probe.y)');
  }
  if (defence.probeAccuracy && o.tiers !== undefined) {
    throw new Error('FederationServer options tiers and defence.probeAccuracy exclude each other: the probe-accuracy rule compares updates of the global model\'s shapes');
  }
  if (o.bans !== undefined) parseBanOptions(o.bans, 'FederationServer option bans');
}


/** Checked at start, not at the first round: a strategy that aggregates with the probe set needs the server to hold one. */
export function checkProbeForStrategy(o: Pick<FederationServerOptions, 'strategy' | 'probe'>): void {
  if (o.strategy.needsProbe && !o.probe) {
    throw new Error(`strategy ${o.strategy.name} aggregates with the server's probe set, but the server has none (give it a probe set)`);
  }
  if (o.strategy.needsProbeLabels && o.probe && !o.probe.y) {
    throw new Error(`strategy ${o.strategy.name} needs the probe set's labels (calibrateOutput), but the server's probe set has none`);
  }
}
