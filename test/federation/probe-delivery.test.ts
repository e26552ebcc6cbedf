// The server sends its probe set once per connection: later tasks on the same connection name it by sha256 only;
// a ProbeRequest (the client lacks it) or a new connection (a reconnect) gets the tensors again. A client's
// CLIENT_FAILED report reaches the server's log and its 'client-error' event.
import { expect } from 'chai';
import '@fedfuse/client/internal/proto/protobuf-runtime.js';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { createStrategy } from '../../server/strategies/index.js';
import type { ClientErrorEvent } from '../../server/federation-server.js';
import { RawPeer } from '../reliability/raw-peer.js';
import { within } from '../fuzz/frame-link.js';
import { quietServer, TOKENS, TRAINING } from './helpers.js';

const PROBE_ROWS = 20;

describe('federation: the probe set goes out once per connection', function () {
  this.timeout(60_000);
  before(() => initBackend());

  it('names the probe by hash in later tasks, re-sends it on a ProbeRequest and to a new connection', async () => {
    const values = new Float32Array(PROBE_ROWS * 784).map((_, i) => (i % 255) / 255);
    const { server, logs } = quietServer({
      rounds: 1,
      minClients: 1,
      roundDeadlineMs: 700,
      strategy: await createStrategy('neuron-interpolation', { activationsFrom: 'clients' }),
      training: { ...TRAINING, localEpochs: 1 },
      probe: { x: { shape: [PROBE_ROWS, 784], values } },
    });
    const errors: ClientErrorEvent[] = [];
    server.on('client-error', (e) => errors.push(e));
    const { url } = await server.start();
    const peer = new RawPeer(url);
    let again: RawPeer | undefined;
    try {
      expect((await peer.join('alice', TOKENS.alice)).body).to.equal('welcome');
      const first = (await within(peer.nextOf('trainTask'), 'the first task')).trainTask!;
      expect(first.probeSha256).to.match(/^[0-9a-f]{64}$/);
      expect(first.probeInputs?.shape).to.deep.equal([PROBE_ROWS, 784]);

      // No update before the deadline: the round is retried and the same connection gets the task again, hash only.
      const retried = (await within(peer.nextOf('trainTask'), 'the retried task')).trainTask!;
      expect(retried.probeSha256).to.equal(first.probeSha256);
      expect(retried.probeInputs).to.equal(null);

      peer.channel.send({ probeRequest: { round: retried.round, probeSha256: first.probeSha256 } });
      const resent = (await within(peer.nextOf('trainTask'), 'the task re-sent with the probe')).trainTask!;
      expect(resent.probeInputs?.shape).to.deep.equal([PROBE_ROWS, 784]);

      peer.channel.send({ error: { code: fedfuse.v1.ErrorCode.CLIENT_FAILED, message: 'out of memory while training', round: resent.round } });
      await within((async () => { while (errors.length === 0) await new Promise((r) => setTimeout(r, 10)); })(), 'the client-error event');
      expect(errors[0]).to.deep.equal({ round: resent.round, clientId: 'alice', code: 'CLIENT_FAILED', message: 'out of memory while training' });
      expect(logs.some((l) => l.includes('client alice reported CLIENT_FAILED: out of memory while training'))).to.equal(true);

      // A reconnect is a new connection: its task carries the probe again.
      again = new RawPeer(url);
      expect((await again.join('alice', TOKENS.alice)).body).to.equal('welcome');
      const afterReconnect = (await within(again.nextOf('trainTask'), 'the task after reconnecting')).trainTask!;
      expect(afterReconnect.probeInputs?.shape).to.deep.equal([PROBE_ROWS, 784]);
    } finally {
      peer.close();
      again?.close();
      await server.stop();
    }
  });
});
