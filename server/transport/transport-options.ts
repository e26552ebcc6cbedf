// The socket server as a FederationServer's options configure it (with their defaults), and the URL it serves at.
import type { FederationServerOptions } from '../federation-options.js';
import type { SocketServerOptions } from './socket-server.js';

const MIB = 1024 * 1024;
const DEFAULT_HOST = '127.0.0.1';

/** What the server plugs in itself: the token registry, its handlers and health report, a cluster's adapter. */
export type TransportWiring = Pick<
  SocketServerOptions,
  'registry' | 'handlers' | 'health' | 'adapter' | 'deferJoins' | 'log' | 'joinLimits' | 'clientBuckets' | 'seats'
>;

export function socketServerOptions(opts: FederationServerOptions, wiring: TransportWiring): SocketServerOptions {
  return {
    host: opts.host ?? DEFAULT_HOST,
    port: opts.port ?? 0,
    maxMessageBytes: opts.maxMessageBytes ?? 256 * MIB,
    maxPendingUploadBytes: opts.maxPendingUploadBytes,
    transferTimeoutMs: opts.transferTimeoutMs,
    chunkBytes: opts.chunkBytes,
    heartbeatMs: opts.heartbeatMs,
    maxClients: opts.maxClients,
    rateLimit: opts.rateLimit,
    maxProtocolErrors: opts.maxProtocolErrors,
    tls: opts.tls,
    joinBackoff: opts.joinBackoff,
    trustProxy: opts.trustProxy,
    ...wiring,
  };
}

/** http(s)://host:port of the server once it listens on `port` (an IPv6 host in brackets). */
export function serverUrl(opts: Pick<FederationServerOptions, 'host' | 'tls'>, port: number): string {
  const host = opts.host ?? DEFAULT_HOST;
  return `${opts.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
