// What a client uploads besides its weights when the server fuses by neuron interpolation: per-level
// pre-activations on the server's probe set and per-neuron importance scores.
import * as tf from '#tf';
import { collectPreActivations } from '../model/levels.js';

export interface ProbeOutputs {
  /** Per level: pre-activations [probeSize, ...level output shape]. Empty when not requested. */
  activations: { shape: number[]; values: Float32Array }[];
  /** Per level: one score per neuron. Empty when not requested. */
  importance: Float32Array[];
}

export type ImportanceFunction = (
  model: tf.LayersModel,
  probeX: tf.Tensor,
  labels: Int32Array | undefined,
  method: string,
) => Promise<Float32Array[]>;

export interface ProbeOutputRequest {
  activations: boolean;
  /** '' = none. */
  importanceMethod: string;
}

/** Computes the requested probe outputs of `model`; leaves no tensors behind. */
export async function computeProbeOutputs(
  model: tf.LayersModel,
  probeX: tf.Tensor,
  probeY: Int32Array | undefined,
  request: ProbeOutputRequest,
  importance: ImportanceFunction,
): Promise<ProbeOutputs> {
  const expected = model.inputs[0].shape.slice(1).join('x');
  const got = probeX.shape.slice(1).join('x');
  if (expected !== got) throw new Error(`probe inputs have example shape [${got}], the model expects [${expected}]`);
  const out: ProbeOutputs = { activations: [], importance: [] };
  if (request.activations) {
    const pre = collectPreActivations(model, probeX);
    try {
      out.activations = pre.map((t) => ({ shape: [...t.shape], values: t.dataSync() as Float32Array }));
    } finally {
      tf.dispose(pre);
    }
  }
  if (request.importanceMethod !== '') {
    out.importance = await importance(model, probeX, probeY, request.importanceMethod);
  }
  return out;
}
