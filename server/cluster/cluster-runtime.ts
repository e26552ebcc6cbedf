// Cluster mode's start-up and shutdown around one ClusterNode. Redis is checked and the committed round read before
// anything listens; socket.io's Redis adapter (on two Redis connections of its own) gives each client id one session
// across the nodes and carries the nodes' hints to each other; the node joins the others once its server listens.
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import type { EmitFederationEvent } from '../federation-events.js';
import { summaryFromStore } from '../rounds/round-summary.js';
import type { SocketServer, SocketServerOptions } from '../transport/socket-server.js';
import { screensUpdates } from '../defence/screening-options.js';
import type { ClusterHost } from './cluster-host.js';
import type { LeaderSettings } from './cluster-leader.js';
import { ClusterNode } from './cluster-node.js';
import { catchPublishErrors, closeRedis, connectRedis, dropRedis } from './redis-connection.js';
import { sharedLimits, type SharedLimits } from './shared-limits.js';

/**
 * What a node's socket server is given: socket.io's Redis adapter, the node's state for GET /healthz, joins deferred
 * while Redis is down, and the limits it shares with the other nodes (made from the server's own settings).
 */
export interface ClusterTransportWiring {
  adapter: ReturnType<typeof createAdapter>;
  health: NonNullable<SocketServerOptions['health']>;
  deferJoins: NonNullable<SocketServerOptions['deferJoins']>;
  limits(o: Parameters<typeof sharedLimits>[3]): SharedLimits;
}

/** How soon a client whose Join was deferred (Redis unreachable) joins again. */
const JOIN_RETRY_MS = 1000;

export class ClusterRuntime {
  /** The adapter's connections, closed only after the socket server (it uses them until then). */
  private adapterClients: Redis[] = [];

  private constructor(
    readonly node: ClusterNode,
    private readonly host: ClusterHost,
    private readonly settings: LeaderSettings,
  ) {}

  /**
   * Connects to Redis, checks it, and joins (or begins) the federation's state there. Nothing listens yet. The node's
   * events become the server's (`emit`).
   */
  static async connect(
    server: Omit<ClusterHost, 'events'>,
    emit: EmitFederationEvent,
    settings: LeaderSettings,
    initialModel: ModelState,
  ): Promise<ClusterRuntime> {
    const host: ClusterHost = { ...server, events: serverEvents(emit) };
    return new ClusterRuntime(await ClusterNode.connect(host, settings, initialModel), host, settings);
  }

  /**
   * Reads the committed round (`checkRound` throws when its tasks could not be planned), then opens socket.io's
   * Redis adapter for the socket server `createTransport` makes. On failure the node is stopped and the adapter closed.
   */
  async openTransport(checkRound: (round: number) => void, createTransport: (wiring: ClusterTransportWiring) => SocketServer): Promise<SocketServer> {
    const { node } = this;
    const cluster = this.settings.cluster;
    let pub: Redis | undefined;
    let sub: Redis | undefined;
    try {
      await node.sync();
      checkRound(node.currentRound);
      pub = catchPublishErrors(await connectRedis(cluster, { detectFailovers: false }), (line) => this.host.log(line));
      sub = await connectRedis(cluster, { detectFailovers: false });
      this.adapterClients = [pub, sub];
      const transport: SocketServer = createTransport({
        adapter: createAdapter(pub, sub, { key: `${node.keys.prefix}socket.io` }),
        health: () => ({
          ok: node.redisReachable,
          node: cluster.nodeId,
          leader: node.isLeader,
          round: node.currentRound,
          clients: transport.clientIds.length,
        }),
        deferJoins: () =>
          node.redisReachable ? undefined : { reason: 'server waiting for its store (Redis is unreachable); join again shortly', retryAfterMs: JOIN_RETRY_MS },
        limits: (o) => sharedLimits(node.limitsConnection, node.keys, { nodeId: cluster.nodeId, maxClients: cluster.maxClients }, o),
      });
      return transport;
    } catch (e) {
      if (pub) dropRedis(pub);
      if (sub) dropRedis(sub);
      await node.stop();
      throw e;
    }
  }

  /**
   * Listens, then joins the other nodes: registers (at its advertised URL), hears their hints over socket.io, takes
   * part in the rounds and campaigns for the lead. When listening fails, `abort` stops what was started.
   */
  async listen(
    transport: SocketServer,
    urlOf: (port: number) => string,
    abort: () => Promise<void>,
  ): Promise<{ port: number; url: string; resumedFromRound: number }> {
    const { host, node } = this;
    const { rounds, cluster } = this.settings;
    let port: number;
    try {
      ({ port } = await transport.listen());
    } catch (e) {
      await abort();
      throw e;
    }
    const url = urlOf(port);
    const resumedFromRound = node.currentRound - 1;
    await node.start(cluster.advertiseUrl ?? url, {
      emit: (kind) => transport.serverSideEmit('fedfuse:hint', kind),
      on: (listener) => transport.onServerSideEmit('fedfuse:hint', (kind) => listener(String(kind))),
    });
    const screening = screensUpdates(host.screening);
    if (cluster.aggregation === 'hierarchical' && (screening || !host.strategy.hierarchical)) {
      host.log(
        `cluster: aggregating flat, not hierarchically: ${
          screening
            ? 'the defence screening needs every update at the leader (it is on by default; defence: { norm: false } switches it off)'
            : `strategy ${host.strategy.name} needs every update`
        }`,
      );
    }
    host.log(
      `cluster node ${cluster.nodeId} listening on ${url}; federation "${cluster.federation}" in Redis; strategy ${host.strategy.name}; ` +
        `rounds ${node.currentRound}..${rounds}; ${cluster.aggregation} aggregation`,
    );
    return { port, url, resumedFromRound };
  }

  /** After the socket server closed (the node stopped before it: it unregisters the clients still connected). */
  async closeAdapter(): Promise<void> {
    await Promise.all(this.adapterClients.map((c) => closeRedis(c)));
  }
}

/** A node's events as a FederationServer reports them (stored round summaries upgraded as a checkpoint's are). */
function serverEvents(emit: EmitFederationEvent): ClusterHost['events'] {
  return {
    roundStarted: (e) => emit('round-started', e),
    roundRetried: (e) => emit('round-retried', e),
    phase: (e) => emit('phase', e),
    roundFinished: (summary) => emit('round-finished', summaryFromStore(summary)),
    cluster: (e) => emit('cluster', e),
  };
}
