// A pool of client worker processes that train a scenario's simulated clients in parallel, one TF.js backend per
// process. Processes rather than worker threads: a crash (or an out-of-memory kill) takes one worker's clients
// down, never the server, and each worker's memory is its own RSS (bench/sections/parallel-clients.md).
//
// A worker that dies is started again with the same clients (they reload their data and rejoin), at most
// `maxRestarts` times; the pool reports every death, so that the caller can stop waiting for those clients' updates.
import { fork, type ChildProcess } from 'node:child_process';
import { siblingScript, StderrTail } from '../child-script.js';
import type { Scenario } from '../scenario-schema.js';
import { assignToWorkers } from './assign-workers.js';
import type { SimulatedClientEvent, SimulatedClientOutcome, SimulatedClientSpec } from './simulated-clients.js';
import type { PoolMessage, WorkerMessage, WorkerUsage } from './worker-messages.js';

const WORKER = siblingScript(import.meta.url, 'client-worker');

/** How long a worker asked to stop may take before it is killed. */
const STOP_GRACE_MS = 5000;

export interface ClientPoolOptions {
  scenario: Scenario;
  clients: readonly SimulatedClientSpec[];
  /** Example count of each client (same order): workers get equal shares of examples, not of clients. */
  sizes: readonly number[];
  /** Worker processes (at most one per client). */
  workers: number;
  /** Restarts of one worker before the pool gives up (default 3). */
  maxRestarts?: number;
  onEvent?: (event: ClientPoolEvent) => void;
  /** The workers' SDK log lines and stderr (default: none; a dead worker's last stderr lines are in its event). */
  log?: (line: string) => void;
}

export type ClientPoolEvent =
  | { type: 'worker-started'; worker: number; pid: number; clients: string[]; restart: number }
  | { type: 'worker-ready'; worker: number; pid: number; backend: string; rssBytes: number; loadSeconds: number }
  /** cpuSeconds: the worker process's CPU time when the event happened. */
  | { type: 'client'; worker: number; pid: number; event: SimulatedClientEvent; cpuSeconds: number }
  /** A worker exited before its clients were done (`exit`: how); `restarting` false means the pool gives up. */
  | { type: 'worker-died'; worker: number; pid: number; clients: string[]; exit: string; stderrTail: string; restarting: boolean };

/** One worker's share and what its (latest) process used. */
export interface PoolWorkerUsage extends Partial<WorkerUsage> {
  worker: number;
  clients: string[];
  restarts: number;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: Error) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {}); // awaited by whoever asks; a failure nobody awaits is not unhandled
  return { promise, resolve, reject };
}

interface Slot {
  worker: number;
  specs: SimulatedClientSpec[];
  child?: ChildProcess;
  pid: number;
  restarts: number;
  ready: Deferred<void>;
  /** The current process has loaded its data (and may be told to connect). */
  loaded: boolean;
  joined: Deferred<void>;
  done: Deferred<SimulatedClientOutcome[]>;
  finished: boolean;
  usage?: WorkerUsage;
}

export class ClientPool {
  private readonly opts: ClientPoolOptions;
  private readonly slots: Slot[];
  private readonly gaveUp = deferred<never>();
  private stopping = false;
  private loading: Promise<void> | undefined;
  /** Set by start(): workers started (or restarted) from then on join at once. */
  private urls: readonly string[] | undefined;

  constructor(opts: ClientPoolOptions) {
    if (opts.clients.length === 0) throw new Error('a client pool needs at least one client');
    if (opts.sizes.length !== opts.clients.length) throw new Error(`client pool: ${opts.sizes.length} sizes for ${opts.clients.length} clients`);
    this.opts = opts;
    this.slots = assignToWorkers(opts.sizes, opts.workers).map((ks, worker) => ({
      worker,
      specs: ks.map((k) => opts.clients[k]),
      pid: 0,
      restarts: 0,
      ready: deferred<void>(),
      loaded: false,
      joined: deferred<void>(),
      done: deferred<SimulatedClientOutcome[]>(),
      finished: false,
    }));
  }

  /** Worker processes. */
  get size(): number {
    return this.slots.length;
  }

  /** Client ids per worker. */
  get assignment(): string[][] {
    return this.slots.map((s) => s.specs.map((c) => c.clientId));
  }

  /** Rejects when the pool gives up: a worker could not start its clients, or died more than maxRestarts times. */
  get failure(): Promise<never> {
    return this.gaveUp.promise;
  }

  /**
   * Starts the worker processes, which load TF.js and their clients' data; resolves once all are ready. Call it
   * early (e.g. before the server listens) so that this overlaps with other start-up work.
   */
  load(): Promise<void> {
    if (!this.loading) {
      for (const slot of this.slots) this.spawn(slot);
      this.loading = Promise.race([Promise.all(this.slots.map((s) => s.ready.promise)).then(() => {}), this.gaveUp.promise]);
      this.loading.catch(() => {}); // start() and `failure` report it
    }
    return this.loading;
  }

