// socket.io 4 transport of the server: one EnvelopeChannel per socket, the Join handshake (protocol version, token),
// one session per client id (a reconnecting client replaces its old socket), and per-client error replies.
// It knows nothing of rounds: the federation server plugs in through SocketServerHandlers.
import { createServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Server as IoServer, type ServerOptions, type Socket } from 'socket.io';
import '@fedfuse/client/internal/proto/protobuf-runtime.js';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { PROTOCOL_VERSION, encodeEnvelope } from '@fedfuse/client/internal/proto/envelope.js';
import { ProtocolError } from '@fedfuse/client/internal/proto/errors.js';
import {
  DEFAULT_CHUNK_BYTES,
  EnvelopeChannel,
  recommendedMaxHttpBufferSize,
} from '@fedfuse/client/internal/transport/envelope-channel.js';
import { ByteBudget } from '@fedfuse/client/internal/proto/byte-budget.js';
import type { TokenRegistry } from '../auth/token-registry.js';
import { JoinThrottle, type JoinThrottleOptions } from '../auth/join-throttle.js';
import type { JoinLimitStore } from '../auth/join-limit-store.js';
import { bucketFor, type RateLimit, type TokenBucket } from '../limits/token-bucket.js';
import { LocalClientBuckets, type ClientBuckets } from '../limits/client-buckets.js';
import type { ClientSeats } from '../limits/client-seats.js';
import { clientAddress, TrustedProxies } from './client-address.js';

const ErrorCode = fedfuse.v1.ErrorCode;

/** Longer client ids are refused before they are echoed into error replies and log lines. */
export const MAX_CLIENT_ID_CHARS = 256;

/**
 * Largest message a connection may send before it has joined: a Join (id ≤ 256 characters, token, label histogram)
 * fits with room to spare; anything larger is refused before it is buffered.
 */
export const MAX_JOIN_MESSAGE_BYTES = 64 * 1024;
const PRE_JOIN_LIMIT_NOTE = 'for a connection that has not joined; send Join first';

/**
 * Envelopes of one connection waiting for an earlier one to be handled (a join decision or a rate-limit token from a
 * shared store): beyond this the connection is sending faster than it can be served, and is closed. Before it has
 * joined a connection has no business sending more than a Join or two.
 */
const MAX_QUEUED = { joined: 256, notJoined: 8 };

/** How soon a client whose Join could not be decided (a shared store unreachable) should join again. */
const STORE_RETRY_MS = 1000;

/** Default cap on partial uploads of all connections together (maxPendingUploadBytes). */
export function defaultMaxPendingUploadBytes(maxMessageBytes: number): number {
  return Math.max(1024 * 1024 * 1024, 2 * maxMessageBytes);
}

function checkClientIdLength(clientId: string, field: string): void {
  if (clientId.length > MAX_CLIENT_ID_CHARS) {
    throw new ProtocolError(ErrorCode.BAD_MESSAGE, `${field} is ${clientId.length} characters long, at most ${MAX_CLIENT_ID_CHARS} are allowed`);
  }
}

export interface ClientSession {
  readonly clientId: string;
  readonly numSamples: number;
  readonly labelHistogram: number[];
  /** Tiered federations: the tier the client was given when it joined. */
  readonly tier?: string;
  /** Sends one envelope to this client; false when the socket is gone or the envelope could not be sent. */
  send(body: fedfuse.v1.IEnvelope): boolean;
  /** Sends an envelope already encoded (encodeEnvelope) for several clients; `what` names it in log lines. */
  sendEncoded(bytes: Uint8Array, what: string): boolean;
  sendError(code: fedfuse.v1.ErrorCode, message: string, round?: number): void;
  /**
   * Answers a message the server refused (e.g. a rejected update) with an Error and counts it as a protocol error of
   * this connection: at maxProtocolErrors it is disconnected. The caller logs the refusal itself.
   */
  refuse(code: fedfuse.v1.ErrorCode, message: string, round: number): void;
}

