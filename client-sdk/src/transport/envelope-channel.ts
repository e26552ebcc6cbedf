// One socket, whole envelopes: encodes and chunks outgoing envelopes, reassembles and decodes incoming frames.
// Shared by the server and the client SDK (so it imports only proto/ and must stay browser-safe).
import '../proto/protobuf-runtime.js';
import { fedfuse } from '../proto/generated/fedfuse.js';
import { encodeEnvelope, decodeEnvelope } from '../proto/envelope.js';
import { splitIntoChunks, Reassembler, CHUNK_OVERHEAD_BYTES, type ExpiredTransfer } from '../proto/chunking.js';
import { ProtocolError, badMessage, tooLarge } from '../proto/errors.js';
import type { ByteBudget } from '../proto/byte-budget.js';

/** Minimal surface both a socket.io server-side Socket and a socket.io-client Socket satisfy. */
export interface FrameSocket {
  emit(event: 'frame', data: Uint8Array): unknown;
  on(event: 'frame', listener: (data: unknown) => void): unknown;
  off?(event: 'frame', listener: (data: unknown) => void): unknown;
}

export interface ChannelOptions {
  /** Largest envelope sent or accepted, in encoded bytes. */
  maxMessageBytes: number;
  /** Frame payload size; keep well below the server's maxHttpBufferSize. Default DEFAULT_CHUNK_BYTES. */
  chunkBytes?: number;
  /** Partial incoming transfers idle this long are dropped. Default 120 s. */
  transferTimeoutMs?: number;
  /** Largest envelope accepted (incoming) until setIncomingLimit; default maxMessageBytes. */
  incomingLimit?: { bytes: number; note: string };
  /** A cap on partial incoming data shared with other channels (a server's connections together). */
  pendingBudget?: ByteBudget;
}

export const DEFAULT_CHUNK_BYTES = 256 * 1024;

/**
 * A socket.io maxHttpBufferSize that comfortably admits frames of `chunkBytes`: the polling transport sends
 * binary as base64 (4/3 larger) and may batch packets, so leave twice the frame size plus slack.
 */
export function recommendedMaxHttpBufferSize(chunkBytes: number = DEFAULT_CHUNK_BYTES): number {
  return 2 * (chunkBytes + CHUNK_OVERHEAD_BYTES) + 64 * 1024;
}

export interface ChannelStats {
  bytesSent: number;
  bytesReceived: number;
  messagesSent: number;
  messagesReceived: number;
  framesSent: number;
  framesReceived: number;
  protocolErrors: number;
}

type EnvelopeListener = (env: fedfuse.v1.Envelope, bytes: number) => void;
type ErrorListener = (err: ProtocolError) => void;

/** What a peer is told when its unfinished message was dropped for idling. */
export function expiredTransferError(t: ExpiredTransfer): ProtocolError {
  return badMessage(
    `transfer ${t.transferId} received nothing for ${t.idleMs} ms; its partial data (${t.received} of ${t.totalBytes} bytes) was dropped: send the message again`,
  );
}

/** Socket.io hands binary over as a Node Buffer (a Uint8Array), an ArrayBuffer, or another view. */
function asBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const kind = data === null ? 'null' : Array.isArray(data) ? 'array' : typeof data;
  throw badMessage(`frame is not binary (got ${kind})`);
}

export class EnvelopeChannel {
  readonly stats: ChannelStats = {
    bytesSent: 0,
    bytesReceived: 0,
    messagesSent: 0,
    messagesReceived: 0,
    framesSent: 0,
    framesReceived: 0,
    protocolErrors: 0,
  };
  private readonly maxMessageBytes: number;
  private readonly chunkBytes: number;
  private readonly reassembler: Reassembler;
  private readonly envelopeListeners: EnvelopeListener[] = [];
  private readonly errorListeners: ErrorListener[] = [];
  private readonly expiryListeners: ErrorListener[] = [];
  /** Fires when the oldest partial incoming transfer would expire: a quiet peer's partial data is not kept for ever. */
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  private nextTransferId = 1;
  private closed = false;
  private readonly onFrame = (data: unknown): void => this.receive(data);

  constructor(
    private readonly socket: FrameSocket,
    opts: ChannelOptions,
  ) {
    if (!Number.isInteger(opts.maxMessageBytes) || opts.maxMessageBytes <= 0) {
      throw new RangeError(`maxMessageBytes must be a positive integer, got ${opts.maxMessageBytes}`);
    }
    const chunkBytes = opts.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    if (!Number.isInteger(chunkBytes) || chunkBytes <= 0) throw new RangeError(`chunkBytes must be a positive integer, got ${chunkBytes}`);
    this.maxMessageBytes = opts.maxMessageBytes;
    this.chunkBytes = chunkBytes;
    this.reassembler = new Reassembler({
      maxMessageBytes: opts.maxMessageBytes,
      transferTimeoutMs: opts.transferTimeoutMs,
      budget: opts.pendingBudget,
      onExpired: (t) => {
        const err = expiredTransferError(t);
        for (const listener of [...this.expiryListeners]) listener(err);
      },
    });
    if (opts.incomingLimit) this.setIncomingLimit(opts.incomingLimit.bytes, opts.incomingLimit.note);
    socket.on('frame', this.onFrame);
  }

