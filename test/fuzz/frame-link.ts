// One side of a socket under fuzz: emits raw frames to the peer and predicts, with a local mirror of the peer's
// reassembler (same code, same limits, fed the same frames in the same order), what the peer's channel makes of each
// frame: a ProtocolError, a partial transfer, or a decoded envelope. A heartbeat sent on a reserved transfer id after
// each batch marks where the peer's replies to that batch end.
import fc from 'fast-check';
import '@fedfuse/client/internal/proto/protobuf-runtime.js';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { decodeEnvelope, encodeEnvelope } from '@fedfuse/client/internal/proto/envelope.js';
import { Reassembler, splitIntoChunks } from '@fedfuse/client/internal/proto/chunking.js';
import { ProtocolError } from '@fedfuse/client/internal/proto/errors.js';

export type FrameOutcome =
  | { kind: 'error'; code: string; message: string }
  | { kind: 'pending' }
  | { kind: 'envelope'; env: fedfuse.v1.Envelope };

/** Transfer ids the fuzzer's own well-formed messages use; generated frames stay below 2^40. */
export const RESERVED_TRANSFER_IDS = 2 ** 50;

export interface FrameEmitter {
  emit(event: 'frame', data: unknown): unknown;
}

export class FrameLink {
  readonly mirror: Reassembler;
  private nextReservedId = RESERVED_TRANSFER_IDS;
  framesSent = 0;

  constructor(
    private readonly socket: FrameEmitter,
    maxMessageBytes: number,
    private readonly chunkBytes = 64 * 1024,
  ) {
    this.mirror = new Reassembler({ maxMessageBytes });
  }

  /** Emits binary frames; returns what the peer's channel does with each. */
  emitFrames(frames: readonly Uint8Array[]): FrameOutcome[] {
    return frames.map((frame) => {
      this.socket.emit('frame', frame);
      this.framesSent++;
      return predict(this.mirror, frame);
    });
  }

  /** Sends one well-formed envelope on a reserved transfer id; returns the outcome of its last frame. */
  sendEnvelope(body: fedfuse.v1.IEnvelope): FrameOutcome {
    return this.emitFrames(this.framesOf(encodeEnvelope(body))).at(-1)!;
  }

  /** Frames of `payload` on a fresh reserved transfer id. */
  framesOf(payload: Uint8Array): Uint8Array[] {
    return splitIntoChunks(payload, this.nextReservedId++, this.chunkBytes);
  }
}

function predict(mirror: Reassembler, frame: Uint8Array): FrameOutcome {
  try {
    const payload = mirror.push(new Uint8Array(frame));
    if (payload === null) return { kind: 'pending' };
    return { kind: 'envelope', env: decodeEnvelope(payload) };
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
    return { kind: 'error', code: e.codeName, message: e.message };
  }
}

export const SYNC_HEARTBEAT: fedfuse.v1.IEnvelope = { heartbeat: { sentUnixMs: 1 } };

