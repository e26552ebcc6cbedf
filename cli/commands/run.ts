// `fedfuse run [scenario]`: a whole federation (server + simulated clients) on this machine.
import type { Command } from 'commander';
import { join } from 'node:path';
import { DEFAULT_SCENARIO_PATH, loadScenario } from '../../scenarios/load-scenario.js';
import { runScenario } from '../../scenarios/runner.js';
import { renderRoundTable } from '../../scenarios/report/round-table.js';
import { parseScenario } from '../../scenarios/load-scenario.js';
import { scenarioStrategyNames } from '../../scenarios/scenario-schema.js';

function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got "${value}"`);
    return n;
  };
}

function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--dashboard must be a port number 0..65535, got "${value}"`);
  return n;
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('run a federation (server + simulated clients) described by a scenario file on this machine')
    .argument('[scenario]', 'scenario file (YAML or JSON)', DEFAULT_SCENARIO_PATH)
    .option('--out <dir>', 'results directory (default: results/<scenario>-<timestamp>)')
    .option('--rounds <n>', 'override the number of rounds', positiveInt('rounds'))
    .option('--strategy <name>', `override the strategy (${scenarioStrategyNames.join(' | ')})`)
    .option('--seed <n>', 'override the seed', positiveInt('seed'))
    .option('--quiet', 'no progress output, only the final table')
    .option('--verbose', "also print the server's log lines")
    .option('--dashboard <port>', 'serve the live dashboard on 127.0.0.1:<port> during the run (0 = any free port)', portNumber)
    .action(async (file: string, o: { out?: string; rounds?: number; strategy?: string; seed?: number; quiet?: boolean; verbose?: boolean; dashboard?: number }) => {
      const loaded = await loadScenario(file);
      // Overrides go back through the schema so they are validated like the file itself.
      const scenario = parseScenario(
        {
          ...loaded,
          ...(o.rounds ? { rounds: o.rounds } : {}),
          ...(o.seed ? { seed: o.seed } : {}),
          // The file's strategy options belong to the file's strategy; another strategy starts from its defaults.
          ...(o.strategy
            ? { strategy: { name: o.strategy, options: o.strategy === loaded.strategy.name ? loaded.strategy.options : {} } }
            : {}),
        },
        `${file} (with command-line overrides)`,
      );
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const outDir = o.out ?? join('results', `${scenario.name}-${scenario.strategy.name}-${stamp}`);
      const result = await runScenario(scenario, { outDir, print: !o.quiet, verbose: o.verbose, dashboardPort: o.dashboard });
      if (o.quiet) console.log(renderRoundTable(result.rounds));
    });
}
