// What `fedfuse serve` needs to run a scenario's federation for clients started elsewhere (`fedfuse clients`): a
// server.yaml with the scenario's rounds, model, strategy, training and seed, a token for each of its simulated
// clients, and the probe and test sets exactly as `run` draws them. Served so, with every client started by
// `clients`, the federation gives the same results as `fedfuse run` of the scenario.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { writeNpy } from '../../common/io/npy-file.js';
import { inputShapeOf } from '../../common/model/model-spec.js';
import { tokenDigest } from '../../server/auth/token-registry.js';
import type { Dataset } from '../data/dataset.js';
import { prepareSplit } from '../prepare-split.js';
import { trainingConfigOf } from '../runner.js';
import type { Scenario } from '../scenario-schema.js';
import { simulatedClientId } from './client-ids.js';

export interface ServerFiles {
  config: string;
  probeX: string;
  probeY: string;
  testX: string;
  testY: string;
  /** The `fedfuse serve` command line that serves them. */
  serveCommand: string;
}

/** The server config of the scenario's federation, every simulated client presenting `token`. */
export function scenarioServerConfig(scenario: Scenario, token: string, listen: { host: string; port: number }): Record<string, unknown> {
  const digest = tokenDigest(token);
  const tokens = Object.fromEntries(Array.from({ length: scenario.clients }, (_, i) => [simulatedClientId(i), { sha256: digest }]));
  return {
    host: listen.host,
    port: listen.port,
    rounds: scenario.rounds,
    minClients: scenario.clients,
    clientsPerRound: scenario.clientsPerRound,
    minUpdates: scenario.minUpdates,
    roundDeadlineSeconds: scenario.roundDeadlineSeconds,
    seed: scenario.seed,
    training: trainingConfigOf(scenario),
    model: scenario.model,
    strategy: { name: scenario.strategy.name, options: scenario.strategy.options ?? {} },
    ...(scenario.defence ? { defence: scenario.defence } : {}),
    tokens,
  };
}

export async function writeServerFiles(scenario: Scenario, token: string, dir: string, listen: { host: string; port: number }): Promise<ServerFiles> {
  await mkdir(dir, { recursive: true });
  const split = await prepareSplit(scenario);
  const inputShape = inputShapeOf(scenario.model);
  const write = async (name: string, ds: Dataset) => {
    const x = join(dir, `${name}-x.npy`);
    const y = join(dir, `${name}-y.npy`);
    await writeNpy(x, ds.x, [ds.n, ...inputShape]);
    await writeNpy(y, ds.y, [ds.n]);
    return { x, y };
  };
  const probe = await write('probe', split.probe);
  const test = await write('test', split.test);
  const config = join(dir, 'server.yaml');
  const header =
    `# The federation of scenario ${scenario.name} for clients started with \`fedfuse clients --scenario ...\`\n` +
    `# (written by \`fedfuse clients --write-server\`; every client presents the same token, kept here as its sha256).\n`;
  await writeFile(config, header + stringify(scenarioServerConfig(scenario, token, listen)));
  const serveCommand =
    `fedfuse serve --config ${config} --probe ${probe.x} --probe-labels ${probe.y} --eval-x ${test.x} --eval-y ${test.y}`;
  return { config, probeX: probe.x, probeY: probe.y, testX: test.x, testY: test.y, serveCommand };
}
