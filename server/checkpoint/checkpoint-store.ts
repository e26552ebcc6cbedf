// Checkpoints of the global model after each round, in TF.js's own on-disk format (model.json + weights.bin, as
// tf.LayersModel.save writes them) plus round-state.json (round, metric history, config hash).
//
// Layout: <dir>/round-000007/{model.json, weights.bin, round-state.json, manifest.json} and <dir>/latest.json naming
// the newest (and the sha256 of its manifest). manifest.json holds the sha256 of every other file, so an edited,
// truncated or swapped file is detected, and every file is schema-checked on load. A checkpoint is written into a temp
// directory, every file fsynced, then renamed into place, and only then is latest.json replaced (temp file + fsync +
// rename). A crash at any point leaves the previous checkpoint intact.
//
// With a key (checkpointKey), manifest.json also carries an HMAC-SHA256 of itself under that key: whoever can write the
// directory but lacks the key cannot forge a consistent checkpoint (rewriting a file and every hash above it).
//
// On load a checkpoint that fails any check is skipped (the caller is told why) in favour of the previous one; when
// latest.json or round directories exist but none is intact, load refuses rather than let a server start over.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import type { WeightTensor } from '@fedfuse/client/internal/model/weights.js';
import { DurableWriteError, syncDir, writeFileSynced, type SyncedFileWriter } from './synced-write.js';

export interface RoundState<H = unknown> {
  /** Last completed round; a resumed server continues at round + 1. */
  round: number;
  /** Per-round metrics so far (the server's round summaries). */
  history: H[];
  /** Hash of the settings that must not change across a resume (see FederationServer). */
  configHash: string;
  /** State of a stateful strategy (e.g. server optimiser moments), when it has any. */
  strategyState?: unknown;
  /** sha256 of weights.bin, so a damaged checkpoint is detected rather than loaded. */
  weightsSha256: string;
  savedAt: string;
}

export interface Checkpoint<H = unknown> {
  round: number;
  model: ModelState;
  state: RoundState<H>;
  /** Directory the checkpoint was read from. */
  dir: string;
}

const weightSpecSchema = z.strictObject({ name: z.string(), shape: z.array(z.number().int().min(0)), dtype: z.literal('float32') });
type WeightSpec = z.infer<typeof weightSpecSchema>;

const modelJsonSchema = z.object({
  modelTopology: z.record(z.string(), z.unknown()),
  format: z.literal('layers-model'),
  generatedBy: z.string(),
  convertedBy: z.null(),
  weightsManifest: z.array(z.strictObject({ paths: z.array(z.string()), weights: z.array(weightSpecSchema) })).length(1),
});
type ModelJson = z.infer<typeof modelJsonSchema>;

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);
const manifestSchema = z.strictObject({
  format: z.literal('fedfuse-checkpoint'),
  version: z.literal(1),
  round: z.number().int().min(0),
  /** sha256 of every other file of the checkpoint. */
  files: z.strictObject({ 'model.json': sha256Schema, 'weights.bin': sha256Schema, 'round-state.json': sha256Schema }),
  /** With a checkpoint key: HMAC-SHA256 under it of the manifest's other fields (manifestMac). */
  hmacSha256: sha256Schema.optional(),
});
type Manifest = z.infer<typeof manifestSchema>;

const latestSchema = z.object({ round: z.number().int().min(0), dir: z.string(), manifestSha256: sha256Schema.optional() });

function roundStateSchema<H>(history: z.ZodType<H>) {
  return z.strictObject({
    round: z.number().int().min(0),
    history: z.array(history),
    configHash: z.string(),
    strategyState: z.unknown().optional(),
    weightsSha256: sha256Schema,
    savedAt: z.string(),
  });
}

/** Names the first problem of a failed schema check: "round-state.json: history: expected array, received null". */
function schemaProblem(file: string, error: z.ZodError): string {
  const issue = error.issues[0];
  return `${file}: ${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`;
}

function parseJson<T>(file: string, text: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new Error(schemaProblem(file, parsed.error));
  return parsed.data;
}

/** Options of a store: how many checkpoints to keep, the file writer, and the schema of a history entry. */
export interface CheckpointStoreOptions<H> {
  keep?: number;
  writeFile?: SyncedFileWriter;
  /** Every history entry is checked against it on load (default: anything). */
  historySchema?: z.ZodType<H>;
  /** Checkpoints are signed (HMAC-SHA256) with this key, and only signed ones load. */
  hmacKey?: Buffer;
}

