// The trust boundary for client uploads: turns a wire ClientUpdate into the validated ClientUpdate strategies see.
// Every tensor is decoded against the exact shape the server expects (weights = the global model's shapes,
// activations = [probeSize, ...level output shape], importance = [level width]); anything else is a ProtocolError
// whose message names the offending field.
import '@fedfuse/client/internal/proto/protobuf-runtime.js';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { ProtocolError, badMessage, badTensor } from '@fedfuse/client/internal/proto/errors.js';
import { decodeFloatTensor } from '@fedfuse/client/internal/proto/tensor-codec.js';
import type { ClientUpdate } from '../strategies/strategy.js';

export interface UpdateExpectations {
  round: number;
  /** Shapes of the global model's weights, in getWeights() order. */
  weightShapes: readonly (readonly number[])[];
  /** Per level [probeSize, ...output shape] when activations were requested, else undefined. */
  activationShapes?: readonly (readonly number[])[];
  /** Per level neuron count when importance was requested, else undefined. */
  importanceWidths?: readonly number[];
  /** Largest believable example count. Default 1e12. */
  maxNumExamples?: number;
  /** Largest weight magnitude accepted (the defence's maxAbsWeight); undefined: no bound beyond finiteness. */
  maxAbsWeight?: number;
}

const MAX_METRICS = 64;

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Decodes and validates `msg` from `clientId` (already authenticated). Throws ProtocolError on any problem. */
export function decodeClientUpdate(
  msg: fedfuse.v1.IClientUpdate,
  clientId: string,
  labelHistogram: readonly number[],
  expect: UpdateExpectations,
): ClientUpdate {
  const round = msg.round ?? 0;
  if (round !== expect.round) {
    throw new ProtocolError(fedfuse.v1.ErrorCode.WRONG_ROUND, `update is for round ${round}, expected round ${expect.round}`);
  }
  const numExamples = Number(msg.numExamples ?? 0);
  const maxExamples = expect.maxNumExamples ?? 1e12;
  if (!Number.isSafeInteger(numExamples) || numExamples < 1 || numExamples > maxExamples) {
    throw badMessage(`update num_examples must be an integer in [1, ${maxExamples}], got ${numExamples}`);
  }

  const rawWeights = msg.weights ?? [];
  if (rawWeights.length !== expect.weightShapes.length) {
    throw badTensor(`update has ${rawWeights.length} weight tensors, the global model has ${expect.weightShapes.length}`);
  }
  const weights = rawWeights.map((t, i) => {
    const d = decodeWithContext(`weight ${i}`, t, expect.weightShapes[i]);
    if (expect.maxAbsWeight !== undefined) checkMagnitude(`weight ${i} (${d.name})`, d.values, expect.maxAbsWeight);
    return { name: d.name, shape: d.shape, values: d.values };
  });

  const rawActivations = msg.activations ?? [];
  let activations: ClientUpdate['activations'] = [];
  if (expect.activationShapes) {
    if (rawActivations.length !== expect.activationShapes.length) {
      throw badTensor(
        `update has ${rawActivations.length} activation tensors, expected one per level (${expect.activationShapes.length})`,
      );
    }
    activations = rawActivations.map((t, l) => {
      const d = decodeWithContext(`level ${l} activations`, t, expect.activationShapes![l]);
      return { shape: d.shape, values: d.values };
    });
  } else if (rawActivations.length > 0) {
    throw badMessage(`update carries ${rawActivations.length} activation tensors, but this round did not ask for activations`);
  }

  const rawImportance = msg.importance ?? [];
  let importance: Float32Array[] = [];
  if (expect.importanceWidths) {
    if (rawImportance.length !== expect.importanceWidths.length) {
      throw badTensor(
        `update has ${rawImportance.length} importance tensors, expected one per level (${expect.importanceWidths.length})`,
      );
    }
    importance = rawImportance.map((t, l) => decodeWithContext(`level ${l} importance`, t, [expect.importanceWidths![l]]).values);
  } else if (rawImportance.length > 0) {
    throw badMessage(`update carries ${rawImportance.length} importance tensors, but this round did not ask for importance`);
  }

  const metrics: Record<string, number> = {};
  const entries = Object.entries(msg.metrics ?? {});
  if (entries.length > MAX_METRICS) throw badMessage(`update has ${entries.length} metrics, at most ${MAX_METRICS} allowed`);
  for (const [key, value] of entries) {
    if (key.length > 64) throw badMessage(`update metric name is longer than 64 characters`);
    if (typeof value !== 'number' || !Number.isFinite(value)) throw badMessage(`update metric ${key} is not a finite number`);
    metrics[key] = value;
  }

  return { clientId, round, weights, numExamples, activations, importance, metrics, labelHistogram: [...labelHistogram] };
}

/**
 * An update refused by the defence rather than for being malformed: it costs its client the round (a resend is
 * refused too), as a failed activation check does, so the round need not wait for that client.
 */
export class DefenceRefusal extends ProtocolError {}

/**
 * Issue 19: an update scaled ×1e15 is finite and has the right shapes, yet it would take over any average. Honest
 * weights stay many orders of magnitude below the bound (measured in screening-options.ts).
 */
function checkMagnitude(what: string, values: Float32Array, bound: number): void {
  for (let i = 0; i < values.length; i++) {
    if (Math.abs(values[i]) > bound) {
      throw new DefenceRefusal(
        fedfuse.v1.ErrorCode.BAD_TENSOR,
        `${what}: value ${values[i].toExponential(3)} at index ${i} is beyond the bound ${bound} on any weight's magnitude ` +
          `(defence.maxAbsWeight); update refused`,
      );
    }
  }
}

function decodeWithContext(what: string, t: fedfuse.v1.ITensor, shape: readonly number[]) {
  try {
    return decodeFloatTensor(t, { expectShape: shape });
  } catch (e) {
    if (e instanceof ProtocolError) throw new ProtocolError(e.code, `${what}: ${e.message} (expected ${shapeText(shape)})`);
    throw e;
  }
}
