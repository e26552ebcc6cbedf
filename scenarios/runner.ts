// Runs a whole federation described by a scenario on this machine: one FederationServer on loopback and one
// FederatedClient per simulated client, each holding its own non-IID slice of the real dataset, in this process or
// spread over client worker processes that train in parallel.
import * as tf from '@fedfuse/client/internal/tf/tfjs.js';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { buildModel } from '../common/model/model-spec.js';
import { modelToState, stateToModel, type ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { FederationServer, type RoundSummary } from '../server/federation-server.js';
import { createStrategy } from '../server/strategies/index.js';
import { Dashboard } from '../server/dashboard/dashboard.js';
import { dashboardSourceOf } from '../server/dashboard/federation-source.js';
import type { TrainingConfig } from '../server/strategies/strategy.js';
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
import { simulatedClientId } from './clients/client-ids.js';
import { dataShapeOf, SimulatedClients, type SimulatedClientEvent, type SimulatedClientOutcome } from './clients/simulated-clients.js';
import { ClientPool, type ClientPoolEvent, type PoolWorkerUsage } from './clients/client-pool.js';
import { scenarioClientTiers } from './tier-assignment.js';
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
  /**
   * Client worker processes training the clients in parallel (at most one per client); 1 keeps the clients in this
   * process, as the server. Default: the scenario's `workers`, else the cores available. The results do not depend
   * on it.
   */
  workers?: number;
  /**
   * The client workers' events (started, ready, each client's task, died), e.g. for a test that kills one. With one
   * worker the clients' events come as worker 0's, this process's.
   */
  onClientWorker?: (event: ClientPoolEvent) => void;
  log?: (line: string) => void;
}

/** A client worker that died during the run: its clients' updates for that round were lost. */
export interface WorkerFailure {
  round: number;
  worker: number;
  clients: string[];
  /** How it ended, e.g. "killed by SIGKILL". */
  exit: string;
  /** Whether it was started again (its clients rejoin for the next rounds). */
  restarted: boolean;
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
  /** Processes that trained the clients (1: this one). */
  workers: number;
  /** Client workers that died (absent when none did). */
  workerFailures?: WorkerFailure[];
  /** Per client worker process: its clients and its peak RSS and CPU time (absent with one worker). */
  workerUsage?: PoolWorkerUsage[];
}

/** One round's client references (runner option roundReferences). */
export interface RoundReferences extends ClientReferences {
  round: number;
}