/** Smallest checkpoint key accepted, in bytes. */
export const MIN_CHECKPOINT_KEY_BYTES = 16;

/** HMAC-SHA256 (hex) of the manifest's fields other than the HMAC itself, in a fixed order. */
function manifestMac(key: Buffer, m: Manifest): string {
  const { format, version, round, files } = m;
  const canonical = JSON.stringify({ format, version, round, files: { 'model.json': files['model.json'], 'weights.bin': files['weights.bin'], 'round-state.json': files['round-state.json'] } });
  return createHmac('sha256', key).update(canonical).digest('hex');
}

const LATEST = 'latest.json';
const MODEL = 'model.json';
const WEIGHTS = 'weights.bin';
const STATE = 'round-state.json';
const MANIFEST = 'manifest.json';
const ROUND_DIR = /^round-(\d+)$/;

function roundDirName(round: number): string {
  return `round-${String(round).padStart(6, '0')}`;
}

/** Concatenates the weights little-endian float32 in order (what tf.io.encodeWeights produces). */
function packWeights(weights: readonly WeightTensor[]): Uint8Array {
  const total = weights.reduce((n, w) => n + w.values.length, 0);
  const out = new Float32Array(total);
  let offset = 0;
  for (const w of weights) {
    out.set(w.values, offset);
    offset += w.values.length;
  }
  // Float32Array is platform-endian; every platform Node runs on here is little-endian, as TF.js assumes too.
  return new Uint8Array(out.buffer);
}

