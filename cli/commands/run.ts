// `fedfuse run [scenario]`: a whole federation (server + simulated clients) on this machine.
import { join } from 'node:path';
import { DEFAULT_SCENARIO_PATH, loadScenario, parseScenario } from '../../scenarios/load-scenario.js';
import { runScenario } from '../../scenarios/runner.js';
import { renderRoundTable } from '../../scenarios/report/round-table.js';
import { outputFor, type OutputFlags } from '../output.js';

export interface RunFlags extends OutputFlags {
  out?: string;
  rounds?: number;
  strategy?: string;
  seed?: number;
  dashboard?: number;
  saveModels?: boolean;
  roundReferences?: boolean;
  workers?: number;
}

export async function runCommand(scenarioFile: string | undefined, o: RunFlags): Promise<void> {
  const output = outputFor(o);
  const file = scenarioFile ?? DEFAULT_SCENARIO_PATH;
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
  const result = await runScenario(scenario, {
    outDir,
    print: !output.quiet,
    verbose: output.verbose,
    dashboardPort: o.dashboard,
    saveModels: o.saveModels,
    roundReferences: o.roundReferences,
    workers: o.workers,
  });
  if (output.quiet) output.result(renderRoundTable(result.rounds));
}
