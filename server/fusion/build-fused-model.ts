// The fused model's skeleton: parent 0's architecture with the fused widths, rebuilt from its topology JSON so
// every following layer (a Flatten after a narrower conv, the next Dense) takes its new input size from the graph.
import * as tf from '@fedfuse/client/internal/tf/tfjs.js';

interface LayerJson {
  class_name: string;
  config: Record<string, unknown>;
}

/**
 * A new, uncompiled LayersModel like `template` whose i-th weight layer (Dense / Conv2D) has `widths[i]` units /
 * filters. Weights start at zero; the caller sets them and owns (disposes) the model.
 */
export async function buildFusedModel(template: tf.LayersModel, widths: readonly number[]): Promise<tf.LayersModel> {
  const topology = template.toJSON(null, false) as unknown as { config: { layers: LayerJson[] } };
  const layers = topology.config?.layers;
  if (!Array.isArray(layers)) throw new Error('fused model: template topology has no layer list');
  let level = 0;
  for (const layer of layers) {
    const field = layer.class_name === 'Dense' ? 'units' : layer.class_name === 'Conv2D' ? 'filters' : undefined;
    if (!field) continue;
    if (level >= widths.length) throw new Error(`fused model: template has more weight layers than ${widths.length} widths`);
    layer.config[field] = widths[level++];
    // The initial values are overwritten level by level; zeros skip drawing random numbers.
    layer.config.kernel_initializer = { class_name: 'Zeros', config: {} };
    layer.config.bias_initializer = { class_name: 'Zeros', config: {} };
  }
  if (level !== widths.length) throw new Error(`fused model: template has ${level} weight layers, got ${widths.length} widths`);
  return tf.models.modelFromJSON({ modelTopology: topology as unknown as tf.io.ModelJSON['modelTopology'] });
}
