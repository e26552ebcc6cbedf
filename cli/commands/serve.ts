// `fedfuse serve --config server.yaml`: a federation server for real clients (the SDK), until its rounds are done.
import type { Command } from 'commander';
import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { buildModel } from '../../common/model/model-spec.js';
import { modelToState, stateToModel, type ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { toFloat32, toInt32Labels } from '@fedfuse/client/internal/io/npy.js';
import { readNpy } from '../../common/io/npy-file.js';
import { parseServerConfig } from '../../server/config.js';
import { FederationServer } from '../../server/federation-server.js';
import { createStrategy } from '../../server/strategies/index.js';
import { Dashboard } from '../../server/dashboard/dashboard.js';
import { dashboardSourceOf } from '../../server/dashboard/federation-source.js';
import type { ProbeSet } from '../../server/strategies/strategy.js';
import { evaluateModel } from '../../scenarios/evaluate.js';

interface ServeOptions {
  config: string;
  probe?: string;
  probeLabels?: string;
  evalX?: string;
  evalY?: string;
  dashboard?: string;
}

async function readConfigFile(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8').catch((e: Error) => {
    throw new Error(`cannot read config file ${path}: ${e.message}`);
  });
  try {
    return path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new Error(`config file ${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(e as Error).message}`);
  }
}

async function loadProbe(inputs: string, labels: string | undefined): Promise<ProbeSet> {
  const x = toFloat32(await readNpy(inputs));
  const y = labels ? toInt32Labels(await readNpy(labels)).data : undefined;
  if (y && y.length !== x.shape[0]) {
    throw new Error(`--probe-labels has ${y.length} labels but --probe has ${x.shape[0]} inputs`);
  }
  return { x: { shape: x.shape, values: x.data }, y };
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve a federation to real clients, configured by a YAML or JSON file')
    .requiredOption('--config <file>', 'server config (port, rounds, tokens, model, strategy, ...)')
    .option('--probe <inputs.npy>', 'fusion probe inputs (needed by neuron-interpolation)')
    .option('--probe-labels <labels.npy>', 'class ids of the probe inputs')
    .option('--eval-x <x.npy>', 'server-side evaluation inputs')
    .option('--eval-y <y.npy>', 'server-side evaluation labels')
    .option('--dashboard <port>', 'serve the read-only live dashboard on 127.0.0.1:<port>')
    .action(async (o: ServeOptions) => {
      const config = parseServerConfig(await readConfigFile(o.config), o.config);
      if (Boolean(o.evalX) !== Boolean(o.evalY)) throw new Error('--eval-x and --eval-y go together');
      const backend = await initBackend();
      console.log(`fedfuse: TF.js backend ${backend}`);

      const initial = buildModel(config.model, config.seed);
      const initialModel = modelToState(initial);
      const inputShape = initial.inputs[0].shape.slice(1) as number[];
      initial.dispose();

      let evaluate: ((state: ModelState) => Promise<{ accuracy: number; loss: number }>) | undefined;
      if (o.evalX && o.evalY) {
        const x = toFloat32(await readNpy(o.evalX));
        const y = toInt32Labels(await readNpy(o.evalY));
        const xs = tf.tensor(x.data, [x.shape[0], ...inputShape]);
        const ys = tf.tensor1d(y.data, 'int32');
        evaluate = async (state) => {
          const model = await stateToModel(state);
          try {
            return evaluateModel(model, xs, ys);
          } finally {
            model.dispose();
          }
        };
      }

      const server = new FederationServer({
        host: config.host,
        port: config.port,
        rounds: config.rounds,
        minClients: config.minClients,
        clientsPerRound: config.clientsPerRound,
        minUpdates: config.minUpdates,
        roundDeadlineMs: config.roundDeadlineSeconds * 1000,
        seed: config.seed,
        strategy: await createStrategy(config.strategy.name, config.strategy.options),
        initialModel,
        training: config.training,
        tokens: config.tokens,
        checkpointDir: config.checkpointDir,
        maxMessageBytes: config.maxMessageBytes,
        chunkBytes: config.chunkBytes,
        heartbeatMs: config.heartbeatSeconds * 1000,
        maxClients: config.maxClients,
        maxProtocolErrors: config.maxProtocolErrors,
        rateLimit: config.rateLimit,
        tls: config.tls && { key: await readFile(config.tls.keyFile), cert: await readFile(config.tls.certFile) },
        probe: o.probe ? await loadProbe(o.probe, o.probeLabels) : undefined,
        defence: config.defence,
        evaluate,
      });
      server.on('round-finished', (s) => {
        const acc = s.accuracy === undefined ? '' : `, test accuracy ${(100 * s.accuracy).toFixed(2)}%`;
        console.log(`round ${s.round}: ${s.participants.length} updates in ${s.seconds.toFixed(1)} s${acc}`);
      });
      const { url, resumedFromRound } = await server.start();
      console.log(`fedfuse: serving on ${url}${resumedFromRound > 0 ? ` (resumed after round ${resumedFromRound})` : ''}`);
      let dashboard: Dashboard | undefined;
      if (o.dashboard !== undefined) {
        const port = Number(o.dashboard);
        if (!Number.isInteger(port) || port < 0 || port > 65535) {
          throw new Error(`--dashboard must be a port number 0..65535, got "${o.dashboard}"`);
        }
        dashboard = new Dashboard(dashboardSourceOf(server, { totalRounds: config.rounds }), { port });
        console.log(`fedfuse: dashboard on ${(await dashboard.start()).url}`);
      }
      const stop = () => void server.stop().then(() => process.exit(130));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await server.finished();
      await dashboard?.stop();
      await server.stop();
      console.log('fedfuse: all rounds done');
    });
}
