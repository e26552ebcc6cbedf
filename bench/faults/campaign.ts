// A seeded fault campaign against a real cluster on loopback (issue 23): Redis primary + replica + 3 sentinels, 3
// node processes (FederationServer with a cluster block, bench/lib/server-child.ts) and one process per SDK client
// (campaign-client.ts). Faults drawn from the seed (schedule.ts) strike on schedule: a node SIGKILLed (then started
// again on its port) or SIGSTOPped (then continued), leader or not; the Redis primary SIGKILLed (Sentinel promotes the
// replica; the old primary is started again and becomes a replica); a client killed mid-upload (then started
// again), one whose connection is cut (it moves to another node), a slow one. After every committed round the
// invariants (invariants.ts) are checked against Redis, the nodes' reports and the clients' own logs; at the end the
// final accuracy is compared with a fault-free run of the same federation (same seed, one in-process server).
import * as tf from '@tensorflow/tfjs';
import type { Redis } from 'ioredis';
import { FederatedClient } from '@fedfuse/client';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { FederationServer } from '../../server/federation-server.js';
import { closeRedis, connectRedis } from '../../server/cluster/redis-connection.js';
import { SentinelGroup } from '../../test/cluster/sentinel-group.js';
import { freePort, type RedisProcess } from '../../test/cluster/redis-process.js';
import { mnistSlice } from '../../test/federation/helpers.js';
import { BenchChild } from '../lib/child.js';
import { benchServerOptions } from '../lib/bench-server.js';
import { BENCH_TRAINING, benchClientId, benchToken, type ServerChildConfig, type ServerCommand, type ServerMessage } from '../lib/protocol.js';
import { percentile } from '../lib/stats.js';
import { ackedLost, checkFinalAccuracy, checkInvariants, type Commit, type CommittedSummary, type Violation } from './invariants.js';
import type { CampaignClientConfig, ClientEvent, ClientFault } from './protocol.js';
import { FAULT_KINDS, planFaults, type FaultKind, type PlannedFault } from './schedule.js';

export interface CampaignOptions {
  seed: number;
  rounds: number;
  clients: number;
  /** MNIST training images per client. */
  perClient: number;
  /** The MLP 784-hidden-10. */
  hidden: number;
  strategy: 'fedavg' | 'neuron-interpolation';
  /** Faults per round (0: a fault-free campaign). */
  faultsPerRound: number;
  leaseMs: number;
  /** Sentinel's down-after-milliseconds: how soon a dead primary is noticed. */
  downAfterMs: number;
  /** MNIST test images the accuracy is measured on. */
  evalSize: number;
  /** The campaign is stopped (and fails) after this long. */
  timeoutMs: number;
  /** Also run the federation without faults (in this process) and check the final accuracy against it. */
  reference: boolean;
  log: (line: string) => void;
}

export const DEFAULT_CAMPAIGN: Omit<CampaignOptions, 'seed' | 'rounds' | 'log'> = {
  clients: 12,
  perClient: 300,
  hidden: 16,
  strategy: 'fedavg',
  faultsPerRound: 1,
  leaseMs: 3000,
  downAfterMs: 1500,
  evalSize: 1000,
  timeoutMs: 30 * 60_000,
  reference: true,
};

export interface InjectedFault {
  id: number;
  kind: FaultKind;
  round: number;
  /** What was struck: a node id, "redis:<port>", a client id. */
  target: string;
  /** ms since the campaign's start. */
  atMs: number;
  /** Injection → the first ack or commit that the fault held up (see recovery in README); undefined if never. */
  recoveryMs?: number;
  /** Why it was not injected (no live node to strike, the round ended first, ...). */
  skipped?: string;
}

export interface CampaignResult {
  seed: number;
  rounds: number;
  roundsCompleted: number;
  clients: number;
  strategy: string;
  faults: InjectedFault[];
  violations: Violation[];
  ackedLost: number;
  /** Per fault kind: injected faults, and recovery p50 / p99 / max in ms. */
  recovery: Record<string, { n: number; p50?: number; p99?: number; max?: number }>;
  finalAccuracy?: number;
  referenceAccuracy?: number;
  /** Errors clients were sent (an error is not a violation; these say what clients saw). */
  clientErrors: Record<string, number>;
  /** Clients told their ack waits for the store, joins deferred. */
  clientStatuses: Record<string, number>;
  seconds: number;
  /** Set when the campaign did not finish (timeout, a node's federation failed). */
  failure?: string;
}

