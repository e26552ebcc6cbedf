// The fused model's skeleton: parent 0's architecture with the fused widths, rebuilt from its topology JSON so
// every following layer (a Flatten after a narrower conv, the next Dense) takes its new input size from the graph.
import * as tf from '@tensorflow/tfjs';
import { setWeightLayerWidths } from '../../common/model/width-scaling.js';

/**
 * A new, uncompiled LayersModel like `template` whose i-th weight layer (Dense / Conv2D) has `widths[i]` units /
 * filters. Weights start at zero; the caller sets them and owns (disposes) the model.
 */
export async function buildFusedModel(template: tf.LayersModel, widths: readonly number[]): Promise<tf.LayersModel> {
  const topology = template.toJSON(null, false) as unknown;
  try {
    setWeightLayerWidths(topology, widths, (config) => {
      // The initial values are overwritten level by level; zeros skip drawing random numbers.
      config.kernel_initializer = { class_name: 'Zeros', config: {} };
      config.bias_initializer = { class_name: 'Zeros', config: {} };
    });
  } catch (e) {
    throw new Error(`fused model: ${(e as Error).message}`);
  }
  return tf.models.modelFromJSON({ modelTopology: topology as tf.io.ModelJSON['modelTopology'] });
}
