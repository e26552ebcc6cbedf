// Write-ahead journal of the current round's accepted client updates, next to the checkpoints, so that an update the
// server acknowledged survives a crash (SIGKILL, power loss) before the round's checkpoint is written.
//
// Layout: <dir>/round-000007/<hex of client id>.update, one file per accepted update, written to a temp file, fsynced,
// renamed into place and the directory fsynced (see synced-write.ts). A file is
//   "FFJ1" | uint32 LE header length | header JSON | payload
// where the payload is the update as a protobuf Envelope{ClientUpdate} (the wire codec, float32 tensors) and the
// small header holds what the wire message lacks: the client's label histogram, the sha256 of the global model the
// update was trained on (a journal entry only counts for that same model) and the payload's sha256.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import '@fedfuse/client/internal/proto/protobuf-runtime.js';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { decodeEnvelope, encodeEnvelope } from '@fedfuse/client/internal/proto/envelope.js';
import { encodeFloatTensor } from '@fedfuse/client/internal/proto/tensor-codec.js';
import type { WeightTensor } from '@fedfuse/client/internal/model/weights.js';
import type { ClientUpdate } from '../strategies/strategy.js';
import { DurableWriteError, syncDir, writeFileSynced, type SyncedFileWriter } from './synced-write.js';

const MAGIC = new TextEncoder().encode('FFJ1');
const ROUND_DIR = /^round-(\d+)$/;
const ENTRY_FILE = /^([0-9a-f]+)\.update$/;
/** A header is a few hundred bytes; anything far larger is damage, not a header. */
const MAX_HEADER_BYTES = 4 * 1024 * 1024;

interface EntryHeader {
  round: number;
  clientId: string;
  labelHistogram: number[];
  baseModelSha256: string;
  payloadSha256: string;
}

/** One journaled update as read back: the wire message still has to pass the server's usual update validation. */
export interface JournalEntry {
  clientId: string;
  labelHistogram: number[];
  message: fedfuse.v1.IClientUpdate;
  path: string;
}

function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * sha256 of a model's weights (shapes and values, not names: TF.js numbers layer names per process): identifies the
 * global model an update was trained on.
 */
export function weightsSha256(weights: readonly WeightTensor[]): string {
  const h = createHash('sha256');
  for (const w of weights) {
    h.update(`${w.shape.join('x')};`);
    h.update(new Uint8Array(w.values.buffer, w.values.byteOffset, w.values.byteLength));
  }
  return h.digest('hex');
}

/** weightsSha256 remembered for the last model asked about: a round's updates all name the same global model. */
export function lastModelSha256(): (model: { weights: readonly WeightTensor[] }) => string {
  let last: { model: { weights: readonly WeightTensor[] }; sha256: string } | undefined;
  return (model) => {
    if (last?.model !== model) last = { model, sha256: weightsSha256(model.weights) };
    return last.sha256;
  };
}

function roundDirName(round: number): string {
  return `round-${String(round).padStart(6, '0')}`;
}

function entryFileName(clientId: string): string {
  return `${Buffer.from(clientId, 'utf8').toString('hex')}.update`;
}

/** The validated update back as a wire ClientUpdate (float32, so nothing is lost). */
function toWire(u: ClientUpdate): fedfuse.v1.IClientUpdate {
  return {
    round: u.round,
    clientId: u.clientId,
    numExamples: u.numExamples,
    weights: u.weights.map((w) => encodeFloatTensor(w.name, w.shape, w.values)),
    activations: u.activations.map((a, l) => encodeFloatTensor(`level_${l}`, a.shape, a.values)),
    importance: u.importance.map((s, l) => encodeFloatTensor(`importance_${l}`, [s.length], s)),
    metrics: { ...u.metrics },
  };
}

