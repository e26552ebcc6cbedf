// Issue 11, item 1: sockets that never Join must not be able to fill the server's memory with partial uploads, and
// partial uploads of joined clients are bounded in total, not only per connection.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import '@fedfuse/client/internal/proto/protobuf-runtime.js';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { decodeEnvelope, encodeEnvelope } from '@fedfuse/client/internal/proto/envelope.js';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { ChildScript } from '../faults/child-process.js';
import { quietServer } from '../federation/helpers.js';
import { JoinedPeers } from './joined-peers.js';
import { within } from '../fuzz/frame-link.js';
import { processMemory } from './process-memory.js';

const SERVER = 'test/faults/fixtures/server-process.ts';
const MIB = 1024 * 1024;
const CHUNK = 256 * 1024;

/** Chunk `index` of a transfer declaring `total` bytes (data of CHUNK bytes). */
function chunkFrame(transferId: number, index: number, total: number): Uint8Array {
  const count = Math.ceil(total / CHUNK);
  return fedfuse.v1.Chunk.encode({ transferId, index, count, totalBytes: total, data: new Uint8Array(CHUNK).fill(index & 0xff) }).finish();
}

/** A single-frame heartbeat: the server answers it in order, so its reply marks that every earlier frame was handled. */
function heartbeatFrame(): Uint8Array {
  const payload = encodeEnvelope({ heartbeat: { sentUnixMs: 1 } });
  return fedfuse.v1.Chunk.encode({ transferId: 2 ** 40, index: 0, count: 1, totalBytes: payload.length, data: payload }).finish();
}

/** What the server answered one never-joined socket, until its heartbeat reply or its disconnect. */
async function floodUnjoined(url: string, bytes: number): Promise<{ errors: string[]; disconnected: boolean }> {
  const socket: Socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  const errors: string[] = [];
  let disconnected = false;
  const done = new Promise<void>((resolve) => {
    socket.on('frame', (data: Uint8Array) => {
      const chunk = fedfuse.v1.Chunk.decode(new Uint8Array(data));
      const env = decodeEnvelope(chunk.data);
      if (env.body === 'error') errors.push(`${fedfuse.v1.ErrorCode[env.error!.code ?? 0]}: ${env.error!.message}`);
      if (env.body === 'heartbeat') resolve();
    });
    socket.on('disconnect', () => {
      disconnected = true;
      resolve();
    });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  for (let i = 0; i < bytes / CHUNK && socket.connected; i++) {
    socket.emit('frame', chunkFrame(1, i, bytes));
    // Let the socket drain now and then, so the flood is not all queued on this side.
    if (i % 16 === 15) await new Promise((r) => setImmediate(r));
  }
  if (socket.connected) socket.emit('frame', heartbeatFrame());
  await within(done, 'the server answers the flood (heartbeat or disconnect)', 60_000);
  socket.disconnect();
  return { errors, disconnected };
}

describe('hardening: memory from sockets that never join (issue 11, item 1)', function () {
  this.timeout(120_000);

  it('4 never-joined sockets sending 48 MiB each: refused at the Join size, disconnected, server peak RSS grows < 64 MiB (a real server process)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fedfuse-prejoin-'));
    const server = new ChildScript(SERVER, ['0', join(dir, 'checkpoints'), '1']);
    try {
      const port = await server.line('listening');
      const before = await processMemory(server.process.pid!);
      const results = await Promise.all([0, 1, 2, 3].map(() => floodUnjoined(`http://127.0.0.1:${port}`, 48 * MIB)));
      const after = await processMemory(server.process.pid!);
      const growth = after.peakRss - before.rss;
      console.log(`      server RSS ${(before.rss / MIB).toFixed(0)} MiB before, peak ${(after.peakRss / MIB).toFixed(0)} MiB during 4 × 48 MiB of pre-join uploads (+${(growth / MIB).toFixed(1)} MiB)`);
      for (const r of results) {
        expect(r.errors[0]).to.match(/^TOO_LARGE: .*declares 50331648 bytes, more than the limit of \d+ for a connection that has not joined; send Join first/);
        expect(r.disconnected, 'the flooding socket is disconnected').to.equal(true);
      }
      expect(growth).to.be.below(64 * MIB);
    } finally {
      await server.kill();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('partial uploads of all joined clients together stay under maxPendingUploadBytes; the one that would pass it is refused, naming the limit', async () => {
    await initBackend();
    const { server } = quietServer({ rounds: 1, minClients: 3, maxMessageBytes: 2 * MIB, maxPendingUploadBytes: 3 * MIB });
    const joined = new JoinedPeers();
    try {
      const { url } = await server.start();
      const peers = [await joined.join(url, 'alice'), await joined.join(url, 'bob'), await joined.join(url, 'carol')];
      // Each starts a 2 MiB upload and sends 1.25 MiB of it: 3.75 MiB in total would be held.
      for (const p of peers) for (let i = 0; i < 5; i++) p.socket.emit('frame', chunkFrame(1, i, 2 * MIB));
      for (const p of peers) p.channel.send({ heartbeat: { sentUnixMs: 1 } });
      const errors: string[] = [];
      for (const p of peers) {
        for (;;) {
          const env = await within(p.nextOf('error', 'heartbeat'), 'replies');
          if (env.body === 'heartbeat') break;
          errors.push(env.error!.message!);
        }
      }
      expect(errors).to.have.length.greaterThan(0);
      expect(errors[0]).to.match(/partial uploads of all connections would hold \d+ bytes, more than the limit of 3145728 \(maxPendingUploadBytes\)/);
      const held = (server['transport']!['connections'] as Set<{ channel: { pendingBytes: number } }>);
      const total = [...held].reduce((n, c) => n + c.channel.pendingBytes, 0);
      expect(total).to.be.at.most(3 * MIB);
    } finally {
      joined.closeAll();
      await server.stop();
    }
  });
});