export interface SocketServerHandlers {
  /** Current round / total rounds for the Welcome message. */
  welcomeInfo(): { currentRound: number; totalRounds: number };
  /**
   * The tier a joining client gets from what its Join asks for (a tier name, a parameter limit), or why it gets none
   * (it is then refused with NO_FITTING_TIER). Unset: joins are not tiered.
   */
  chooseTier?(request: { tier: string; maxParameters: number }): { tier: string; parameters: number } | { error: string } | undefined;
  /** A client completed the handshake (after Welcome was sent). */
  onJoined(session: ClientSession, replaced: boolean): void;
  /** A client's session ended (disconnect, or replaced by a newer connection). */
  onLeft(session: ClientSession, reason: string): void;
  /** A ClientUpdate from a joined client, with its encoded size. */
  onUpdate(session: ClientSession, update: fedfuse.v1.IClientUpdate, bytes: number): void;
  /** A joined client lacks the probe set its task named. */
  onProbeRequest(session: ClientSession, request: fedfuse.v1.IProbeRequest): void;
  /** A joined client reports that it failed (e.g. its local training threw). */
  onClientError(session: ClientSession, error: fedfuse.v1.IError): void;
}

export interface SocketServerOptions {
  host: string;
  port: number;
  registry: TokenRegistry;
  handlers: SocketServerHandlers;
  maxMessageBytes: number;
  /** Bytes of partial uploads held for all connections together. Default defaultMaxPendingUploadBytes(maxMessageBytes). */
  maxPendingUploadBytes?: number;
  chunkBytes?: number;
  /** A partial upload that received nothing for this long is dropped and its client told. Default 120 s. */
  transferTimeoutMs?: number;
  /** socket.io ping interval; a peer silent for about twice this long is dropped. */
  heartbeatMs?: number;
  /** A socket that has not sent a valid Join by then is closed. Default 30 s. */
  joinTimeoutMs?: number;
  /** Protocol errors a socket may cause before it is disconnected. Default 50. */
  maxProtocolErrors?: number;
  /** Joined clients at most; a Join beyond it gets SERVER_FULL. Default: unlimited. */
  maxClients?: number;
  /**
   * Seats shared with other servers (a cluster's federation-wide cap): claimed before a client is welcomed; none
   * free → SERVER_FULL. Checked after maxClients.
   */
  seats?: ClientSeats;
  /**
   * Per-client envelope rate; over it → RATE_LIMITED (message dropped), persistent abuse → disconnect. Before it
   * joins a connection has a bucket of its own; once joined, its client id's bucket (clientBuckets).
   */
  rateLimit?: RateLimit;
  /** The joined clients' buckets, by client id. Default: in memory (LocalClientBuckets); a cluster's are in Redis. */
  clientBuckets?: ClientBuckets;
  /** Where the failed-join backoff lives. Default: in memory; a cluster's is in Redis (shared by the nodes). */
  joinLimits?: JoinLimitStore;
  /**
   * Reverse proxies (IPs or CIDR ranges) whose X-Forwarded-For is believed: a socket from one of them is limited under
   * the client address the header gives (client-address.ts). Others' X-Forwarded-For is ignored.
   */
  trustProxy?: readonly string[];
  /** Serve over TLS (https + wss) with this PEM key and certificate. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Backoff on failed joins: per address (refused unchecked), per known client id (checked after a delay). */
  joinBackoff?: JoinThrottleOptions;
  /**
   * A socket.io adapter shared by several servers (a cluster's Redis adapter): a client that joins here is
   * disconnected from any other server it is still connected to, and servers can message each other.
   */
  adapter?: ServerOptions['adapter'];
  /**
   * Whether joins must wait (a cluster node whose Redis is unreachable): a new Join is then answered with UNAVAILABLE
   * and a retry hint instead of Welcome; the connection stays open for the client's next Join.
   */
  deferJoins?: () => { reason: string; retryAfterMs: number } | undefined;
  /** GET /healthz answers 200 when `ok`, else 503, with these details as JSON (for load balancers). */
  health?: () => { ok: boolean } & Record<string, string | number | boolean>;
  log: (line: string) => void;
}

/** The socket.io room of a client id's sockets (on every server that shares the adapter). */
const clientRoom = (clientId: string) => `client:${clientId}`;

/** Per socket: its channel and, once joined, its session. */
class Connection implements ClientSession {
  clientId = '';
  numSamples = 0;
  labelHistogram: number[] = [];
  tier: string | undefined;
  /** Parameters of the tier's model (Welcome's tier_parameters). */
  tierParameters = 0;
  joined = false;
  protocolErrors = 0;
  closed = false;
  /** Messages over the rate limit in a row. */
  rateViolations = 0;
  /** Disconnecting for abuse: its remaining messages are ignored. */
  silenced = false;
  bucket: TokenBucket | undefined;
  joinTimer: ReturnType<typeof setTimeout> | undefined;
  /** A Join whose token check was delayed (others failed to join as that id), and its timer. */
  joinPending = false;
  pendingCheck: ReturnType<typeof setTimeout> | undefined;
  /** Envelopes waiting behind one still being handled, and the end of that chain (they are handled in order). */
  queued = 0;
  tail: Promise<void> = Promise.resolve();

