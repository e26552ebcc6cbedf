// `fedfuse data export`: options and help. The implementation (datasets) loads only when the command runs.
import type { Command } from 'commander';
import { choice, nonNegativeInt, positiveInt } from '../options.js';
import { withOutputOptions } from '../output.js';
import type { DataExportFlags } from '../commands/data-export.js';

const DATASETS = ['mnist', 'fashion-mnist'] as const;

export function defineDataCommand(program: Command): void {
  const data = program.command('data').description('datasets as .npy files (probe, evaluation and training data for serve, fuse and apps)');
  withOutputOptions(
    data
      .command('export')
      .description('write probe / test / training examples as .npy, preprocessed exactly as the scenarios do')
      .argument('<dataset>', `dataset: ${DATASETS.join(' | ')}`, choice('dataset', DATASETS))
      .requiredOption('--out <dir>', 'directory for <part>-x.npy and <part>-y.npy')
      .option('--probe <n>', 'a class-balanced probe of n training examples (as a scenario with probe.source held-out-train draws it)', positiveInt('probe'))
      .option('--test [n]', 'the test split (all of it, or its first n examples)', positiveInt('test'))
      .option('--train <n>', 'n training examples (never the probe rows), for clients', positiveInt('train'))
      .option('--train-offset <k>', 'skip the first k of those training examples (give each client its own slice)', nonNegativeInt('train-offset'), 0)
      .option('--seed <n>', 'seed of the probe draw (a scenario seed gives that scenario probe)', nonNegativeInt('seed'), 1)
      .option('--shape <shape>', 'flat [n, 784] for MLPs or image [n, 28, 28, 1] for conv nets', choice('shape', ['flat', 'image'] as const), 'flat'),
  ).action(async (dataset: (typeof DATASETS)[number], o: DataExportFlags) => {
    const { dataExportCommand } = await import('../commands/data-export.js');
    await dataExportCommand(dataset, o);
  });
}
