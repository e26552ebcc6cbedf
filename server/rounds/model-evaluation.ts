// The deployment's evaluate hook on a round's global model. It only observes the federation: when it throws, the
// round goes on without metrics.
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import type { FederationServerOptions } from '../federation-options.js';

export type ModelEvaluation = { accuracy: number; loss: number };

/** The hook's figures (also logged), or undefined when there is no hook or it failed. */
export async function evaluateModel(
  evaluate: FederationServerOptions['evaluate'],
  round: number,
  model: ModelState,
  log: (line: string) => void,
): Promise<ModelEvaluation | undefined> {
  if (!evaluate) return undefined;
  let evaluation: ModelEvaluation;
  try {
    evaluation = await evaluate(model);
  } catch (e) {
    log(`round ${round}: evaluation failed (the round goes on without metrics): ${(e as Error).message}`);
    return undefined;
  }
  log(`round ${round}: test accuracy ${evaluation.accuracy.toFixed(4)}, loss ${evaluation.loss.toFixed(4)}`);
  return evaluation;
}
