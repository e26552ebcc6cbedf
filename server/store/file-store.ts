// The file implementation of the federation store (one process): checkpoints of the global model after each round
// (checkpoint/checkpoint-store.ts) and a write-ahead journal of the current round's updates (checkpoint/update-journal.ts).
import { join } from 'node:path';
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { CheckpointStore } from '../checkpoint/checkpoint-store.js';
import { UpdateJournal } from '../checkpoint/update-journal.js';
import type { SyncedFileWriter } from '../checkpoint/synced-write.js';
import { storedRoundSummarySchema, type StoredRoundSummary } from '../rounds/round-summary-schema.js';
import type { ClientUpdate } from '../strategies/strategy.js';
import type { CommittedRound, FederationStore, RecordResult, RoundCommit } from './federation-store.js';

export class FileStore implements FederationStore {
  private readonly checkpoints: CheckpointStore<StoredRoundSummary>;
  private readonly journal: UpdateJournal;

  constructor(
    readonly dir: string,
    writeFile?: SyncedFileWriter,
    /** Checkpoints are signed with it, and only signed ones load (see CheckpointStore). */
    hmacKey?: Buffer,
  ) {
    this.checkpoints = new CheckpointStore<StoredRoundSummary>(dir, { writeFile, historySchema: storedRoundSummarySchema, hmacKey });
    this.journal = new UpdateJournal(join(dir, 'journal'), { writeFile });
  }

  get description(): string {
    return this.dir;
  }

  async loadCommitted(onSkipped: (where: string, reason: string) => void): Promise<CommittedRound | undefined> {
    const ckpt = await this.checkpoints.load(onSkipped);
    if (!ckpt) return undefined;
    return {
      round: ckpt.round,
      model: ckpt.model,
      history: ckpt.state.history,
      configHash: ckpt.state.configHash,
      strategyState: ckpt.state.strategyState,
      where: ckpt.dir,
    };
  }

  commitRound(round: number, model: ModelState, commit: RoundCommit): Promise<string> {
    return this.checkpoints.save(round, model, commit);
  }

  async recordUpdate(update: ClientUpdate, baseSha256: string): Promise<RecordResult> {
    // One process: the server has already told a resend from a different update; the file is the durable copy.
    await this.journal.record(update, baseSha256);
    return { status: 'recorded' };
  }

  removeUpdate(round: number, clientId: string): Promise<void> {
    return this.journal.remove(round, clientId);
  }

  loadUpdates(round: number, baseSha256: string) {
    return this.journal.load(round, baseSha256);
  }

  discardUpdatesBut(keep: number): Promise<void> {
    return this.journal.discardAllBut(keep);
  }

  discardUpdatesThrough(round: number): Promise<void> {
    return this.journal.discardThrough(round);
  }
}