interface NodeHandle {
  id: string;
  port: number;
  config: ServerChildConfig;
  child: BenchChild<ServerMessage, ServerCommand>;
  stopped: boolean;
  /** Killed on purpose and not started again yet. */
  down: boolean;
}

interface ClientHandle {
  id: string;
  config: CampaignClientConfig;
  child: BenchChild<ClientEvent>;
  finished: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The federation every node runs (and the fault-free reference too). */
function federationConfig(o: Omit<CampaignOptions, 'log'>): ServerChildConfig {
  return {
    clients: o.clients,
    rounds: o.rounds,
    widths: [784, o.hidden, 10],
    strategy: { name: o.strategy },
    training: BENCH_TRAINING,
    // Long enough that no fault turns a client into a straggler: a fault must delay a round, never change it.
    roundDeadlineMs: 120_000,
    seed: o.seed,
    evalSize: o.evalSize,
    probeSize: o.strategy === 'neuron-interpolation' ? 200 : 0,
    sampleMs: 1000,
    gcEachRound: false,
    // A frozen node is noticed by its clients after about 2 s + 5 s (socket.io ping interval + timeout).
    heartbeatMs: 2000,
  };
}

export async function runCampaign(o: CampaignOptions): Promise<CampaignResult> {
  const started = Date.now();
  const since = () => Date.now() - started;
  const log = (line: string) => o.log(`[${(since() / 1000).toFixed(1).padStart(6)} s] ${line}`);
  const clientIds = Array.from({ length: o.clients }, (_, i) => benchClientId(i));
  const plan = o.faultsPerRound > 0 ? planFaults({ seed: o.seed, rounds: o.rounds, clientIds, perRound: o.faultsPerRound }) : [];
  log(`seed ${o.seed}: ${o.rounds} rounds, ${o.clients} clients, ${o.strategy}; ${plan.length} faults planned: ${plan.map((f) => `r${f.round} ${f.kind}`).join(', ') || 'none'}`);

  const group = await SentinelGroup.start({ replicas: 1, sentinels: 3, downAfterMs: o.downAfterMs, failoverTimeoutMs: 4 * o.downAfterMs });
  const federation = `campaign-${o.seed}-${Date.now().toString(36)}`;
  const nodes: NodeHandle[] = [];
  const clients = new Map<string, ClientHandle>();
  const clientLogs = new Map<string, ClientEvent[]>(clientIds.map((id) => [id, []]));
  const nodeRounds = new Map<string, number[]>();
  const leaderTokens: number[] = [];
  let leader: string | undefined;
  const faults: InjectedFault[] = [];
  const pendingRecovery: { fault: InjectedFault; resolvesOn: 'commit' | 'ack' | 'client-ack'; clientId?: string }[] = [];
  const acksPerRound = new Map<number, number>();
  const violations = new Map<string, Violation>();
  let lastCommitted = 0;
  let failure: string | undefined;
  let checker: Redis | undefined;
  let stopping = false;
  const timers: ReturnType<typeof setTimeout>[] = [];
  const later = (ms: number, fn: () => void | Promise<void>) => {
    timers.push(
      setTimeout(() => {
        if (!stopping) void Promise.resolve(fn()).catch((e: Error) => log(`(fault handling: ${e.message})`));
      }, ms),
    );
  };
  const recovered = (on: 'commit' | 'ack', clientId?: string) => {
    for (const p of [...pendingRecovery]) {
      const hit = p.resolvesOn === on || (on === 'ack' && p.resolvesOn === 'client-ack' && p.clientId === clientId);
      if (!hit) continue;
      p.fault.recoveryMs = since() - p.fault.atMs;
      pendingRecovery.splice(pendingRecovery.indexOf(p), 1);
    }
  };
  const inject = (f: PlannedFault, target: string, resolvesOn: 'commit' | 'ack' | 'client-ack', clientId?: string): InjectedFault => {
    const fault: InjectedFault = { id: f.id, kind: f.kind, round: f.round, target, atMs: since() };
    faults.push(fault);
    pendingRecovery.push({ fault, resolvesOn, clientId });
    log(`fault ${f.id}: ${f.kind} of ${target} in round ${f.round}`);
    return fault;
  };

  // ---- nodes --------------------------------------------------------------------------------------------------

  const base = federationConfig(o);
  const startNode = (node: Omit<NodeHandle, 'child' | 'stopped' | 'down'>): NodeHandle => {
    const child = new BenchChild<ServerMessage, ServerCommand>(`node ${node.id}`, 'server-child.ts', node.config);
    const handle: NodeHandle = { ...node, child, stopped: false, down: false };
    child.on((m) => {
      if (m.type === 'cluster' && m.event.type === 'leader') {
        leaderTokens.push(m.event.token);
        leader = node.id;
        log(`node ${node.id} leads (token ${m.event.token}, round ${m.event.resumedRound})`);
      } else if (m.type === 'round') {
        const rounds = nodeRounds.get(node.id) ?? [];
        rounds.push(m.report.round);
        nodeRounds.set(node.id, rounds);
        if (m.report.round > lastCommitted) {
          lastCommitted = m.report.round;
          log(`round ${m.report.round} committed (${m.report.participants} updates, accuracy ${((m.report.accuracy ?? NaN) * 100).toFixed(2)}%)`);
          recovered('commit');
          void check();
        }
      } else if (m.type === 'failed') {
        failure ??= `node ${node.id}: ${m.message}`;
        log(`FAILURE of node ${node.id}: ${m.message}`);
      }
    });
    return handle;
  };
  for (const id of ['n1', 'n2', 'n3']) {
    const port = await freePort();
    const config: ServerChildConfig = { ...base, port, cluster: { ...group.clusterTarget, nodeId: id, federation, leaseMs: o.leaseMs } };
    nodes.push(startNode({ id, port, config }));
  }
  // Every node keeps its port (a restarted one too): clients know the URLs at once and start with the nodes.
  const urls = nodes.map((n) => `http://127.0.0.1:${n.port}`);
  const listening = Promise.all(nodes.map((n) => n.child.waitFor('listening')));
  listening.catch(() => {}); // awaited below, after the clients are started
  checker = await connectRedis(group.clusterTarget);

  const live = () => nodes.filter((n) => !n.down && !n.stopped);
  const pickNode = (target: 'leader' | 'follower'): NodeHandle | undefined => {
    const candidates = live();
    // Always leave one node serving.
    if (candidates.length < 2) return undefined;
    const lead = candidates.find((n) => n.id === leader);
    return target === 'leader' && lead ? lead : candidates.find((n) => n.id !== leader) ?? candidates[0];
  };

  const strikeNode = (f: Extract<PlannedFault, { kind: 'node-kill' | 'node-stop' }>) => {
    const node = pickNode(f.target);
    if (!node) {
      faults.push({ id: f.id, kind: f.kind, round: f.round, target: '-', atMs: since(), skipped: 'no second live node' });
      return;
    }
    inject(f, `${node.id}${node.id === leader ? ' (leader)' : ''}`, 'commit');
    if (f.kind === 'node-kill') {
      node.down = true;
      node.child.kill();
      later(f.ms, async () => {
        await node.child.exited();
        const i = nodes.indexOf(node);
        nodes[i] = startNode({ id: node.id, port: node.port, config: node.config });
        await nodes[i].child.waitFor('listening');
        log(`node ${node.id} started again on port ${node.port}`);
      });
    } else {
      node.stopped = true;
      process.kill(node.child.process.pid!, 'SIGSTOP');
      later(f.ms, () => {
        process.kill(node.child.process.pid!, 'SIGCONT');
        node.stopped = false;
        log(`node ${node.id} continued`);
      });
    }
  };

  let redisKillInProgress = false;
  const strikeRedis = async (f: Extract<PlannedFault, { kind: 'redis-primary-kill' }>) => {
    // One replica survives one failure: a second kill waits until the last one's primary is a synced replica again.
    while (redisKillInProgress || !(await group.hasSyncedReplica())) {
      if (stopping) return;
      await sleep(100);
    }
    redisKillInProgress = true;
    try {
      const primary: RedisProcess = await group.primary();
      inject(f, `redis:${primary.port}`, 'ack');
      await primary.kill();
      const promoted = await group.untilPromotedFrom(primary.port);
      log(`Sentinel promoted redis:${promoted.port}`);
      await primary.restart();
      log(`redis:${primary.port} started again (it becomes a replica)`);
    } finally {
      redisKillInProgress = false;
    }
  };

  // ---- clients ------------------------------------------------------------------------------------------------

  const clientFaults = new Map<string, ClientFault[]>(clientIds.map((id) => [id, []]));
  for (const f of plan) if ('clientId' in f) clientFaults.get(f.clientId)!.push(f.fault);
  const startClient = (i: number, urlsNow: string[]) => {
    const id = clientIds[i];
    const rotate = i % urlsNow.length;
    const config: CampaignClientConfig = {
      clientId: id,
      token: benchToken(id),
      urls: [...urlsNow.slice(rotate), ...urlsNow.slice(0, rotate)],
      offset: i * o.perClient,
      limit: o.perClient,
      faults: clientFaults.get(id)!,
    };
    const child = new BenchChild<ClientEvent>(`client ${id}`, '../faults/campaign-client.ts', config);
    const handle: ClientHandle = { id, config, child, finished: false };
    clients.set(id, handle);
    child.on((e) => onClientEvent(handle, e));
    void child.exited().then(() => {
      if (stopping || handle.finished || clients.get(id) !== handle) return;
      // A client killed mid-upload (or one that crashed) starts again: the same id and data, its faults played.
      later(300, () => {
        log(`client ${id} started again`);
        startClient(i, urls);
      });
    });
  };
  const onClientEvent = (c: ClientHandle, e: ClientEvent) => {
    clientLogs.get(c.id)!.push(e);
    if (e.type === 'acked') {
      const n = (acksPerRound.get(e.round) ?? 0) + 1;
      acksPerRound.set(e.round, n);
      recovered('ack', c.id);
      for (const f of plan) {
        if (f.round !== e.round || !('afterAcks' in f) || f.afterAcks !== n) continue;
        if (f.kind === 'redis-primary-kill') void strikeRedis(f).catch((err: Error) => log(`(redis fault: ${err.message})`));
        else strikeNode(f);
      }
    } else if (e.type === 'fault') {
      const planned = plan.find((f): f is Extract<PlannedFault, { clientId: string }> => 'clientId' in f && f.clientId === c.id && f.kind === e.fault.kind && f.round === e.fault.round);
      if (!planned) return;
      inject(planned, c.id, 'client-ack', c.id);
      // Played once: a restarted process does not play it again.
      clientFaults.set(c.id, clientFaults.get(c.id)!.filter((x) => !(x.kind === e.fault.kind && x.round === e.fault.round)));
    } else if (e.type === 'finished') {
      c.finished = true;
    } else if (e.type === 'failed') {
      log(`client ${c.id} failed: ${e.message}`);
    }
  };

  const check = async () => {
    if (!checker) return;
    try {
      const [rawCommits, rawHistory] = await Promise.all([checker.lrange(`fedfuse:${federation}:commits`, 0, -1), checker.hget(`fedfuse:${federation}:committed`, 'history')]);
      const commits = rawCommits.map((j) => JSON.parse(j) as Commit);
      const history = JSON.parse(rawHistory ?? '[]') as CommittedSummary[];
      for (const v of checkInvariants({ clients: clientLogs, commits, history, leaderTokens, nodeRounds })) {
        const key = `${v.invariant}|${v.round}|${v.clientId}|${v.detail}`;
        if (!violations.has(key)) {
          violations.set(key, v);
          log(`VIOLATION ${v.invariant}${v.round ? ` round ${v.round}` : ''}${v.clientId ? ` ${v.clientId}` : ''}: ${v.detail}`);
        }
      }
    } catch (e) {
      log(`(invariant check: ${(e as Error).message})`);
    }
  };

  let finalAccuracy: number | undefined;
  try {
    for (let i = 0; i < o.clients; i++) startClient(i, urls);
    await listening;
    const deadline = Date.now() + o.timeoutMs;
    while (![...clients.values()].every((c) => c.finished)) {
      if (failure) break;
      if (Date.now() > deadline) {
        failure = `timed out after ${Math.round(o.timeoutMs / 1000)} s in round ${lastCommitted + 1}`;
        break;
      }
      await sleep(200);
    }
    await check();
    const history = JSON.parse((await checker.hget(`fedfuse:${federation}:committed`, 'history')) ?? '[]') as { round: number; accuracy?: number }[];
    finalAccuracy = history.at(-1)?.round === o.rounds ? history.at(-1)?.accuracy : undefined;
  } finally {
    stopping = true;
    for (const t of timers) clearTimeout(t);
    for (const n of nodes) if (n.stopped) process.kill(n.child.process.pid!, 'SIGCONT');
    for (const c of clients.values()) c.child.kill();
    for (const n of nodes) n.child.kill();
    await Promise.all([...[...clients.values()].map((c) => c.child.exited()), ...nodes.map((n) => n.child.exited())]);
    if (checker) await closeRedis(checker);
    await group.stop();
  }

  let reference: number | undefined;
  if (o.reference && !failure) {
    reference = await referenceAccuracy(o);
    for (const v of checkFinalAccuracy(finalAccuracy, reference)) {
      violations.set(v.detail, v);
      log(`VIOLATION ${v.invariant}: ${v.detail}`);
    }
    log(`final accuracy ${((finalAccuracy ?? NaN) * 100).toFixed(2)}%, fault-free ${((reference ?? NaN) * 100).toFixed(2)}%`);
  }
  const all = [...violations.values()];
  const recovery: CampaignResult['recovery'] = {};
  for (const kind of FAULT_KINDS) {
    const ms = faults.filter((f) => f.kind === kind && !f.skipped).map((f) => f.recoveryMs).filter((v): v is number => v !== undefined);
    const n = faults.filter((f) => f.kind === kind && !f.skipped).length;
    if (n === 0) continue;
    recovery[kind] = ms.length ? { n, p50: Math.round(percentile(ms, 50)), p99: Math.round(percentile(ms, 99)), max: Math.max(...ms) } : { n };
  }
  const tally = (type: 'error' | 'status') => {
    const out: Record<string, number> = {};
    for (const events of clientLogs.values()) {
      for (const e of events) {
        const key = e.type === 'error' ? e.code : e.type === 'status' ? e.state : undefined;
        if (e.type === type && key) out[key] = (out[key] ?? 0) + 1;
      }
    }
    return out;
  };
  return {
    seed: o.seed,
    rounds: o.rounds,
    roundsCompleted: lastCommitted,
    clients: o.clients,
    strategy: o.strategy,
    faults,
    violations: all,
    ackedLost: ackedLost(all),
    recovery,
    finalAccuracy,
    referenceAccuracy: reference,
    clientErrors: tally('error'),
    clientStatuses: tally('status'),
    seconds: since() / 1000,
    ...(failure ? { failure } : {}),
  };
}

/**
 * The same federation without faults, in this process (one server, the clients in turn): its final accuracy. FedAvg
 * over the same updates gives the cluster's model bit for bit (test/cluster/same-model.test.ts).
 */
export async function referenceAccuracy(o: Omit<CampaignOptions, 'log' | 'faultsPerRound'>): Promise<number | undefined> {
  await initBackend();
  const config = federationConfig({ ...o, faultsPerRound: 0 });
  const server = new FederationServer({ ...(await benchServerOptions(config)), logger: () => {} });
  const clients: FederatedClient[] = [];
  const data = await Promise.all(Array.from({ length: o.clients }, (_, i) => mnistSlice(i * o.perClient, o.perClient)));
  try {
    const { url } = await server.start();
    for (let i = 0; i < o.clients; i++) {
      const id = benchClientId(i);
      clients.push(new FederatedClient({ serverUrl: url, clientId: id, token: benchToken(id), data: data[i], logger: () => {} }));
    }
    await Promise.all(clients.map((c) => c.start()));
    const history = await server.finished();
    await Promise.all(clients.map((c) => c.finished()));
    return history.at(-1)?.accuracy;
  } finally {
    await Promise.all(clients.map((c) => c.stop()));
    for (const c of clients) c.model?.dispose();
    await server.stop();
    for (const d of data) tf.dispose([d.xs, d.ys]);
  }
}
