// `fedfuse clients --scenario s.yaml --ids 0-49 --server url`: a range of a scenario's simulated clients, trained in
// client worker processes on this machine, against a `fedfuse serve` elsewhere; with --write-server, the files that
// serve needs to run the scenario's federation for them.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { loadScenario } from '../../scenarios/load-scenario.js';
import { clientDatasets, clientRowsOf, loadTrainSplit } from '../../scenarios/prepare-split.js';
import { clientWorkerCount } from '../../scenarios/runner.js';
import type { Scenario } from '../../scenarios/scenario-schema.js';
import { parseClientRanges, simulatedClientId } from '../../scenarios/clients/client-ids.js';
import { ClientPool, type ClientPoolEvent } from '../../scenarios/clients/client-pool.js';
import { scenarioClientTiers } from '../../scenarios/tier-assignment.js';
import { dataShapeOf, SimulatedClients, type SimulatedClientEvent, type SimulatedClientSpec } from '../../scenarios/clients/simulated-clients.js';
import { writeServerFiles } from '../../scenarios/clients/server-files.js';
import { outputFor, type Output, type OutputFlags } from '../output.js';

export interface ClientsFlags extends OutputFlags {
  scenario: string;
  ids?: string;
  server?: string[];
  token?: string;
  tokenFile?: string;
  workers?: number;
  writeServer?: string;
  host: string;
  port: number;
}

const TOKEN_ENV = 'FEDFUSE_CLIENT_TOKEN';

/** The simulated clients' token: --token-file, else --token, else $FEDFUSE_CLIENT_TOKEN. */
async function tokenOf(o: ClientsFlags): Promise<string | undefined> {
  if (o.tokenFile !== undefined && o.token !== undefined) throw new Error('give the token once: --token or --token-file');
  const token = o.tokenFile !== undefined
    ? (await readFile(o.tokenFile, 'utf8').catch((e: Error) => {
        throw new Error(`--token-file ${o.tokenFile}: cannot read it (${e.message})`);
      })).trim()
    : (o.token ?? process.env[TOKEN_ENV]);
  if (token !== undefined && token.length < 8) throw new Error('the clients\' token is shorter than 8 characters (server configs refuse it)');
  return token;
}

export async function clientsCommand(o: ClientsFlags): Promise<void> {
  const output = outputFor(o);
  const scenario = await loadScenario(o.scenario);
  const given = await tokenOf(o);
  if (o.writeServer !== undefined) {
    // Without a token, a new one, kept beside the config for the clients' --token-file.
    const token = given ?? randomBytes(32).toString('hex');
    const files = await writeServerFiles(scenario, token, o.writeServer, o);
    let tokenHint = '--token-file <file with the token>';
    if (given === undefined) {
      const file = join(o.writeServer, 'client-token');
      await writeFile(file, `${token}\n`, { mode: 0o600 });
      output.result(`wrote ${file} (the clients' token: keep it secret)`);
      tokenHint = `--token-file ${file}`;
    }
    output.result(`wrote ${files.config}, ${files.probeX}, ${files.probeY}, ${files.testX}, ${files.testY}`);
    output.info('serve the federation with');
    output.info(`  ${files.serveCommand}`);
    output.info(`and start each of its clients once, on any machines, e.g.: fedfuse clients --scenario ${o.scenario} --ids 0-9 --server <url> ${tokenHint}`);
    return;
  }
  if (!o.server || o.server.length === 0) throw new Error('give the server with --server <url> (or several cluster nodes: --server url1,url2)');
  if (given === undefined) {
    throw new Error(`give the clients' token with --token-file <file> (or --token, or ${TOKEN_ENV}); \`fedfuse clients --write-server\` makes one`);
  }
  const indexes = o.ids === undefined ? Array.from({ length: scenario.clients }, (_, i) => i) : parseClientRanges(o.ids, scenario.clients);
  const tiers = scenarioClientTiers(scenario);
  const specs = indexes.map((index) => ({ index, clientId: simulatedClientId(index), token: given, ...(tiers ? { tier: tiers[index] } : {}) }));
  await runClients(scenario, specs, o.server, clientWorkerCount(specs.length, o.workers ?? scenario.workers), output);
}

async function runClients(scenario: Scenario, specs: SimulatedClientSpec[], urls: string[], workers: number, output: Output): Promise<void> {
  const started = performance.now();
  const ids = specs.map((s) => s.clientId);
  output.info(
    `fedfuse clients: ${ids.length} of scenario ${scenario.name}'s ${scenario.clients} clients (${ids[0]}..${ids.at(-1)}) ` +
      `${workers === 1 ? 'in this process' : `in ${workers} worker processes`}, against ${urls.join(', ')}`,
  );
  const rounds = new Set<number>();
  const onClient = (e: SimulatedClientEvent) => {
    if (e.type === 'task' && !rounds.has(e.round)) {
      rounds.add(e.round);
      output.info(`round ${e.round}: training`);
    }
    if (e.type === 'trained') output.detail(`round ${e.round}: ${e.clientId} trained in ${e.seconds.toFixed(1)} s`);
    if (e.type === 'error') output.info(`round ${e.round}: ${e.clientId}: ${e.code}: ${e.message}`);
  };
  const onPool = (e: ClientPoolEvent) => {
    if (e.type === 'client') onClient(e.event);
    if (e.type === 'worker-died') {
      output.info(`client worker ${e.worker} (pid ${e.pid}) ${e.exit}: ${e.clients.join(', ')}${e.restarting ? ' rejoin when it has restarted' : ' are lost'}`);
      if (e.stderrTail) output.detail(e.stderrTail);
    }
  };
  let clients: SimulatedClients | ClientPool;
  if (workers === 1) {
    await initBackend();
    const data = await clientDatasets(scenario, specs.map((s) => s.index));
    clients = new SimulatedClients({ clients: specs.map((spec, k) => ({ spec, data: data[k] })), shape: dataShapeOf(scenario), onEvent: onClient });
  } else {
    // Only the sizes: each worker loads its own clients' data.
    const rows = clientRowsOf(scenario, await loadTrainSplit(scenario)).clients;
    clients = new ClientPool({ scenario, clients: specs, sizes: specs.map((s) => rows[s.index].length), workers, onEvent: onPool, ...(output.verbose ? { log: output.detail } : {}) });
  }
  const failure = clients instanceof ClientPool ? clients.failure : new Promise<never>(() => {});
  const stop = () => void clients.stop().then(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await Promise.race([clients.start(urls), failure]);
    output.info(`all ${ids.length} clients joined`);
    const outcomes = await Promise.race([clients.finished(), failure]);
    const failed = outcomes.filter((c) => !c.ok);
    const finalRounds = [...new Set(outcomes.flatMap((c) => (c.ok ? [c.finalRound] : [])))];
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (failed.length === 0) {
      output.result(`fedfuse clients: all ${ids.length} clients have the final model (round ${finalRounds.join(', ')}) after ${seconds} s`);
      return;
    }
    for (const c of failed) if (!c.ok) output.result(`${c.clientId} failed: ${c.reason}`);
    throw new Error(`${failed.length} of ${ids.length} clients failed`);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await clients.stop();
  }
}
