// The data of the defence federations: four honest clients' MNIST slices (400 images each), the attacker's own slice,
// a test set of 1000 and the server's labelled probe set of 200, all disjoint; and a federation run start to end.
import type { FederatedClient, LocalData } from '@fedfuse/client';
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import type { FederationServer, RoundSummary } from '../../server/federation-server.js';
import type { ProbeSet } from '../../server/strategies/strategy.js';
import { disposeData, mnistSlice } from '../federation/helpers.js';

export interface DefenceData {
  honest: LocalData[];
  attacker: LocalData;
  test: LocalData;
  probe: ProbeSet;
}

export async function defenceData(honestClients: number): Promise<DefenceData> {
  const honest: LocalData[] = [];
  for (let i = 0; i < honestClients; i++) honest.push(await mnistSlice(i * 400, 400));
  const attacker = await mnistSlice(1600, 400);
  const test = await mnistSlice(20_000, 1000);
  const p = await mnistSlice(30_000, 200);
  const probe = { x: { shape: [...p.xs.shape], values: p.xs.dataSync() as Float32Array }, y: Int32Array.from(p.ys.dataSync()) };
  disposeData(p);
  return { honest, attacker, test, probe };
}

export function disposeDefenceData(d: DefenceData): void {
  disposeData(...d.honest, d.attacker, d.test);
}

/** An attacker that speaks the protocol itself (it can lie about its example counts). */
export interface RawAttacker {
  done: Promise<void>;
  errors: string[];
  close(): void;
}

/**
 * Runs a started server's federation: starts the clients, waits for every round, every client's final model and the
 * raw attacker's end, then stops them all. Returns the round summaries, the final global model and what the raw
 * attacker was told.
 */
export async function runFederation(
  server: FederationServer,
  clients: FederatedClient[],
  raw?: RawAttacker,
): Promise<{ history: RoundSummary[]; final: ModelState; rawErrors: string[] }> {
  try {
    await Promise.all(clients.map((c) => c.start()));
    const history = await server.finished();
    await Promise.all(clients.map((c) => c.finished()));
    if (raw) await raw.done;
    return { history, final: server.global, rawErrors: raw?.errors ?? [] };
  } finally {
    raw?.close();
    await Promise.all(clients.map((c) => c.stop()));
    await server.stop();
    clients.forEach((c) => c.model?.dispose());
  }
}
