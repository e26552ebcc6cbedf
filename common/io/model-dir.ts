// TF.js LayersModel directories on disk (model.json + weight files, the layout `model.save('file://dir')` writes
// with tfjs-node): load and save through our own tf.io handlers, because tfjs-node's file:// handler is an
// optional dependency we do not have.
import * as tf from '@fedfuse/client/internal/tf/tfjs.js';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { stateToModel, type ModelState } from '@fedfuse/client/internal/model/model-state.js';

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

function errnoMessage(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code === 'ENOENT' ? 'no such file' : err.message;
}

/** `path` may be the directory or its model.json. */
async function modelJsonPath(path: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new Error(`${path}: no such model directory`);
  return info.isDirectory() ? join(path, MODEL_JSON) : path;
}

/** A load handler reading model.json and the weight files its manifest lists (relative to its directory). */
export function modelDirLoader(path: string): tf.io.IOHandler {
  return {
    load: async () => {
      const jsonPath = await modelJsonPath(path);
      const text = await readFile(jsonPath, 'utf8').catch((e) => {
        throw new Error(`${jsonPath}: ${errnoMessage(e)} (expected a TF.js LayersModel directory with model.json)`);
      });
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(text) as tf.io.ModelJSON;
      } catch (e) {
        throw new Error(`${jsonPath}: not valid JSON (${(e as Error).message})`);
      }
      if (typeof json !== 'object' || json === null || !json.modelTopology) {
        throw new Error(`${jsonPath}: no modelTopology (not a TF.js LayersModel model.json)`);
      }
      if (!Array.isArray(json.weightsManifest)) throw new Error(`${jsonPath}: no weightsManifest`);
      const dir = dirname(jsonPath);
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          for (const file of group.paths) {
            const full = join(dir, file);
            const bytes = await readFile(full).catch((e) => {
              throw new Error(`${full}: ${errnoMessage(e)} (listed in ${jsonPath})`);
            });
            buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
          }
          specs.push(...group.weights);
        }
        const data = tf.io.concatenateArrayBuffers(buffers);
        // Check the size up front: TF.js would fail later with an unhelpful RangeError.
        const bytesPer: Record<string, number> = { float32: 4, int32: 4, bool: 1 };
        const checkable = specs.every((s) => !s.quantization && bytesPer[s.dtype] !== undefined);
        const need = specs.reduce((a, s) => a + s.shape.reduce((x, y) => x * y, 1) * (bytesPer[s.dtype] ?? 0), 0);
        if (checkable && data.byteLength < need) {
          throw new Error(`${dir}: weight files hold ${data.byteLength} bytes, model.json lists ${need}`);
        }
        return [specs, data];
      });
    },
  };
}

/** A save handler writing model.json and one weights.bin into `dir` (created if needed). */
export function modelDirSaver(dir: string): tf.io.IOHandler {
  return {
    save: async (artifacts) => {
      await mkdir(dir, { recursive: true });
      const weightData = artifacts.weightData ? tf.io.CompositeArrayBuffer.join(artifacts.weightData) : new ArrayBuffer(0);
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      await writeFile(join(dir, WEIGHTS_BIN), new Uint8Array(weightData));
      await writeFile(join(dir, MODEL_JSON), JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

export async function loadModelDir(path: string): Promise<tf.LayersModel> {
  try {
    return await tf.loadLayersModel(modelDirLoader(path));
  } catch (e) {
    const message = (e as Error).message;
    // Our own messages already name the file; TF.js's (bad topology, shape mismatch) need the path added.
    throw new Error(message.includes(path) || message.includes(resolve(path)) ? message : `${path}: ${message}`);
  }
}

export async function saveModelDir(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(modelDirSaver(dir));
}

/** Writes a model given as data (topology + weights) as a TF.js LayersModel directory. */
export async function saveModelStateDir(state: ModelState, dir: string): Promise<void> {
  const model = await stateToModel(state);
  try {
    await saveModelDir(model, dir);
  } finally {
    model.dispose();
  }
}
