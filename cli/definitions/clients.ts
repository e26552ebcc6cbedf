// `fedfuse clients`: options and help. The implementation (TF.js, datasets) loads only when the command runs.
import type { Command } from 'commander';
import { list, portNumber, positiveInt } from '../options.js';
import { withOutputOptions } from '../output.js';
import type { ClientsFlags } from '../commands/clients.js';

export function defineClientsCommand(program: Command): void {
  withOutputOptions(
    program
      .command('clients')
      .description(
        "run some of a scenario's simulated clients against a running `fedfuse serve` (or a cluster of them), so that " +
          'one simulation spreads over several machines; --write-server writes the server config and data to serve it',
      )
      .requiredOption('--scenario <file>', 'the scenario file (YAML or JSON); every machine uses the same one')
      .option('--ids <ranges>', "the scenario's clients to run, 0-based, e.g. 0-49 or 0-9,20-29 (client i joins as client-<i+1>; default: all)")
      .option('--server <urls>', 'the server, or comma-separated cluster nodes (client i tries node i mod n first)', list)
      .option('--token <token>', 'the token every simulated client presents (or --token-file, or FEDFUSE_CLIENT_TOKEN)')
      .option('--token-file <file>', 'read that token from a file')
      .option('--workers <n>', "client worker processes training in parallel (default: the scenario's workers, else one per core; 1 = in this process)", positiveInt('workers'))
      .option('--write-server <dir>', 'instead of running clients: write <dir>/server.yaml, the probe and test sets (.npy) and, without a token, <dir>/client-token, for `fedfuse serve`')
      .option('--host <address>', 'with --write-server: the address serve listens on (0.0.0.0: every interface)', '127.0.0.1')
      .option('--port <port>', 'with --write-server: the port serve listens on', portNumber('port'), 8765),
  ).action(async (o: ClientsFlags) => {
    const { clientsCommand } = await import('../commands/clients.js');
    await clientsCommand(o);
  });
}
