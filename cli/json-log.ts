// `fedfuse serve --log-file`: the server's log lines and its events as JSON lines (pino), one object per line, for
// machines to read. JSON encoding escapes every control character, so nothing a client sends can start a line of
// its own; events carry whitelisted fields only (never weights or tokens).
import { pino, type Logger } from 'pino';
import type { FederationServer } from '../server/federation-server.js';

export interface JsonLog {
  close(): void;
}

/** Writes every log line and event of `server` to `path` (appended, written synchronously: a SIGKILL loses nothing). */
export function writeJsonLog(server: FederationServer, path: string): JsonLog {
  const destination = pino.destination({ dest: path, sync: true, append: true, mkdir: true });
  const logger: Logger = pino({ base: { service: 'fedfuse-serve' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
  const event = (name: string, fields: object) => logger.info({ event: name, ...fields }, name);
  server.on('log', (line) => logger.info(line));
  server.on('client-joined', (e) => event('client-joined', e));
  server.on('client-left', (e) => event('client-left', e));
  server.on('round-started', (e) => event('round-started', e));
  server.on('update-accepted', (e) => event('update-accepted', { round: e.round, clientId: e.clientId, bytes: e.bytes, numExamples: e.update.numExamples }));
  server.on('update-rejected', (e) => logger.warn({ event: 'update-rejected', ...e }, 'update-rejected'));
  server.on('update-excluded', (e) => logger.warn({ event: 'update-excluded', ...e }, 'update-excluded'));
  server.on('updates-restored', (e) => event('updates-restored', e));
  server.on('round-retried', (e) => event('round-retried', e));
  server.on('round-finished', (s) => event('round-finished', s));
  server.on('client-error', (e) => logger.warn({ event: 'client-error', ...e }, 'client-error'));
  server.on('checkpoint-failed', (e) => logger.error({ event: 'checkpoint-failed', ...e }, 'checkpoint-failed'));
  return { close: () => destination.flushSync() };
}
