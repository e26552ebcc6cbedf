// The round state machine, kept free of sockets, tensors and real time (clock injected) so tests can drive it:
//
//   waiting-for-clients → sampling → training → aggregating → evaluating → broadcasting → checkpointing → next round
//
// Training ends when every sampled client answered or at the deadline; late clients are stragglers. With fewer than
// minUpdates answers the round is retried: accepted answers are kept (they were trained on the same, unchanged
// global model) and more clients are sampled among those that have not answered.
import { sampleClients, sampleSize } from './client-sampler.js';
import { RejectionTally, type RejectedUpdates } from './rejection-tally.js';

export type RoundPhase =
  | 'idle'
  | 'waiting-for-clients'
  | 'sampling'
  | 'training'
  | 'aggregating'
  | 'evaluating'
  | 'broadcasting'
  | 'checkpointing'
  | 'finished'
  | 'failed'
  | 'stopped';

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Everything about one completed round's training phase, handed to the aggregation hooks. */
export interface RoundOutcome<U> {
  round: number;
  /** Attempts it took (1 = no retry). */
  attempts: number;
  /** Clients whose update was accepted, in id order, with their updates in the same order. */
  participants: string[];
  updates: U[];
  /** Sampled clients that had not answered when training closed. */
  stragglers: string[];
  /** Updates rejected in this round, counted per reason. */
  rejected: RejectedUpdates[];
  /** Clients whose update was refused as bad in this round (see AdmissionGate.noteRejected). */
  offenders: string[];
  /** Clock time the first attempt started and training closed. */
  startedAt: number;
  trainingClosedAt: number;
}

/** What stays of a finished round: its outcome without the updates (a whole model per client, freed after the round). */
export type RoundRecord<U> = Omit<RoundOutcome<U>, 'updates'>;

/**
 * The steps after training closes. Each returns the round's result as it stands (R: the model, its evaluation, the
 * summary), which the next step receives; nothing is handed over through shared state.
 */
export interface RoundHooks<U, R = unknown> {
  /** Sends (or re-sends after a reconnect) this round's task to one sampled client. */
  sendTask(clientId: string, round: number, deadline: number): void;
  aggregate(outcome: RoundOutcome<U>): Promise<R>;
  evaluate?(outcome: RoundOutcome<U>, result: R): Promise<R>;
  broadcast(outcome: RoundOutcome<U>, final: boolean, result: R): Promise<R>;
  checkpoint?(outcome: RoundOutcome<U>, result: R): Promise<void>;
}

/** Where a round stood when another process took over (a cluster's new leader): resumed, not restarted. */
export interface ResumedAttempt {
  /** Attempts started so far (≥ 1). */
  attempt: number;
  /** Clients sampled in any attempt of the round. */
  sampled: string[];
  /** Clock time the round started and its current attempt's deadline. */
  startedAt: number;
  deadline: number;
  /** Training had been closed (the round was being aggregated): aggregate what was received, at once. */
  trainingClosed: boolean;
}

export type CoordinatorEvent<R = unknown> =
  | { type: 'phase'; phase: RoundPhase; round: number }
  | { type: 'round-started'; round: number; attempt: number; sampled: string[]; deadline: number }
  | { type: 'round-retried'; round: number; attempt: number; received: number; needed: number }
  | { type: 'training-closed'; round: number; participants: string[]; stragglers: string[]; byDeadline: boolean }
  | { type: 'round-finished'; round: number; result: R }
  | { type: 'log'; line: string };

export interface RoundCoordinatorOptions<U, R = unknown> {
  /** Total rounds; rounds are numbered 1..rounds. */
  rounds: number;
  /** First round to run (checkpoint resume: last completed + 1). */
  firstRound?: number;
  minClients: number;
  /** Fraction in (0, 1] or integer count (see client-sampler). */
  clientsPerRound?: number;
  minUpdates?: number;
  deadlineMs: number;
  seed?: number;
  clock?: Clock;
  /** Whether a connected client may be sampled for `round` (default: every one; client bans leave some out). */
  eligible?: (clientId: string, round: number) => boolean;
  hooks: RoundHooks<U, R>;
  onEvent?: (event: CoordinatorEvent<R>) => void;
}