  constructor(
    readonly socket: Socket,
    /** The client's address for the per-address limits (X-Forwarded-For of a trusted proxy, else the peer's). */
    readonly address: string,
    readonly channel: EnvelopeChannel,
    private readonly log: (line: string) => void,
    private readonly onRefused: (conn: Connection, err: ProtocolError, round: number) => void,
  ) {}

  get label(): string {
    return this.joined ? `client ${this.clientId}` : `socket ${this.socket.id} (not joined)`;
  }

  send(body: fedfuse.v1.IEnvelope): boolean {
    return this.sendEncoded(encodeEnvelope(body), Object.keys(body).join(','));
  }

  sendEncoded(bytes: Uint8Array, what: string): boolean {
    if (this.closed || !this.socket.connected) return false;
    try {
      this.channel.sendEncoded(bytes);
      return true;
    } catch (e) {
      this.log(`${this.label}: could not send ${what}: ${(e as Error).message}`);
      return false;
    }
  }

  sendError(code: fedfuse.v1.ErrorCode, message: string, round = 0): void {
    this.send({ error: { code, message, round } });
  }

  refuse(code: fedfuse.v1.ErrorCode, message: string, round: number): void {
    this.onRefused(this, new ProtocolError(code, message), round);
  }
}

export class SocketServer {
  private http: HttpServer | undefined;
  private io: IoServer | undefined;
  private readonly connections = new Set<Connection>();
  private readonly sessions = new Map<string, Connection>();
  /** Traffic of connections already closed, so totals never go backwards. */
  private closedTraffic = { bytesSent: 0, bytesReceived: 0 };
  /** The same per tier (tiered federations). */
  private readonly closedTierTraffic = new Map<string, { bytesSent: number; bytesReceived: number }>();
  private readonly chunkBytes: number;
  /** Partial uploads of all connections together. */
  private readonly pendingBudget: ByteBudget;
  private readonly joinThrottle: JoinThrottle;
  private readonly clientBuckets: ClientBuckets | undefined;
  private readonly trustedProxies: TrustedProxies | undefined;

  constructor(private readonly opts: SocketServerOptions) {
    this.chunkBytes = opts.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    this.pendingBudget = new ByteBudget(
      opts.maxPendingUploadBytes ?? defaultMaxPendingUploadBytes(opts.maxMessageBytes),
      'maxPendingUploadBytes',
    );
    this.joinThrottle = new JoinThrottle(opts.joinBackoff, opts.joinLimits);
    this.clientBuckets = opts.rateLimit && (opts.clientBuckets ?? new LocalClientBuckets(opts.rateLimit));
    this.trustedProxies = opts.trustProxy && opts.trustProxy.length > 0 ? new TrustedProxies(opts.trustProxy) : undefined;
  }

