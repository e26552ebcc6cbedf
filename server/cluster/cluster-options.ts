// The `cluster:` block of a server (config file or FederationServerOptions.cluster): which Redis holds the shared
// state, this node's name, and how rounds are led and aggregated. Validated at start; every mistake names its field.
import { z } from 'zod';

const name = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, dots, underscores or dashes');

/** Redis Sentinel: the nodes ask the sentinels which Redis is the primary, and follow it when they promote a replica. */
export const sentinelOptionsSchema = z.strictObject({
  /** The sentinels, host:port each (three or more, on separate machines, is the usual setup). */
  sentinels: z
    .array(z.string().regex(/^[^\s:/@]+:\d{1,5}$/, 'must be host:port, e.g. 10.0.0.5:26379'))
    .min(1, 'needs at least one sentinel (host:port)'),
  /** The name the sentinels monitor the primary under (`sentinel monitor <masterName> ...`). */
  masterName: name,
  /** The Redis servers' password (requirepass), if any. Never printed. */
  password: z.string().min(1).optional(),
  /** The sentinels' own password, if any. Never printed. */
  sentinelPassword: z.string().min(1).optional(),
  /** Connect to the Redis servers and the sentinels over TLS. */
  tls: z.boolean().default(false),
});

export const clusterOptionsSchema = z
  .strictObject({
    /**
     * redis://[user:password@]host:port[/db] or rediss:// (TLS): one Redis primary with AOF (see README). Or, instead,
     * `sentinel` (a primary with replicas that Redis Sentinel fails over).
     */
    redis: z
      .string()
      .refine((u) => /^rediss?:\/\/[^\s]+$/.test(u), 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379')
      .optional(),
    sentinel: sentinelOptionsSchema.optional(),
    /**
     * An update is acknowledged (and a round committed) only once this many replicas have it (Redis WAIT). With fewer
     * replicas connected than this, it waits for those that are (with none, the primary's AOF alone; logged).
     */
    minReplicasAcked: z.number().int().min(0).max(16).default(1),
    /** How long one WAIT for the replicas lasts before it is asked again (a client is told its ack waits after 1 s). */
    replicaAckTimeoutMs: z.number().int().min(10).max(60_000).default(1000),
    /** This node's name, unique in the federation (letters, digits, . _ -). */
    nodeId: name,
    /** Several federations may share one Redis: their keys are apart under this name. */
    federation: name.default('default'),
    /** The leader's lease; a dead leader is replaced within about leaseMs + leaseMs / 3. */
    leaseMs: z.number().int().min(300).max(600_000).default(3000),
    /**
     * 'flat': the leader reads every update from Redis; 'hierarchical': each node pre-aggregates its own clients'
     * updates (exact sums for FedAvg-family strategies, a fusion per node for neuron interpolation) and the leader
     * combines one result per node.
     */
    aggregation: z.enum(['flat', 'hierarchical']).default('flat'),
    /** How long the leader waits for a node's pre-aggregate before it computes that node's share itself. */
    partialTimeoutMs: z.number().int().positive().default(60_000),
    /**
     * Joined clients at most across all nodes together (the client registry in Redis is checked atomically before a
     * Welcome; a reconnecting client keeps its seat). Beyond it → SERVER_FULL. Default: no federation-wide cap (the
     * server's maxClients still caps each node).
     */
    maxClients: z.number().int().positive().optional(),
    /** The URL clients reach this node at, shown on the dashboard (default: the address it listens on). */
    advertiseUrl: z.string().min(1).optional(),
  })
  .superRefine((c, ctx) => {
    if ((c.redis === undefined) === (c.sentinel === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [c.redis === undefined ? 'redis' : 'sentinel'],
        message:
          c.redis === undefined
            ? 'is required (a redis:// URL), unless cluster.sentinel names the sentinels and the master'
            : 'goes without cluster.redis: give one Redis URL or a Sentinel group, not both',
      });
    }
  });

export type ClusterOptions = z.input<typeof clusterOptionsSchema>;
export type ClusterSettings = z.output<typeof clusterOptionsSchema>;

export function parseClusterOptions(raw: unknown, where: string): ClusterSettings {
  const parsed = clusterOptionsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`${where}.${issue.path.join('.') || '(cluster)'}: ${issue.message}`);
}