/** How rounds run, from the options: the same for the local coordinator and for a cluster's leader. */
export type RoundSettings = Pick<RoundCoordinatorOptions<unknown>, 'rounds' | 'minClients' | 'clientsPerRound' | 'minUpdates' | 'deadlineMs' | 'seed'>;

export type SubmitResult =
  | { status: 'accepted' }
  | { status: 'duplicate' }
  | { status: 'rejected'; code: 'WRONG_ROUND' | 'NOT_SAMPLED'; reason: string };

export class RoundCoordinator<U, R = unknown> {
  private readonly opts: Required<Omit<RoundCoordinatorOptions<U, R>, 'onEvent' | 'eligible'>> & Pick<RoundCoordinatorOptions<U, R>, 'onEvent' | 'eligible'>;
  private phaseValue: RoundPhase = 'idle';
  private round: number;
  private attempt = 0;
  private readonly connected = new Set<string>();
  /** Sampled in any attempt of the current round (any of them may still answer). */
  private sampled = new Set<string>();
  /** Sampled in the current attempt: training closes early once all of them answered. */
  private attemptSampled: string[] = [];
  /** Sampled in the current attempt but known not to answer it (clientFailed): training does not wait for them. */
  private attemptFailed = new Set<string>();
  private updates = new Map<string, U>();
  /** Sampled clients whose update was refused for the round (defence, failed check): they have answered. */
  private refused = new Set<string>();
  private rejected = new RejectionTally();
  private deadline = 0;
  private timer: unknown;
  private roundStartedAt = 0;
  private readonly records: RoundRecord<U>[] = [];
  private resolveFinished!: (records: RoundRecord<U>[]) => void;
  private rejectFinished!: (err: Error) => void;
  readonly finished: Promise<RoundRecord<U>[]>;

  constructor(opts: RoundCoordinatorOptions<U, R>) {
    if (!Number.isInteger(opts.rounds) || opts.rounds < 1) throw new Error(`rounds must be a positive integer, got ${opts.rounds}`);
    if (!Number.isInteger(opts.minClients) || opts.minClients < 1) {
      throw new Error(`minClients must be a positive integer, got ${opts.minClients}`);
    }
    if (!(opts.deadlineMs > 0)) throw new Error(`round deadline must be positive, got ${opts.deadlineMs} ms`);
    const minUpdates = opts.minUpdates ?? 1;
    if (!Number.isInteger(minUpdates) || minUpdates < 1) throw new Error(`minUpdates must be a positive integer, got ${minUpdates}`);
    sampleSize(1, opts.clientsPerRound ?? 1); // validates clientsPerRound
    this.opts = {
      ...opts,
      firstRound: opts.firstRound ?? 1,
      clientsPerRound: opts.clientsPerRound ?? 1,
      seed: opts.seed ?? 0,
      clock: opts.clock ?? systemClock,
      minUpdates,
    };
    this.round = this.opts.firstRound;
    this.finished = new Promise((resolve, reject) => {
      this.resolveFinished = resolve;
      this.rejectFinished = reject;
    });
    // finished() may legitimately never be awaited (e.g. a stopped server); avoid an unhandled rejection.
    this.finished.catch(() => {});
  }

  get phase(): RoundPhase {
    return this.phaseValue;
  }

  /** The round being run (or, once finished, rounds + 1). */
  get currentRound(): number {
    return this.round;
  }

  get totalRounds(): number {
    return this.opts.rounds;
  }

  get connectedClients(): string[] {
    return [...this.connected].sort();
  }

  /** The current training deadline (clock ms), when training. */
  get currentDeadline(): number | undefined {
    return this.phaseValue === 'training' ? this.deadline : undefined;
  }

  /** Whether `clientId` still owes an update for the round in training. */
  isDue(clientId: string): boolean {
    return this.phaseValue === 'training' && this.sampled.has(clientId) && !this.updates.has(clientId) && !this.attemptFailed.has(clientId);
  }

