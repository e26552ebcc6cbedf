// A model as data: TF.js topology JSON plus weights. The unit the server checkpoints, broadcasts and fuses.
import * as tf from '#tf';
import { readWeights, writeWeights, type WeightTensor } from './weights.js';

export interface ModelState {
  /** JSON of model.toJSON(): architecture only, no weights. */
  topologyJson: string;
  weights: WeightTensor[];
}

export function modelToState(model: tf.LayersModel): ModelState {
  return { topologyJson: JSON.stringify(model.toJSON(null, false)), weights: readWeights(model) };
}

/** Builds a fresh LayersModel from a state. The caller owns (and disposes) the model. */
export async function stateToModel(state: ModelState): Promise<tf.LayersModel> {
  let topology: unknown;
  try {
    topology = JSON.parse(state.topologyJson);
  } catch (e) {
    throw new Error(`model topology is not valid JSON: ${(e as Error).message}`);
  }
  const model = await tf.models.modelFromJSON({ modelTopology: topology as tf.io.ModelJSON['modelTopology'] });
  writeWeights(model, state.weights);
  return model;
}
