// The `cluster:` block of a server (config file or FederationServerOptions.cluster): which Redis holds the shared
// state, this node's name, and how rounds are led and aggregated. Validated at start; every mistake names its field.
import { z } from 'zod';

export const clusterOptionsSchema = z.strictObject({
  /** redis://[user:password@]host:port[/db] or rediss:// (TLS). One Redis primary with AOF (see README). */
  redis: z
    .string()
    .refine((u) => /^rediss?:\/\/[^\s]+$/.test(u), 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379'),
  /** This node's name, unique in the federation (letters, digits, . _ -). */
  nodeId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, dots, underscores or dashes'),
  /** Several federations may share one Redis: their keys are apart under this name. */
  federation: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, dots, underscores or dashes').default('default'),
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
  /** The URL clients reach this node at, shown on the dashboard (default: the address it listens on). */
  advertiseUrl: z.string().min(1).optional(),
});

export type ClusterOptions = z.input<typeof clusterOptionsSchema>;
export type ClusterSettings = z.output<typeof clusterOptionsSchema>;

export function parseClusterOptions(raw: unknown, where: string): ClusterSettings {
  const parsed = clusterOptionsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`${where}.${issue.path.join('.') || '(cluster)'}: ${issue.message}`);
}
