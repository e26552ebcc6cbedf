// Checkpoints of the global model after each round, in TF.js's own on-disk format (model.json + weights.bin, as
// tf.LayersModel.save writes them) plus round-state.json (round, metric history, config hash).
//
// Layout: <dir>/round-000007/{model.json, weights.bin, round-state.json} and <dir>/latest.json naming the newest.
// A checkpoint is written into a temp directory, every file fsynced, then renamed into place, and only then is
// latest.json replaced (temp file + fsync + rename). A crash at any point leaves the previous checkpoint intact.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
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

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
}

interface ModelJson {
  modelTopology: unknown;
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
}

const LATEST = 'latest.json';
const MODEL = 'model.json';
const WEIGHTS = 'weights.bin';
const STATE = 'round-state.json';
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

function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export class CheckpointStore<H = unknown> {
  constructor(
    readonly dir: string,
    private readonly opts: { keep?: number; writeFile?: SyncedFileWriter } = {},
  ) {
    if (opts.keep !== undefined && (!Number.isInteger(opts.keep) || opts.keep < 1)) {
      throw new Error(`checkpoint keep must be a positive integer, got ${opts.keep}`);
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
      modelTopology: topology,
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

    const tmp = join(this.dir, `${finalName}.tmp-${randomBytes(4).toString('hex')}`);
    await mkdir(tmp);
    try {
      await write(join(tmp, WEIGHTS), weightData);
      await write(join(tmp, MODEL), JSON.stringify(modelJson));
      await write(join(tmp, STATE), JSON.stringify(state, null, 2) + '\n');
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
      await write(latestTmp, JSON.stringify({ round, dir: finalName }) + '\n');
      await rename(latestTmp, join(this.dir, LATEST));
    } catch (e) {
      await rm(latestTmp, { force: true });
      throw e;
    }
    await syncDir(this.dir);
  }

  /**
   * The newest intact checkpoint, or null when there is none. A damaged newest checkpoint (which atomic writes
   * prevent, but disks fail) is skipped in favour of the previous one.
   */
  async load(): Promise<Checkpoint<H> | null> {
    const candidates = await this.roundDirs();
    const latest = await this.readLatestPointer();
    if (latest !== undefined) {
      candidates.sort((a, b) => (a.name === latest ? -1 : b.name === latest ? 1 : 0));
    }
    const problems: string[] = [];
    for (const { name } of candidates) {
      try {
        return await this.readCheckpoint(join(this.dir, name));
      } catch (e) {
        problems.push(`${name}: ${(e as Error).message}`);
      }
    }
    if (problems.length > 0) {
      throw new Error(`no intact checkpoint in ${this.dir}:\n  ${problems.join('\n  ')}`);
    }
    return null;
  }

  /** Reads one checkpoint directory, verifying the weights against the manifest and the recorded hash. */
  async readCheckpoint(path: string): Promise<Checkpoint<H>> {
    const modelJson = JSON.parse(await readFile(join(path, MODEL), 'utf8')) as ModelJson;
    const state = JSON.parse(await readFile(join(path, STATE), 'utf8')) as RoundState<H>;
    const bytes = new Uint8Array(await readFile(join(path, WEIGHTS)));
    if (sha256Hex(bytes) !== state.weightsSha256) throw new Error(`${WEIGHTS} does not match the sha256 in ${STATE}`);
    const specs = modelJson.weightsManifest?.flatMap((g) => g.weights) ?? [];
    const expectedBytes = specs.reduce((n, s) => n + 4 * s.shape.reduce((a, b) => a * b, 1), 0);
    if (expectedBytes !== bytes.byteLength) {
      throw new Error(`${WEIGHTS} has ${bytes.byteLength} bytes, the manifest describes ${expectedBytes}`);
    }
    // Copy into an aligned buffer (Buffer pooling may leave the bytes at an odd offset).
    const all = new Float32Array(bytes.slice().buffer);
    let offset = 0;
    const weights = specs.map((s) => {
      if (s.dtype !== 'float32') throw new Error(`weight ${s.name} has dtype ${s.dtype}; only float32 is supported`);
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

  private async readLatestPointer(): Promise<string | undefined> {
    try {
      const parsed = JSON.parse(await readFile(join(this.dir, LATEST), 'utf8')) as { dir?: unknown };
      return typeof parsed.dir === 'string' ? parsed.dir : undefined;
    } catch {
      return undefined;
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