export function encodeEntry(u: ClientUpdate, baseModelSha256: string): Uint8Array {
  const payload = encodeEnvelope({ clientUpdate: toWire(u) });
  const header: EntryHeader = {
    round: u.round,
    clientId: u.clientId,
    labelHistogram: [...u.labelHistogram],
    baseModelSha256,
    payloadSha256: sha256Hex(payload),
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(MAGIC.length + 4 + headerBytes.length + payload.length);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(MAGIC.length, headerBytes.length, true);
  out.set(headerBytes, MAGIC.length + 4);
  out.set(payload, MAGIC.length + 4 + headerBytes.length);
  return out;
}

/** Parses one journal file; throws an Error naming what is wrong with it. */
export function decodeEntry(bytes: Uint8Array): { header: EntryHeader; message: fedfuse.v1.IClientUpdate } {
  if (bytes.length < MAGIC.length + 4 || !MAGIC.every((b, i) => bytes[i] === b)) throw new Error('not a journal entry (bad magic)');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(MAGIC.length, true);
  const payloadStart = MAGIC.length + 4 + headerLength;
  if (headerLength > MAX_HEADER_BYTES || payloadStart > bytes.length) throw new Error(`header length ${headerLength} runs past the file`);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length + 4, payloadStart))) as EntryHeader;
  if (typeof header?.clientId !== 'string' || !Number.isInteger(header.round) || !Array.isArray(header.labelHistogram)) {
    throw new Error('header lacks round, clientId or labelHistogram');
  }
  if (!header.labelHistogram.every((n) => Number.isInteger(n) && n >= 0)) throw new Error('header labelHistogram is not counts');
  const payload = bytes.subarray(payloadStart);
  if (sha256Hex(payload) !== header.payloadSha256) throw new Error('payload does not match the sha256 in its header');
  const env = decodeEnvelope(payload);
  if (env.body !== 'clientUpdate') throw new Error(`payload holds a ${env.body} message, not a ClientUpdate`);
  return { header, message: env.clientUpdate! };
}

export class UpdateJournal {
  constructor(
    readonly dir: string,
    private readonly opts: { writeFile?: SyncedFileWriter } = {},
  ) {}

  /**
   * Durably records an accepted update (temp file + fsync + rename + directory fsync) and returns its path.
   * A failed write throws a DurableWriteError naming the path and errno.
   */
  async record(update: ClientUpdate, baseModelSha256: string): Promise<string> {
    const roundDir = join(this.dir, roundDirName(update.round));
    const path = join(roundDir, entryFileName(update.clientId));
    const tmp = join(roundDir, `.${entryFileName(update.clientId)}.tmp-${randomBytes(4).toString('hex')}`);
    try {
      await mkdir(roundDir, { recursive: true });
      try {
        await (this.opts.writeFile ?? writeFileSynced)(tmp, encodeEntry(update, baseModelSha256));
        await rename(tmp, path);
      } catch (e) {
        await rm(tmp, { force: true });
        throw e;
      }
      await syncDir(roundDir);
    } catch (e) {
      throw new DurableWriteError(`the journal entry of ${update.clientId}'s round ${update.round} update`, path, e);
    }
    return path;
  }

  /** Forgets one client's entry (an update that was journaled but then not accepted after all). */
  async remove(round: number, clientId: string): Promise<void> {
    await rm(join(this.dir, roundDirName(round), entryFileName(clientId)), { force: true });
  }

  /**
   * The entries of `round` trained on the global model with weights hash `baseModelSha256`. Damaged entries and
   * entries for another model are skipped and described in `problems` (they are not counted, the client retrains).
   */
  async load(round: number, baseModelSha256: string): Promise<{ entries: JournalEntry[]; problems: string[] }> {
    const roundDir = join(this.dir, roundDirName(round));
    let names: string[];
    try {
      names = await readdir(roundDir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], problems: [] };
      throw e;
    }
    const entries: JournalEntry[] = [];
    const problems: string[] = [];
    for (const name of names.sort()) {
      const m = ENTRY_FILE.exec(name);
      if (!m) continue; // temp files of an interrupted write
      const path = join(roundDir, name);
      try {
        const { header, message } = decodeEntry(new Uint8Array(await readFile(path)));
        if (Buffer.from(header.clientId, 'utf8').toString('hex') !== m[1]) throw new Error(`holds client ${header.clientId}'s update`);
        if (header.round !== round || message.round !== round) throw new Error(`holds an update for round ${message.round}`);
        if (message.clientId !== header.clientId) throw new Error(`its update speaks for client "${message.clientId}"`);
        if (header.baseModelSha256 !== baseModelSha256) throw new Error('was trained on a different global model');
        entries.push({ clientId: header.clientId, labelHistogram: header.labelHistogram, message, path });
      } catch (e) {
        problems.push(`${path}: ${(e as Error).message}`);
      }
    }
    return { entries, problems };
  }

  /** Removes the journals of every round except `keep` (they belong to rounds a checkpoint already covers, or to a lost future). */
  async discardAllBut(keep: number): Promise<void> {
    await this.discard((round) => round !== keep);
  }

  /** Removes the journals of rounds up to `round` (called once that round's checkpoint is saved). */
  async discardThrough(round: number): Promise<void> {
    await this.discard((r) => r <= round);
  }

  private async discard(which: (round: number) => boolean): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    for (const name of names) {
      const m = ROUND_DIR.exec(name);
      if (m && which(Number(m[1]))) await rm(join(this.dir, name), { recursive: true, force: true });
    }
  }
}
