// A TCP proxy between a socket.io client and the server that understands just enough WebSocket framing (RFC 6455)
// to cut the client's connection in the middle of an upload: once armed, it forwards the next N binary frames the
// client sends (socket.io binary attachments = our chunk frames), then only the first half of the frame after
// them, then destroys both sides, as a network failure mid-transfer would.
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

const OPCODE_CONTINUATION = 0x0;
const OPCODE_BINARY = 0x2;

/** Total size of the frame at the start of `buf` (header + payload), or undefined while its header is incomplete. */
function frameSize(buf: Buffer): number | undefined {
  if (buf.length < 2) return undefined;
  const masked = (buf[1] & 0x80) !== 0;
  let len = buf[1] & 0x7f;
  let header = 2;
  if (len === 126) {
    if (buf.length < 4) return undefined;
    len = buf.readUInt16BE(2);
    header = 4;
  } else if (len === 127) {
    if (buf.length < 10) return undefined;
    len = Number(buf.readBigUInt64BE(2));
    header = 10;
  }
  return header + (masked ? 4 : 0) + len;
}

export interface CutReport {
  /** Binary frames forwarded whole after arming, and their payload bytes (what the server's channel counts). */
  wholeFrames: number;
  wholeFramePayloadBytes: number;
  /** Bytes of the frame that was cut (forwarded) out of its total. */
  cutFrameBytes: { forwarded: number; total: number };
}

export class FrameCuttingProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private armed: { framesToPass: number; report: CutReport; resolve: (r: CutReport) => void } | undefined;
  connections = 0;

  constructor(private readonly targetPort: number) {
    this.server = createServer((down) => this.pipe(down));
  }

  async listen(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Lets `framesToPass` more client binary frames through whole, cuts the next one half-way; resolves when cut. */
  cutAfterBinaryFrames(framesToPass: number): Promise<CutReport> {
    return new Promise((resolve) => {
      const report = { wholeFrames: 0, wholeFramePayloadBytes: 0, cutFrameBytes: { forwarded: 0, total: 0 } };
      this.armed = { framesToPass, report, resolve };
    });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private pipe(down: Socket): void {
    this.connections++;
    const up = connect(this.targetPort, '127.0.0.1');
    for (const s of [down, up]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => {});
    }
    up.pipe(down);
    down.on('close', () => up.destroy());
    up.on('close', () => down.destroy());
    let pending = Buffer.alloc(0);
    let handshakeDone = false;
    let binaryMessage = false; // whether the current (possibly fragmented) message is binary
    down.on('data', (data: Buffer) => {
      pending = Buffer.concat([pending, data]);
      if (!handshakeDone) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        up.write(pending.subarray(0, end + 4));
        pending = pending.subarray(end + 4);
        handshakeDone = true;
      }
      for (;;) {
        const size = frameSize(pending);
        if (size === undefined || pending.length < size) return; // wait for the whole frame
        const frame = pending.subarray(0, size);
        pending = pending.subarray(size);
        const opcode = frame[0] & 0x0f;
        if (opcode !== OPCODE_CONTINUATION) binaryMessage = opcode === OPCODE_BINARY;
        const armed = this.armed;
        if (armed && binaryMessage && opcode <= OPCODE_BINARY) {
          if (armed.report.wholeFrames === armed.framesToPass) {
            const half = Math.floor(size / 2);
            up.write(frame.subarray(0, half));
            armed.report.cutFrameBytes = { forwarded: half, total: size };
            this.armed = undefined;
            // Let the half frame reach the server, then fail both directions.
            up.end(() => {
              up.destroy();
              down.destroy();
              armed.resolve(armed.report);
            });
            return;
          }
          armed.report.wholeFrames++;
          armed.report.wholeFramePayloadBytes += size - headerLength(frame);
        }
        up.write(frame);
      }
    });
  }
}

function headerLength(frame: Buffer): number {
  const len7 = frame[1] & 0x7f;
  return 2 + (len7 === 126 ? 2 : len7 === 127 ? 8 : 0) + ((frame[1] & 0x80) !== 0 ? 4 : 0);
}