  /** The task `clientId` owes an update for right now, if any (after a probe-set request, it is sent again). */
  dueTask(clientId: string): { round: number; deadline: number } | undefined {
    const deadline = this.currentDeadline;
    return deadline !== undefined && this.isDue(clientId) ? { round: this.round, deadline } : undefined;
  }

  /**
   * Before start(): counts updates of the first round that were accepted before a restart (the server's update
   * journal) as already received, so their clients are not asked again and a resend is a duplicate.
   */
  restoreUpdates(round: number, updates: ReadonlyMap<string, U>): void {
    if (this.phaseValue !== 'idle') throw new Error(`updates can only be restored before start (phase ${this.phaseValue})`);
    if (round !== this.round) throw new Error(`cannot restore updates of round ${round}: the first round to run is ${this.round}`);
    for (const [clientId, update] of updates) this.updates.set(clientId, update);
  }

  start(): void {
    if (this.phaseValue !== 'idle') throw new Error(`coordinator already started (phase ${this.phaseValue})`);
    if (this.round > this.opts.rounds) {
      this.setPhase('finished');
      this.resolveFinished(this.records);
      return;
    }
    this.setPhase('waiting-for-clients');
    this.maybeBeginAttempt();
  }

  /**
   * Instead of start(), after restoreUpdates(): continues the first round's attempt where another process left it —
   * same sampled clients, same deadline (clients keep training for it; none is asked again) — or aggregates at once
   * when that process had closed training or the deadline has passed.
   */
  resume(at: ResumedAttempt): void {
    if (this.phaseValue !== 'idle') throw new Error(`coordinator already started (phase ${this.phaseValue})`);
    if (this.round > this.opts.rounds) return this.start();
    this.attempt = at.attempt - 1;
    this.sampled = new Set(at.sampled);
    this.attemptSampled = [...at.sampled];
    this.roundStartedAt = at.startedAt;
    this.deadline = at.deadline;
    const remaining = at.deadline - this.opts.clock.now();
    if (at.trainingClosed || remaining <= 0 || this.attemptSampled.every((id) => this.updates.has(id))) {
      this.setPhase('training');
      this.closeTraining(!at.trainingClosed);
      return;
    }
    this.setPhase('training');
    this.timer = this.opts.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.phaseValue === 'training') this.closeTraining(true);
    }, remaining);
  }

  stop(): void {
    this.clearTimer();
    if (this.phaseValue !== 'finished' && this.phaseValue !== 'failed') this.setPhase('stopped');
  }

  clientJoined(clientId: string): void {
    this.connected.add(clientId);
    if (this.isDue(clientId)) {
      this.log(`round ${this.round}: re-sending the task to reconnected client ${clientId}`);
      this.opts.hooks.sendTask(clientId, this.round, this.deadline);
    } else if (this.phaseValue === 'waiting-for-clients') {
      this.maybeBeginAttempt();
    }
  }

  clientLeft(clientId: string): void {
    this.connected.delete(clientId);
  }

  /**
   * Counts an update the server rejected (bad tensors, wrong round, ...) for the round summary; returns how many of
   * this client's updates were rejected in the round so far.
   */
  noteRejected(clientId: string, code: string, reason: string, offence = false): number {
    return this.rejected.add(clientId, code, reason, offence);
  }

  /**
   * The update of a sampled client for the round in training was refused for the whole round (the defence's
   * magnitude bound, a failed activation check: a resend is refused too): the client has answered, so training does
   * not wait for it until the deadline, and a retry of the round samples others first.
   */
  updateRefused(clientId: string, round: number): void {
    if (round !== this.round || this.phaseValue !== 'training' || !this.sampled.has(clientId) || this.updates.has(clientId)) return;
    this.refused.add(clientId);
    if (this.attemptAnswered()) this.closeTraining(false);
  }

  /** Whether an update from `clientId` for `round` would be accepted now (nothing is recorded). */
  checkUpdate(clientId: string, round: number): SubmitResult {
    if (round === this.round && this.updates.has(clientId)) return { status: 'duplicate' };
    if (round !== this.round || this.phaseValue !== 'training') {
      const reason =
        round === this.round
          ? `round ${round} is not accepting updates (phase ${this.phaseValue})`
          : `update is for round ${round}, but the current round is ${this.round}` +
            (this.phaseValue === 'training' ? '' : ` (phase ${this.phaseValue})`);
      return { status: 'rejected', code: 'WRONG_ROUND', reason };
    }
    if (!this.sampled.has(clientId)) {
      return { status: 'rejected', code: 'NOT_SAMPLED', reason: `client ${clientId} was not sampled for round ${round}` };
    }
    return { status: 'accepted' };
  }

  /** Records an update. A repeat from the same client in the same round is a no-op ('duplicate'). */
  submitUpdate(clientId: string, round: number, update: U): SubmitResult {
    const check = this.checkUpdate(clientId, round);
    if (check.status !== 'accepted') return check;
    this.updates.set(clientId, update);
    if (this.attemptAnswered()) this.closeTraining(false);
    return check;
  }

  /**
   * A client sampled for the current attempt that will not answer it (e.g. the process that ran it died): training
   * closes once every other sampled client has answered, instead of at the deadline. A later attempt of the round
   * may sample it again. Returns whether the client was still owed an update.
   */
  clientFailed(clientId: string): boolean {
    if (this.phaseValue !== 'training' || !this.attemptSampled.includes(clientId) || this.updates.has(clientId)) return false;
    if (this.attemptFailed.has(clientId)) return false;
    this.attemptFailed.add(clientId);
    if (this.attemptAnswered()) this.closeTraining(false);
    return true;
  }

  /** Every client sampled for the current attempt answered it (an accepted update, or one refused for the round) or
   * is known not to (clientFailed). */
  private attemptAnswered(): boolean {
    return this.attemptSampled.every((id) => this.updates.has(id) || this.refused.has(id) || this.attemptFailed.has(id));
  }

  private maybeBeginAttempt(): void {
    if (this.phaseValue !== 'waiting-for-clients') return;
    if (this.connected.size < this.opts.minClients) return;
    const allowed = this.opts.eligible;
    const unanswered = [...this.connected].filter((id) => !this.updates.has(id) && (!allowed || allowed(id, this.round)));
    // Clients refused this round go last: sampled again only when nobody else is left.
    const fresh = unanswered.filter((id) => !this.refused.has(id));
    const eligible = fresh.length > 0 ? fresh : unanswered;
    if (eligible.length === 0) {
      // Every connected client already answered: only restored updates can get here with enough of them (a normal
      // round starts empty, and a retry happens only with too few), so aggregate them rather than wait forever.
      if (this.updates.size >= this.opts.minUpdates) {
        if (this.attempt === 0) this.roundStartedAt = this.opts.clock.now();
        this.closeTraining(false);
      }
      return;
    }
    this.setPhase('sampling');
    // The round's sample size less the updates it already holds (a retry, restored updates): a strategy that fuses an
    // exact number of updates gets that number, not a fresh sample on top of what it has.
    const missing = Math.max(1, sampleSize(this.connected.size, this.opts.clientsPerRound) - this.updates.size);
    const chosen = sampleClients(eligible, this.opts.clientsPerRound, this.opts.seed, this.round, this.attempt, missing);
    if (this.attempt === 0) {
      this.roundStartedAt = this.opts.clock.now();
      this.sampled = new Set();
    }
    for (const id of chosen) {
      this.sampled.add(id);
      this.refused.delete(id); // sampled again: it owes an answer again
    }
    this.attemptSampled = chosen;
    this.attemptFailed = new Set();
    const reachable = this.updates.size + chosen.length;
    if (reachable < this.opts.minUpdates) {
      this.log(
        `round ${this.round}: only ${reachable} updates are possible this attempt but minUpdates is ` +
          `${this.opts.minUpdates}; the round will be retried unless more clients connect`,
      );
    }
    this.deadline = this.opts.clock.now() + this.opts.deadlineMs;
    this.setPhase('training');
    this.emit({ type: 'round-started', round: this.round, attempt: this.attempt + 1, sampled: chosen, deadline: this.deadline });
    this.timer = this.opts.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.phaseValue === 'training') this.closeTraining(true);
    }, this.opts.deadlineMs);
    for (const id of chosen) this.opts.hooks.sendTask(id, this.round, this.deadline);
  }

  private closeTraining(byDeadline: boolean): void {
    this.clearTimer();
    const participants = [...this.updates.keys()].sort();
    const stragglers = [...this.sampled].filter((id) => !this.updates.has(id) && !this.refused.has(id)).sort();
    this.emit({ type: 'training-closed', round: this.round, participants, stragglers, byDeadline });
    if (stragglers.length > 0) {
      this.log(`round ${this.round}: deadline passed; left out stragglers ${stragglers.join(', ')}`);
    }
    if (participants.length < this.opts.minUpdates) {
      this.attempt++;
      this.emit({
        type: 'round-retried',
        round: this.round,
        attempt: this.attempt + 1,
        received: participants.length,
        needed: this.opts.minUpdates,
      });
      this.log(
        `round ${this.round}: only ${participants.length} of the required ${this.opts.minUpdates} updates arrived; ` +
          `retrying (attempt ${this.attempt + 1}), keeping the accepted updates`,
      );
      this.setPhase('waiting-for-clients');
      this.maybeBeginAttempt();
      return;
    }
    const outcome: RoundOutcome<U> = {
      round: this.round,
      attempts: this.attempt + 1,
      participants,
      updates: participants.map((id) => this.updates.get(id)!),
      stragglers,
      rejected: this.rejected.summary(),
      offenders: this.rejected.offenders(),
      startedAt: this.roundStartedAt,
      trainingClosedAt: this.opts.clock.now(),
    };
    void this.completeRound(outcome);
  }

  private async completeRound(outcome: RoundOutcome<U>): Promise<void> {
    const { hooks } = this.opts;
    const final = outcome.round === this.opts.rounds;
    // Start aggregating only after the caller of submitUpdate (which closed training) has finished its turn.
    await null;
    if (this.stopped()) return; // stopped by whoever submitted the last update (e.g. a listener of it)
    let result: R;
    try {
      this.setPhase('aggregating');
      result = await hooks.aggregate(outcome);
      if (this.stopped()) return;
      if (hooks.evaluate) {
        this.setPhase('evaluating');
        result = await hooks.evaluate(outcome, result);
        if (this.stopped()) return;
      }
      this.setPhase('broadcasting');
      result = await hooks.broadcast(outcome, final, result);
      if (this.stopped()) return;
      if (hooks.checkpoint) {
        this.setPhase('checkpointing');
        await hooks.checkpoint(outcome, result);
        if (this.stopped()) return;
      }
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      this.log(`round ${outcome.round} failed in phase ${this.phaseValue}: ${err.message}`);
      this.setPhase('failed');
      this.rejectFinished(new Error(`round ${outcome.round} failed: ${err.message}`, { cause: err }));
      return;
    }
    // Keeping the updates of every past round grew a long federation's memory by one model per client per round.
    const { updates: _released, ...record } = outcome;
    this.records.push(record);
    this.emit({ type: 'round-finished', round: outcome.round, result });
    if (this.stopped()) return; // a listener may stop the server on round-finished
    this.round++;
    this.attempt = 0;
    this.sampled = new Set();
    this.updates = new Map();
    this.refused = new Set();
    this.rejected = new RejectionTally();
    if (final) {
      this.setPhase('finished');
      this.resolveFinished(this.records);
      return;
    }
    this.setPhase('waiting-for-clients');
    this.maybeBeginAttempt();
  }

  private stopped(): boolean {
    return this.phaseValue === 'stopped';
  }

  private clearTimer(): void {
    if (this.timer !== undefined) {
      this.opts.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private setPhase(phase: RoundPhase): void {
    this.phaseValue = phase;
    this.emit({ type: 'phase', phase, round: this.round });
  }

  private log(line: string): void {
    this.emit({ type: 'log', line });
  }

  private emit(event: CoordinatorEvent<R>): void {
    this.opts.onEvent?.(event);
  }
}
