// Narrower variants of one architecture (device tiers, the FedAvg width references): a width rate r keeps
// max(1, ceil(r · n)) units of every hidden weight layer (Dense units, Conv2D filters); the output layer keeps all
// its units, and each next layer's inputs follow from the graph.
import type { ModelSpec } from './model-spec.js';

/** Units a hidden layer of `units` keeps at width rate `rate` (in (0, 1]). */
export function scaledUnits(units: number, rate: number): number {
  if (!(rate > 0 && rate <= 1)) throw new Error(`width rate must be in (0, 1], got ${rate}`);
  // The tolerance keeps e.g. 0.1 · 30 = 3.0000000000000004 at 3.
  return Math.max(1, Math.ceil(rate * units - 1e-9));
}

/** Hidden widths at rate `rate` (output width not included: it never changes). */
export function scaledHiddenWidths(hidden: readonly number[], rate: number): number[] {
  return hidden.map((n) => scaledUnits(n, rate));
}

/** The model spec at width rate `rate`: every hidden Dense/Conv2D layer scaled, the last Dense layer kept. */
export function scaleModelSpec(spec: ModelSpec, rate: number): ModelSpec {
  if (rate === 1) return spec;
  if (spec.kind === 'mlp') {
    const w = spec.widths;
    return { ...spec, widths: [w[0], ...scaledHiddenWidths(w.slice(1, -1), rate), w[w.length - 1]] };
  }
  const lastDense = spec.layers.map((l) => l.type).lastIndexOf('dense');
  return {
    ...spec,
    layers: spec.layers.map((l, i) => {
      if (l.type === 'dense' && i !== lastDense) return { ...l, units: scaledUnits(l.units, rate) };
      if (l.type === 'conv2d') return { ...l, filters: scaledUnits(l.filters, rate) };
      return l;
    }),
  };
}

interface LayerJson {
  class_name: string;
  config: Record<string, unknown>;
}

/**
 * Sets the units / filters of every weight layer (Dense, Conv2D) of a TF.js topology object (model.toJSON()) in place,
 * i-th weight layer to `widths[i]` (every weight layer, the output one too); `configure` may change each one's config
 * further (e.g. its initialisers).
 */
export function setWeightLayerWidths(topology: unknown, widths: readonly number[], configure?: (config: Record<string, unknown>) => void): void {
  const layers = (topology as { config?: { layers?: LayerJson[] } } | undefined)?.config?.layers;
  if (!Array.isArray(layers)) throw new Error('model topology has no layer list');
  let level = 0;
  for (const layer of layers) {
    const field = layer.class_name === 'Dense' ? 'units' : layer.class_name === 'Conv2D' ? 'filters' : undefined;
    if (!field) continue;
    if (level >= widths.length) throw new Error(`model topology has more weight layers than the ${widths.length} widths given`);
    layer.config[field] = widths[level++];
    configure?.(layer.config);
  }
  if (level !== widths.length) throw new Error(`model topology has ${level} weight layers, got ${widths.length} widths`);
}

/** A topology JSON string with the weight layers' widths set (setWeightLayerWidths). Pure JSON: nothing is built. */
export function topologyWithWidths(topologyJson: string, widths: readonly number[]): string {
  const topology: unknown = JSON.parse(topologyJson);
  setWeightLayerWidths(topology, widths);
  return JSON.stringify(topology);
}
