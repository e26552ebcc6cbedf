// Adaptive server optimisers of Reddi et al. 2021 ("Adaptive Federated Optimization", Algorithm 2), as pure math:
// the round's pseudo-gradient Δ = weighted mean of (client − global) drives one Adagrad / Adam / Yogi step on the
// global model. No bias correction, as in the paper; v starts at τ² (the paper requires v₋₁ ≥ τ²).
// Also the (de)serialisation of the optimiser state (m, v), which must survive a server checkpoint.
import { z } from 'zod';
import type { WeightTensor } from '@fedfuse/client/internal/model/weights.js';

export type AdaptiveVariant = 'adagrad' | 'adam' | 'yogi';

export const adaptiveOptionsSchema = z
  .object({
    /** Server learning rate η. */
    eta: z.number().positive().finite().default(0.01),
    beta1: z.number().min(0).lt(1).default(0.9),
    beta2: z.number().min(0).lt(1).default(0.99),
    /** Adaptivity τ: bounds the step where v is tiny. */
    tau: z.number().positive().finite().default(1e-3),
  })
  .strict();

export type AdaptiveOptions = z.infer<typeof adaptiveOptionsSchema>;

export interface MomentState {
  /** Rounds applied so far. */
  steps: number;
  m: Float32Array[];
  v: Float32Array[];
}

/** Δ = Σ n_k (x_k − x) / Σ n_k, per weight tensor. */
export function pseudoGradient(
  global: readonly WeightTensor[],
  clients: readonly (readonly WeightTensor[])[],
  coefficients: readonly number[],
): Float64Array[] {
  if (clients.length === 0) throw new Error('pseudo-gradient needs at least one client update');
  const total = coefficients.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new Error(`pseudo-gradient needs a positive total weight, got ${total}`);
  return global.map((g, t) => {
    const out = new Float64Array(g.values.length);
    clients.forEach((weights, k) => {
      const w = weights[t];
      if (!w || w.values.length !== out.length) {
        throw new Error(`update ${k}: weight ${t} (${g.name}) does not match the global model's shape ${g.shape.join('x')}`);
      }
      const c = coefficients[k] / total;
      for (let i = 0; i < out.length; i++) out[i] += c * (w.values[i] - g.values[i]);
    });
    return out;
  });
}

/** Fresh state for a model: m = 0, v = τ². */
export function initialMoments(global: readonly WeightTensor[], tau: number): MomentState {
  return {
    steps: 0,
    m: global.map((w) => new Float32Array(w.values.length)),
    v: global.map((w) => new Float32Array(w.values.length).fill(tau * tau)),
  };
}

/** One server step: returns the new global weights and the new state (inputs are not modified). */
export function adaptiveStep(
  variant: AdaptiveVariant,
  options: AdaptiveOptions,
  global: readonly WeightTensor[],
  delta: readonly Float64Array[],
  state: MomentState,
): { weights: WeightTensor[]; state: MomentState } {
  const { eta, beta1, beta2, tau } = options;
  if (delta.length !== global.length || state.m.length !== global.length) {
    throw new Error(`server optimiser: ${global.length} weight tensors, ${delta.length} deltas, ${state.m.length} moments`);
  }
  const m = state.m.map((x) => new Float32Array(x.length));
  const v = state.v.map((x) => new Float32Array(x.length));
  const weights = global.map((g, t) => {
    const d = delta[t];
    const mPrev = state.m[t];
    const vPrev = state.v[t];
    if (d.length !== g.values.length || mPrev.length !== g.values.length || vPrev.length !== g.values.length) {
      throw new Error(`server optimiser state for weight ${t} (${g.name}) does not match its size ${g.values.length}`);
    }
    const out = new Float32Array(g.values.length);
    for (let i = 0; i < out.length; i++) {
      const di = d[i];
      const d2 = di * di;
      const mi = beta1 * mPrev[i] + (1 - beta1) * di;
      const vp = vPrev[i];
      let vi: number;
      if (variant === 'adagrad') vi = vp + d2;
      else if (variant === 'adam') vi = beta2 * vp + (1 - beta2) * d2;
      else vi = vp - (1 - beta2) * d2 * Math.sign(vp - d2);
      m[t][i] = mi;
      v[t][i] = vi;
      out[i] = g.values[i] + (eta * mi) / (Math.sqrt(vi) + tau);
    }
    return { name: g.name, shape: [...g.shape], values: out };
  });
  return { weights, state: { steps: state.steps + 1, m, v } };
}

// ---- checkpoint format -------------------------------------------------------------------------------------------

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const snapshotSchema = z
  .object({
    format: z.literal('fedfuse.server-optimizer'),
    version: z.literal(1),
    variant: z.enum(['adagrad', 'adam', 'yogi']),
    steps: z.number().int().nonnegative(),
    tensors: z.array(
      z
        .object({
          name: z.string(),
          shape: z.array(z.number().int().nonnegative()),
          m: z.string().regex(BASE64),
          v: z.string().regex(BASE64),
        })
        .strict(),
    ),
  })
  .strict();

/** JSON-safe snapshot of the optimiser state; float32 arrays as base64 so the round trip is bit-exact. */
export type ServerOptimizerSnapshot = z.infer<typeof snapshotSchema>;

function encode(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

function decode(text: string, count: number, what: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength !== count * 4) {
    throw new Error(`server optimiser snapshot: ${what} holds ${bytes.byteLength / 4} values, its shape needs ${count}`);
  }
  const out = new Float32Array(count);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

export interface NamedShape {
  name: string;
  shape: number[];
}

export function snapshotMoments(
  variant: AdaptiveVariant,
  names: readonly NamedShape[],
  state: MomentState | undefined,
): ServerOptimizerSnapshot {
  return {
    format: 'fedfuse.server-optimizer',
    version: 1,
    variant,
    steps: state?.steps ?? 0,
    tensors: state
      ? state.m.map((m, t) => ({ name: names[t].name, shape: [...names[t].shape], m: encode(m), v: encode(state.v[t]) }))
      : [],
  };
}

/** Validates a snapshot (from a checkpoint: untrusted) and returns the state it holds, undefined if it holds none. */
export function restoreMoments(
  snapshot: unknown,
  variant: AdaptiveVariant,
): { state: MomentState | undefined; shapes: NamedShape[] } {
  const parsed = snapshotSchema.safeParse(snapshot);
  if (!parsed.success) {
    throw new Error(`server optimiser snapshot is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  const s = parsed.data;
  if (s.variant !== variant) throw new Error(`server optimiser snapshot is for ${s.variant}, this strategy runs ${variant}`);
  if (s.tensors.length === 0) return { state: undefined, shapes: [] };
  const m: Float32Array[] = [];
  const v: Float32Array[] = [];
  for (const t of s.tensors) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    m.push(decode(t.m, count, `${t.name}.m`));
    v.push(decode(t.v, count, `${t.name}.v`));
  }
  return { state: { steps: s.steps, m, v }, shapes: s.tensors.map((t) => ({ name: t.name, shape: t.shape })) };
}
