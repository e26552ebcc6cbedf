// What a command prints, by --quiet / --verbose (every command takes both): results always, progress and notes
// unless --quiet, details (e.g. the server's own log lines) only with --verbose. Errors go to stderr regardless.
import type { Command } from 'commander';

export interface OutputFlags {
  quiet?: boolean;
  verbose?: boolean;
}

export interface Output {
  /** Results: tables, file paths written, the token. Printed even with --quiet. */
  result(line: string): void;
  /** Progress and notes: hidden by --quiet. */
  info(line: string): void;
  /** Details: only with --verbose. */
  detail(line: string): void;
  readonly quiet: boolean;
  readonly verbose: boolean;
}

export function withOutputOptions(command: Command): Command {
  return command
    .option('--quiet', 'print only results (and errors)')
    .option('--verbose', 'also print details (e.g. the server log)');
}

export function outputFor(flags: OutputFlags): Output {
  if (flags.quiet && flags.verbose) throw new Error('--quiet and --verbose contradict each other; give one');
  const quiet = flags.quiet ?? false;
  const verbose = flags.verbose ?? false;
  const print = (line: string) => console.log(line);
  const none = () => {};
  return { result: print, info: quiet ? none : print, detail: verbose ? print : none, quiet, verbose };
}
