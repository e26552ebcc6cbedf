// Update admission: the path of one ClientUpdate from the socket to its ack. It checks who speaks and for which
// round, decodes and validates the tensors once (transport/update-decoder.ts), tells a resend of the same update
// (acked again) from a different one (refused: only the first counts), runs the strategy's own check, records the
// update durably in the store, counts it in the round, and only then acknowledges it.
import '@fedfuse/client/internal/proto/protobuf-runtime.js';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { ProtocolError } from '@fedfuse/client/internal/proto/errors.js';
import { DurableWriteError } from '../checkpoint/synced-write.js';
import { updateDigest } from '../rounds/update-digest.js';
import type { SubmitResult } from '../rounds/round-coordinator.js';
import type { RoundPlan } from '../rounds/round-planner.js';
import type { ClientSession } from '../transport/socket-server.js';
import { decodeClientUpdate, DefenceRefusal, type UpdateExpectations } from '../transport/update-decoder.js';
import type { FederationStore } from '../store/federation-store.js';
import type { ClientUpdate, Strategy } from '../strategies/strategy.js';

const ErrorCode = fedfuse.v1.ErrorCode;

/** A client whose ack has waited this long for the store is told why (ServerStatus WAITING_FOR_STORE). */
export const STORE_WAIT_NOTICE_MS = 1000;

/** Rejected updates of one client logged per round; the rest are counted in the round summary only. */
const LOGGED_REJECTIONS_PER_ROUND = 10;

/** What admission asks of the round in progress: the local round coordinator, or a cluster node's view of it. */
export interface AdmissionGate {
  readonly currentRound: number;
  /** Whether an update from `clientId` for `round` would be counted now (nothing is recorded). */
  checkUpdate(clientId: string, round: number): SubmitResult;
  /** Counts a durably recorded update in the round. */
  submitUpdate(clientId: string, round: number, update: ClientUpdate): SubmitResult;
  /**
   * Counts a rejection for the round summary; returns this client's rejections in the round so far. `offence`: the
   * update itself was bad (malformed, invalid, failed the strategy's check, spoke for another client), which counts
   * towards a ban; a wrong round, an unsampled client or a different second update does not.
   */
  noteRejected(clientId: string, code: string, reason: string, offence: boolean): number;
  /** The client's update for `round` was refused for the round (the defence, a failed check): it has answered (optional). */
  updateRefused?(clientId: string, round: number): void;
}

export interface AdmissionEvents {
  accepted(update: ClientUpdate, bytes: number): void;
  rejected(e: { round: number; clientId: string; code: string; reason: string }): void;
  /** The store could not write the update (single process: it is kept in memory only, and said out loud). */
  writeFailed(round: number, error: DurableWriteError, consequence: string): void;
}

export interface UpdateAdmissionOptions {
  gate: () => AdmissionGate;
  /** The plan of the round an update names (expectations and strategy context). */
  plan: (round: number) => RoundPlan;
  /** What an update of a client of `tier` must look like in `plan` (tiered federations: its tier's shapes). */
  expectations: (plan: RoundPlan, tier: string | undefined) => UpdateExpectations;
  strategy: Strategy;
  /** Where updates are recorded before their ack (none: memory only). */
  store: () => FederationStore | undefined;
  /** sha256 of the global model the round's updates are trained on. */
  baseSha256: () => string;
  /** Sends to the client's current session (it may have reconnected while its update was validated). */
  send: (clientId: string, body: fedfuse.v1.IEnvelope) => void;
  /** Without a store write the update cannot be counted (several nodes); with one process it is counted in memory. */
  requireDurable: boolean;
  stopped: () => boolean;
  log: (line: string) => void;
  events: AdmissionEvents;
}

/** Per client: the update it sent for the round (its digest): being validated, accepted, or failed the strategy's check. */
interface SeenUpdate {
  round: number;
  digest: string;
  validating: boolean;
  failedCheck?: boolean;
}

export class UpdateAdmission {
  private readonly seen = new Map<string, SeenUpdate>();

  constructor(private readonly opts: UpdateAdmissionOptions) {}