/** Converts a scenario's numbers into the server's round-0 training config. */
export function trainingConfigOf(scenario: Scenario): TrainingConfig {
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

/** Client worker processes for `clients` clients: as many as asked (default: one per core), never more than clients. */
export function clientWorkerCount(clients: number, requested?: number): number {
  const workers = requested ?? availableParallelism();
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`workers must be a positive integer, got ${workers}`);
  return Math.min(workers, clients);
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
  const shape = dataShapeOf(scenario);
  const workers = clientWorkerCount(scenario.clients, opts.workers ?? scenario.workers);
  const test = toTensors(split.test, shape);
  const probe = toTensors(split.probe, shape);
  if (print) {
    log(
      `data: ${scenario.dataset}, ${split.clients.length} clients with ` +
        `${split.clients.map((c) => c.n).join('/')} examples (${scenario.partition.kind}), ` +
        `probe ${split.probe.n}, test ${split.test.n}; clients train ${workers === 1 ? 'in this process' : `in ${workers} worker processes`}`,
    );
  }

  const initial = buildModel(scenario.model, scenario.seed);
  const initialModel: ModelState = modelToState(initial);
  initial.dispose();

  const tokens: Record<string, string> = {};
  const clientIds = split.clients.map((_, i) => simulatedClientId(i));
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
    // Hierarchical aggregation needs the distance screen (on by default) off: it needs every update at the leader.
    defence: opts.cluster?.aggregation === 'hierarchical' ? { ...(scenario.defence ?? {}), norm: false as const } : scenario.defence,
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

  // Tiered scenarios: each simulated client declares its tier (by name) when it joins, as an edge app would.
  const clientTiers = scenarioClientTiers(scenario);
  if (print && clientTiers) log(`tiers: ${scenario.tiers!.map((t) => `${t.name} (width ${t.width}): ${clientIds.filter((_, i) => clientTiers[i] === t.name).join(', ')}`).join('; ')}`);
  const specs = clientIds.map((clientId, index) => ({ index, clientId, token: tokens[clientId], ...(clientTiers ? { tier: clientTiers[index] } : {}) }));
  const workerFailures: WorkerFailure[] = [];
  const onPoolEvent = (e: ClientPoolEvent) => {
    opts.onClientWorker?.(e);
    if (e.type !== 'worker-died') return;
    const round = server.currentRound;
    workerFailures.push({ round, worker: e.worker, clients: e.clients, exit: e.exit, restarted: e.restarting });
    // The server stops waiting for their updates: the round goes on with the others (or is retried).
    for (const s of servers) s.clientsFailed(e.clients, `client worker ${e.worker} ${e.exit}`);
    const next = e.restarting ? '; restarting it' : '';
    const line = `client worker ${e.worker} (pid ${e.pid}) ${e.exit} in round ${round}: no round-${round} update from ${e.clients.join(', ')}${next}`;
    if (progress) progress.note(line);
    else if (print) log(line);
    if (opts.verbose && e.stderrTail) log(e.stderrTail);
  };
  const pool =
    workers === 1
      ? undefined
      : new ClientPool({ scenario, clients: specs, sizes: split.clients.map((c) => c.n), workers, onEvent: onPoolEvent, ...(opts.verbose ? { log } : {}) });
  const inProcessEvent = (event: SimulatedClientEvent) => {
    const cpu = process.cpuUsage();
    opts.onClientWorker?.({ type: 'client', worker: 0, pid: process.pid, event, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
  };
  const clients = pool ?? new SimulatedClients({ clients: specs.map((spec, i) => ({ spec, data: split.clients[i] })), shape, onEvent: inProcessEvent });
  // The clients hold their data as tensors now, or their workers load their own: the arrays can go.
  split.clients.length = 0;
  // Never settles with one process; rejects when the pool gives up on a worker.
  const poolFailure = pool?.failure ?? new Promise<never>(() => {});
  let dashboard: Dashboard | undefined;
  let oneShot: ClientReferences | undefined;
  let roundReferences: RoundReferences[] | undefined;
  try {
    // The workers load TF.js and their data while the server starts.
    void pool?.load();
    const urls: string[] = [];
    for (const s of servers) urls.push((await s.start()).url);
    if (opts.dashboardPort !== undefined) {
      dashboard = new Dashboard(dashboardSourceOf(server, { totalRounds: scenario.rounds }), {
        port: opts.dashboardPort,
        title: `fedfuse: ${scenario.name} (${scenario.strategy.name})`,
      });
      log(`dashboard: ${(await dashboard.start()).url}`);
    }
    await Promise.race([clients.start(urls), poolFailure]);
    await Promise.race([Promise.all(servers.map((s) => s.finished())), poolFailure]);
    failIfAnyFailed(await clients.finished());
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
    await clients.stop();
    await Promise.all(servers.map((s) => s.stop()));
    for (const d of [test, probe]) tf.dispose([d.xs, d.ys]);
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
    workers,
    ...(workerFailures.length > 0 ? { workerFailures } : {}),
    ...(pool ? { workerUsage: pool.usage() } : {}),
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

/** The run fails when a simulated client did (it never got the final model), naming each. */
function failIfAnyFailed(outcomes: readonly SimulatedClientOutcome[]): void {
  const failed = outcomes.flatMap((o) => (o.ok ? [] : [`${o.clientId}: ${o.reason}`]));
  if (failed.length > 0) throw new Error(`${failed.length} simulated client(s) failed: ${failed.join('; ')}`);
}

function oneShotLine(r: ClientReferences): string {
  return `one-shot references: ${referencesLine(r)}`;
}

function referencesLine(r: ClientReferences): string {
  const pct = (v: number) => `${(100 * v).toFixed(2)}%`;
  return `client models ${r.parents.map(pct).join(' / ')}; vanilla average ${pct(r.vanilla)}; ensemble ${pct(r.ensemble)}`;
}
