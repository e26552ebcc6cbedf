// Who is in the cluster: the nodes (each heartbeats a key that expires when it dies), the clients and the node each
// is connected to, the example count each client declared when it first joined (whichever node it joined), and
// each node's socket traffic. A dead node's clients are dropped from the registry by the leader.
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { ClusterKeys } from './cluster-keys.js';

const UNREGISTER_CLIENT = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0`;

const nodeInfoSchema = z.object({ url: z.string(), startedAt: z.number() });
export type NodeInfo = z.infer<typeof nodeInfoSchema>;
const trafficSchema = z.object({ bytesSent: z.number(), bytesReceived: z.number() });

export interface NodeStatus extends NodeInfo {
  nodeId: string;
  alive: boolean;
}

export class Membership {
  /** This node id's traffic before this process (a node started again keeps counting up: round bytes stay ≥ 0). */
  private trafficBase = { bytesSent: 0, bytesReceived: 0 };

  constructor(
    private readonly redis: Redis,
    private readonly keys: ClusterKeys,
    readonly nodeId: string,
    private readonly aliveMs: number,
  ) {}

  async register(info: NodeInfo): Promise<void> {
    const before = await this.redis.hget(this.keys.traffic, this.nodeId);
    const parsed = before ? trafficSchema.safeParse(JSON.parse(before)) : undefined;
    if (parsed?.success) this.trafficBase = parsed.data;
    await this.redis.multi().hset(this.keys.nodes, this.nodeId, JSON.stringify(info)).set(this.keys.alive(this.nodeId), '1', 'PX', this.aliveMs).exec();
  }

  /** Keeps this node's alive key and traffic figures fresh. */
  async heartbeat(traffic: { bytesSent: number; bytesReceived: number }): Promise<void> {
    await this.redis
      .multi()
      .set(this.keys.alive(this.nodeId), '1', 'PX', this.aliveMs)
      .hset(
        this.keys.traffic,
        this.nodeId,
        JSON.stringify({ bytesSent: this.trafficBase.bytesSent + traffic.bytesSent, bytesReceived: this.trafficBase.bytesReceived + traffic.bytesReceived }),
      )
      .exec();
  }

  /** This node is going away on purpose: its key goes now rather than when it expires. */
  async leave(): Promise<void> {
    await this.redis.del(this.keys.alive(this.nodeId));
  }

  async nodes(): Promise<NodeStatus[]> {
    const raw = await this.redis.hgetall(this.keys.nodes);
    const ids = Object.keys(raw).sort();
    const alive = ids.length > 0 ? await this.redis.mget(...ids.map((id) => this.keys.alive(id))) : [];
    return ids.map((nodeId, i) => ({ nodeId, ...nodeInfoSchema.parse(JSON.parse(raw[nodeId])), alive: alive[i] !== null }));
  }

  async clientJoined(clientId: string, numSamples: number): Promise<void> {
    await this.redis.multi().hset(this.keys.clients, clientId, this.nodeId).hsetnx(this.keys.declared, clientId, numSamples).exec();
  }

  /** Registers these (local) clients again where the registry lacks them; one that moved to another node stays there. */
  async reregister(clientIds: readonly string[]): Promise<void> {
    if (clientIds.length === 0) return;
    const batch = this.redis.pipeline();
    for (const id of clientIds) batch.hsetnx(this.keys.clients, id, this.nodeId);
    await batch.exec();
  }

  /** Removes the client only while it is registered at this node (it may have moved to another one already). */
  async clientLeft(clientId: string, nodeId = this.nodeId): Promise<void> {
    await this.redis.eval(UNREGISTER_CLIENT, 1, this.keys.clients, clientId, nodeId);
  }

  /** clientId → node of every registered client. */
  async clients(): Promise<Map<string, string>> {
    return new Map(Object.entries(await this.redis.hgetall(this.keys.clients)));
  }

  async declared(): Promise<Map<string, number>> {
    return new Map(Object.entries(await this.redis.hgetall(this.keys.declared)).map(([id, n]) => [id, Number(n)]));
  }

  /** Socket traffic of all nodes together (dead nodes' last figures included). */
  async traffic(): Promise<{ bytesSent: number; bytesReceived: number }> {
    let bytesSent = 0;
    let bytesReceived = 0;
    for (const json of Object.values(await this.redis.hgetall(this.keys.traffic))) {
      const t = trafficSchema.parse(JSON.parse(json));
      bytesSent += t.bytesSent;
      bytesReceived += t.bytesReceived;
    }
    return { bytesSent, bytesReceived };
  }
}
