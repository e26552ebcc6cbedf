// Builds a TF.js model from a topology the server sent, without letting the topology's declared sizes allocate
// memory: a hostile or broken topology ("units": 1e9) would otherwise make TF.js allocate the initial weights before
// any shape check runs. Every weight TF.js creates goes through Layer.prototype.addWeight, so for exactly the
// synchronous part of one build (where every layer is built) a guard there refuses weights beyond the element count
// of the weights the server actually sent; the app's own TF.js is left as it was before and after.
import * as tf from '#tf';

interface WeightBudget {
  remaining: number;
  limit: number;
  /** Weights created so far, disposed when the build fails. */
  created: { dispose(): void }[];
}

type AddWeight = (this: tf.layers.Layer, name: string, shape: number[], ...rest: unknown[]) => unknown;

/** Runs `build` with Layer.prototype.addWeight guarded by `budget`, and restores it whatever happens. */
function withWeightBudget<T>(budget: WeightBudget, build: () => T): T {
  const proto = tf.layers.Layer.prototype as unknown as { addWeight: AddWeight };
  const original = proto.addWeight;
  proto.addWeight = function guardedAddWeight(this: tf.layers.Layer, name: string, shape: number[], ...rest: unknown[]) {
    const elements = (shape ?? []).reduce((n, d) => n * d, 1);
    if (!(elements >= 0 && elements <= budget.remaining)) {
      throw new Error(
        `the model topology declares weight ${this.name}/${name} of shape [${(shape ?? []).join(', ')}], ` +
          `more than the ${budget.limit} weight values the server sent`,
      );
    }
    budget.remaining -= elements;
    const weight = original.call(this, name, shape, ...rest);
    budget.created.push(weight as { dispose(): void });
    return weight;
  };
  try {
    return build();
  } finally {
    proto.addWeight = original;
  }
}

/**
 * Builds a model from `topologyJson` whose weights may hold at most `maxElements`
 * values in total (the caller then writes the real weights, whose shapes it checks). Throws a clear Error for
 * invalid JSON, a topology TF.js cannot build, or a topology larger than the budget.
 */
export async function modelFromTopology(topologyJson: string, maxElements: number): Promise<tf.LayersModel> {
  let topology: unknown;
  try {
    topology = JSON.parse(topologyJson);
  } catch (e) {
    throw new Error(`model topology is not valid JSON: ${(e as Error).message}`);
  }
  if (topology === null || typeof topology !== 'object' || Array.isArray(topology)) throw new Error('model topology must be a JSON object');
  const budget: WeightBudget = { remaining: maxElements, limit: maxElements, created: [] };
  // modelFromJSON builds every layer synchronously before its first await, so the guard covers exactly this build.
  const pending = withWeightBudget(budget, () =>
    tf.models.modelFromJSON({ modelTopology: topology as tf.io.ModelJSON['modelTopology'] }),
  );
  try {
    return await pending;
  } catch (e) {
    for (const w of budget.created) w.dispose();
    throw new Error(`cannot build a model from the server's topology: ${(e as Error).message}`);
  }
}
