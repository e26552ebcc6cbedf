// Where a federation's durable state lives, behind one interface: the committed rounds (global model, history,
// strategy state) and the current round's accepted updates, each recorded before its client is acknowledged.
// Two implementations: files (file-store.ts, one process, the default) and Redis (redis-store.ts, several nodes).
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import type { StoredRoundSummary } from '../rounds/round-summary-schema.js';
import type { ClientUpdate } from '../strategies/strategy.js';
import type { JournalEntry } from '../checkpoint/update-journal.js';

/** The last committed round: the global model after it and what led there. */
export interface CommittedRound {
  round: number;
  model: ModelState;
  history: StoredRoundSummary[];
  /** Hash of the settings that must not change across a resume (strategy, seed, training, model shapes). */
  configHash: string;
  strategyState?: unknown;
  /** Where it was read from (a checkpoint directory, a Redis key), for log lines. */
  where: string;
}

export interface RoundCommit {
  history: StoredRoundSummary[];
  configHash: string;
  strategyState?: unknown;
}

/** How recording an update ended: written, or (Redis, several nodes) already there or refused by the round state. */
export type RecordResult =
  | { status: 'recorded' }
  | { status: 'duplicate' }
  | { status: 'different' }
  | { status: 'refused'; code: 'WRONG_ROUND' | 'NOT_SAMPLED'; reason: string };

export interface FederationStore {
  /** Shown in log lines: a directory, a Redis URL. */
  readonly description: string;
  /** The last committed round, or undefined for a new federation; `onSkipped` hears of damaged copies passed over. */
  loadCommitted(onSkipped: (where: string, reason: string) => void): Promise<CommittedRound | undefined>;
  /** Durably commits a finished round; returns where it went. */
  commitRound(round: number, model: ModelState, commit: RoundCommit): Promise<string>;
  /** Durably records an accepted update (trained on the model with weights hash `baseSha256`) before its ack. */
  recordUpdate(update: ClientUpdate, baseSha256: string, digest: string): Promise<RecordResult>;
  /** Forgets a recorded update that was not accepted after all. */
  removeUpdate(round: number, clientId: string): Promise<void>;
  /** The updates recorded for `round` on the model `baseSha256`; damaged or foreign ones are listed in `problems`. */
  loadUpdates(round: number, baseSha256: string): Promise<{ entries: JournalEntry[]; problems: string[] }>;
  /** Forgets the updates of every round but `keep`. */
  discardUpdatesBut(keep: number): Promise<void>;
  /** Forgets the updates of rounds up to `round` (once that round is committed). */
  discardUpdatesThrough(round: number): Promise<void>;
}
