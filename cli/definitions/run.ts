// `fedfuse run`: options and help. The implementation (TF.js, datasets) loads only when the command runs.
import type { Command } from 'commander';
import { strategyNames } from '../../server/strategies/index.js';
import { portNumber, positiveInt, ROUND_REFERENCES_HELP } from '../options.js';
import { withOutputOptions } from '../output.js';
import type { RunFlags } from '../commands/run.js';

export function defineRunCommand(program: Command): void {
  withOutputOptions(
    program
      .command('run')
      .description('run a federation (server + simulated clients) described by a scenario file on this machine')
      .argument('[scenario]', 'scenario file, YAML or JSON (default: the bundled scenarios/default.yaml)')
      .option('--out <dir>', 'results directory (default: results/<scenario name>-<strategy>-<time>)')
      .option('--rounds <n>', 'override the number of rounds', positiveInt('rounds'))
      .option('--strategy <name>', `override the strategy (${strategyNames.join(' | ')})`)
      .option('--seed <n>', 'override the seed', positiveInt('seed'))
      .option('--save-models', "also write the final global model and the last round's client models under <out>/models (TF.js directories `fuse` reads)")
      .option('--round-references', ROUND_REFERENCES_HELP)
      .option('--workers <n>', "client worker processes training the clients in parallel (default: the scenario's workers, else one per core; 1 = in this process)", positiveInt('workers'))
      .option('--dashboard <port>', 'serve the live dashboard on 127.0.0.1:<port> during the run (0 = any free port)', portNumber('dashboard')),
  ).action(async (file: string | undefined, o: RunFlags) => {
    const { runCommand } = await import('../commands/run.js');
    await runCommand(file, o);
  });
}