function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export class CheckpointStore<H = unknown> {
  constructor(
    readonly dir: string,
    private readonly opts: CheckpointStoreOptions<H> = {},
  ) {
    if (opts.keep !== undefined && (!Number.isInteger(opts.keep) || opts.keep < 1)) {
      throw new Error(`checkpoint keep must be a positive integer, got ${opts.keep}`);
    }
    if (opts.hmacKey !== undefined && opts.hmacKey.length < MIN_CHECKPOINT_KEY_BYTES) {
      throw new Error(`the checkpoint key is ${opts.hmacKey.length} bytes; at least ${MIN_CHECKPOINT_KEY_BYTES} are needed`);
    }
  }

  /**
   * Writes the checkpoint of `round` atomically and returns its directory. A failed write (disk full, ...) throws a
   * DurableWriteError naming the path and errno, and leaves the previous checkpoint and latest.json untouched.
   */
  async save(
    round: number,
    model: ModelState,
    meta: { history: H[]; configHash: string; strategyState?: unknown },
  ): Promise<string> {
    if (!Number.isInteger(round) || round < 0) throw new Error(`checkpoint round must be a non-negative integer, got ${round}`);
    let topology: unknown;
    try {
      topology = JSON.parse(model.topologyJson);
    } catch (e) {
      throw new Error(`cannot checkpoint: model topology is not valid JSON (${(e as Error).message})`);
    }
    const finalName = roundDirName(round);
    try {
      await this.writeRound(round, finalName, model, topology, meta);
    } catch (e) {
      throw new DurableWriteError(`the checkpoint of round ${round}`, join(this.dir, finalName), e);
    }
    await this.prune(round);
    return join(this.dir, finalName);
  }

  /** temp dir + fsync + rename, then latest.json by temp file + fsync + rename. */
  private async writeRound(
    round: number,
    finalName: string,
    model: ModelState,
    topology: unknown,
    meta: { history: H[]; configHash: string; strategyState?: unknown },
  ): Promise<void> {
    const write = this.opts.writeFile ?? writeFileSynced;
    await mkdir(this.dir, { recursive: true });
    const weightData = packWeights(model.weights);
    const modelJson: ModelJson = {
      modelTopology: topology as Record<string, unknown>,
      format: 'layers-model',
      generatedBy: 'fedfuse',
      convertedBy: null,
      weightsManifest: [
        { paths: [WEIGHTS], weights: model.weights.map((w) => ({ name: w.name, shape: [...w.shape], dtype: 'float32' })) },
      ],
    };
    const state: RoundState<H> = {
      round,
      history: meta.history,
      configHash: meta.configHash,
      ...(meta.strategyState !== undefined ? { strategyState: meta.strategyState } : {}),
      weightsSha256: sha256Hex(weightData),
      savedAt: new Date().toISOString(),
    };

    const modelText = JSON.stringify(modelJson);
    const stateText = JSON.stringify(state, null, 2) + '\n';
    const manifest: Manifest = {
      format: 'fedfuse-checkpoint',
      version: 1,
      round,
      files: { [MODEL]: sha256Hex(modelText), [WEIGHTS]: sha256Hex(weightData), [STATE]: sha256Hex(stateText) },
    };
    if (this.opts.hmacKey) manifest.hmacSha256 = manifestMac(this.opts.hmacKey, manifest);
    const manifestText = JSON.stringify(manifest, null, 2) + '\n';

    const tmp = join(this.dir, `${finalName}.tmp-${randomBytes(4).toString('hex')}`);
    await mkdir(tmp);
    try {
      await write(join(tmp, WEIGHTS), weightData);
      await write(join(tmp, MODEL), modelText);
      await write(join(tmp, STATE), stateText);
      await write(join(tmp, MANIFEST), manifestText);
      await syncDir(tmp);
      // A directory for this round may exist from a run that crashed before updating latest.json: replace it.
      await rm(join(this.dir, finalName), { recursive: true, force: true });
      await rename(tmp, join(this.dir, finalName));
    } catch (e) {
      await rm(tmp, { recursive: true, force: true });
      throw e;
    }
    await syncDir(this.dir);

    const latestTmp = join(this.dir, `${LATEST}.tmp-${randomBytes(4).toString('hex')}`);
    try {
      await write(latestTmp, JSON.stringify({ round, dir: finalName, manifestSha256: sha256Hex(manifestText) }) + '\n');
      await rename(latestTmp, join(this.dir, LATEST));
    } catch (e) {
      await rm(latestTmp, { force: true });
      throw e;
    }
    await syncDir(this.dir);
  }

  /**
   * The newest intact checkpoint, or null when the directory holds none at all. A checkpoint that fails a check
   * (manifest hash, schema, round number, weights size) is skipped in favour of the previous one, and `onSkipped` is
   * told which and why. When there are checkpoints (or a latest.json) but none is intact, it throws, naming each.
   */
  async load(onSkipped?: (dir: string, reason: string) => void): Promise<Checkpoint<H> | null> {
    const candidates = await this.roundDirs();
    const latest = await this.readLatestPointer();
    const problems: string[] = [];
    if (latest instanceof Error) problems.push(`${LATEST}: ${latest.message}`);
    const pointer = latest instanceof Error ? undefined : latest;
    if (pointer) {
      if (!candidates.some((c) => c.name === pointer.dir)) problems.push(`${LATEST} names ${pointer.dir}, which is missing`);
      candidates.sort((a, b) => (a.name === pointer.dir ? -1 : b.name === pointer.dir ? 1 : 0));
    }
    for (const { name, round } of candidates) {
      const path = join(this.dir, name);
      try {
        const manifestSha256 = pointer?.dir === name ? pointer.manifestSha256 : undefined;
        const checkpoint = await this.readCheckpoint(path, { round, manifestSha256 });
        for (const p of problems) onSkipped?.(this.dir, p);
        return checkpoint;
      } catch (e) {
        const reason = (e as Error).message;
        problems.push(`${name}: ${reason}`);
        onSkipped?.(path, reason);
      }
    }
    if (pointer || candidates.length > 0) {
      throw new Error(
        `no intact checkpoint in ${this.dir} (refusing to start over from round 1; move the directory away to start a new federation):\n  ${problems.join('\n  ')}`,
      );
    }
    return null;
  }

  /**
   * Reads one checkpoint directory: manifest.json (and its sha256 when latest.json gave one) covers every other file,
   * each file is schema-checked, and the round must be the directory's.
   */
  async readCheckpoint(path: string, expect: { round?: number; manifestSha256?: string } = {}): Promise<Checkpoint<H>> {
    const manifestBytes = await readFile(join(path, MANIFEST)).catch((e: NodeJS.ErrnoException) => {
      throw new Error(e.code === 'ENOENT' ? `${MANIFEST} is missing (damaged, or written by an older fedfuse)` : `${MANIFEST}: ${e.message}`);
    });
    if (expect.manifestSha256 !== undefined && sha256Hex(manifestBytes) !== expect.manifestSha256) {
      throw new Error(`${MANIFEST} does not match the sha256 in ${LATEST}`);
    }
    const manifest = parseJson(MANIFEST, manifestBytes.toString('utf8'), manifestSchema);
    const key = this.opts.hmacKey;
    if (key) {
      if (manifest.hmacSha256 === undefined) throw new Error(`${MANIFEST} has no HMAC (written without the checkpoint key, or forged)`);
      const expected = Buffer.from(manifestMac(key, manifest), 'hex');
      if (!timingSafeEqual(expected, Buffer.from(manifest.hmacSha256, 'hex'))) {
        throw new Error(`${MANIFEST}'s HMAC does not match (forged, or written with another checkpoint key)`);
      }
    }
    const read = async (file: keyof Manifest['files']): Promise<Buffer> => {
      const bytes = await readFile(join(path, file));
      if (sha256Hex(bytes) !== manifest.files[file]) throw new Error(`${file} does not match the sha256 in ${MANIFEST}`);
      return bytes;
    };
    const modelJson = parseJson(MODEL, (await read(MODEL)).toString('utf8'), modelJsonSchema);
    const state = parseJson(STATE, (await read(STATE)).toString('utf8'), roundStateSchema(this.opts.historySchema ?? z.unknown())) as RoundState<H>;
    const bytes = new Uint8Array(await read(WEIGHTS));
    const round = expect.round ?? state.round;
    if (state.round !== round || manifest.round !== round) {
      throw new Error(`${STATE} says round ${state.round} and ${MANIFEST} round ${manifest.round}, but the directory is round ${round}`);
    }
    if (sha256Hex(bytes) !== state.weightsSha256) throw new Error(`${WEIGHTS} does not match the sha256 in ${STATE}`);
    const specs: WeightSpec[] = modelJson.weightsManifest.flatMap((g) => g.weights);
    const expectedBytes = specs.reduce((n, s) => n + 4 * s.shape.reduce((a, b) => a * b, 1), 0);
    if (expectedBytes !== bytes.byteLength) {
      throw new Error(`${WEIGHTS} has ${bytes.byteLength} bytes, the manifest describes ${expectedBytes}`);
    }
    // Copy into an aligned buffer (Buffer pooling may leave the bytes at an odd offset).
    const all = new Float32Array(bytes.slice().buffer);
    let offset = 0;
    const weights = specs.map((s) => {
      const size = s.shape.reduce((a, b) => a * b, 1);
      const values = all.slice(offset, offset + size);
      offset += size;
      return { name: s.name, shape: [...s.shape], values };
    });
    return {
      round: state.round,
      model: { topologyJson: JSON.stringify(modelJson.modelTopology), weights },
      state,
      dir: path,
    };
  }

  /** latest.json's pointer; undefined when there is none, an Error when it is unreadable. */
  private async readLatestPointer(): Promise<z.infer<typeof latestSchema> | Error | undefined> {
    let text: string;
    try {
      text = await readFile(join(this.dir, LATEST), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      return e as Error;
    }
    try {
      return parseJson(LATEST, text, latestSchema);
    } catch (e) {
      return e as Error;
    }
  }

  /** Complete round directories, newest first (temp directories of interrupted writes are ignored). */
  private async roundDirs(): Promise<{ name: string; round: number }[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: { name: string; round: number }[] = [];
    for (const name of names) {
      const m = ROUND_DIR.exec(name);
      if (m && (await stat(join(this.dir, name))).isDirectory()) out.push({ name, round: Number(m[1]) });
    }
    return out.sort((a, b) => b.round - a.round);
  }

  /** Drops old checkpoints beyond `keep` and leftovers of interrupted writes. */
  private async prune(current: number): Promise<void> {
    const keep = this.opts.keep ?? 2;
    const dirs = await this.roundDirs();
    for (const d of dirs.filter((d) => d.round <= current).slice(keep)) {
      await rm(join(this.dir, d.name), { recursive: true, force: true });
    }
    for (const name of await readdir(this.dir)) {
      if (name.includes('.tmp-')) await rm(join(this.dir, name), { recursive: true, force: true });
    }
  }
}
