// A fake fedfuse server for fuzzing the SDK: a raw socket.io Server on 127.0.0.1:0 that decodes what the client sends
// (real EnvelopeChannel) and answers with whatever frames the test chooses (FrameLink, so the client's reassembler
// state is mirrored and every frame's fate is predicted).
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as IoServer, type Socket } from 'socket.io';
import '@fedfuse/client/internal/proto/protobuf-runtime.js';
import type { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { EnvelopeChannel, recommendedMaxHttpBufferSize } from '@fedfuse/client/internal/transport/envelope-channel.js';
import { FrameLink } from './frame-link.js';

export interface ClientConnection {
  socket: Socket;
  /** Frames to the client; its mirror predicts the client's channel. */
  link: FrameLink;
  /** Every envelope the client sent, in order. */
  received: fedfuse.v1.Envelope[];
  /** Resolves with the client's Join. */
  join: Promise<fedfuse.v1.IJoin>;
}

export class MaliciousServer {
  private http: HttpServer | undefined;
  private io: IoServer | undefined;
  private waiting: ((c: ClientConnection) => void)[] = [];
  readonly connections: ClientConnection[] = [];

  /** @param clientMaxMessageBytes the SDK's maxMessageBytes (the mirror uses the same limit). */
  constructor(private readonly clientMaxMessageBytes: number) {}

  async start(): Promise<string> {
    const http = createServer();
    const io = new IoServer(http, { maxHttpBufferSize: recommendedMaxHttpBufferSize(), serveClient: false });
    io.on('connection', (socket) => {
      const received: fedfuse.v1.Envelope[] = [];
      const channel = new EnvelopeChannel(socket, { maxMessageBytes: 64 * 1024 * 1024 });
      const join = new Promise<fedfuse.v1.IJoin>((resolve) =>
        channel.onEnvelope((env) => {
          received.push(env);
          if (env.join) resolve(env.join);
        }),
      );
      const conn = { socket, link: new FrameLink(socket, this.clientMaxMessageBytes), received, join };
      this.connections.push(conn);
      for (const w of this.waiting.splice(0)) w(conn);
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    this.http = http;
    this.io = io;
    return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  }

  /** The next client connection (one already made and not yet taken, or the next one). */
  nextConnection(taken: number): Promise<ClientConnection> {
    if (this.connections.length > taken) return Promise.resolve(this.connections[taken]);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async stop(): Promise<void> {
    const io = this.io;
    this.io = undefined;
    if (io) await new Promise<void>((resolve) => io.close(() => resolve()));
    this.http = undefined;
  }
}
