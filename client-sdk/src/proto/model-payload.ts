// ModelState <-> ModelPayload: the whole model (topology JSON + weights in getWeights() order) on the wire.
import './protobuf-runtime.js';
import type { fedfuse } from './generated/fedfuse.js';
import type { ModelState } from '../model/model-state.js';
import { badMessage, badTensor } from './errors.js';
import { decodeFloatTensor, encodeFloatTensor } from './tensor-codec.js';

export interface ModelPayloadLimits {
  /** Largest single weight tensor, in elements. */
  maxElementsPerTensor?: number;
  /** Largest model, in elements over all weights. */
  maxTotalElements?: number;
  /** Most weight tensors. Default 10 000. */
  maxTensors?: number;
  /** Longest topology JSON, in characters. Default 4 MiB. */
  maxTopologyChars?: number;
  /** When given, the weights must have exactly these shapes, in order (e.g. the global model's). */
  expectShapes?: readonly (readonly number[])[];
}

export function modelStateToPayload(state: ModelState, opts: { half?: boolean } = {}): fedfuse.v1.IModelPayload {
  return {
    topologyJson: state.topologyJson,
    weights: state.weights.map((w) => encodeFloatTensor(w.name, w.shape, w.values, opts)),
  };
}

export function payloadToModelState(p: fedfuse.v1.IModelPayload, limits: ModelPayloadLimits = {}): ModelState {
  if (p === null || typeof p !== 'object') throw badMessage('model payload is missing');
  const topologyJson = typeof p.topologyJson === 'string' ? p.topologyJson : '';
  if (topologyJson.length === 0) throw badMessage('model payload has an empty topology');
  const maxTopologyChars = limits.maxTopologyChars ?? 4 * 1024 * 1024;
  if (topologyJson.length > maxTopologyChars) {
    throw badMessage(`model topology is ${topologyJson.length} characters, more than the limit of ${maxTopologyChars}`);
  }
  let topology: unknown;
  try {
    topology = JSON.parse(topologyJson);
  } catch (e) {
    throw badMessage(`model topology is not valid JSON: ${(e as Error).message}`);
  }
  if (topology === null || typeof topology !== 'object' || Array.isArray(topology)) {
    throw badMessage('model topology must be a JSON object');
  }

  const weights = p.weights ?? [];
  const maxTensors = limits.maxTensors ?? 10_000;
  if (weights.length > maxTensors) throw badMessage(`model payload has ${weights.length} weight tensors, more than the limit of ${maxTensors}`);
  if (limits.expectShapes && limits.expectShapes.length !== weights.length) {
    throw badTensor(`model payload has ${weights.length} weight tensors, expected ${limits.expectShapes.length}`);
  }
  const maxTotal = limits.maxTotalElements ?? Number.MAX_SAFE_INTEGER;
  let total = 0;
  const decoded = weights.map((w, i) => {
    const t = decodeFloatTensor(w, { maxElements: limits.maxElementsPerTensor, expectShape: limits.expectShapes?.[i] });
    total += t.values.length;
    if (total > maxTotal) throw badTensor(`model payload has more than ${maxTotal} weight values in total`);
    return t;
  });
  return { topologyJson, weights: decoded };
}
