// `fedfuse experiment <scenario...>`: every scenario × strategy × seed as its own federation run, merged into one report.
import type { Command } from 'commander';
import { join } from 'node:path';
import { runExperiment } from '../../scenarios/experiment/run-experiment.js';

function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got "${value}"`);
    return n;
  };
}

function positiveNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!(Number.isFinite(n) && n > 0)) throw new Error(`--${name} must be a positive number, got "${value}"`);
    return n;
  };
}

function list(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

function seedList(value: string): number[] {
  return list(value).map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--seeds must be non-negative integers separated by commas, got "${s}"`);
    return n;
  });
}

export function registerExperimentCommand(program: Command): void {
  program
    .command('experiment')
    .description('run every scenario × strategy × seed (one child process per cell, resumable) and merge them into a report')
    .argument('<scenario...>', 'scenario files (YAML or JSON)')
    .option(
      '--strategies <list>',
      'comma-separated strategies: a name, or [label=]name:key=value:... for a variant ' +
        '(e.g. ni-hf=neuron-interpolation:method=hf, fedprox:mu=0.1, neuron-interpolation:fusion.gradient.epochs=50)',
      list,
      ['fedavg', 'neuron-interpolation'],
    )
    .option('--seeds <list>', 'comma-separated seeds', seedList, [1])
    .option('--out <dir>', 'experiment directory (default: results/exp-<timestamp>); rerunning with the same one resumes')
    .option('--workers <n>', 'cells running at once', positiveInt('workers'), 2)
    .option('--rounds <n>', "override every scenario's rounds", positiveInt('rounds'))
    .option(
      '--one-shot',
      "one-shot fusion (the paper's setting): one round of local training, one fusion; also reports the parents', " +
        'vanilla average and ensemble accuracy',
    )
    .option('--local-epochs <n>', "override every scenario's local epochs (e.g. train parents to convergence with --one-shot)", positiveInt('local-epochs'))
    .option('--cell-timeout <seconds>', 'kill a cell that runs longer and report it failed', positiveNumber('cell-timeout'))
    .option('--report-only', 'run nothing: merge the cells already finished into the report')
    .option('--no-png', 'do not write accuracy.png')
    .option('--title <text>', 'title of report.html (default: the directory name)')
    .action(
      async (
        files: string[],
        o: {
          strategies: string[];
          seeds: number[];
          out?: string;
          workers: number;
          rounds?: number;
          oneShot?: boolean;
          localEpochs?: number;
          cellTimeout?: number;
          reportOnly?: boolean;
          png: boolean;
          title?: string;
        },
      ) => {
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        const result = await runExperiment({
          scenarioFiles: files,
          strategies: o.strategies,
          seeds: o.seeds,
          outDir: o.out ?? join('results', `exp-${stamp}`),
          workers: o.workers,
          rounds: o.rounds,
          oneShot: o.oneShot,
          localEpochs: o.localEpochs,
          cellTimeoutSeconds: o.cellTimeout,
          reportOnly: o.reportOnly,
          png: o.png,
          title: o.title,
        });
        if (result.failed.length > 0) process.exitCode = 1;
      },
    );
}
