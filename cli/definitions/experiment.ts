// `fedfuse experiment`: options and help. The implementation loads only when the command runs.
import type { Command } from 'commander';
import { join } from 'node:path';
import { list, strategyList, nonNegativeInt, positiveInt, positiveNumber, ROUND_REFERENCES_HELP } from '../options.js';
import { outputFor, withOutputOptions, type OutputFlags } from '../output.js';

interface ExperimentFlags extends OutputFlags {
  strategies: string[];
  seeds: number[];
  out?: string;
  cells?: number;
  workers?: number;
  rounds?: number;
  oneShot?: boolean;
  localEpochs?: number;
  cellTimeout?: number;
  reportOnly?: boolean;
  saveModels?: boolean;
  roundReferences?: boolean;
  png: boolean;
  title?: string;
}

function seedList(value: string): number[] {
  return list(value).map(nonNegativeInt('seeds'));
}

export function defineExperimentCommand(program: Command): void {
  withOutputOptions(
    program
      .command('experiment')
      .description('run every scenario × strategy × seed (one child process per cell, resumable) and merge them into a report')
      .argument('<scenario...>', 'scenario files (YAML or JSON)')
      .option(
        '--strategies <list>',
        'comma-separated strategies: a name, or [label=]name:key=value:... for a variant ' +
          '(e.g. ni-hf=neuron-interpolation:method=hf, fedprox:mu=0.1, neuron-interpolation:fusion.gradient.epochs=50; ' +
          'values are JSON where they parse, commas inside [..] belong to the value)',
        strategyList,
        ['fedavg', 'neuron-interpolation'],
      )
      .option('--seeds <list>', 'comma-separated seeds', seedList, [1])
      .option('--out <dir>', 'experiment directory (default: results/exp-<time>); rerunning with the same one resumes')
      .option('--cells <n>', 'cells running at once (default: one per core, as many as there are cells to run)', positiveInt('cells'))
      .option(
        '--workers <n>',
        "client worker processes per cell (default: the scenario's workers, else the cores the cells leave: cells × workers ≤ cores)",
        positiveInt('workers'),
      )
      .option('--rounds <n>', "override every scenario's rounds", positiveInt('rounds'))
      .option(
        '--one-shot',
        "one-shot fusion (the paper's setting): one round of local training, one fusion; also reports the parents', " +
          'vanilla average and ensemble accuracy',
      )
      .option('--local-epochs <n>', "override every scenario's local epochs (e.g. train parents to convergence with --one-shot)", positiveInt('local-epochs'))
      .option('--cell-timeout <seconds>', 'kill a cell that runs longer and report it failed', positiveNumber('cell-timeout'))
      .option('--report-only', 'run nothing: merge the cells already finished into the report')
      .option('--save-models', "each cell also writes its final global model and last round's client models under <cell dir>/models (TF.js directories `fuse` reads)")
      .option('--round-references', ROUND_REFERENCES_HELP)
      .option('--no-png', 'do not write accuracy.png')
      .option('--title <text>', 'title of report.html (default: the directory name)'),
  ).action(async (files: string[], o: ExperimentFlags) => {
    const output = outputFor(o);
    const { runExperiment } = await import('../../scenarios/experiment/run-experiment.js');
    const outDir = o.out ?? join('results', `exp-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    const result = await runExperiment({
      scenarioFiles: files,
      strategies: o.strategies,
      seeds: o.seeds,
      outDir,
      cells: o.cells,
      workers: o.workers,
      rounds: o.rounds,
      oneShot: o.oneShot,
      localEpochs: o.localEpochs,
      cellTimeoutSeconds: o.cellTimeout,
      reportOnly: o.reportOnly,
      saveModels: o.saveModels,
      roundReferences: o.roundReferences,
      png: o.png,
      title: o.title,
      log: (line) => output.info(line),
      ...(output.quiet ? { tty: false } : {}),
    });
    if (result.files.report) output.result(`report: ${result.files.report}`);
    if (result.failed.length > 0) process.exitCode = 1;
  });
}
