// What a cluster node needs from the FederationServer it runs in: its sockets (local clients, tasks, results), its
// round planning and aggregation, and its events. The cluster code reaches no socket or tensor except through this.
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import type { RoundAggregation } from '../aggregation/aggregate-round.js';
import type { JournalEntry } from '../checkpoint/update-journal.js';
import type { RoundPhase } from '../rounds/round-coordinator.js';
import type { RoundPlan } from '../rounds/round-planner.js';
import type { StoredRoundSummary } from '../rounds/round-summary-schema.js';
import type { CommittedRound } from '../store/federation-store.js';
import type { ClientUpdate, Strategy } from '../strategies/strategy.js';
import type { ScreeningSettings } from '../defence/screening-options.js';

/** What a cluster node reports beyond the single-process events (FederationServer's 'cluster' event). */
export type ClusterEvent =
  | { type: 'leader'; nodeId: string; token: number; resumedRound: number }
  | { type: 'follower'; nodeId: string; reason: string }
  | {
      type: 'aggregated';
      round: number;
      mode: 'flat' | 'hierarchical';
      /** Updates the leader read from Redis, and pre-aggregates it read (hierarchical). */
      updatesRead: number;
      partialsRead: number;
      /** Bytes of updates and pre-aggregates the leader read from Redis for this round. */
      bytesFromRedis: number;
      /** Nodes whose pre-aggregate the leader computed itself (dead or too slow). */
      computedForNodes: string[];
    };

export interface ClusterHost {
  readonly strategy: Strategy;
  log(line: string): void;
  /** Clients connected to this node right now. */
  localClients(): string[];
  sendTask(clientId: string, round: number, deadline: number): void;
  /** A committed round (or, at start, the last one): becomes this node's global model; local clients get the result. */
  adopt(committed: CommittedRound, final: boolean): Promise<void>;
  plan(round: number): RoundPlan;
  /** Recorded updates decoded and validated like uploads (those that fail are listed and left out). */
  decodeRecorded(round: number, entries: readonly JournalEntry[]): { updates: ClientUpdate[]; problems: string[] };
  /** Screening, example-weight bounds and the strategy, over every update (flat aggregation). */
  aggregate(round: number, updates: readonly ClientUpdate[], declared: ReadonlyMap<string, number>): Promise<RoundAggregation>;
  evaluate(round: number, model: ModelState): Promise<{ accuracy: number; loss: number } | undefined>;
  traffic(): { bytesSent: number; bytesReceived: number };
  configHash(): string;
  /** The defence settings (screening needs every update at the leader: no hierarchical aggregation then). */
  readonly screening: ScreeningSettings;
  events: {
    roundStarted(e: { round: number; attempt: number; sampled: string[]; deadlineUnixMs: number }): void;
    roundRetried(e: { round: number; attempt: number; received: number; needed: number }): void;
    phase(e: { phase: RoundPhase; round: number }): void;
    roundFinished(summary: StoredRoundSummary): void;
    cluster(e: ClusterEvent): void;
  };
}
