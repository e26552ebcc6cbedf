// Large envelopes travel as several Chunk frames so that no single socket.io message exceeds the server's
// maxHttpBufferSize. The Reassembler is the receiving side's memory guard: it never allocates from a declared
// size it has not checked, and holds at most about one message worth of partial data.
import './protobuf-runtime.js';
import { fedfuse } from './generated/fedfuse.js';
import { badMessage, tooLarge } from './errors.js';
import { toSafeUint } from './uint64.js';
import type { ByteBudget } from './byte-budget.js';

/** Protobuf framing bytes a Chunk adds around its data (tags, varints); generous upper bound. */
export const CHUNK_OVERHEAD_BYTES = 64;

export function splitIntoChunks(payload: Uint8Array, transferId: number, chunkBytes: number): Uint8Array[] {
  if (!Number.isInteger(chunkBytes) || chunkBytes <= 0) throw new RangeError(`chunkBytes must be a positive integer, got ${chunkBytes}`);
  if (!Number.isSafeInteger(transferId) || transferId < 0) throw new RangeError(`transferId must be a non-negative safe integer, got ${transferId}`);
  const total = payload.byteLength;
  const count = Math.max(1, Math.ceil(total / chunkBytes));
  if (count > 0xffffffff) throw new RangeError(`payload of ${total} bytes needs ${count} chunks, more than a uint32 count`);
  const frames: Uint8Array[] = [];
  for (let index = 0; index < count; index++) {
    const data = payload.subarray(index * chunkBytes, Math.min(total, (index + 1) * chunkBytes));
    frames.push(fedfuse.v1.Chunk.encode({ transferId, index, count, totalBytes: total, data }).finish());
  }
  return frames;
}

export interface ReassemblerOptions {
  /** Largest payload accepted; larger declared totals are refused (TOO_LARGE) before anything is stored. */
  maxMessageBytes: number;
  /** Partial transfers kept at once; starting one more drops the oldest. Default 4. */
  maxPendingTransfers?: number;
  /** A transfer that received nothing for this long is dropped (on push, and on expireStale()). Default 120 s. */
  transferTimeoutMs?: number;
  /** Bytes of partial data held over all transfers; older transfers are dropped to stay under. Default maxMessageBytes. */
  maxPendingBytes?: number;
  /** Clock, injectable for tests. */
  now?: () => number;
  /** A cap shared with other reassemblers (all of a server's connections): partial data beyond it is refused. */
  budget?: ByteBudget;
  /** Told about each transfer dropped for idling past transferTimeoutMs. */
  onExpired?: (transfer: ExpiredTransfer) => void;
}

/** A partial transfer dropped because nothing arrived for it within the timeout. */
export interface ExpiredTransfer {
  transferId: number;
  received: number;
  totalBytes: number;
  idleMs: number;
}

interface PendingTransfer {
  count: number;
  totalBytes: number;
  received: number;
  pieces: Map<number, Uint8Array>;
  lastActivity: number;
}

export interface ReassemblerStats {
  completed: number;
  /** Transfers dropped for a bad chunk, a timeout, or to make room. */
  dropped: number;
  expired: number;
}

export class Reassembler {
  private maxMessageBytes: number;
  /** Appended to the TOO_LARGE message of a declared size over the limit (why the limit is what it is). */
  private limitNote = '';
  private readonly maxPendingTransfers: number;
  private readonly transferTimeoutMs: number;
  private maxPendingBytes: number;
  /** maxPendingBytes follows maxMessageBytes unless it was given. */
  private readonly pendingFollowsMessage: boolean;
  private readonly budget: ByteBudget | undefined;
  private readonly onExpired: ((transfer: ExpiredTransfer) => void) | undefined;
  private readonly now: () => number;
  /** Insertion order = start order, so the first entry is the oldest. */
  private readonly transfers = new Map<number, PendingTransfer>();
  private held = 0;
  readonly stats: ReassemblerStats = { completed: 0, dropped: 0, expired: 0 };

