// `fedfuse fuse`: options and help. The implementation (TF.js, the fusion engine) loads only when the command runs.
import type { Command } from 'commander';
import { FUSE_METHODS } from '../fuse-methods.js';
import { IMPORTANCE_METHODS } from '@fedfuse/client/internal/training/training-config.js';
import { withOutputOptions, outputFor, type OutputFlags } from '../output.js';
import type { FuseOptions } from '../commands/fuse.js';

export function defineFuseCommand(program: Command): void {
  withOutputOptions(
    program
      .command('fuse')
      .description('fuse trained TF.js models offline (neuron interpolation or a baseline) and save the fused model')
      .argument('<modelDir...>', 'parent models: TF.js LayersModel directories (model.json + weights.bin), e.g. from `run --save-models`')
      .requiredOption('--method <method>', `fusion method: ${FUSE_METHODS.join(' | ')}`)
      .option('--importance <method>', `neuron importance for neuron interpolation (default uniform): ${IMPORTANCE_METHODS.join(' | ')}`)
      .option('--probe <inputs.npy>', "probe inputs the fusion fits on, [n, ...input shape], preprocessed like the parents' training data (required except for vanilla and weight-matching)")
      .option('--probe-labels <labels.npy>', 'class ids of the probe inputs (else importance uses predicted classes)')
      .requiredOption('--out <dir>', 'directory for the fused model (model.json + weights.bin) and fuse-report.json')
      .option('--eval-x <x.npy>', 'evaluation inputs: print parent / weight-average / ensemble / fused accuracy')
      .option('--eval-y <y.npy>', 'evaluation labels (with --eval-x)')
      .option('--seed <n>', 'seed for k-means and gradient fitting')
      .option('--prior <prior>', "least squares changes the parents' weights least (parents, default) or is minimum-norm (zero)")
      .option('--ridge <ridge>', 'least-squares ridge: auto (default: chosen per level from held-out probe rows) or a number (relative to the mean Gram diagonal)')
      .option('--grouping <grouping>', 'neurons grouped by the method (match, default) or by index (index: parents that share an initialisation)'),
  ).action(async (modelDirs: string[], o: Omit<FuseOptions, 'modelDirs' | 'log'> & OutputFlags) => {
    const output = outputFor(o);
    const { runFuse, formatEvaluation } = await import('../commands/fuse.js');
    const report = await runFuse({ ...o, modelDirs, log: (line) => output.info(line) });
    // With --quiet only the result: the accuracy table (when evaluated) and where the model went.
    if (output.quiet) formatEvaluation(report).forEach((line) => output.result(line));
    output.result(`fused model: ${report.outDir} (fusion ${report.fusionSeconds.toFixed(3)} s)`);
  });
}
