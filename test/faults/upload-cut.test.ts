import { expect } from 'chai';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { FederatedClient, type LocalData } from '@fedfuse/client';
import { disposeData, mnistSlice, quietServer, silent, TOKENS } from '../federation/helpers.js';
import { FrameCuttingProxy } from './frame-cutting-proxy.js';

describe('faults: a client connection cut mid-upload', function () {
  this.timeout(60_000);
  let alice: LocalData;
  let bob: LocalData;

  before(async () => {
    await initBackend();
    alice = await mnistSlice(0, 200);
    bob = await mnistSlice(200, 200);
  });
  after(() => disposeData(alice, bob));

  it('drops the partial upload, the client rejoins and resends, the round completes and the update counts once', async () => {
    const { server, logs } = quietServer({ rounds: 1 });
    const accepted: string[] = [];
    const rejected: string[] = [];
    server.on('update-accepted', (e) => accepted.push(`${e.round}:${e.clientId}`));
    server.on('update-rejected', (e) => rejected.push(`${e.round}:${e.clientId} ${e.code}`));
    const { url, port } = await server.start();
    const proxy = new FrameCuttingProxy(port);
    const proxyUrl = await proxy.listen();
    // 16 KiB chunks: the MLP 784-32-10 update (~100 kB) goes out as 7 chunk frames.
    const a = new FederatedClient({
      serverUrl: proxyUrl,
      clientId: 'alice',
      token: TOKENS.alice,
      data: alice,
      chunkBytes: 16 * 1024,
      reconnect: { delayMs: 100 },
      logger: silent,
    });
    const b = new FederatedClient({ serverUrl: url, clientId: 'bob', token: TOKENS.bob, data: bob, logger: silent });
    const seen: string[] = [];
    const uploadedBytes: Record<string, number> = {};
    let cut: ReturnType<FrameCuttingProxy['cutAfterBinaryFrames']> | undefined;
    a.on('task', (e) => seen.push(`task ${e.round}${e.resent ? ' resent' : ''}`));
    // The upload's frames go out right after 'trained': pass 3 of them, cut the 4th half-way.
    a.on('trained', (e) => {
      seen.push(`trained ${e.round}`);
      cut ??= proxy.cutAfterBinaryFrames(3);
    });
    a.on('disconnected', () => seen.push('disconnected'));
    a.on('reconnected', () => seen.push('reconnected'));
    a.on('uploaded', (e) => {
      seen.push(`uploaded ${e.round}`);
      uploadedBytes.alice = e.bytes;
    });
    b.on('uploaded', (e) => (uploadedBytes.bob = e.bytes));
    try {
      await Promise.all([a.start(), b.start()]);
      const [summary] = await server.finished();
      await Promise.all([a.finished(), b.finished()]);
      const report = await cut!;
      expect(report.wholeFrames).to.equal(3);
      expect(report.cutFrameBytes.forwarded).to.be.greaterThan(0).and.lessThan(report.cutFrameBytes.total);
      expect(proxy.connections).to.equal(2); // alice came back through the proxy by herself

      expect(summary.participants).to.deep.equal(['alice', 'bob']);
      expect(accepted.sort()).to.deep.equal(['1:alice', '1:bob']);
      expect(rejected).to.deep.equal([]);
      expect(logs.filter((l) => /BAD_MESSAGE|TOO_LARGE|protocol error|malformed/i.test(l))).to.deep.equal([]);
      // The server did receive the 3 whole chunk frames of the cut upload, and nothing came of them: the round's
      // received bytes are alice's full upload + bob's + those 3 frames + alice's small rejoin message.
      const unexplained = summary.bytesReceived - uploadedBytes.alice - uploadedBytes.bob - report.wholeFramePayloadBytes;
      expect(report.wholeFramePayloadBytes).to.be.greaterThan(3 * 16 * 1024);
      expect(unexplained).to.be.within(1, 1024);

      // Trained once, task re-sent after rejoining, the same update re-sent and acknowledged once.
      expect(seen.filter((s) => s === 'trained 1')).to.have.length(1);
      expect(seen.filter((s) => s === 'uploaded 1')).to.have.length(1);
      expect(seen).to.include.members(['task 1', 'disconnected', 'reconnected', 'task 1 resent']);
      expect(seen.indexOf('task 1 resent')).to.be.greaterThan(seen.indexOf('reconnected'));
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await server.stop();
      await proxy.close();
      a.model?.dispose();
      b.model?.dispose();
    }
  });
});