/** Hang guard for awaits on a live peer (not a timing assertion: it only turns a hang into a named failure). */
export async function within<T>(promise: Promise<T>, what: string, ms = 20_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Collects uncaught exceptions and unhandled rejections of this process while a fuzz test runs. */
export class CrashWatch {
  readonly crashes: string[] = [];
  private readonly onCrash = (e: unknown) => this.crashes.push(e instanceof Error ? (e.stack ?? e.message) : String(e));

  install(): void {
    process.on('uncaughtException', this.onCrash);
    process.on('unhandledRejection', this.onCrash);
  }

  uninstall(): void {
    process.off('uncaughtException', this.onCrash);
    process.off('unhandledRejection', this.onCrash);
  }
}

/** A valid envelope with a few bytes flipped, set, inserted or deleted, and maybe truncated. */
export function mutateBytes(seed: Uint8Array, edits: readonly [number, number, 'flip' | 'set' | 'insert' | 'delete'][], cut?: number): Uint8Array {
  const bytes = Array.from(seed);
  for (const [pos, value, op] of edits) {
    const i = bytes.length === 0 ? 0 : pos % bytes.length;
    if (op === 'flip') bytes[i] ^= 1 << (value % 8);
    else if (op === 'set') bytes[i] = value;
    else if (op === 'insert') bytes.splice(i, 0, value);
    else bytes.splice(i, 1);
  }
  return new Uint8Array(cut === undefined ? bytes : bytes.slice(0, cut % (bytes.length + 1)));
}

/** Up to six byte edits for mutateBytes. */
export const byteEdits = fc.array(
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip' as const, 'set' as const, 'insert' as const, 'delete' as const)),
  { minLength: 1, maxLength: 6 },
);

export type StreamOp = 'in-order' | 'shuffled' | 'truncated' | 'duplicate' | 'drop-one' | 'interleaved' | 'bad-header' | 'huge-total';

export interface ChunkStreamCase {
  op: StreamOp;
  /** Index into the payloads given to chunkStream. */
  payload: number;
  /** Chunks per transfer (the chunk size follows from it). */
  pieces: number;
  transferId: number;
  /** Drives the shuffle, the dropped/duplicated index and the header edits. */
  salt: number;
}

export const chunkStreamCase = (payloads: number, maxPieces = 24) =>
  fc.record({
    op: fc.constantFrom<StreamOp>('in-order', 'shuffled', 'truncated', 'duplicate', 'drop-one', 'interleaved', 'bad-header', 'huge-total'),
    payload: fc.integer({ min: 0, max: payloads - 1 }),
    pieces: fc.integer({ min: 1, max: maxPieces }),
    transferId: fc.integer({ min: 1, max: 2 ** 40 }),
    salt: fc.nat(),
  });

/** The frames of one stream case: a payload cut into chunks, then reordered, cut short, repeated or corrupted. */
export function chunkStreamFrames(c: ChunkStreamCase, payloads: readonly Uint8Array[], maxMessageBytes: number): Uint8Array[] {
  const payload = payloads[c.payload];
  const chunkBytes = Math.max(1, Math.ceil(payload.byteLength / c.pieces));
  const frames = splitIntoChunks(payload, c.transferId, chunkBytes);
  const n = frames.length;
  const pick = c.salt % n;
  switch (c.op) {
    case 'in-order':
      return frames;
    case 'shuffled':
      return shuffle(frames, c.salt);
    case 'truncated':
      return frames.slice(0, pick); // never complete: the peer must hold it, bounded, and deliver nothing
    case 'duplicate':
      return [...frames.slice(0, pick + 1), frames[pick], ...frames.slice(pick + 1)];
    case 'drop-one':
      return frames.filter((_, i) => i !== pick);
    case 'interleaved': {
      const otherPayload = payloads[(c.payload + 1) % payloads.length];
      const other = splitIntoChunks(otherPayload, c.transferId + 1, Math.max(1, Math.ceil(otherPayload.byteLength / c.pieces)));
      const out: Uint8Array[] = [];
      for (let i = 0; i < Math.max(n, other.length); i++) out.push(...(i < n ? [frames[i]] : []), ...(i < other.length ? [other[i]] : []));
      return out;
    }
    case 'bad-header': {
      const chunk = fedfuse.v1.Chunk.decode(frames[pick]);
      const field = c.salt % 3;
      if (field === 0) chunk.count = chunk.count + 1 + (c.salt % 5);
      else if (field === 1) chunk.index = chunk.count + (c.salt % 7);
      else chunk.totalBytes = Number(chunk.totalBytes) + 1 + (c.salt % 100);
      return [...frames.slice(0, pick), fedfuse.v1.Chunk.encode(chunk).finish(), ...frames.slice(pick + 1)];
    }
    case 'huge-total': {
      // Declares far more than the limit (up to 2^50 bytes) while carrying a few bytes: nothing may be allocated for it.
      const declared = maxMessageBytes + 1 + (c.salt % 2 ** 20) * 2 ** 30;
      return [fedfuse.v1.Chunk.encode({ transferId: c.transferId, index: 0, count: 1 + (c.salt % 1000), totalBytes: declared, data: frames[0].subarray(0, 16) }).finish()];
    }
  }
}

function shuffle<T>(items: readonly T[], salt: number): T[] {
  const out = [...items];
  let s = salt >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Run counts and seeds of the fuzz tests: fixed in the suite; `FUZZ_SCALE=10 FUZZ_SEED=7 npx mocha …` runs ten times
 * as many cases from other seeds, for a longer hunt outside CI.
 */
export function fuzzRuns(runs: number): number {
  const scale = Number(process.env.FUZZ_SCALE ?? 1);
  return Math.max(1, Math.round(runs * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}

export function fuzzSeed(seed: number): number {
  const offset = Number(process.env.FUZZ_SEED ?? 0);
  return seed + (Number.isInteger(offset) ? offset * 1000 : 0);
}
