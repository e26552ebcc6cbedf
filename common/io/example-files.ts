// Examples and labels from .npy files given on the command line (probe, evaluation), checked against the model that
// will see them; every error names the option and the file. Shared by `serve` and `fuse`.
import { toFloat32, toInt32Labels } from '@fedfuse/client/internal/io/npy.js';
import { readNpy } from './npy-file.js';

export interface ExampleArray {
  /** [n, ...inputShape]: a flat file for an image model (or the reverse) is reshaped when the sizes agree. */
  shape: number[];
  values: Float32Array;
}

/** `what` ends the shape error: e.g. "the models take" or "the model of server.yaml takes". */
export async function readExamples(path: string, flag: string, inputShape: readonly number[], what: string): Promise<ExampleArray> {
  const x = toFloat32(await readNpy(path));
  const per = inputShape.reduce((a, b) => a * b, 1);
  const got = x.shape.slice(1).reduce((a, b) => a * b, 1);
  if (x.shape.length < 2 || got !== per) {
    throw new Error(
      `${flag} ${path} has shape [${x.shape.join(', ')}], but ${what} [n, ${inputShape.join(', ')}] ` +
        `(${per} values per example, preprocessed like the training data)`,
    );
  }
  if (x.shape[0] === 0) throw new Error(`${flag} ${path} holds no examples`);
  const bad = x.data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new Error(`${flag} ${path}: value ${bad} is ${x.data[bad]}; examples must be finite`);
  return { shape: [x.shape[0], ...inputShape], values: x.data };
}

/** Class ids for `n` examples of `inputsFlag`, each in [0, classes). */
export async function readLabels(path: string, flag: string, n: number, inputsFlag: string, classes: number): Promise<Int32Array> {
  const y = toInt32Labels(await readNpy(path), path).data;
  if (y.length !== n) throw new Error(`${flag} ${path} has ${y.length} labels but ${inputsFlag} has ${n} examples`);
  const bad = y.findIndex((v) => v < 0 || v >= classes);
  if (bad >= 0) throw new Error(`${flag} ${path}: label ${bad} is ${y[bad]}, outside the model's classes 0..${classes - 1}`);
  return y;
}