  /** Connects every client to the server (or a cluster's nodes); resolves once all have joined. */
  async start(urls: readonly string[]): Promise<void> {
    if (this.urls) throw new Error('the client pool was already started');
    if (urls.length === 0) throw new Error('the client pool needs the server URL (or a cluster node URL)');
    this.urls = [...urls];
    await this.load();
    for (const slot of this.slots) if (slot.loaded) this.connect(slot);
    await Promise.race([Promise.all(this.slots.map((s) => s.joined.promise)), this.gaveUp.promise]);
  }

  /** Every client's outcome in the order the clients were given, once every worker is done. */
  async finished(): Promise<SimulatedClientOutcome[]> {
    const outcomes = (await Promise.race([Promise.all(this.slots.map((s) => s.done.promise)), this.gaveUp.promise])).flat();
    const byId = new Map(outcomes.map((o) => [o.clientId, o]));
    return this.opts.clients.map((c) => byId.get(c.clientId)!);
  }

  usage(): PoolWorkerUsage[] {
    return this.slots.map((s) => ({ worker: s.worker, clients: s.specs.map((c) => c.clientId), restarts: s.restarts, ...s.usage }));
  }

  /** Asks every live worker to stop its clients and exit; kills those that do not within a few seconds. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      this.slots.map(async (slot) => {
        const child = slot.child;
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        if (child.connected) child.send({ type: 'stop' } satisfies PoolMessage);
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  private emit(event: ClientPoolEvent): void {
    this.opts.onEvent?.(event);
  }

  private giveUp(error: Error): void {
    this.gaveUp.reject(error);
    void this.stop();
  }

  private connect(slot: Slot): void {
    if (slot.child?.connected && this.urls) slot.child.send({ type: 'connect', urls: [...this.urls] } satisfies PoolMessage);
  }

  private spawn(slot: Slot): void {
    const child = fork(WORKER.file, [], { cwd: WORKER.cwd, execArgv: WORKER.execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const log = this.opts.log;
    const stderr = new StderrTail(child.stderr, log && ((chunk) => log(`[client worker ${slot.worker}] ${chunk.trimEnd()}`)));
    slot.child = child;
    slot.loaded = false;
    slot.pid = child.pid ?? 0;
    const pid = slot.pid;
    const clients = slot.specs.map((c) => c.clientId);
    let failedMessage: string | undefined;
    const config = { worker: slot.worker, scenario: this.opts.scenario, clients: slot.specs, verbose: log !== undefined };
    child.on('message', (m: WorkerMessage) => {
      switch (m.type) {
        case 'booted':
          return void child.send({ type: 'init', config } satisfies PoolMessage);
        case 'ready':
          slot.loaded = true;
          slot.ready.resolve();
          // A restarted worker rejoins at once; a first one when start() has the URLs.
          if (this.urls) this.connect(slot);
          return this.emit({ type: 'worker-ready', worker: slot.worker, pid, backend: m.backend, rssBytes: m.rssBytes, loadSeconds: m.loadSeconds });
        case 'joined':
          return slot.joined.resolve();
        case 'event':
          return this.emit({ type: 'client', worker: slot.worker, pid, event: m.event, cpuSeconds: m.cpuSeconds });
        case 'log':
          return log?.(`[client worker ${slot.worker}] ${m.line}`);
        case 'done':
          slot.finished = true;
          slot.usage = m.usage;
          return slot.done.resolve(m.outcomes);
        case 'failed':
          failedMessage = m.message;
          return;
      }
    });
    child.on('error', (e) => {
      if (!this.stopping) this.giveUp(new Error(`cannot start client worker ${slot.worker}: ${e.message}`));
    });
    child.on('exit', (code, signal) => {
      if (slot.finished || this.stopping) return;
      if (failedMessage !== undefined) {
        this.giveUp(new Error(`client worker ${slot.worker} (${clients.join(', ')}): ${failedMessage}`));
        return;
      }
      const exit = signal ? `killed by ${signal}` : `exited with code ${code}`;
      const stderrTail = stderr.lines();
      const restarting = slot.restarts < (this.opts.maxRestarts ?? 3);
      this.emit({ type: 'worker-died', worker: slot.worker, pid, clients, exit, stderrTail, restarting });
      if (!restarting) {
        const tail = stderrTail ? `; its last stderr lines:\n${stderrTail}` : '';
        this.giveUp(new Error(`client worker ${slot.worker} (${clients.join(', ')}) died ${slot.restarts + 1} times (the last time: ${exit})${tail}`));
        return;
      }
      slot.restarts++;
      this.spawn(slot);
    });
    this.emit({ type: 'worker-started', worker: slot.worker, pid, clients, restart: slot.restarts });
  }
}
