// What a FederationServer reports: its round summaries and the events it emits (typed, for listeners and the CLI).
import type { RejectedUpdates } from './rounds/rejection-tally.js';
import type { Ban } from './defence/client-bans.js';
import type { RoundPhase } from './rounds/round-coordinator.js';
import type { ClusterEvent } from './cluster/cluster-host.js';
import type { ClientUpdate, FusionRoundReport } from './strategies/strategy.js';
import type { UpdateStats } from './defence/screen-round.js';
import type { GuardReport } from './defence/guard-report.js';

export interface RoundSummary {
  round: number;
  /** Clients whose update went into the aggregate. */
  participants: string[];
  stragglers: string[];
  /** Updates rejected in the round, counted per reason (error code). */
  rejected: RejectedUpdates[];
  /** Accepted updates the defence screening left out of the aggregate (not in participants). */
  excluded: { clientId: string; reason: string }[];
  /** Clients whose update was refused as bad or excluded in this round (what client bans count). */
  offenders?: string[];
  /** With client bans configured: the bans in force after this round (clients left out of the next rounds). */
  banned?: Ban[];
  accuracy?: number;
  loss?: number;
  bytesSent: number;
  bytesReceived: number;
  seconds: number;
  aggregateSeconds: number;
  /** Fusing strategies: which path the round took (fused or fallback) and the held-out probe losses behind it. */
  fusion?: FusionRoundReport;
  /** How far the round's updates moved from the global model (median and largest / median), when screened. */
  updateStats?: UpdateStats;
  /**
   * The publish guard: whether the round published its candidate, the robust aggregate or kept the previous model,
   * and the held-out probe losses of the candidate and the previous model (absent in rounds from before it existed).
   */
  guard?: GuardReport;
  /** Tiered federations: per tier, the model its clients run after this round (evaluated) and the tier's traffic. */
  tiers?: Record<string, TierRoundSummary>;
}

/** One tier in a round: its participants, its model's size and test figures, and its clients' bytes. */
export interface TierRoundSummary {
  /** Updates of the tier's clients that went into the aggregate. */
  participants: number;
  parameters: number;
  accuracy?: number;
  loss?: number;
  bytesSent: number;
  bytesReceived: number;
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
  /** Cluster mode: this node took or lost the lead, or (as leader) aggregated a round. */
  cluster: [ClusterEvent];
  log: [string];
}

/** Emits one of a FederationServer's events (its collaborators get this, or narrower callbacks, rather than the server). */
export type EmitFederationEvent = <K extends keyof FederationServerEvents>(event: K, ...args: FederationServerEvents[K]) => void;
