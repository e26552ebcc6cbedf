// Hierarchical aggregation in a cluster: each node pre-aggregates its own clients' updates and the leader combines
// one result per node instead of reading every update. For strategies that depend on the updates only through their
// example-weighted average, a node's result is the exact partial sum Σ wᵢ·xᵢ (float64) and Σ wᵢ; the leader's
// sum of sums over the sum of weights is the average of all updates. For fusing strategies a node's result is its
// clients' fused model, weighed by their examples, and the leader fuses the node models. Pure: no sockets or Redis.
import type { WeightTensor } from '@fedfuse/client/internal/model/weights.js';
import type { ClientUpdate } from '../strategies/strategy.js';

/** One node's pre-aggregate of its clients' updates. */
export interface PartialAggregate {
  kind: 'average' | 'fuse';
  nodeId: string;
  /** The clients whose updates it covers (sorted). */
  clientIds: string[];
  /** Σ of the (bounded) example counts of those updates. */
  weight: number;
  /** Σ of their clients' label histograms (a fused node model speaks for all of its clients' classes). */
  labelHistogram: number[];
  /** 'average': Σ wᵢ·xᵢ per tensor (float64); 'fuse': the node's fused model's weights. */
  tensors: { name: string; shape: number[]; values: Float64Array | Float32Array }[];
}

/** Σ wᵢ·xᵢ over `updates`, in float64, and the label histograms summed. */
export function partialSum(nodeId: string, updates: readonly ClientUpdate[]): PartialAggregate {
  if (updates.length === 0) throw new Error('a partial sum needs at least one update');
  const tensors = updates[0].weights.map((first, t) => {
    const out = new Float64Array(first.values.length);
    for (const u of updates) {
      const v = u.weights[t].values;
      if (v.length !== out.length) throw new Error(`weight ${t} (${first.name}) differs in size between updates`);
      const w = u.numExamples;
      for (let i = 0; i < v.length; i++) out[i] += w * v[i];
    }
    return { name: first.name, shape: [...first.shape], values: out };
  });
  return {
    kind: 'average',
    nodeId,
    clientIds: updates.map((u) => u.clientId).sort(),
    weight: updates.reduce((n, u) => n + u.numExamples, 0),
    labelHistogram: sumHistograms(updates.map((u) => u.labelHistogram)),
    tensors,
  };
}

/** A node's fused model of its clients, as a partial. */
export function fusedPartial(nodeId: string, updates: readonly ClientUpdate[], fused: readonly WeightTensor[]): PartialAggregate {
  return {
    kind: 'fuse',
    nodeId,
    clientIds: updates.map((u) => u.clientId).sort(),
    weight: updates.reduce((n, u) => n + u.numExamples, 0),
    labelHistogram: sumHistograms(updates.map((u) => u.labelHistogram)),
    tensors: fused.map((w) => ({ name: w.name, shape: [...w.shape], values: w.values })),
  };
}

/** The example-weighted average of every update the partial sums cover (float32, like FedAvg's result). */
export function averageOfPartials(partials: readonly PartialAggregate[]): WeightTensor[] {
  if (partials.length === 0) throw new Error('no partial sums to combine');
  const total = partials.reduce((n, p) => n + p.weight, 0);
  if (!(total > 0)) throw new Error(`partial sums weigh ${total} examples in all`);
  return partials[0].tensors.map((first, t) => {
    const sum = new Float64Array(first.values.length);
    for (const p of partials) {
      if (p.kind !== 'average') throw new Error(`node ${p.nodeId} sent a ${p.kind} partial where sums were expected`);
      const v = p.tensors[t].values;
      if (v.length !== sum.length) throw new Error(`node ${p.nodeId}: tensor ${t} has ${v.length} values, expected ${sum.length}`);
      for (let i = 0; i < v.length; i++) sum[i] += v[i];
    }
    const out = new Float32Array(sum.length);
    for (let i = 0; i < sum.length; i++) out[i] = sum[i] / total;
    return { name: first.name, shape: [...first.shape], values: out };
  });
}

/** A node's result as one pseudo-update the strategy aggregates (its weights, its examples, its classes). */
export function partialAsUpdate(p: PartialAggregate, round: number, weights: WeightTensor[]): ClientUpdate {
  return {
    clientId: `node:${p.nodeId}`,
    round,
    weights,
    numExamples: p.weight,
    activations: [],
    importance: [],
    metrics: {},
    labelHistogram: p.labelHistogram,
  };
}

function sumHistograms(histograms: readonly number[][]): number[] {
  const classes = Math.max(0, ...histograms.map((h) => h.length));
  const out = new Array<number>(classes).fill(0);
  for (const h of histograms) h.forEach((c, i) => (out[i] += c));
  return out;
}

// Wire form in Redis: "FFP1" | uint32 LE header length | header JSON | each tensor's values (float64 or float32, LE).
const MAGIC = 'FFP1';

export function encodePartial(p: PartialAggregate): Buffer {
  const float64 = p.kind === 'average';
  const header = Buffer.from(
    JSON.stringify({ kind: p.kind, nodeId: p.nodeId, clientIds: p.clientIds, weight: p.weight, labelHistogram: p.labelHistogram, tensors: p.tensors.map((t) => ({ name: t.name, shape: t.shape })) }),
  );
  const bodies = p.tensors.map((t) => {
    const values = float64 ? Float64Array.from(t.values) : Float32Array.from(t.values);
    return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  });
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  return Buffer.concat([Buffer.from(MAGIC), length, header, ...bodies]);
}

export function decodePartial(bytes: Buffer): PartialAggregate {
  if (bytes.subarray(0, 4).toString() !== MAGIC) throw new Error('not a partial aggregate (bad magic)');
  const headerLength = bytes.readUInt32LE(4);
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString()) as Omit<PartialAggregate, 'tensors'> & { tensors: { name: string; shape: number[] }[] };
  const float64 = header.kind === 'average';
  const width = float64 ? 8 : 4;
  let offset = 8 + headerLength;
  const tensors = header.tensors.map((t) => {
    const n = t.shape.reduce((a, b) => a * b, 1);
    const slice = bytes.subarray(offset, offset + n * width);
    if (slice.length !== n * width) throw new Error(`partial of node ${header.nodeId} is truncated at tensor ${t.name}`);
    offset += n * width;
    const copy = new Uint8Array(slice); // aligned
    return { name: t.name, shape: t.shape, values: float64 ? new Float64Array(copy.buffer) : new Float32Array(copy.buffer) };
  });
  if (offset !== bytes.length) throw new Error(`partial of node ${header.nodeId} has ${bytes.length - offset} bytes past its tensors`);
  return { ...header, tensors };
}
