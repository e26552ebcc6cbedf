// A hand-driven socket.io peer for the reliability tests: speaks envelopes directly (no training), records what the
// server answers and whether it was disconnected.
import { expect } from 'chai';
import { io, type Socket } from 'socket.io-client';
import '@fedfuse/client/internal/proto/protobuf-runtime.js';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { PROTOCOL_VERSION } from '@fedfuse/client/internal/proto/envelope.js';
import { EnvelopeChannel } from '@fedfuse/client/internal/transport/envelope-channel.js';

export class RawPeer {
  readonly socket: Socket;
  readonly channel: EnvelopeChannel;
  readonly inbox: fedfuse.v1.Envelope[] = [];
  private waiters: (() => void)[] = [];
  readonly disconnected: Promise<string>;

  /**
   * `localAddress`: the loopback address to connect from (Linux routes all of 127/8 on lo), for per-address limits;
   * `extraHeaders`: sent with the WebSocket upgrade (X-Forwarded-For, as a reverse proxy would).
   */
  constructor(url: string, extra: { ca?: string; rejectUnauthorized?: boolean; localAddress?: string; extraHeaders?: Record<string, string> } = {}) {
    this.socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, ...extra });
    this.channel = new EnvelopeChannel(this.socket, { maxMessageBytes: 64 * 1024 * 1024 });
    this.channel.onEnvelope((env) => {
      this.inbox.push(env);
      for (const w of this.waiters.splice(0)) w();
    });
    this.disconnected = new Promise((r) => this.socket.once('disconnect', (reason) => r(reason)));
  }

  connected(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.connected) return resolve();
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', (e) => reject(e));
    });
  }

  async join(clientId: string, token: string): Promise<fedfuse.v1.Envelope> {
    return this.joinAs(clientId, token, 10);
  }

  async joinAs(clientId: string, token: string, numSamples: number): Promise<fedfuse.v1.Envelope> {
    await this.connected();
    this.channel.send({ join: { protocolVersion: PROTOCOL_VERSION, clientId, authToken: token, numSamples } });
    return this.nextOf('welcome', 'error');
  }

  /** The next received envelope whose body is one of `bodies`, skipping others. */
  async nextOf(...bodies: string[]): Promise<fedfuse.v1.Envelope> {
    for (;;) {
      const i = this.inbox.findIndex((e) => bodies.includes(e.body ?? ''));
      if (i >= 0) return this.inbox.splice(i, 1)[0];
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  async expectError(code: keyof typeof fedfuse.v1.ErrorCode, message: RegExp): Promise<void> {
    const env = await this.nextOf('error');
    expect(fedfuse.v1.ErrorCode[env.error!.code ?? 0], env.error!.message ?? '').to.equal(code);
    expect(env.error!.message).to.match(message);
  }

  close(): void {
    this.channel.close();
    this.socket.disconnect();
  }
}
