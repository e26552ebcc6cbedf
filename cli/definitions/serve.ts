// `fedfuse serve`: options and help. The implementation (TF.js, socket.io) loads only when the command runs.
import type { Command } from 'commander';
import { portNumber, positiveNumber } from '../options.js';
import { withOutputOptions } from '../output.js';
import type { ServeFlags } from '../commands/serve.js';

export function defineServeCommand(program: Command): void {
  withOutputOptions(
    program
      .command('serve')
      .description('serve a federation to real clients (the @fedfuse/client SDK), configured by a YAML or JSON file')
      .requiredOption('--config <file>', 'server config: port, rounds, tokens, model, strategy, training, ... (see README)')
      .option('--probe <inputs.npy>', "fusion probe inputs [n, ...model input], preprocessed like the clients' data (needed by neuron-interpolation)")
      .option('--probe-labels <labels.npy>', 'class ids of the probe inputs')
      .option('--eval-x <x.npy>', 'server-side evaluation inputs (with --eval-y): test accuracy per round')
      .option('--eval-y <y.npy>', 'server-side evaluation labels')
      .option('--log-file <file>', 'also write the server log and its events to <file> as JSON lines (one object per line; appended)')
      .option('--out <dir>', 'write results.json, rounds.csv and the final model (TF.js directory model/) there')
      .option('--final-wait <seconds>', 'after the last round, wait this long at most for every client to fetch the final model', positiveNumber('final-wait'), 30)
      .option('--dashboard <port>', 'serve the read-only live dashboard on 127.0.0.1:<port> (0 = any free port)', portNumber('dashboard'))
      .option('--port <port>', "listen on this port instead of the config's (e.g. several nodes on one machine)", portNumber('port'))
      .option('--redis <url>', "cluster mode: the federation's Redis (redis://host:port), instead of cluster.redis in the config")
      .option('--node-id <id>', "cluster mode: this node's name, instead of cluster.nodeId in the config"),
  ).action(async (o: ServeFlags) => {
    const { serveCommand } = await import('../commands/serve.js');
    await serveCommand(o);
  });
}
