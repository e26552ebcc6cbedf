// `fedfuse serve --config server.yaml`: a federation server for real clients (the SDK). Everything it is given is
// checked before it listens (config fields, probe and evaluation files against the model), it hands the final model
// to every client before it closes, and with --out it writes the same results as `run`.
import * as tf from '@fedfuse/client/internal/tf/tfjs.js';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { modelToState, stateToModel, type ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { buildModel } from '../../common/model/model-spec.js';
import { readExamples, readLabels } from '../../common/io/example-files.js';
import { saveModelStateDir } from '../../common/io/model-dir.js';
import { parseServerConfig, type ServerConfig } from '../../server/config.js';
import { MIN_CHECKPOINT_KEY_BYTES } from '../../server/checkpoint/checkpoint-store.js';
import { FederationServer, type RoundSummary } from '../../server/federation-server.js';
import { createStrategy } from '../../server/strategies/index.js';
import type { Strategy } from '../../server/strategies/strategy.js';
import { Dashboard } from '../../server/dashboard/dashboard.js';
import { dashboardSourceOf } from '../../server/dashboard/federation-source.js';
import type { ProbeSet } from '../../server/strategies/strategy.js';
import { evaluateModel } from '../../scenarios/evaluate.js';
import { summaryToRow } from '../../server/rounds/round-row.js';
import { renderRoundTable, roundRowsToCsv } from '../../scenarios/report/round-table.js';
import { codeVersion } from '../../scenarios/code-version.js';
import { outputFor, type Output, type OutputFlags } from '../output.js';
import { escapeControlCharacters } from '../../server/logging/log-text.js';
import { writeJsonLog, type JsonLog } from '../json-log.js';

export interface ServeFlags extends OutputFlags {
  config: string;
  probe?: string;
  probeLabels?: string;
  evalX?: string;
  evalY?: string;
  dashboard?: number;
  out?: string;
  /** JSON-lines log (pino) of the server's log lines and events. */
  logFile?: string;
  /** Seconds to wait after the last round for every client to fetch the final model. */
  finalWait: number;
  /** Override the config's port, and (cluster mode) its cluster.redis and cluster.nodeId. */
  port?: number;
  redis?: string;
  nodeId?: string;
}

/** Environment variable that may hold the checkpoint key (when the config names no checkpointKeyFile). */
export const CHECKPOINT_KEY_ENV = 'FEDFUSE_CHECKPOINT_KEY';

/**
 * The key checkpoints are signed with: the contents of checkpointKeyFile, else FEDFUSE_CHECKPOINT_KEY; surrounding
 * whitespace (a file's trailing newline) is not part of it. Undefined when neither is given.
 */
async function readCheckpointKey(config: ServerConfig, configFile: string): Promise<Buffer | undefined> {
  const where = config.checkpointKeyFile !== undefined ? `${configFile}: checkpointKeyFile ${config.checkpointKeyFile}` : CHECKPOINT_KEY_ENV;
  let text: string | undefined;
  if (config.checkpointKeyFile !== undefined) {
    text = await readFile(config.checkpointKeyFile, 'utf8').catch((e: Error) => {
      throw new Error(`${where}: cannot read the checkpoint key: ${e.message}`);
    });
  } else {
    text = process.env[CHECKPOINT_KEY_ENV];
    if (text === undefined || text === '') return undefined;
    if (config.checkpointDir === undefined) throw new Error(`${CHECKPOINT_KEY_ENV} is set, but ${configFile} has no checkpointDir for it to sign`);
  }
  const key = Buffer.from(text.trim(), 'utf8');
  if (key.length < MIN_CHECKPOINT_KEY_BYTES) throw new Error(`${where}: the checkpoint key is ${key.length} bytes; at least ${MIN_CHECKPOINT_KEY_BYTES} are needed`);
  return key;
}

/** The config with the command line's per-node settings in place (one config file for every node of a cluster). */
function withNodeFlags(raw: unknown, o: ServeFlags): unknown {
  if (o.port === undefined && o.redis === undefined && o.nodeId === undefined) return raw;
  const config = { ...(raw as Record<string, unknown>) };
  if (o.port !== undefined) config.port = o.port;
  if (o.redis !== undefined || o.nodeId !== undefined) {
    config.cluster = {
      ...(config.cluster as Record<string, unknown> | undefined),
      ...(o.redis !== undefined ? { redis: o.redis } : {}),
      ...(o.nodeId !== undefined ? { nodeId: o.nodeId } : {}),
    };
  }
  return config;
}

/** What the model takes and gives, to check the data files against before anything listens. */
interface ModelIo {
  inputShape: number[];
  classes: number;
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

async function strategyOf(config: ServerConfig, configPath: string): Promise<Strategy> {
  let strategy: Strategy;
  try {
    strategy = await createStrategy(config.strategy.name, config.strategy.options);
  } catch (e) {
    throw new Error(`${configPath}: strategy: ${(e as Error).message}`);
  }
  const exact = strategy.exactUpdates;
  if (exact !== undefined && config.minUpdates !== exact) {
    throw new Error(`${configPath}: minUpdates: strategy ${strategy.name} fuses exactly ${exact} client updates per round; set minUpdates: ${exact}`);
  }
  return strategy;
}

function printEvents(server: FederationServer, output: Output): void {
  server.on('client-joined', (e) => output.info(`client ${e.clientId} ${e.reconnected ? 'reconnected' : 'joined'} (${e.numSamples} examples)`));
  server.on('client-left', (e) => output.detail(`client ${e.clientId} left: ${e.reason}`));
  server.on('round-started', (e) => output.info(`round ${e.round}${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}: tasks to ${e.sampled.join(', ')}`));
  // Reasons and messages may quote what a client sent: escaped, so they stay one line each.
  server.on('update-rejected', (e) => output.info(escapeControlCharacters(`round ${e.round}: rejected the update of ${e.clientId}: ${e.code}: ${e.reason}`)));
  server.on('client-error', (e) => console.error(escapeControlCharacters(`fedfuse: round ${e.round}: client ${e.clientId} failed: ${e.message}`)));
  server.on('cluster', (e) => {
    if (e.type === 'leader') output.info(`node ${e.nodeId} leads the cluster from round ${e.resumedRound} (fencing token ${e.token})`);
    if (e.type === 'follower') output.info(`node ${e.nodeId} no longer leads: ${e.reason}`);
  });
  server.on('round-finished', (s) => {
    const acc = s.accuracy === undefined ? '' : `, test accuracy ${(100 * s.accuracy).toFixed(2)}%`;
    const fusion = s.fusion ? (s.fusion.path === 'fused' ? '; fused' : '; fell back to the plain average') : '';
    const guard = s.guard && s.guard.published !== 'candidate' ? `; NOT published (${s.guard.published === 'robust' ? 'robust aggregate instead' : 'previous model kept'}): ${s.guard.reason}` : '';
    output.info(escapeControlCharacters(`round ${s.round}: ${s.participants.length} updates in ${s.seconds.toFixed(1)} s${acc}${fusion}${guard}`));
    for (const e of s.excluded) output.info(escapeControlCharacters(`round ${s.round}: excluded the update of ${e.clientId}: ${e.reason}`));
  });
}

async function writeResults(
  dir: string,
  config: ServerConfig,
  backend: string,
  history: RoundSummary[],
  global: ModelState,
  tierModels: ReadonlyMap<string, ModelState> | undefined,
  seconds: number,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const rows = history.map(summaryToRow);
  const code = await codeVersion();
  // The config without its tokens: results are shared, secrets are not.
  const { tokens, ...settings } = config;
  const results = { kind: 'serve', config: { ...settings, clients: Object.keys(tokens) }, backend, rounds: rows, summaries: history, seconds, ...(code ? { code } : {}) };
  await writeFile(join(dir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  await writeFile(join(dir, 'rounds.csv'), roundRowsToCsv(rows));
  await saveModelStateDir(global, join(dir, 'model'));
  // Tiered federations: the model each tier's devices run.
  for (const [tier, model] of tierModels ?? []) await saveModelStateDir(model, join(dir, `model-${tier}`));
}

export async function serveCommand(o: ServeFlags): Promise<void> {
  const output = outputFor(o);
  const started = performance.now();
  const config = parseServerConfig(withNodeFlags(await readConfigFile(o.config), o), o.config);
  if (Boolean(o.evalX) !== Boolean(o.evalY)) throw new Error('--eval-x and --eval-y go together');
  if (o.probeLabels && !o.probe) throw new Error('--probe-labels needs --probe');
  const strategy = await strategyOf(config, o.config);
  if (strategy.needsProbe && !o.probe) {
    throw new Error(
      `${o.config}: strategy ${strategy.name} aggregates with the server's probe set: give one with --probe probe.npy ` +
        `(\`fedfuse data export\` writes one; preprocessed like the clients' data), or set strategy: { name: fedavg }`,
    );
  }
  if (strategy.needsProbeLabels && !o.probeLabels) {
    throw new Error(`${o.config}: strategy ${strategy.name} needs the probe set's labels (calibrateOutput): give them with --probe-labels`);
  }
  const backend = await initBackend();
  output.info(`fedfuse: TF.js backend ${backend}`);

  const initial = buildModel(config.model, config.seed);
  const initialModel = modelToState(initial);
  const io: ModelIo = { inputShape: initial.inputs[0].shape.slice(1) as number[], classes: initial.outputs[0].shape.at(-1) as number };
  initial.dispose();

  let probe: ProbeSet | undefined;
  if (o.probe) {
    const x = await readExamples(o.probe, '--probe', io.inputShape, `the model of ${o.config} takes`);
    probe = { x, y: o.probeLabels ? await readLabels(o.probeLabels, '--probe-labels', x.shape[0], '--probe', io.classes) : undefined };
  }
  let evaluate: ((state: ModelState) => Promise<{ accuracy: number; loss: number }>) | undefined;
  let evalTensors: tf.Tensor[] = [];
  if (o.evalX && o.evalY) {
    const x = await readExamples(o.evalX, '--eval-x', io.inputShape, `the model of ${o.config} takes`);
    const xs = tf.tensor(x.values, x.shape);
    const ys = tf.tensor1d(await readLabels(o.evalY, '--eval-y', x.shape[0], '--eval-x', io.classes), 'int32');
    evalTensors = [xs, ys];
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
    strategy,
    initialModel,
    training: config.training,
    tokens: config.tokens,
    checkpointDir: config.checkpointDir,
    checkpointKey: await readCheckpointKey(config, o.config),
    maxMessageBytes: config.maxMessageBytes,
    maxPendingUploadBytes: config.maxPendingUploadBytes,
    chunkBytes: config.chunkBytes,
    transferTimeoutMs: config.transferTimeoutSeconds === undefined ? undefined : Math.ceil(config.transferTimeoutSeconds * 1000),
    heartbeatMs: config.heartbeatSeconds * 1000,
    maxClients: config.maxClients,
    maxProtocolErrors: config.maxProtocolErrors,
    rateLimit: config.rateLimit,
    joinBackoff: config.joinBackoff,
    ...(config.trustProxy ? { trustProxy: config.trustProxy } : {}),
    tls: config.tls && { key: await readFile(config.tls.keyFile), cert: await readFile(config.tls.certFile) },
    probe,
    defence: config.defence,
    bans: config.bans,
    exampleWeights: config.exampleWeights,
    cluster: config.cluster,
    ...(config.tiers ? { tiers: config.tiers } : {}),
    evaluate,
    logger: (line) => output.detail(`[server] ${line}`),
  });
  printEvents(server, output);
  const jsonLog: JsonLog | undefined = o.logFile ? writeJsonLog(server, o.logFile) : undefined;
  let dashboard: Dashboard | undefined;
  const stop = () =>
    void Promise.all([server.stop(), dashboard?.stop()]).then(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const { url, resumedFromRound } = await server.start();
    output.result(`fedfuse: serving on ${url}${resumedFromRound > 0 ? ` (resumed after round ${resumedFromRound})` : ''}`);
    if (o.dashboard !== undefined) {
      dashboard = new Dashboard(dashboardSourceOf(server, { totalRounds: config.rounds }), { port: o.dashboard });
      output.result(`fedfuse: dashboard on ${(await dashboard.start()).url}`);
    }
    const history = await server.finished();
    output.info(`fedfuse: all ${config.rounds} rounds done; handing the final model to the clients`);
    const { notSent, stillConnected } = await server.finalDelivery(o.finalWait * 1000);
    if (notSent.length > 0) output.info(`fedfuse: not connected at the end, never sent the final model: ${notSent.join(', ')}`);
    if (stillConnected.length > 0) output.info(`fedfuse: still connected after ${o.finalWait} s, closing anyway: ${stillConnected.join(', ')}`);
    const seconds = (performance.now() - started) / 1000;
    if (o.out) {
      await writeResults(o.out, config, backend, history, server.global, server.tierModels, seconds);
    }
    output.result('');
    output.result(renderRoundTable(history.map(summaryToRow)));
    if (o.out) output.result(`results in ${o.out}/results.json and rounds.csv, final model in ${o.out}/model/${config.tiers ? ` (each tier's in ${o.out}/model-<tier>/)` : ''}`);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await dashboard?.stop();
    await server.stop();
    jsonLog?.close();
    tf.dispose(evalTensors);
  }
}