  constructor(opts: ReassemblerOptions) {
    const positive = (v: number, what: string) => {
      if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`${what} must be a positive number, got ${v}`);
      return v;
    };
    this.maxMessageBytes = positive(opts.maxMessageBytes, 'maxMessageBytes');
    this.maxPendingTransfers = Math.floor(positive(opts.maxPendingTransfers ?? 4, 'maxPendingTransfers'));
    this.transferTimeoutMs = positive(opts.transferTimeoutMs ?? 120_000, 'transferTimeoutMs');
    this.maxPendingBytes = positive(opts.maxPendingBytes ?? opts.maxMessageBytes, 'maxPendingBytes');
    this.pendingFollowsMessage = opts.maxPendingBytes === undefined;
    this.budget = opts.budget;
    this.onExpired = opts.onExpired;
    this.now = opts.now ?? Date.now;
  }

  /**
   * Changes the largest payload accepted from now on (e.g. a server raises it once a connection has joined); `note`
   * says why in the TOO_LARGE message. Partial transfers over the new limit are dropped.
   */
  setMessageLimit(maxMessageBytes: number, note = ''): void {
    if (!(maxMessageBytes > 0) || !Number.isFinite(maxMessageBytes)) throw new RangeError(`maxMessageBytes must be a positive number, got ${maxMessageBytes}`);
    this.maxMessageBytes = maxMessageBytes;
    this.limitNote = note;
    if (this.pendingFollowsMessage) this.maxPendingBytes = maxMessageBytes;
    for (const [id, t] of this.transfers) if (t.totalBytes > maxMessageBytes && this.drop(id)) this.stats.dropped++;
  }

  /** Bytes of partial transfers currently held. */
  get pendingBytes(): number {
    return this.held;
  }

  get pendingTransfers(): number {
    return this.transfers.size;
  }

  /** When the oldest-idle partial transfer expires (clock ms), or undefined when none is pending. */
  get nextExpiryAt(): number | undefined {
    let next: number | undefined;
    for (const t of this.transfers.values()) {
      const at = t.lastActivity + this.transferTimeoutMs;
      if (next === undefined || at < next) next = at;
    }
    return next;
  }

  /**
   * Takes one frame, which the reassembler may keep referencing until its transfer completes (do not reuse
   * the frame's buffer). Returns the complete payload, a fresh buffer, when this frame finishes its transfer.
   * Throws ProtocolError for a bad frame; a bad chunk discards only its own transfer.
   */
  push(frame: Uint8Array): Uint8Array | null {
    const now = this.now();
    this.expireStale(now);

    let chunk: fedfuse.v1.Chunk;
    try {
      chunk = fedfuse.v1.Chunk.decode(frame);
    } catch (e) {
      throw badMessage(`malformed chunk frame: ${(e as Error).message}`);
    }
    const transferId = toSafeUint(chunk.transferId, 'chunk.transfer_id');
    try {
      return this.accept(transferId, chunk, now);
    } catch (e) {
      if (this.drop(transferId)) this.stats.dropped++;
      throw e;
    }
  }

  /** Discards all partial transfers (e.g. on disconnect). */
  reset(): void {
    this.transfers.clear();
    this.budget?.give(this.held);
    this.held = 0;
  }

  private accept(transferId: number, chunk: fedfuse.v1.Chunk, now: number): Uint8Array | null {
    const label = `transfer ${transferId}`;
    const totalBytes = toSafeUint(chunk.totalBytes, 'chunk.total_bytes');
    const { index, count } = chunk;
    const data = chunk.data ?? new Uint8Array(0);
    if (totalBytes > this.maxMessageBytes) {
      throw tooLarge(`${label} declares ${totalBytes} bytes, more than the limit of ${this.maxMessageBytes}${this.limitNote ? ` ${this.limitNote}` : ''}`);
    }
    if (count < 1) throw badMessage(`${label} declares a chunk count of 0`);
    if (count > Math.max(1, totalBytes)) {
      throw badMessage(`${label} declares ${count} chunks for ${totalBytes} bytes; every chunk must carry data`);
    }
    if (index >= count) throw badMessage(`${label} chunk index ${index} is out of range for ${count} chunks`);
    if (data.byteLength === 0 && totalBytes > 0) throw badMessage(`${label} chunk ${index} carries no data`);

    let t = this.transfers.get(transferId);
    if (t) {
      if (t.count !== count || t.totalBytes !== totalBytes) {
        throw badMessage(
          `${label} chunk ${index} declares ${count} chunks / ${totalBytes} bytes, but the transfer started with ${t.count} chunks / ${t.totalBytes} bytes`,
        );
      }
      if (t.pieces.has(index)) throw badMessage(`${label} received chunk ${index} twice`);
    }
    if ((t?.received ?? 0) + data.byteLength > totalBytes) {
      throw badMessage(`${label} chunk ${index} brings the data past the declared ${totalBytes} bytes`);
    }

    if (count === 1) {
      if (data.byteLength !== totalBytes) throw badMessage(`${label} declares ${totalBytes} bytes but its only chunk carries ${data.byteLength}`);
      this.stats.completed++;
      return new Uint8Array(data); // a copy (Buffer#slice would be a view)
    }

    if (!t) {
      while (this.transfers.size >= this.maxPendingTransfers) this.dropOldest();
      t = { count, totalBytes, received: 0, pieces: new Map(), lastActivity: now };
      this.transfers.set(transferId, t);
    }
    while (this.held + data.byteLength > this.maxPendingBytes && this.dropOldest(transferId)) {
      // older transfers make room for the one that is progressing
    }
    if (this.held + data.byteLength > this.maxPendingBytes) {
      throw tooLarge(`${label} would hold ${this.held + data.byteLength} bytes of partial data, more than the limit of ${this.maxPendingBytes}`);
    }
    if (this.budget && !this.budget.tryTake(data.byteLength)) {
      throw tooLarge(
        `${label}: partial uploads of all connections would hold ${this.budget.held + data.byteLength} bytes, ` +
          `more than the limit of ${this.budget.limit} (${this.budget.name}); retry later`,
      );
    }
    // Big pieces are held as views (socket.io/ws and browsers hand over a fresh buffer per message, and pieces are
    // copied into the result anyway). A piece that is a small part of its buffer (junk fields, a shared read
    // buffer) is copied, so the memory actually pinned stays within 2x pendingBytes.
    const mostOfItsBuffer = data.byteLength * 2 >= data.buffer.byteLength;
    t.pieces.set(index, mostOfItsBuffer ? data : new Uint8Array(data));
    t.received += data.byteLength;
    t.lastActivity = now;
    this.held += data.byteLength;

    if (t.pieces.size < count) return null;
    if (t.received !== totalBytes) throw badMessage(`${label} declared ${totalBytes} bytes but its chunks carry ${t.received}`);
    this.drop(transferId);
    const out = new Uint8Array(totalBytes);
    let offset = 0;
    for (let i = 0; i < count; i++) {
      const piece = t.pieces.get(i) as Uint8Array;
      out.set(piece, offset);
      offset += piece.byteLength;
    }
    this.stats.completed++;
    return out;
  }

  private drop(transferId: number): boolean {
    const t = this.transfers.get(transferId);
    if (!t) return false;
    this.held -= t.received;
    this.budget?.give(t.received);
    this.transfers.delete(transferId);
    return true;
  }

  /** Drops the oldest transfer other than `keep`; false if there is none. */
  private dropOldest(keep?: number): boolean {
    for (const id of this.transfers.keys()) {
      if (id === keep) continue;
      this.drop(id);
      this.stats.dropped++;
      return true;
    }
    return false;
  }

  /** Drops the transfers idle for transferTimeoutMs or longer (a caller's timer calls this; push does too). */
  expireStale(now: number = this.now()): void {
    for (const [id, t] of this.transfers) {
      if (now - t.lastActivity >= this.transferTimeoutMs) {
        this.drop(id);
        this.stats.expired++;
        this.onExpired?.({ transferId: id, received: t.received, totalBytes: t.totalBytes, idleMs: this.transferTimeoutMs });
      }
    }
  }
}
