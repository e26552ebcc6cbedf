// Runs a whole federation described by a scenario on this machine: one FederationServer on loopback and one
// FederatedClient per simulated client, each holding its own non-IID slice of the real dataset.
import * as tf from '@tensorflow/tfjs';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { buildModel, inputShapeOf } from '../common/model/model-spec.js';
import { modelToState, stateToModel, type ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { FederationServer, type RoundSummary } from '../server/federation-server.js';
import { createStrategy } from '../server/strategies/index.js';
import { Dashboard } from '../server/dashboard/dashboard.js';
import { dashboardSourceOf } from '../server/dashboard/federation-source.js';
import type { TrainingConfig } from '../server/strategies/strategy.js';
import { FederatedClient } from '@fedfuse/client';
import { prepareSplit } from './prepare-split.js';
import { toTensors } from './data/dataset.js';
import { sampledClientCount, type Scenario } from './scenario-schema.js';
import { evaluateModel } from './evaluate.js';
import { renderRoundTable, roundRowsToCsv } from './report/round-table.js';
import { summaryToRow, type RoundRow } from '../server/rounds/round-row.js';
import { RunProgress } from './report/run-progress.js';
import { codeVersion } from './code-version.js';
import { evaluateClientReferences, type ClientReferences } from './client-references.js';
import type { WeightTensor } from '@fedfuse/client/internal/model/weights.js';
import { saveModelStateDir } from '../common/io/model-dir.js';
import { assignTiers } from './tier-assignment.js';
import { topologyWithWidths } from '../common/model/width-scaling.js';
import { levelWidthsOf } from '../server/tiers/sub-model.js';

export interface RunOptions {
  /** Directory for results.json and rounds.csv (created). */
  outDir: string;
  /** Print progress and the final table (default true). */
  print?: boolean;
  /** Also print the server's own log lines (default false: the progress lines say the same, shorter). */
  verbose?: boolean;
  /** Serve the live dashboard on this port of 127.0.0.1 while the run lasts (0 = any free port). */
  dashboardPort?: number;
  /** What results.json calls the strategy (an experiment's column label); default: the strategy's name. */
  label?: string;
  /**
   * One-shot references: also evaluate the first round's parent models, their plain average and their prediction
   * ensemble on the test set (results.json `oneShot`). Meant for single-round runs.
   */
  oneShotReferences?: boolean;
  /**
   * Per-round references: the same three figures for every round's accepted client models (results.json
   * `roundReferences`), e.g. how far each round's aggregate is from the ensemble of the models it was made from.
   * Keeps every round's client weights until the run ends (rounds × clients × model size of memory).
   */
  roundReferences?: boolean;
  /**
   * Also write the final global model (<outDir>/models/global) and the last round's accepted client models
   * (<outDir>/models/round-<r>/<client id>) as TF.js LayersModel directories, the parents `fedfuse fuse` reads.
   */
  saveModels?: boolean;
  /**
   * Run the federation on several cluster nodes sharing one Redis instead of one server: client i connects to
   * node i mod nodes first. (The cluster bench compares flat and hierarchical aggregation this way.)
   */
  cluster?: { redis: string; federation: string; nodes: number; aggregation: 'flat' | 'hierarchical' };
  log?: (line: string) => void;
}

export interface RunResult {
  scenario: Scenario;
  backend: string;
  rounds: RoundRow[];
  seconds: number;
  outDir: string;
  label?: string;
  oneShot?: ClientReferences;
  roundReferences?: RoundReferences[];
}

/** One round's client references (runner option roundReferences). */
export interface RoundReferences extends ClientReferences {
  round: number;
}

/** Converts a scenario's numbers into the server's round-0 training config. */
function trainingConfigOf(scenario: Scenario): TrainingConfig {
  return {
    localEpochs: scenario.local.epochs,
    batchSize: scenario.local.batchSize,
    learningRate: scenario.local.learningRate,
    optimizer: scenario.local.optimizer,
    proximalMu: 0,
    sendActivations: false,
    importanceMethod: '',
    seed: scenario.seed,
    halfPrecision: false,
  };
}

/** Flat inputs for models whose input is a vector (MLPs, dense-only sequentials), images otherwise. */
function modelShape(scenario: Scenario): 'flat' | 'image' {
  return inputShapeOf(scenario.model).length === 1 ? 'flat' : 'image';
}

export async function runScenario(scenario: Scenario, opts: RunOptions): Promise<RunResult> {
  const print = opts.print ?? true;
  const log = opts.log ?? ((line: string) => console.log(line));
  const started = performance.now();
  const code = await codeVersion();
  const backend = await initBackend();
  if (print) log(`fedfuse: TF.js backend ${backend}; scenario ${scenario.name}`);

  const strategy = await createStrategy(scenario.strategy.name, scenario.strategy.options ?? {});
  const sampled = sampledClientCount(scenario.clients, scenario.clientsPerRound);
  if (strategy.exactUpdates !== undefined && (sampled !== strategy.exactUpdates || scenario.minUpdates !== strategy.exactUpdates)) {
    // Fail before training, not at the first aggregation.
    throw new Error(
      `strategy ${scenario.strategy.name} fuses exactly ${strategy.exactUpdates} client updates per round, but scenario ` +
        `${scenario.name} samples ${sampled} (minUpdates ${scenario.minUpdates})`,
    );
  }

  const split = await prepareSplit(scenario);
  const shape = modelShape(scenario);
  const test = toTensors(split.test, shape);
  const probe = toTensors(split.probe, shape);
  if (print) {
    log(
      `data: ${scenario.dataset}, ${split.clients.length} clients with ` +
        `${split.clients.map((c) => c.n).join('/')} examples (${scenario.partition.kind}), ` +
        `probe ${split.probe.n}, test ${split.test.n}`,
    );
  }

  const initial = buildModel(scenario.model, scenario.seed);
  const initialModel: ModelState = modelToState(initial);
  initial.dispose();

  const tokens: Record<string, string> = {};
  const clientIds = split.clients.map((_, i) => `client-${i + 1}`);
  for (const id of clientIds) tokens[id] = randomBytes(16).toString('hex');

  const evaluate = async (state: ModelState) => {
    const model = await stateToModel(state);
    try {
      return evaluateModel(model, test.xs, test.ys);
    } finally {
      model.dispose();
    }
  };

  const serverOptions = (node: number) => ({
    host: '127.0.0.1',
    port: 0,
    rounds: scenario.rounds,
    minClients: scenario.clients,
    clientsPerRound: scenario.clientsPerRound,
    minUpdates: scenario.minUpdates,
    roundDeadlineMs: scenario.roundDeadlineSeconds * 1000,
    seed: scenario.seed,
    strategy,
    initialModel,
    training: trainingConfigOf(scenario),
    tokens,
    probe: {
      x: { shape: [...probe.xs.shape], values: probe.xs.dataSync() as Float32Array },
      y: Int32Array.from(split.probe.y),
    },
    evaluate,
    defence: scenario.defence,
    ...(scenario.tiers ? { tiers: scenario.tiers } : {}),
    logger: opts.verbose ? (line: string) => log(`[server${opts.cluster ? ` n${node + 1}` : ''}] ${line}`) : () => {},
    ...(opts.cluster
      ? { cluster: { redis: opts.cluster.redis, federation: opts.cluster.federation, nodeId: `n${node + 1}`, aggregation: opts.cluster.aggregation } }
      : {}),
  });
  const servers = Array.from({ length: opts.cluster?.nodes ?? 1 }, (_, node) => new FederationServer(serverOptions(node)));
  // Every node reports every round; the first one's events stand for the federation.
  const server = servers[0];

  const progress = print ? new RunProgress(scenario.rounds, log) : undefined;
  const rows: RoundRow[] = [];
  server.on('round-started', (e) => progress?.roundStarted(e.round, e.sampled.length));
  // Client models by round and client, for the reference lines: round 1's for one-shot, every round's for
  // roundReferences (a retried round replaces nothing: same round).
  const clientModels = new Map<number, Map<string, WeightTensor[]>>();
  // The latest round's client models, by client, for --save-models.
  let lastRound = { round: 0, models: new Map<string, WeightTensor[]>() };
  // Each cluster node admits its own clients' updates: collect the reference models from every node.
  for (const node of servers) {
    node.on('update-accepted', (e) => {
      if (!opts.roundReferences && !(opts.oneShotReferences && e.round === 1)) return;
      let models = clientModels.get(e.round);
      if (!models) clientModels.set(e.round, (models = new Map()));
      models.set(e.clientId, e.update.weights);
    });
  }
  server.on('update-accepted', (e) => {
    progress?.updateAccepted(e.round, e.clientId);
    if (opts.saveModels) {
      if (e.round !== lastRound.round) lastRound = { round: e.round, models: new Map() };
      lastRound.models.set(e.clientId, e.update.weights);
    }
  });
  server.on('round-finished', (s: RoundSummary) => {
    const row = summaryToRow(s);
    rows.push(row);
    progress?.roundFinished(row);
  });

  const urls: string[] = [];
  for (const s of servers) urls.push((await s.start()).url);
  let dashboard: Dashboard | undefined;
  if (opts.dashboardPort !== undefined) {
    dashboard = new Dashboard(dashboardSourceOf(server, { totalRounds: scenario.rounds }), {
      port: opts.dashboardPort,
      title: `fedfuse: ${scenario.name} (${scenario.strategy.name})`,
    });
    log(`dashboard: ${(await dashboard.start()).url}`);
  }
  const clientData = split.clients.map((ds) => toTensors(ds, shape));
  // Tiered scenarios: each simulated client declares its tier (by name) when it joins, as an edge app would.
  const clientTiers = scenario.tiers ? assignTiers(scenario.tiers.map((t) => ({ name: t.name, share: t.share ?? 0 })), clientIds.length, scenario.seed) : undefined;
  if (print && clientTiers) log(`tiers: ${scenario.tiers!.map((t) => `${t.name} (width ${t.width}): ${clientIds.filter((_, i) => clientTiers[i] === t.name).join(', ')}`).join('; ')}`);
  const clients = clientIds.map(
    (clientId, i) =>
      new FederatedClient({
        serverUrl: [...urls.slice(i % urls.length), ...urls.slice(0, i % urls.length)],
        clientId,
        token: tokens[clientId],
        data: { xs: clientData[i].xs, ys: clientData[i].ys, numClasses: split.test.numClasses },
        ...(clientTiers ? { tier: clientTiers[i] } : {}),
        logger: () => {},
      }),
  );
  let oneShot: ClientReferences | undefined;
  let roundReferences: RoundReferences[] | undefined;
  try {
    await Promise.all(clients.map((c) => c.start()));
    await Promise.all(servers.map((s) => s.finished()));
    await Promise.all(clients.map((c) => c.finished()));
    // In client order, so each entry of `parents` names the same client every round.
    const referencesOf = (round: number) => {
      const models = clientModels.get(round);
      const ordered = clientIds.flatMap((id) => {
        const w = models?.get(id);
        return w ? [w] : [];
      });
      return ordered.length === 0 ? undefined : evaluateClientReferences(initialModel.topologyJson, ordered, test);
    };
    if (opts.roundReferences) {
      roundReferences = [];
      for (const round of [...clientModels.keys()].sort((a, b) => a - b)) {
        const refs = await referencesOf(round);
        if (refs) roundReferences.push({ round, ...refs });
      }
    }
    if (opts.oneShotReferences) {
      // Round 1's figures, evaluated once when both options are on.
      const first = roundReferences?.find((r) => r.round === 1);
      oneShot = first ? { parents: first.parents, vanilla: first.vanilla, ensemble: first.ensemble } : await referencesOf(1);
      if (!oneShot) throw new Error('one-shot references: no client update was accepted in round 1');
    }
  } finally {
    progress?.stop();
    await dashboard?.stop();
    await Promise.all(clients.map((c) => c.stop()));
    await Promise.all(servers.map((s) => s.stop()));
    for (const d of [test, probe, ...clientData]) tf.dispose([d.xs, d.ys]);
  }

  const seconds = (performance.now() - started) / 1000;
  const result: RunResult = {
    scenario,
    backend,
    rounds: rows,
    seconds,
    outDir: opts.outDir,
    ...(opts.label !== undefined ? { label: opts.label } : {}),
    ...(oneShot ? { oneShot } : {}),
    ...(roundReferences ? { roundReferences } : {}),
  };
  await mkdir(opts.outDir, { recursive: true });
  await writeFile(
    join(opts.outDir, 'results.json'),
    JSON.stringify({ ...result, histograms: split.histograms, ...(code ? { code } : {}) }, null, 2) + '\n',
  );
  await writeFile(join(opts.outDir, 'rounds.csv'), roundRowsToCsv(rows));
  if (opts.saveModels) {
    await saveModelStateDir(server.global, join(opts.outDir, 'models', 'global'));
    for (const [tier, model] of server.tierModels ?? []) await saveModelStateDir(model, join(opts.outDir, 'models', `tier-${tier}`));
    for (const [clientId, weights] of lastRound.models) {
      // A tiered client's model has its tier's widths.
      const topologyJson = scenario.tiers ? topologyWithWidths(initialModel.topologyJson, levelWidthsOf(weights)) : initialModel.topologyJson;
      await saveModelStateDir({ topologyJson, weights }, join(opts.outDir, 'models', `round-${lastRound.round}`, clientId));
    }
  }
  if (print) {
    log('');
    log(renderRoundTable(rows));
    if (oneShot) log(oneShotLine(oneShot));
    if (roundReferences) for (const r of roundReferences) log(`round ${r.round} ${referencesLine(r)}`);
    log('');
    log(`done in ${seconds.toFixed(1)} s; results in ${opts.outDir}/results.json and rounds.csv` + (opts.saveModels ? `, models in ${opts.outDir}/models/` : ''));
  }
  return result;
}

function oneShotLine(r: ClientReferences): string {
  return `one-shot references: ${referencesLine(r)}`;
}

function referencesLine(r: ClientReferences): string {
  const pct = (v: number) => `${(100 * v).toFixed(2)}%`;
  return `client models ${r.parents.map(pct).join(' / ')}; vanilla average ${pct(r.vanilla)}; ensemble ${pct(r.ensemble)}`;
}
