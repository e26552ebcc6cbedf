// Shared pieces of the cluster tests: nodes of one federation (FederationServer with a cluster block) in this
// process, and clients that know every node's URL.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FederatedClient, type LocalData } from '@fedfuse/client';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import type { FederationServer, FederationServerOptions } from '../../server/federation-server.js';
import { disposeData, mnistSlice, quietServer, silent, TOKENS } from '../federation/helpers.js';
import { RedisProcess, requireRedisServer } from './redis-process.js';

/** What a cluster test file shares: its own redis-server, MNIST slices and, when asked for, a temp dir. */
export class ClusterSuite {
  redis!: RedisProcess;
  readonly data: LocalData[] = [];
  dir = '';
}

/**
 * Registers the enclosing describe's before/after hooks: no redis-server fails (or skips loudly, see
 * requireRedisServer), else one starts on a free loopback port, the MNIST slices ([first image, count] each) load and
 * a temp dir is made when `tempDirPrefix` is given; after the tests all of it is stopped, disposed and removed.
 */
export function clusterSuite(slices: readonly (readonly [number, number])[], tempDirPrefix?: string): ClusterSuite {
  const suite = new ClusterSuite();
  before(async function () {
    requireRedisServer(this);
    await initBackend();
    suite.redis = await RedisProcess.start();
    if (tempDirPrefix) suite.dir = await mkdtemp(join(tmpdir(), tempDirPrefix));
    for (const [first, count] of slices) suite.data.push(await mnistSlice(first, count));
  });
  after(async () => {
    disposeData(...suite.data);
    await suite.redis?.stop();
    if (suite.dir) await rm(suite.dir, { recursive: true, force: true });
  });
  return suite;
}

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
