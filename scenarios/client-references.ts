// The reference lines of a set of client models — a one-shot fusion's parents (the paper's setting) or any round's
// accepted updates: how good each client model is on its own, what plain parameter averaging of them gives (no
// alignment: the baseline a fusion must beat), and what their prediction ensemble gives (K models run side by side:
// the ceiling a single fused model chases, not a single model).
import * as tf from '@fedfuse/client/internal/tf/tfjs.js';
import { stateToModel, type ModelState } from '@fedfuse/client/internal/model/model-state.js';
import type { WeightTensor } from '@fedfuse/client/internal/model/weights.js';
import { weightedAverage } from '../server/strategies/fedavg.js';
import { evaluateEnsemble } from '../server/ensemble/prediction-ensemble.js';
import { evaluateModel } from './evaluate.js';
import { topologyWithWidths } from '../common/model/width-scaling.js';
import { levelWidthsOf } from '../server/tiers/sub-model.js';

export interface ClientReferences {
  /** Test accuracy of each client model, in the order given. */
  parents: number[];
  /** Test accuracy of the parents' unweighted parameter average (tiered: of the widest parents). */
  vanilla: number;
  /** Test accuracy of the averaged softmax of all parents. */
  ensemble: number;
}

export async function evaluateClientReferences(
  topologyJson: string,
  parents: readonly WeightTensor[][],
  test: { xs: tf.Tensor; ys: tf.Tensor1D },
): Promise<ClientReferences> {
  if (parents.length === 0) throw new Error('one-shot references need at least one parent model');
  const models: tf.LayersModel[] = [];
  try {
    // Tiered federations: parents of narrower tiers run at their own widths; the plain average takes the widest ones.
    const sizes = parents.map((w) => w.reduce((n, t) => n + t.values.length, 0));
    const widest = parents.filter((_, i) => sizes[i] === Math.max(...sizes));
    const mixed = widest.length < parents.length;
    for (const weights of parents) {
      models.push(await stateToModel({ topologyJson: mixed ? topologyWithWidths(topologyJson, levelWidthsOf(weights)) : topologyJson, weights }));
    }
    const parentAcc = models.map((m) => evaluateModel(m, test.xs, test.ys).accuracy);
    const ensemble = evaluateEnsemble(models, test.xs, test.ys).accuracy;
    const averaged: ModelState = { topologyJson, weights: weightedAverage(widest, widest.map(() => 1)) };
    const average = await stateToModel(averaged);
    models.push(average);
    const vanilla = evaluateModel(average, test.xs, test.ys).accuracy;
    return { parents: parentAcc, vanilla, ensemble };
  } finally {
    for (const m of models) m.dispose();
  }
}
