// The federation a bench server runs, from its ServerChildConfig: the initial MLP, one token per bench client, the
// probe set and the evaluation on MNIST test images. The server child (its own process) and the fault campaign's
// fault-free reference run (in the campaign's process) build the same server from it.
import { buildModel } from '../../common/model/model-spec.js';
import { modelToState, stateToModel, type ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { loadMnist } from '../../scenarios/data/mnist.js';
import { toTensors } from '../../scenarios/data/dataset.js';
import { evaluateModel } from '../../scenarios/evaluate.js';
import type { FederationServerOptions } from '../../server/federation-server.js';
import { createStrategy } from '../../server/strategies/index.js';
import type { ProbeSet } from '../../server/strategies/strategy.js';
import { benchClientId, benchToken, type ServerChildConfig } from './protocol.js';

/** Everything but the logger and the cluster block (the caller adds those). */
export async function benchServerOptions(config: ServerChildConfig): Promise<FederationServerOptions> {
  const initial = buildModel({ kind: 'mlp', widths: config.widths, activation: 'relu' }, config.seed);
  const initialModel: ModelState = modelToState(initial);
  initial.dispose();

  const tokens: Record<string, string> = {};
  for (let i = 0; i < config.clients; i++) tokens[benchClientId(i)] = benchToken(benchClientId(i));

  let probe: ProbeSet | undefined;
  if (config.probeSize > 0) {
    const ds = await loadMnist({ split: 'train', offset: 55_000, limit: config.probeSize });
    probe = { x: { shape: [ds.n, 784], values: Float32Array.from(ds.x) }, y: Int32Array.from(ds.y) };
  }
  let evaluate: ((s: ModelState) => Promise<{ accuracy: number; loss: number }>) | undefined;
  if (config.evalSize > 0) {
    const test = toTensors(await loadMnist({ split: 'test', limit: config.evalSize }), 'flat');
    evaluate = async (state) => {
      const model = await stateToModel(state);
      try {
        return evaluateModel(model, test.xs, test.ys);
      } finally {
        model.dispose();
      }
    };
  }
  return {
    host: '127.0.0.1',
    port: config.port ?? 0,
    rounds: config.rounds,
    minClients: config.minClients ?? config.clients,
    clientsPerRound: config.clientsPerRound,
    roundDeadlineMs: config.roundDeadlineMs,
    seed: config.seed,
    strategy: await createStrategy(config.strategy.name, config.strategy.options ?? {}),
    initialModel,
    training: config.training,
    tokens,
    probe,
    evaluate,
    ...(config.heartbeatMs !== undefined ? { heartbeatMs: config.heartbeatMs } : {}),
  };
}
