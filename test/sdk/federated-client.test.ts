import { expect } from 'chai';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { FederatedClient, type LocalData } from '@fedfuse/client';
import { disposeData, mnistSlice, quietServer, silent, TOKENS } from '../federation/helpers.js';

/** A TCP proxy the test can cut, to drop a client's connection the way a network failure would. */
class CuttableProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(targetPort: number) {
    this.server = createServer((down) => {
      const up = connect(targetPort, '127.0.0.1');
      for (const s of [down, up]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {});
      }
      down.pipe(up);
      up.pipe(down);
      down.on('close', () => up.destroy());
      up.on('close', () => down.destroy());
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
    return `http://127.0.0.1:${this.port}`;
  }

  cut(): void {
    for (const s of this.sockets) s.destroy();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

describe('FederatedClient', function () {
  this.timeout(60_000);
  let alice: LocalData;
  let bob: LocalData;

  before(async () => {
    await initBackend();
    alice = await mnistSlice(0, 200);
    bob = await mnistSlice(200, 200);
  });
  after(() => disposeData(alice, bob));

  it('start() rejects with the server’s clear error for an unknown token, and for an unknown id', async () => {
    const { server, logs } = quietServer({ rounds: 1 });
    const { url } = await server.start();
    try {
      for (const [clientId, token] of [
        ['alice', 'not-the-token'],
        ['mallory', TOKENS.alice],
      ]) {
        const client = new FederatedClient({ serverUrl: url, clientId, token, data: alice, logger: silent });
        let error: Error | undefined;
        await client.start().catch((e: Error) => (error = e));
        expect(error?.message).to.equal(
          `server refused client ${clientId}: UNAUTHORIZED: authentication failed for client "${clientId}": unknown client id or wrong token`,
        );
        await client.finished().then(
          () => expect.fail('finished() must reject too'),
          (e: Error) => expect(e.message).to.match(/UNAUTHORIZED/),
        );
        await client.stop();
      }
      expect(server.connectedClients).to.deep.equal([]);
      expect(logs.filter((l) => l.includes('authentication failed'))).to.have.length(2);
    } finally {
      await server.stop();
    }
  });

  it('start() rejects when no server answers, after its retries', async () => {
    const client = new FederatedClient({
      serverUrl: 'http://127.0.0.1:9', // discard port: nothing listens there
      clientId: 'alice',
      token: TOKENS.alice,
      data: alice,
      reconnect: { retries: 1, delayMs: 50 },
      logger: silent,
    });
    let error: Error | undefined;
    await client.start().catch((e: Error) => (error = e));
    expect(error?.message).to.match(/could not reach http:\/\/127\.0\.0\.1:9 after 1 reconnection attempts/);
    await client.stop();
  });

  it('reconnects after a connection drop mid-round, rejoins, gets the task again and its update counts once', async () => {
    const { server } = quietServer({ rounds: 2 });
    const accepted: string[] = [];
    server.on('update-accepted', (e) => accepted.push(`${e.round}:${e.clientId}`));
    const { url, port } = await server.start();
    const proxy = new CuttableProxy(port);
    const proxyUrl = await proxy.listen();
    const a = new FederatedClient({
      serverUrl: proxyUrl,
      clientId: 'alice',
      token: TOKENS.alice,
      data: alice,
      reconnect: { delayMs: 100 },
      logger: silent,
    });
    const b = new FederatedClient({ serverUrl: url, clientId: 'bob', token: TOKENS.bob, data: bob, logger: silent });
    const seen: string[] = [];
    let cut = false;
    a.on('task', (e) => {
      seen.push(`task ${e.round}${e.resent ? ' resent' : ''}`);
      if (!cut) {
        cut = true;
        proxy.cut();
      }
    });
    a.on('disconnected', () => seen.push('disconnected'));
    a.on('reconnected', () => seen.push('reconnected'));
    a.on('trained', (e) => seen.push(`trained ${e.round}`));
    a.on('uploaded', (e) => seen.push(`uploaded ${e.round}`));
    try {
      await Promise.all([a.start(), b.start()]);
      const history = await server.finished();
      await a.finished();
      expect(history.map((h) => h.participants)).to.deep.equal([
        ['alice', 'bob'],
        ['alice', 'bob'],
      ]);
      expect(accepted.sort()).to.deep.equal(['1:alice', '1:bob', '2:alice', '2:bob']);
      // Trained round 1 once, although the task came twice; never uploaded a round without the ack.
      expect(seen.filter((s) => s === 'trained 1')).to.have.length(1);
      expect(seen.filter((s) => s === 'uploaded 1')).to.have.length(1);
      expect(seen).to.include.members(['disconnected', 'reconnected', 'task 1', 'task 1 resent', 'trained 2', 'uploaded 2']);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await server.stop();
      await proxy.close();
      a.model?.dispose();
      b.model?.dispose();
    }
  });
});
