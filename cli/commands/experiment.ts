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
    .option('--strategies <list>', 'comma-separated strategy names', list, ['fedavg', 'neuron-interpolation'])
    .option('--seeds <list>', 'comma-separated seeds', seedList, [1])
    .option('--out <dir>', 'experiment directory (default: results/exp-<timestamp>); rerunning with the same one resumes')
    .option('--workers <n>', 'cells running at once', positiveInt('workers'), 2)
    .option('--rounds <n>', "override every scenario's rounds", positiveInt('rounds'))
    .option('--one-shot', "one-shot fusion: a single round in which clients train for the scenario's local epochs")
    .option('--no-png', 'do not write accuracy.png')
    .option('--title <text>', 'title of report.html (default: the directory name)')
    .action(
      async (
        files: string[],
        o: { strategies: string[]; seeds: number[]; out?: string; workers: number; rounds?: number; oneShot?: boolean; png: boolean; title?: string },
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
          png: o.png,
          title: o.title,
        });
        if (result.failed.length > 0) process.exitCode = 1;
      },
    );
}
