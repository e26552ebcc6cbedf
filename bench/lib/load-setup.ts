// What the load benches share (bench/load-200-clients.ts, bench/cluster-load.ts): the federation a server child runs
// for them, and the client workers that split the clients between them.
import { BenchChild } from './child.js';
import { BENCH_TRAINING, type ClientWorkerConfig, type ServerChildConfig, type WorkerCommand, type WorkerMessage } from './protocol.js';

/** FedAvg on MLP 784-hidden-10, every client every round, evaluated on 1,000 test images, no probe set. */
export function loadServerConfig(clients: number, rounds: number, hidden: number): ServerChildConfig {
  return {
    clients,
    rounds,
    widths: [784, hidden, 10],
    strategy: { name: 'fedavg' },
    training: BENCH_TRAINING,
    roundDeadlineMs: 600_000,
    seed: 1,
    evalSize: 1000,
    probeSize: 0,
    sampleMs: 100,
    gcEachRound: false,
  };
}

/** `workers` client processes holding `clients` clients between them (as evenly as can be), each reporting to `onMessage`. */
export function startClientWorkers(
  workers: number,
  clients: number,
  where: Omit<ClientWorkerConfig, 'first' | 'count'>,
  onMessage: (m: WorkerMessage) => void,
): BenchChild<WorkerMessage, WorkerCommand>[] {
  const children: BenchChild<WorkerMessage, WorkerCommand>[] = [];
  let first = 0;
  for (let w = 0; w < workers; w++) {
    const count = Math.floor(clients / workers) + (w < clients % workers ? 1 : 0);
    const child = new BenchChild<WorkerMessage, WorkerCommand>(`client worker ${w}`, 'client-worker.ts', { ...where, first, count });
    first += count;
    child.on(onMessage);
    children.push(child);
  }
  return children;
}
