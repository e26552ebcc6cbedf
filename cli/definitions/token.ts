// `fedfuse token`: a new random client token and the sha256 digest server.yaml keeps instead of it
// (tokens: { <client>: { sha256: ... } }), or the digest of a token given on standard input.
import type { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { text } from 'node:stream/consumers';
import { tokenDigest } from '../../server/auth/token-registry.js';
import { positiveInt } from '../options.js';
import { outputFor, withOutputOptions, type OutputFlags } from '../output.js';

interface TokenFlags extends OutputFlags {
  client: string;
  bytes: number;
  stdin?: boolean;
}

/** Shorter tokens are refused by the config file (8 characters); 16 random bytes is the least we hand out. */
const MIN_BYTES = 16;

export function defineTokenCommand(program: Command): void {
  withOutputOptions(
    program
      .command('token')
      .description("make a client token and print it with its sha256 digest, the form server.yaml's tokens may hold")
      .option('--client <id>', 'client id for the server.yaml line', 'client-1')
      .option('--bytes <n>', `random bytes in the token (at least ${MIN_BYTES})`, positiveInt('bytes'), 32)
      .option('--stdin', 'hash the token read from standard input (one line) instead of making a new one'),
  ).action(async (o: TokenFlags) => {
    const output = outputFor(o);
    if (o.bytes < MIN_BYTES) throw new Error(`--bytes must be at least ${MIN_BYTES}, got ${o.bytes}`);
    const token = o.stdin ? (await text(process.stdin)).trim() : randomBytes(o.bytes).toString('hex');
    if (token.length < 8) throw new Error('the token on standard input is shorter than 8 characters (server.yaml refuses it)');
    const digest = tokenDigest(token);
    if (!o.stdin) output.result(`token:  ${token}`);
    output.result(`sha256: ${digest}`);
    output.info('');
    output.info(`server.yaml:  tokens: { ${JSON.stringify(o.client)}: { sha256: "${digest}" } }`);
    if (!o.stdin) output.info('the client passes the token itself (FederatedClient option `token`); keep it secret');
  });
}
