// A read-only live dashboard for a running federation, on its own HTTP port (127.0.0.1 by default).
//
//   GET /            the page (inline CSS + JS)
//   GET /state.json  the current DashboardState
//   GET /events      server-sent events: one `state` message on connect and after every change
//
// Nothing else: other paths are 404 and other methods 405. The state holds only whitelisted round numbers,
// counts, metrics and client ids (see dashboard-state.ts), never tokens or model weights.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dashboardPage, type DashboardPage } from './dashboard-page.js';
import { DASHBOARD_EVENTS, type DashboardEventName, type DashboardListener, type DashboardSource } from './dashboard-source.js';
import { applyEvent, initialState, mergeSnapshot, type DashboardState } from './dashboard-state.js';

export interface DashboardOptions {
  /** Interface to listen on (default 127.0.0.1: only this machine can look). */
  host?: string;
  /** Port (default 0: any free port; the URL is returned by start()). */
  port?: number;
  /** Heading of the page (default "fedfuse federation"). */
  title?: string;
  /** How often the source's snapshot is re-read, for phase changes that come without an event (default 1000 ms). */
  refreshMs?: number;
  /** Where problems with event payloads are reported (default console.warn). */
  log?: (line: string) => void;
}

// Comment lines keep idle SSE connections open through proxies and let the browser notice a dead server.
const HEARTBEAT_MS = 15_000;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

export class Dashboard {
  private readonly page: DashboardPage = dashboardPage();
  private readonly listeners = new Map<DashboardEventName, DashboardListener>();
  private readonly streams = new Set<ServerResponse>();
  private readonly host: string;
  private readonly port: number;
  private readonly log: (line: string) => void;
  private readonly reportedProblems = new Set<string>();
  private stateValue: DashboardState;
  private stateJson: string;
  private http?: Server;
  private refreshTimer?: ReturnType<typeof setInterval>;
  private heartbeatTimer?: ReturnType<typeof setInterval>;
  private pushScheduled = false;

  constructor(
    private readonly source: DashboardSource,
    private readonly opts: DashboardOptions = {},
  ) {
    this.host = opts.host ?? '127.0.0.1';
    this.port = opts.port ?? 0;
    if (!Number.isInteger(this.port) || this.port < 0 || this.port > 65535) {
      throw new Error(`Dashboard: port ${this.port} is not an integer in 0..65535`);
    }
    this.log = opts.log ?? ((line) => console.warn(line));
    this.stateValue = initialState(opts.title ?? 'fedfuse federation', this.safeSnapshot());
    this.stateJson = JSON.stringify(this.stateValue);
  }

  /** What the page currently shows. */
  get state(): DashboardState {
    return this.stateValue;
  }

  async start(): Promise<{ url: string }> {
    if (this.http) throw new Error('Dashboard: already started');
    const http = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(this.port, this.host, () => {
        http.off('error', reject);
        resolve();
      });
    });
    this.http = http;
    for (const event of DASHBOARD_EVENTS) {
      const listener: DashboardListener = (payload) => this.onEvent(event, payload);
      this.listeners.set(event, listener);
      this.source.on(event, listener);
    }
    this.refresh();
    this.refreshTimer = setInterval(() => this.refresh(), this.opts.refreshMs ?? 1000);
    this.heartbeatTimer = setInterval(() => {
      for (const res of this.streams) res.write(': heartbeat\n\n');
    }, HEARTBEAT_MS);
    this.refreshTimer.unref();
    this.heartbeatTimer.unref();
    return { url: this.url() };
  }

  async stop(): Promise<void> {
    for (const [event, listener] of this.listeners) this.source.off(event, listener);
    this.listeners.clear();
    clearInterval(this.refreshTimer);
    clearInterval(this.heartbeatTimer);
    const http = this.http;
    this.http = undefined;
    for (const res of this.streams) res.end();
    this.streams.clear();
    if (!http) return;
    await new Promise<void>((resolve) => {
      http.close(() => resolve());
      http.closeAllConnections();
    });
  }

  private url(): string {
    const address = this.http!.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}/`;
  }

  private safeSnapshot() {
    try {
      return this.source.snapshot();
    } catch (err) {
      this.report(`Dashboard: snapshot() failed: ${(err as Error).message}`);
      return { currentRound: this.stateValue?.currentRound ?? 0 };
    }
  }

  private onEvent(event: DashboardEventName, payload: unknown): void {
    const result = applyEvent(this.stateValue, event, payload);
    if (!result.ok) {
      this.report(`Dashboard: ignored an event it could not read: ${result.error}`);
      return;
    }
    this.setState(mergeSnapshot(result.state, this.safeSnapshot()));
  }

  private refresh(): void {
    this.setState(mergeSnapshot(this.stateValue, this.safeSnapshot()));
  }

  // Each distinct problem is logged once, not on every event or refresh.
  private report(line: string): void {
    if (this.reportedProblems.has(line)) return;
    this.reportedProblems.add(line);
    this.log(line);
  }

  private setState(next: DashboardState): void {
    this.stateValue = next;
    const json = JSON.stringify(next);
    if (json === this.stateJson) return;
    this.stateJson = json;
    // Bursts of events (many clients answering at once) become one message.
    if (this.pushScheduled) return;
    this.pushScheduled = true;
    setImmediate(() => {
      this.pushScheduled = false;
      for (const res of this.streams) res.write(this.stateMessage());
    });
  }

  private stateMessage(): string {
    return `event: state\ndata: ${this.stateJson}\n\n`;
  }

  // DNS rebinding: a web page elsewhere could point its own host name at 127.0.0.1 and read this server, so a
  // loopback-bound dashboard answers only requests addressed to a loopback name.
  private hostAllowed(req: IncomingMessage): boolean {
    if (!LOOPBACK_HOSTS.has(this.host)) return true;
    const header = req.headers.host ?? '';
    const name = header.startsWith('[') ? header.slice(1, header.indexOf(']')) : header.split(':')[0];
    return LOOPBACK_HOSTS.has(name);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    if (!this.hostAllowed(req)) return this.plain(res, 421, 'this dashboard only answers requests for localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return this.plain(res, 405, 'the dashboard is read-only: only GET and HEAD are allowed');
    }
    const path = new URL(req.url ?? '/', 'http://dashboard').pathname;
    if (path === '/') {
      res.setHeader('Content-Security-Policy', this.page.contentSecurityPolicy);
      res.setHeader('X-Frame-Options', 'DENY');
      return this.send(res, 200, 'text/html; charset=utf-8', this.page.html, req.method === 'HEAD');
    }
    // Browsers ask for an icon on their own; an empty answer keeps their consoles free of 404s.
    if (path === '/favicon.ico') return void res.writeHead(204).end();
    if (path === '/state.json') return this.send(res, 200, 'application/json', this.stateJson, req.method === 'HEAD');
    if (path === '/events') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
      if (req.method === 'HEAD') return void res.end();
      res.write(`retry: 2000\n\n${this.stateMessage()}`);
      this.streams.add(res);
      req.on('close', () => this.streams.delete(res));
      return;
    }
    this.plain(res, 404, `no such page: ${path}`);
  }

  private plain(res: ServerResponse, status: number, message: string): void {
    this.send(res, status, 'text/plain; charset=utf-8', `${message}\n`, false);
  }

  private send(res: ServerResponse, status: number, type: string, body: string, headOnly: boolean): void {
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
    res.end(headOnly ? undefined : body);
  }
}
