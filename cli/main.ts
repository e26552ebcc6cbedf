// `fedfuse` command line. Commands are declared in cli/definitions/ (options and help only, no TF.js), and each loads
// its implementation from cli/commands/ when it runs, so `--help` and `--version` start fast.
import { Command, type Option } from 'commander';
import { packageInfo } from './package-info.js';
import { defineRunCommand } from './definitions/run.js';
import { defineServeCommand } from './definitions/serve.js';
import { defineFuseCommand } from './definitions/fuse.js';
import { defineExperimentCommand } from './definitions/experiment.js';
import { defineDataCommand } from './definitions/data.js';
import { defineTokenCommand } from './definitions/token.js';
import { defineClientsCommand } from './definitions/clients.js';

/** Help lists required options as such (commander only enforces them). */
function markRequiredOptions(command: Command): void {
  for (const option of command.options as readonly Option[]) {
    if (option.mandatory && !option.description.endsWith('(required)')) option.description += ' (required)';
  }
  command.commands.forEach(markRequiredOptions);
}

const program = new Command();
program
  .name('fedfuse')
  .description('Federated learning server that fuses client models with neuron interpolation')
  .version(packageInfo().version, '-V, --version', 'print the fedfuse version')
  .showHelpAfterError()
  .exitOverride((err) => {
    // commander already printed its message; keep its exit code (0 for --help/--version, 1 for usage errors).
    process.exit(err.exitCode);
  });

defineRunCommand(program);
defineServeCommand(program);
defineClientsCommand(program);
defineFuseCommand(program);
defineExperimentCommand(program);
defineDataCommand(program);
defineTokenCommand(program);
markRequiredOptions(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  console.error(`fedfuse: ${(err as Error).message}`);
  process.exit(2);
}
