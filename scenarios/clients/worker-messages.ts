// What a client worker process (client-worker.ts) and its pool (client-pool.ts) say to each other over Node IPC.
// The config travels as the first message, not on the command line, where every local user could read the tokens.
import { z } from 'zod';
import { simulatedClientSpecSchema } from './client-spec.js';
import type { SimulatedClientEvent, SimulatedClientOutcome } from './simulated-clients.js';

export const workerConfigSchema = z.strictObject({
  /** The worker's number in its pool (for messages). */
  worker: z.number().int().min(0),
  /** The scenario (validated again by the worker with the scenario schema). */
  scenario: z.unknown(),
  clients: z
    .array(simulatedClientSpecSchema)
    .min(1),
  /** Forward the SDK's log lines. */
  verbose: z.boolean(),
});
export type WorkerConfig = z.infer<typeof workerConfigSchema>;

/** What the worker process used, for `bench:parallel` and the run's results. */
export interface WorkerUsage {
  /** Highest resident set size sampled (every 100 ms, and at the end). */
  rssPeakBytes: number;
  cpuUserSeconds: number;
  cpuSystemSeconds: number;
}

export const serverUrlsSchema = z.array(z.string().min(1)).min(1);

/**
 * The worker loads its modules, then its data (init), then its clients join (connect): a pool starts its workers
 * while the server is still starting, and sends the server's URLs once it listens.
 */
export type PoolMessage = { type: 'init'; config: WorkerConfig } | { type: 'connect'; urls: string[] } | { type: 'stop' };

export type WorkerMessage =
  /** Modules loaded: waiting for init. */
  | { type: 'booted' }
  /** Backend up, data loaded, clients built: waiting for connect. */
  | { type: 'ready'; backend: string; rssBytes: number; loadSeconds: number }
  | { type: 'joined' }
  /** cpuSeconds: the worker's CPU time so far (user + system), for benches that split a round's work by process. */
  | { type: 'event'; event: SimulatedClientEvent; cpuSeconds: number }
  | { type: 'log'; line: string }
  /** Every client has the final model or failed; the worker exits after this. */
  | { type: 'done'; outcomes: SimulatedClientOutcome[]; usage: WorkerUsage }
  /** It could not start (e.g. a client was refused): a mistake to report, not a crash to retry. */
  | { type: 'failed'; message: string };
