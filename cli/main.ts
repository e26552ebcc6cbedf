// `fedfuse` command line: one subcommand per file under cli/commands/.
import { Command } from 'commander';
import { registerRunCommand } from './commands/run.js';
import { registerServeCommand } from './commands/serve.js';
import { registerFuseCommand } from './commands/fuse.js';
import { registerExperimentCommand } from './commands/experiment.js';

const program = new Command();
program
  .name('fedfuse')
  .description('Federated learning server that fuses client models with neuron interpolation')
  .showHelpAfterError()
  .exitOverride((err) => {
    // commander already printed its message; keep its exit code (0 for --help, 1 for usage errors).
    process.exit(err.exitCode);
  });

registerRunCommand(program);
registerServeCommand(program);
registerFuseCommand(program);
registerExperimentCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  console.error(`fedfuse: ${(err as Error).message}`);
  process.exit(2);
}
