// A scenario's simulated clients in one process: real SDK FederatedClients, each with its own socket.io connection
// and its own slice of the dataset, trained by this process's TF.js. `run` holds them in its own process (one
// worker) or spreads them over client worker processes (client-pool.ts), each of which runs one of these.
import * as tf from '@fedfuse/client/internal/tf/tfjs.js';
import { FederatedClient } from '@fedfuse/client';
import { inputShapeOf } from '../../common/model/model-spec.js';
import { toTensors, type Dataset } from '../data/dataset.js';
import type { Scenario } from '../scenario-schema.js';

import type { SimulatedClientSpec } from './client-spec.js';

export type { SimulatedClientSpec } from './client-spec.js';

/** What the clients report while they run (a client worker forwards them to `run`). */
export type SimulatedClientEvent =
  | { type: 'joined'; clientId: string }
  | { type: 'task'; clientId: string; round: number }
  | { type: 'trained'; clientId: string; round: number; seconds: number }
  | { type: 'error'; clientId: string; round: number; code: string; message: string };

/** How a client ended: with the final global model (of round `finalRound`), or failed. */
export type SimulatedClientOutcome =
  | { clientId: string; ok: true; finalRound: number }
  | { clientId: string; ok: false; reason: string };

export interface SimulatedClientsOptions {
  clients: readonly { spec: SimulatedClientSpec; data: Dataset }[];
  /** Flat [n, size] examples for models that take vectors, images otherwise (dataShapeOf). */
  shape: 'flat' | 'image';
  onEvent?: (event: SimulatedClientEvent) => void;
  /** The SDK's own log lines, prefixed with the client id (default: none). */
  log?: (line: string) => void;
}

/** Flat inputs for models whose input is a vector (MLPs, dense-only sequentials), images otherwise. */
export function dataShapeOf(scenario: Scenario): 'flat' | 'image' {
  return inputShapeOf(scenario.model).length === 1 ? 'flat' : 'image';
}

/** `urls` rotated so that client `index` starts at urls[index mod n]: a cluster's clients spread over its nodes. */
export function urlsFor(index: number, urls: readonly string[]): string[] {
  const start = index % urls.length;
  return [...urls.slice(start), ...urls.slice(0, start)];
}

export class SimulatedClients {
  private readonly specs: SimulatedClientSpec[];
  /** Each client's data as tensors, made once (the arrays they were made from are not kept). */
  private readonly data: { xs: tf.Tensor; ys: tf.Tensor1D; numClasses: number }[];
  private readonly onEvent: (event: SimulatedClientEvent) => void;
  private readonly log: ((line: string) => void) | undefined;
  private clients: FederatedClient[] = [];
  private outcomes: Promise<SimulatedClientOutcome[]> | undefined;

  constructor(opts: SimulatedClientsOptions) {
    this.specs = opts.clients.map((c) => c.spec);
    this.data = opts.clients.map((c) => ({ ...toTensors(c.data, opts.shape), numClasses: c.data.numClasses }));
    this.onEvent = opts.onEvent ?? (() => {});
    this.log = opts.log;
  }

  get count(): number {
    return this.specs.length;
  }

  /**
   * Connects every client to the server (or a cluster's nodes: client i tries urls[i mod n] first, then the others)
   * and joins; rejects with the first client that cannot join (e.g. a wrong token).
   */
  async start(urls: readonly string[]): Promise<void> {
    if (this.outcomes) throw new Error('simulated clients were already started');
    if (urls.length === 0) throw new Error('simulated clients need the server URL (or a cluster node URL)');
    const emit = this.onEvent;
    const log = this.log;
    this.clients = this.specs.map((spec, k) => {
      const { clientId } = spec;
      const client = new FederatedClient({
        serverUrl: urlsFor(spec.index, urls),
        clientId,
        token: spec.token,
        data: this.data[k],
        ...(spec.tier !== undefined ? { tier: spec.tier } : {}),
        logger: log ? (line) => log(`[${clientId}] ${line}`) : () => {},
      });
      client.on('task', (e) => {
        if (!e.resent) emit({ type: 'task', clientId, round: e.round });
      });
      client.on('trained', (e) => emit({ type: 'trained', clientId, round: e.round, seconds: e.seconds }));
      client.on('error', (e) => emit({ type: 'error', clientId, round: e.round, code: e.code, message: e.message }));
      return client;
    });
    this.outcomes = Promise.all(this.clients.map((client, k) => outcomeOf(client, this.specs[k].clientId)));
    await Promise.all(
      this.clients.map(async (client, k) => {
        const { clientId } = this.specs[k];
        try {
          await client.start();
        } catch (e) {
          throw new Error(`simulated client ${clientId} could not join: ${(e as Error).message}`);
        }
        emit({ type: 'joined', clientId });
      }),
    );
  }

  /** Every client's outcome, once each has the final model or failed (never rejects). */
  finished(): Promise<SimulatedClientOutcome[]> {
    if (!this.outcomes) throw new Error('simulated clients: finished() before start()');
    return this.outcomes;
  }

  /** Stops the clients still running and frees their models and data. */
  async stop(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.stop()));
    for (const c of this.clients) c.model?.dispose();
    tf.dispose(this.data.flatMap((d) => [d.xs, d.ys]));
    this.data.length = 0;
  }
}

/** Resolves when the client has the final model (noting its round) or failed. */
function outcomeOf(client: FederatedClient, clientId: string): Promise<SimulatedClientOutcome> {
  let finalRound = 0;
  client.on('model', (e) => {
    if (e.final) finalRound = e.round;
  });
  return client.finished().then(
    (): SimulatedClientOutcome => ({ clientId, ok: true, finalRound }),
    (e: Error): SimulatedClientOutcome => ({ clientId, ok: false, reason: e.message }),
  );
}
