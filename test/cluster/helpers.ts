// Shared pieces of the cluster tests: nodes of one federation (FederationServer with a cluster block) in this
// process, and clients that know every node's URL.
import { FederatedClient, type LocalData } from '@fedfuse/client';
import type { FederationServer, FederationServerOptions } from '../../server/federation-server.js';
import { quietServer, silent, TOKENS } from '../federation/helpers.js';

export function clusterNode(
  redisUrl: string,
  nodeId: string,
  overrides: Partial<FederationServerOptions> & Pick<FederationServerOptions, 'rounds'>,
  cluster: Partial<NonNullable<FederationServerOptions['cluster']>> = {},
): { server: FederationServer; logs: string[] } {
  return quietServer({ minClients: 3, ...overrides, cluster: { redis: redisUrl, nodeId, leaseMs: 1500, ...cluster } });
}

export function clientOf(id: keyof typeof TOKENS, urls: string | string[], data: LocalData): FederatedClient {
  return new FederatedClient({
    serverUrl: urls,
    clientId: id,
    token: TOKENS[id],
    data,
    reconnect: { retries: 200, delayMs: 100 },
    logger: silent,
  });
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