  async listen(): Promise<{ port: number }> {
    if (this.http) throw new Error('socket server is already listening');
    const notFound = (req: { method?: string; url?: string }, res: { writeHead(code: number, headers?: Record<string, string>): { end(body: string): void } }) => {
      // A load balancer's health check: 200 while this server can take clients, 503 while it cannot.
      if (req.method === 'GET' && req.url === '/healthz' && this.opts.health) {
        const { ok, ...details } = this.opts.health();
        res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(`${JSON.stringify({ ok, ...details })}\n`);
        return;
      }
      res.writeHead(404).end('fedfuse: connect with a socket.io client\n');
    };
    const tls = this.opts.tls;
    const http: HttpServer = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, notFound) : createServer(notFound);
    const heartbeatMs = this.opts.heartbeatMs ?? 25_000;
    const io = new IoServer(http, {
      maxHttpBufferSize: recommendedMaxHttpBufferSize(this.chunkBytes),
      pingInterval: heartbeatMs,
      pingTimeout: Math.max(heartbeatMs, 5_000),
      serveClient: false,
      cors: { origin: true },
      ...(this.opts.adapter ? { adapter: this.opts.adapter } : {}),
    });
    io.on('connection', (socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(this.opts.port, this.opts.host, () => {
        http.off('error', reject);
        resolve();
      });
    });
    this.http = http;
    this.io = io;
    return { port: (http.address() as AddressInfo).port };
  }

  /** Joined clients right now. */
  get clientIds(): string[] {
    return [...this.sessions.keys()].sort();
  }

  session(clientId: string): ClientSession | undefined {
    return this.sessions.get(clientId);
  }

  send(clientId: string, body: fedfuse.v1.IEnvelope): boolean {
    return this.sessions.get(clientId)?.send(body) ?? false;
  }

  /** Sends one envelope to every joined client (or to those listed), encoded once for all of them. */
  broadcast(body: fedfuse.v1.IEnvelope, to?: Iterable<string>): void {
    const bytes = encodeEnvelope(body);
    const what = Object.keys(body).join(',');
    const targets = to ? [...to].flatMap((id) => this.sessions.get(id) ?? []) : [...this.sessions.values()];
    for (const c of targets) c.sendEncoded(bytes, what);
  }

  /** Sends a message to the other servers sharing the adapter (not to this one). */
  serverSideEmit(event: string, ...args: unknown[]): void {
    this.io?.serverSideEmit(event, ...args);
  }

  /** Listens to messages from the other servers sharing the adapter. */
  onServerSideEmit(event: string, listener: (...args: unknown[]) => void): void {
    if (!this.io) throw new Error('socket server is not listening');
    (this.io as unknown as { on(event: string, listener: (...args: unknown[]) => void): void }).on(event, listener);
  }

  /** Bytes over all connections since the server started (frames included). */
  get traffic(): { bytesSent: number; bytesReceived: number } {
    let { bytesSent, bytesReceived } = this.closedTraffic;
    for (const c of this.connections) {
      bytesSent += c.channel.stats.bytesSent;
      bytesReceived += c.channel.stats.bytesReceived;
    }
    return { bytesSent, bytesReceived };
  }

  /** Tiered federations: the bytes of `traffic` per tier of the connections' clients (since the server started). */
  get trafficByTier(): Map<string, { bytesSent: number; bytesReceived: number }> {
    const out = new Map([...this.closedTierTraffic].map(([tier, t]) => [tier, { ...t }]));
    for (const c of this.connections) {
      if (c.tier === undefined) continue;
      const t = out.get(c.tier) ?? { bytesSent: 0, bytesReceived: 0 };
      t.bytesSent += c.channel.stats.bytesSent;
      t.bytesReceived += c.channel.stats.bytesReceived;
      out.set(c.tier, t);
    }
    return out;
  }

  async close(): Promise<void> {
    const io = this.io;
    this.io = undefined;
    for (const c of [...this.connections]) this.drop(c, 'server shutting down');
    if (io) await new Promise<void>((resolve) => io.close(() => resolve()));
    this.http = undefined;
  }

  private accept(socket: Socket): void {
    const channel = new EnvelopeChannel(socket, {
      maxMessageBytes: this.opts.maxMessageBytes,
      chunkBytes: this.chunkBytes,
      // Until it joins, a connection may send only a Join-sized message: nothing large is buffered for strangers.
      incomingLimit: { bytes: MAX_JOIN_MESSAGE_BYTES, note: PRE_JOIN_LIMIT_NOTE },
      pendingBudget: this.pendingBudget,
      transferTimeoutMs: this.opts.transferTimeoutMs,
    });
    const address = clientAddress(socket.handshake.address, socket.handshake.headers['x-forwarded-for'], this.trustedProxies);
    const conn = new Connection(socket, address, channel, this.opts.log, (c, err, round) => this.reject(c, err, { round, logged: true }));
    if (this.opts.rateLimit) conn.bucket = bucketFor(this.opts.rateLimit, Date.now());
    this.connections.add(conn);
    conn.joinTimer = setTimeout(() => {
      if (!conn.joined) {
        this.opts.log(`${conn.label}: no Join within ${this.opts.joinTimeoutMs ?? 30_000} ms; closing`);
        conn.sendError(ErrorCode.UNKNOWN_CLIENT, 'no Join message received in time; send Join first');
        this.drop(conn, 'join timeout');
      }
    }, this.opts.joinTimeoutMs ?? 30_000);
    conn.joinTimer.unref();

    channel.onProtocolError((err) => this.reject(conn, err));
    channel.onTransferExpired((err) => {
      this.opts.log(`${conn.label}: ${err.message}`);
      conn.sendError(err.code, err.message);
    });
    channel.onEnvelope((env, bytes) => this.enqueue(conn, () => this.receive(conn, env, bytes)));
    socket.on('disconnect', (reason) => {
      // A transport-level close (e.g. a frame over maxHttpBufferSize) sends no Error reply: the log is the only trace.
      if (conn.joined && !conn.closed) this.opts.log(`client ${conn.clientId}: disconnected (${reason})`);
      this.drop(conn, `disconnected (${reason})`);
    });
  }

  /**
   * Handles a connection's envelopes in the order they came: at once while nothing of it is pending (a single server's
   * usual case: same tick, no promise), else behind the envelope still being handled (a join decision, a token from a
   * shared bucket).
   */
  private enqueue(conn: Connection, work: () => void | Promise<void>): void {
    if (conn.queued === 0) {
      const pending = work();
      if (!pending) return;
      conn.queued++;
      conn.tail = this.settle(conn, pending);
      return;
    }
    if (conn.queued >= (conn.joined ? MAX_QUEUED.joined : MAX_QUEUED.notJoined)) {
      if (!conn.silenced) {
        this.opts.log(`${conn.label}: more than ${conn.queued} messages waiting to be handled; disconnecting`);
        conn.silenced = true;
        this.dropSoon(conn);
      }
      return;
    }
    conn.queued++;
    conn.tail = this.settle(conn, conn.tail.then(work));
  }

  private settle(conn: Connection, pending: Promise<void>): Promise<void> {
    return pending
      .catch((e: unknown) => this.opts.log(`${conn.label}: internal error handling a message: ${(e as Error).stack ?? e}`))
      .finally(() => conn.queued--);
  }

  /** One envelope: its rate-limit token, then its handler. */
  private receive(conn: Connection, env: fedfuse.v1.Envelope, bytes: number): void | Promise<void> {
    if (conn.closed) return; // queued behind a Join, and the connection went meanwhile
    const body = env.body ?? 'unknown';
    const allowed = this.withinRate(conn, body);
    if (typeof allowed === 'boolean') return allowed ? this.handle(conn, env, bytes) : undefined;
    return allowed.then((ok) => (ok ? this.handle(conn, env, bytes) : undefined));
  }

  private handle(conn: Connection, env: fedfuse.v1.Envelope, bytes: number): void | Promise<void> {
    try {
      const pending = this.dispatch(conn, env, bytes);
      if (pending) return pending.catch((e: unknown) => this.handlerFailed(conn, env.body ?? 'unknown', e));
    } catch (e) {
      this.handlerFailed(conn, env.body ?? 'unknown', e);
    }
  }

  private handlerFailed(conn: Connection, body: string, e: unknown): void {
    if (e instanceof ProtocolError) return this.reject(conn, e);
    // A bug on our side must not take the whole server down; tell the client and log it.
    this.opts.log(`${conn.label}: internal error handling ${body}: ${(e as Error).stack ?? e}`);
    conn.sendError(ErrorCode.UNKNOWN, `internal server error handling ${body}`);
  }

  private dispatch(conn: Connection, env: fedfuse.v1.Envelope, bytes: number): void | Promise<void> {
    switch (env.body) {
      case 'join':
        return this.handleJoin(conn, env.join!);
      case 'heartbeat':
        conn.send({ heartbeat: { sentUnixMs: Date.now() } });
        return;
      case 'clientUpdate':
        if (!conn.joined) throw new ProtocolError(ErrorCode.UNKNOWN_CLIENT, 'send Join before any ClientUpdate');
        checkClientIdLength(env.clientUpdate!.clientId ?? '', 'client_update.client_id');
        this.opts.handlers.onUpdate(conn, env.clientUpdate!, bytes);
        return;
      case 'probeRequest':
        if (!conn.joined) throw new ProtocolError(ErrorCode.UNKNOWN_CLIENT, 'send Join before any ProbeRequest');
        this.opts.handlers.onProbeRequest(conn, env.probeRequest!);
        return;
      case 'error':
        // Only a joined client has anything to report; from a stranger it is noise (and was a way into the log).
        if (!conn.joined) throw new ProtocolError(ErrorCode.UNKNOWN_CLIENT, 'send Join before any Error message');
        return this.opts.handlers.onClientError(conn, env.error!);
      default:
        throw new ProtocolError(ErrorCode.BAD_MESSAGE, `a client may not send ${env.body} messages`);
    }
  }

  /**
   * Takes a token for one envelope (a joined client's from its id's bucket, else the connection's own); over the limit
   * the envelope is dropped with RATE_LIMITED, and a client that keeps going is disconnected. With the shared buckets
   * unreachable the connection's own bucket stands in.
   */
  private withinRate(conn: Connection, body: string): boolean | Promise<boolean> {
    if (conn.silenced) return false;
    if (!conn.bucket) return true;
    const now = Date.now();
    if (!conn.joined || !this.clientBuckets) return this.rateVerdict(conn, conn.bucket.take(now), body);
    const taken = this.clientBuckets.take(conn.clientId, now);
    if (typeof taken === 'boolean') return this.rateVerdict(conn, taken, body);
    return taken.then(
      (ok) => this.rateVerdict(conn, ok, body),
      () => this.rateVerdict(conn, conn.bucket!.take(Date.now()), body),
    );
  }

  private rateVerdict(conn: Connection, taken: boolean, body: string): boolean {
    if (conn.silenced) return false;
    if (taken) {
      conn.rateViolations = 0;
      return true;
    }
    conn.rateViolations++;
    const limit = this.opts.rateLimit!;
    const disconnectAfter = limit.disconnectAfter ?? 20;
    const capacity = this.clientBuckets?.capacity ?? conn.bucket!.capacity;
    const message = `rate limit exceeded: more than ${limit.messagesPerSecond} messages per second (burst ${capacity}); ${body} message dropped`;
    if (conn.rateViolations === 1) this.opts.log(`${conn.label}: ${message}`);
    conn.sendError(ErrorCode.RATE_LIMITED, message);
    if (conn.rateViolations >= disconnectAfter) {
      this.opts.log(`${conn.label}: ${disconnectAfter} messages in a row over the rate limit; disconnecting`);
      conn.sendError(ErrorCode.RATE_LIMITED, `${disconnectAfter} messages in a row over the rate limit; disconnecting`);
      conn.silenced = true; // ignore its messages from now on; the socket closes after the grace period
      this.dropSoon(conn);
    }
    return false;
  }

  private async handleJoin(conn: Connection, join: fedfuse.v1.IJoin): Promise<void> {
    const clientId = join.clientId ?? '';
    checkClientIdLength(clientId, 'join.client_id');
    if (join.protocolVersion !== PROTOCOL_VERSION) {
      conn.sendError(
        ErrorCode.PROTOCOL_VERSION,
        `client speaks protocol version ${join.protocolVersion ?? 0}, this server speaks ${PROTOCOL_VERSION}`,
      );
      this.opts.log(`socket ${conn.socket.id}: rejected join of "${clientId}": protocol version ${join.protocolVersion}`);
      this.dropSoon(conn);
      return;
    }
    if (conn.joined) {
      if (clientId !== conn.clientId) {
        throw new ProtocolError(ErrorCode.UNAUTHORIZED, `this connection already joined as ${conn.clientId}; it cannot speak for ${clientId}`);
      }
    }
    // Before the throttle is asked: with its store (Redis) unreachable the node can decide nothing, and must neither
    // let guesses through unlimited nor crash.
    const deferred = this.opts.deferJoins?.();
    if (deferred) return this.defer(conn, clientId, deferred);
    await this.authenticate(conn, clientId, join.authToken ?? '', () => this.admitJoin(conn, clientId, join));
  }

  /** Answers a Join with UNAVAILABLE and a retry hint; the connection stays open for the client's next Join. */
  private defer(conn: Connection, clientId: string, deferred: { reason: string; retryAfterMs: number }): void {
    conn.send({ error: { code: ErrorCode.UNAVAILABLE, message: deferred.reason, round: 0, retryAfterMs: deferred.retryAfterMs } });
    this.opts.log(`socket ${conn.socket.id}: join of "${clientId}" deferred: ${deferred.reason}`);
  }

  /** A shared store (the join limits, the seats) failed to answer: the Join is deferred, not decided. */
  private storeFailed(conn: Connection, clientId: string, e: unknown): void {
    if (conn.closed) return;
    this.defer(conn, clientId, { reason: `server cannot check joins now (${(e as Error).message}); join again shortly`, retryAfterMs: STORE_RETRY_MS });
  }

  /** After the token checked out: the session (a repeated Join on a joined socket just gets a fresh Welcome). */
  private async admitJoin(conn: Connection, clientId: string, join: fedfuse.v1.IJoin): Promise<void> {
    const numSamples = Number(join.numSamples ?? 0);
    const histogram = (join.labelHistogram ?? []).map(Number);
    if (histogram.length > 100_000) throw new ProtocolError(ErrorCode.BAD_MESSAGE, 'join label_histogram has more than 100000 classes');
    if (conn.joined) {
      // A repeated Join on the same socket just gets a fresh Welcome.
      conn.send({ welcome: this.welcome(conn) });
      return;
    }
    const maxParameters = Number(join.maxParameters ?? 0);
    const choice = this.opts.handlers.chooseTier?.({ tier: join.tier ?? '', maxParameters: Number.isFinite(maxParameters) ? maxParameters : 0 });
    if (choice && 'error' in choice) {
      conn.sendError(ErrorCode.NO_FITTING_TIER, choice.error);
      this.opts.log(`socket ${conn.socket.id}: rejected join of "${clientId}": ${choice.error}`);
      this.dropSoon(conn);
      return;
    }
    const full = (message: string) => {
      conn.sendError(ErrorCode.SERVER_FULL, message);
      this.opts.log(`socket ${conn.socket.id}: rejected join of "${clientId}": ${message}`);
      this.dropSoon(conn);
    };
    const maxClients = this.opts.maxClients;
    if (!this.sessions.has(clientId) && maxClients !== undefined && this.sessions.size >= maxClients) {
      return full(`server full: ${this.sessions.size} of at most ${maxClients} clients are connected; try again later`);
    }
    if (this.opts.seats && !this.sessions.has(clientId)) {
      let seat;
      try {
        seat = await this.opts.seats.claim(clientId);
      } catch (e) {
        return this.storeFailed(conn, clientId, e);
      }
      if (conn.closed) {
        // Gone while its seat was claimed: the seat goes back (unless a newer connection of the id holds it here).
        if (seat.ok && !this.sessions.has(clientId)) void this.opts.seats.release(clientId).catch(() => {});
        return;
      }
      if (!seat.ok) return full(`federation full: ${seat.taken} of at most ${seat.max} clients are connected to its nodes; try again later`);
    }
    const previous = this.sessions.get(clientId);
    clearTimeout(conn.joinTimer);
    if (previous) {
      this.opts.log(`client ${clientId}: new connection replaces the previous one`);
      previous.sendError(ErrorCode.UNAUTHORIZED, `client ${clientId} connected again from another socket; this one is closed`);
      this.detach(previous, 'replaced by a new connection');
      this.dropSoon(previous);
    }
    conn.clientId = clientId;
    conn.numSamples = numSamples;
    conn.labelHistogram = histogram;
    if (choice) {
      conn.tier = choice.tier;
      conn.tierParameters = choice.parameters;
    }
    conn.joined = true;
    // The Join counts against the id's bucket too (it took the connection's token, before the id was known): one
    // connection's allowance is what it was before buckets were per id.
    if (this.clientBuckets) void Promise.resolve(this.clientBuckets.take(clientId, Date.now())).catch(() => {});
    conn.channel.setIncomingLimit(this.opts.maxMessageBytes);
    this.sessions.set(clientId, conn);
    if (this.opts.adapter && this.io) {
      // Its older connections on other servers of the cluster are closed: one session per client id cluster-wide.
      void conn.socket.join(clientRoom(clientId));
      this.io.to(clientRoom(clientId)).except(conn.socket.id).disconnectSockets(true);
    }
    conn.send({ welcome: this.welcome(conn) });
    this.opts.handlers.onJoined(conn, previous !== undefined);
  }

  private welcome(conn: Connection): fedfuse.v1.IWelcome {
    return {
      protocolVersion: PROTOCOL_VERSION,
      clientId: conn.clientId,
      ...this.opts.handlers.welcomeInfo(),
      ...(conn.tier !== undefined ? { tier: conn.tier, tierParameters: conn.tierParameters } : {}),
    };
  }

  /**
   * Checks a connection's token (server/auth/join-throttle.ts decides when): at once, after a delay while others
   * guess this client id, or not at all while this address is backing off. A failed or refused join silences the
   * connection at once (no further answers), and it is closed. A failure is recorded (in a cluster: in Redis, for
   * every node) before it is answered, so a guesser that waits for its answer never outruns the count.
   */
  private async authenticate(conn: Connection, clientId: string, token: string, admit: () => Promise<void>): Promise<void> {
    const address = conn.address;
    const known = this.opts.registry.has(clientId);
    if (conn.joinPending) throw new ProtocolError(ErrorCode.BAD_MESSAGE, 'a Join of this connection is already waiting to be checked');
    let decision;
    try {
      decision = await this.joinThrottle.decide(clientId, address, known, Date.now());
    } catch (e) {
      return this.storeFailed(conn, clientId, e);
    }
    if (conn.closed) return;
    if (decision.kind === 'refuse') {
      conn.sendError(ErrorCode.RATE_LIMITED, decision.reason);
      this.opts.log(`socket ${conn.socket.id} (${address}): join of "${clientId}" refused unchecked: ${decision.reason}`);
      conn.silenced = true;
      this.dropSoon(conn);
      return;
    }
    const check = async () => {
      const auth = this.opts.registry.verify(clientId, token);
      if (auth.ok) {
        await this.joinThrottle.succeeded(clientId, address, Date.now()).catch((e: Error) => this.opts.log(`join limits: could not record the join of ${clientId}: ${e.message}`));
        if (!conn.closed) await admit();
        return;
      }
      await this.joinThrottle.failed(clientId, address, known, Date.now()).catch((e: Error) => this.opts.log(`join limits: could not record a failed join: ${e.message}`));
      conn.sendError(ErrorCode.UNAUTHORIZED, auth.reason);
      this.opts.log(`socket ${conn.socket.id} (${address}): ${auth.reason}`);
      conn.silenced = true;
      this.dropSoon(conn);
    };
    if (decision.delayMs === 0) return check();
    // Others failed to join as this id: checked later, not refused (the owner must still get in), one at a time per address.
    this.opts.log(`socket ${conn.socket.id} (${address}): join of "${clientId}" checked in ${decision.delayMs} ms (recent failed joins for this id)`);
    conn.joinPending = true;
    clearTimeout(conn.joinTimer); // it sent its Join; the check decides
    this.joinThrottle.waiting(address);
    conn.pendingCheck = setTimeout(() => {
      conn.pendingCheck = undefined;
      conn.joinPending = false;
      this.joinThrottle.settled(address);
      if (conn.closed || !conn.socket.connected) return;
      // In the connection's queue, so that what it sent after this Join waits for the outcome.
      this.enqueue(conn, () => check().catch((e: unknown) => this.handlerFailed(conn, 'join', e)));
    }, decision.delayMs);
  }

  /** Answers bad input with an Error envelope to that client only, logs one line, and keeps serving. */
  private reject(conn: Connection, err: ProtocolError, how: { round?: number; logged?: boolean } = {}): void {
    if (conn.silenced) return; // being disconnected: its further frames get no reply and no log line
    conn.protocolErrors++;
    if (!how.logged) this.opts.log(`${conn.label}: ${err.codeName}: ${err.message}`);
    conn.sendError(err.code, err.message, how.round);
    const limit = this.opts.maxProtocolErrors ?? 50;
    if (conn.protocolErrors >= limit) {
      this.opts.log(`${conn.label}: ${limit} protocol errors; disconnecting`);
      conn.silenced = true;
      this.dropSoon(conn);
    }
  }

  /** Ends the session of `conn` (if it is the current one for its id) without closing the socket. */
  private detach(conn: Connection, reason: string): void {
    if (conn.joined && this.sessions.get(conn.clientId) === conn) {
      this.sessions.delete(conn.clientId);
      this.opts.handlers.onLeft(conn, reason);
    }
    conn.joined = false;
  }

  /** Closes after a short grace period so the Error envelope just sent can reach the client. */
  private dropSoon(conn: Connection): void {
    setTimeout(() => this.drop(conn, 'closed by server'), 200).unref();
  }

  private drop(conn: Connection, reason: string): void {
    if (conn.closed) return;
    this.detach(conn, reason);
    conn.closed = true;
    clearTimeout(conn.joinTimer);
    if (conn.pendingCheck !== undefined) {
      clearTimeout(conn.pendingCheck);
      conn.pendingCheck = undefined;
      conn.joinPending = false;
      this.joinThrottle.settled(conn.address);
    }
    this.connections.delete(conn);
    this.closedTraffic.bytesSent += conn.channel.stats.bytesSent;
    this.closedTraffic.bytesReceived += conn.channel.stats.bytesReceived;
    if (conn.tier !== undefined) {
      const t = this.closedTierTraffic.get(conn.tier) ?? { bytesSent: 0, bytesReceived: 0 };
      t.bytesSent += conn.channel.stats.bytesSent;
      t.bytesReceived += conn.channel.stats.bytesReceived;
      this.closedTierTraffic.set(conn.tier, t);
    }
    conn.channel.close();
    if (conn.socket.connected) conn.socket.disconnect(true);
  }
}