  /** Updates restored from the store count as seen: their resend is a duplicate. */
  markRestored(round: number, updates: ReadonlyMap<string, ClientUpdate>): void {
    for (const [clientId, u] of updates) this.seen.set(clientId, { round, digest: updateDigest(u), validating: false });
  }

  receive(session: ClientSession, msg: fedfuse.v1.IClientUpdate, bytes: number): void {
    const clientId = session.clientId;
    const round = msg.round ?? 0;
    const gate = this.opts.gate();
    if ((msg.clientId ?? '') !== clientId) {
      return this.reject(session, round, ErrorCode.UNAUTHORIZED, `client ${clientId} may only send updates for itself, not for "${msg.clientId ?? ''}"`, true);
    }
    const check = gate.checkUpdate(clientId, round);
    if (check.status === 'rejected') {
      return this.reject(session, round, check.code === 'WRONG_ROUND' ? ErrorCode.WRONG_ROUND : ErrorCode.REJECTED_UPDATE, check.reason);
    }
    let update: ClientUpdate;
    try {
      update = decodeClientUpdate(msg, clientId, session.labelHistogram, this.opts.expectations(this.opts.plan(round), session.tier));
      if (session.tier !== undefined) update.tier = session.tier;
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      if (e instanceof DefenceRefusal && this.seen.get(clientId)?.round !== round) this.seen.set(clientId, { round, digest: '', validating: false, failedCheck: true });
      // Tiered: the shapes a client must send are its tier's, so the reason names the tier.
      this.reject(session, round, e.code, session.tier !== undefined && !(e instanceof DefenceRefusal) ? `update does not fit tier ${session.tier}: ${e.message}` : e.message, true);
      if (e instanceof DefenceRefusal) gate.updateRefused?.(clientId, round);
      return;
    }
    // Exactly one update per client and round: the first one is validated, recorded, counted and acked; the same
    // update again is a resend (acked again), a different one is refused.
    const digest = updateDigest(update);
    const earlier = this.seen.get(clientId);
    if (earlier?.round === round) {
      // A failed check (e.g. of uploaded activations) costs the round: resending until a lucky sample passes is no way in.
      if (earlier.failedCheck) {
        return this.reject(session, round, ErrorCode.REJECTED_UPDATE, `client ${clientId} failed the check of its update in round ${round}; it may send again in the next round`, true);
      }
      if (earlier.digest !== digest) return this.refuseDifferent(session, round);
      if (earlier.validating) {
        this.opts.log(`round ${round}: duplicate update from ${clientId} while its first copy is validated (acknowledged with it)`);
        return;
      }
    }
    if (check.status === 'duplicate') {
      this.opts.log(`round ${round}: duplicate update from ${clientId} ignored (acknowledged again)`);
      session.send({ updateAck: { round } });
      return;
    }
    this.seen.set(clientId, { round, digest, validating: true });
    void this.accept(session, update, digest, bytes);
  }

  private async accept(session: ClientSession, update: ClientUpdate, digest: string, bytes: number): Promise<void> {
    const { clientId, round } = update;
    const { strategy, gate } = { strategy: this.opts.strategy, gate: this.opts.gate };
    if (strategy.validateUpdate) {
      try {
        await strategy.validateUpdate(this.opts.plan(round).ctx, update);
      } catch (e) {
        this.seen.set(clientId, { round, digest: '', validating: false, failedCheck: true });
        this.reject(session, round, ErrorCode.REJECTED_UPDATE, (e as Error).message, true);
        gate().updateRefused?.(clientId, round);
        return;
      }
    }
    if (this.opts.stopped()) return;
    // The store may be down or failing over (cluster mode: the ack waits until Redis and its replicas have the
    // update): the client hears why its ack is late instead of waiting in silence.
    const notice = setTimeout(() => {
      this.opts.log(`round ${round}: the ack of ${clientId}'s update waits for the store`);
      this.opts.send(clientId, {
        serverStatus: {
          state: fedfuse.v1.ServerState.WAITING_FOR_STORE,
          message: `server waiting for its store: the update for round ${round} is received and is acknowledged once stored`,
          round,
        },
      });
    }, STORE_WAIT_NOTICE_MS);
    const recorded = await this.record(update, digest).finally(() => clearTimeout(notice));
    if (this.opts.stopped()) return;
    if (recorded === 'lost') {
      this.seen.delete(clientId);
      return;
    }
    if (recorded !== 'recorded' && recorded !== 'in-memory' && recorded !== 'duplicate') {
      this.seen.delete(clientId);
      if (recorded.status === 'different') return this.refuseDifferent(session, round);
      return this.reject(session, round, recorded.code === 'WRONG_ROUND' ? ErrorCode.WRONG_ROUND : ErrorCode.REJECTED_UPDATE, recorded.reason);
    }
    const result = gate().submitUpdate(clientId, round, update);
    if (result.status === 'rejected') {
      this.seen.delete(clientId);
      if (recorded === 'recorded') await this.opts.store()!.removeUpdate(round, clientId).catch(() => {});
      return this.reject(session, round, result.code === 'WRONG_ROUND' ? ErrorCode.WRONG_ROUND : ErrorCode.REJECTED_UPDATE, result.reason);
    }
    this.seen.set(clientId, { round, digest, validating: false });
    this.opts.send(clientId, { updateAck: { round } });
    if (result.status === 'accepted' && recorded !== 'duplicate') {
      this.opts.log(`round ${round}: accepted update from ${clientId} (${update.numExamples} examples, ${bytes} bytes)`);
      this.opts.events.accepted(update, bytes);
    }
  }

