// Single-process persistence over the file store: resuming from the last intact checkpoint, a checkpoint after each
// round, and, after a restart, the journal of the round being resumed read back. A failed write is reported loudly
// but never stops the federation: the previous checkpoint stays intact and the next round's save tries again.
import { sameShapes } from '@fedfuse/client/internal/model/weights.js';
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import type { CheckpointFailedEvent, RoundSummary } from '../federation-events.js';
import { summaryFromStore } from '../rounds/round-summary.js';
import type { FederationStore } from '../store/federation-store.js';
import { isStateful } from '../strategies/index.js';
import type { ClientUpdate, Strategy } from '../strategies/strategy.js';
import { DurableWriteError } from './synced-write.js';
import type { JournalEntry } from './update-journal.js';

export interface LocalPersistenceOptions {
  store: FederationStore;
  /** Its state (when it has one) is checkpointed with the model and imported on resume. */
  strategy: Strategy;
  /** The configured model: a checkpoint whose weight shapes differ from it is refused. */
  initialModel: ModelState;
  /** Hash of the config a checkpoint was written with (federationConfigHash); a different one is warned about. */
  configHash: () => string;
  log: (line: string) => void;
  /** A checkpoint or journal write failed (the server's 'checkpoint-failed' event). */
  writeFailed: (e: CheckpointFailedEvent) => void;
}

/** Where a checkpoint left the federation: the last round done, its global model and every round's summary. */
export interface ResumedFederation {
  round: number;
  model: ModelState;
  history: RoundSummary[];
}

export class LocalPersistence {
  constructor(private readonly opts: LocalPersistenceOptions) {}

  get store(): FederationStore {
    return this.opts.store;
  }

  /** The last intact checkpoint (undefined before the first one); throws when none is intact or the model differs. */
  async resume(): Promise<ResumedFederation | undefined> {
    const { store, strategy, log } = this.opts;
    // A skipped (damaged or edited) checkpoint is said out loud; load throws when none is intact.
    const committed = await store.loadCommitted((where, reason) => log(`warning: checkpoint ${where} skipped: ${reason}`));
    if (!committed) return undefined;
    if (!sameShapes(committed.model.weights, this.opts.initialModel.weights)) {
      throw new Error(
        `checkpoint ${committed.where} holds a model whose weight shapes differ from the configured model; ` +
          `use another checkpointDir or the matching model`,
      );
    }
    if (committed.configHash !== this.opts.configHash()) {
      log(`warning: checkpoint ${committed.where} was written with a different strategy/seed/training config; resuming anyway`);
    }
    if (committed.strategyState !== undefined && isStateful(strategy)) strategy.importState(committed.strategyState);
    log(`resuming from checkpoint ${committed.where} (round ${committed.round} done)`);
    return { round: committed.round, model: committed.model, history: committed.history.map(summaryFromStore) };
  }

  /** Saves the model after `round`, then drops the journal of the rounds it covers. */
  async checkpoint(round: number, model: ModelState, history: RoundSummary[]): Promise<void> {
    const { store, strategy, log } = this.opts;
    let where: string;
    try {
      where = await store.commitRound(round, model, {
        history,
        configHash: this.opts.configHash(),
        strategyState: isStateful(strategy) ? strategy.exportState() : undefined,
      });
    } catch (e) {
      if (!(e instanceof DurableWriteError)) throw e;
      this.reportWriteFailure(round, 'checkpoint', e, 'the previous checkpoint is intact; the next round retries the save');
      return;
    }
    log(`round ${round}: checkpoint written to ${where}`);
    try {
      await store.discardUpdatesThrough(round);
    } catch (e) {
      log(`round ${round}: could not remove the update journal of checkpointed rounds: ${(e as Error).message}`);
    }
  }

  /**
   * After a restart: the updates the previous process acknowledged for `round` (the one being resumed), decoded and
   * validated again like any upload by `decode`. Journals of other rounds are stale and removed. Undefined when the
   * journal held nothing for `round`.
   */
  async restoreJournal(
    round: number,
    baseSha256: string,
    decode: (entries: readonly JournalEntry[]) => { updates: ClientUpdate[]; problems: string[] },
  ): Promise<{ restored: Map<string, ClientUpdate>; problems: string[] } | undefined> {
    const { store, log } = this.opts;
    await store.discardUpdatesBut(round);
    const loaded = await store.loadUpdates(round, baseSha256);
    const decoded = decode(loaded.entries);
    const problems = [...loaded.problems, ...decoded.problems];
    for (const p of problems) log(`round ${round}: journal entry not restored (that client trains again): ${p}`);
    const restored = new Map(decoded.updates.map((u) => [u.clientId, u]));
    if (restored.size === 0 && problems.length === 0) return undefined;
    const clientIds = [...restored.keys()].sort();
    log(`round ${round}: restored ${clientIds.length} accepted update(s) from the journal: ${clientIds.join(', ') || 'none'}`);
    return { restored, problems };
  }

  reportWriteFailure(round: number, what: 'checkpoint' | 'journal', e: DurableWriteError, consequence: string): void {
    this.opts.log(`ERROR round ${round}: ${what} write FAILED: ${e.message}; ${consequence}`);
    this.opts.writeFailed({ round, what, path: e.path, code: e.code, errno: e.errno, message: e.message });
  }
}