  /** Largest envelope accepted from now on (at most maxMessageBytes); `note` says why in TOO_LARGE replies. */
  setIncomingLimit(bytes: number, note = ''): void {
    this.reassembler.setMessageLimit(Math.min(bytes, this.maxMessageBytes), note);
  }

  /** Encodes, chunks and emits one envelope; returns the bytes put on the socket (frames included). */
  send(body: fedfuse.v1.IEnvelope): number {
    if (this.closed) throw new Error('cannot send on a closed EnvelopeChannel');
    return this.sendEncoded(encodeEnvelope(body));
  }

  /** Chunks and emits an envelope encoded once by the caller (a broadcast encodes once for every channel). */
  sendEncoded(bytes: Uint8Array): number {
    if (this.closed) throw new Error('cannot send on a closed EnvelopeChannel');
    if (bytes.byteLength > this.maxMessageBytes) {
      throw tooLarge(`envelope of ${bytes.byteLength} bytes exceeds the limit of ${this.maxMessageBytes} bytes`);
    }
    const frames = splitIntoChunks(bytes, this.nextTransferId, this.chunkBytes);
    this.nextTransferId = this.nextTransferId >= Number.MAX_SAFE_INTEGER ? 1 : this.nextTransferId + 1;
    let sent = 0;
    for (const frame of frames) {
      this.socket.emit('frame', frame);
      sent += frame.byteLength;
    }
    this.stats.bytesSent += sent;
    this.stats.framesSent += frames.length;
    this.stats.messagesSent++;
    return sent;
  }

  /** Called with every complete, decoded envelope and its encoded size. Listener exceptions propagate to the socket. */
  onEnvelope(listener: EnvelopeListener): void {
    this.envelopeListeners.push(listener);
  }

  /** Called for every bad frame or envelope; the channel stays usable. */
  onProtocolError(listener: ErrorListener): void {
    this.errorListeners.push(listener);
  }

  /** Called when a partial incoming transfer is dropped for idling (not a protocol error: the peer may be slow). */
  onTransferExpired(listener: ErrorListener): void {
    this.expiryListeners.push(listener);
  }

  /** Drops partial incoming transfers (call on disconnect). */
  reset(): void {
    this.reassembler.reset();
    this.scheduleExpiry();
  }

  /** Detaches from the socket and forgets listeners; further sends throw. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.off?.('frame', this.onFrame);
    this.reassembler.reset();
    clearTimeout(this.expiryTimer);
    this.envelopeListeners.length = 0;
    this.errorListeners.length = 0;
    this.expiryListeners.length = 0;
  }

  private scheduleExpiry(): void {
    clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    const at = this.reassembler.nextExpiryAt;
    if (this.closed || at === undefined) return;
    this.expiryTimer = setTimeout(() => {
      this.expiryTimer = undefined;
      this.reassembler.expireStale();
      this.scheduleExpiry();
    }, Math.max(0, at - Date.now()) + 1);
    // Never keeps a process alive on its own (an SDK app may exit with a half-received message).
    (this.expiryTimer as { unref?: () => void }).unref?.();
  }

  /** Bytes of partial incoming transfers held right now. */
  get pendingBytes(): number {
    return this.reassembler.pendingBytes;
  }

  private receive(data: unknown): void {
    if (this.closed) return;
    let env: fedfuse.v1.Envelope;
    let size: number;
    try {
      const frame = asBytes(data);
      this.stats.framesReceived++;
      this.stats.bytesReceived += frame.byteLength;
      const payload = this.pushFrame(frame);
      if (payload === null) return;
      size = payload.byteLength;
      env = decodeEnvelope(payload);
    } catch (e) {
      this.reportError(e);
      return;
    }
    this.stats.messagesReceived++;
    for (const listener of [...this.envelopeListeners]) listener(env, size);
  }

  private pushFrame(frame: Uint8Array): Uint8Array | null {
    try {
      return this.reassembler.push(frame);
    } finally {
      this.scheduleExpiry();
    }
  }

  private reportError(e: unknown): void {
    // Anything that is not a ProtocolError is a bug on this side, not bad input: let it surface.
    if (!(e instanceof ProtocolError)) throw e;
    this.stats.protocolErrors++;
    for (const listener of [...this.errorListeners]) listener(e);
  }
}