  /**
   * Persists an update before it is acknowledged. Only a new update is written (a duplicate is already stored). With
   * one process a failed write keeps the update in memory only, reported loudly (a full disk should not stop the
   * federation); with several nodes an update that is not in the shared store cannot be counted, so it is not acked
   * ('lost': its client sends it again when its task comes again).
   */
  private async record(update: ClientUpdate, digest: string): Promise<'recorded' | 'in-memory' | 'duplicate' | 'lost' | Exclude<Awaited<ReturnType<FederationStore['recordUpdate']>>, { status: 'recorded' | 'duplicate' }>> {
    const store = this.opts.store();
    if (!store) return 'in-memory';
    // One process: the coordinator decides (a duplicate is on disk already). Several nodes: the store's own check
    // decides, atomically with the write, so nothing is acked that Redis does not hold.
    if (!this.opts.requireDurable && this.opts.gate().checkUpdate(update.clientId, update.round).status !== 'accepted') return 'in-memory';
    try {
      const result = await store.recordUpdate(update, this.opts.baseSha256(), digest);
      if (result.status === 'recorded' || result.status === 'duplicate') return result.status;
      return result;
    } catch (e) {
      if (this.opts.requireDurable) {
        this.opts.log(`round ${update.round}: could not record the update of ${update.clientId} in ${store.description} (not acknowledged; it is sent again with its next task): ${(e as Error).message}`);
        return 'lost';
      }
      if (!(e instanceof DurableWriteError)) throw e;
      this.opts.events.writeFailed(update.round, e, `the update of ${update.clientId} is accepted in memory only (lost if the server crashes)`);
      return 'in-memory';
    }
  }

  private refuseDifferent(session: ClientSession, round: number): void {
    this.reject(session, round, ErrorCode.REJECTED_UPDATE, `client ${session.clientId} already sent a different update for round ${round}; only the first one counts`);
  }

  /**
   * A rejected update is a protocol error of its connection (disconnect at maxProtocolErrors) and a count in the round
   * summary; the log lists a client's first few rejections per round, then says it stops listing them.
   */
  reject(session: ClientSession, round: number, code: fedfuse.v1.ErrorCode, reason: string, offence = false): void {
    const codeName = ErrorCode[code] ?? String(code);
    const gate = this.opts.gate();
    const nth = gate.noteRejected(session.clientId, codeName, reason, offence);
    if (nth <= LOGGED_REJECTIONS_PER_ROUND) this.opts.log(`round ${round}: rejected update from ${session.clientId}: ${codeName}: ${reason}`);
    if (nth === LOGGED_REJECTIONS_PER_ROUND) {
      const current = gate.currentRound;
      this.opts.log(`round ${current}: further rejected updates from ${session.clientId} in round ${current} are counted, not logged`);
    }
    session.refuse(code, reason, round);
    this.opts.events.rejected({ round, clientId: session.clientId, code: codeName, reason });
  }
}
