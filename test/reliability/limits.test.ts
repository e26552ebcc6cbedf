import { expect } from 'chai';
import fc from 'fast-check';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { FederatedClient, type LocalData } from '@fedfuse/client';
import { TokenBucket } from '../../server/limits/token-bucket.js';
import { parseServerConfig } from '../../server/config.js';
import { disposeData, MLP, mnistSlice, quietServer, silent, TOKENS } from '../federation/helpers.js';
import { RawPeer } from './raw-peer.js';

describe('limits: token bucket', () => {
  it('lets a burst through, then refills at the rate', () => {
    const b = new TokenBucket(2, 3, 0);
    expect([b.take(0), b.take(0), b.take(0), b.take(0)]).to.deep.equal([true, true, true, false]);
    expect(b.take(499)).to.equal(false);
    expect(b.take(500)).to.equal(true); // 0.5 s at 2/s = one token
    expect(b.take(500)).to.equal(false);
    expect(b.take(10_000_000)).to.equal(true); // never more than the burst after a long pause
    expect([b.take(10_000_000), b.take(10_000_000), b.take(10_000_000)]).to.deep.equal([true, true, false]);
  });

  it('never admits more than burst + rate × elapsed (fast-check, 300 random arrival sequences)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 100, noNaN: true }),
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.integer({ min: -50, max: 2_000 }), { minLength: 1, maxLength: 200 }),
        (rate, burst, gaps) => {
          const b = new TokenBucket(rate, burst, 0);
          let now = 0;
          let admitted = 0;
          let latest = 0;
          for (const gap of gaps) {
            now += gap; // negative gaps: a clock stepping backwards mints nothing
            latest = Math.max(latest, now);
            if (b.take(now)) admitted++;
            expect(admitted).to.be.at.most(burst + (rate * latest) / 1000 + 1e-9);
          }
        },
      ),
      { numRuns: 300, seed: 5 },
    );
  });

  it('rejects nonsense limits with the field named', () => {
    expect(() => new TokenBucket(0, 1, 0)).to.throw(/rate must be positive/);
    expect(() => quietServer({ rounds: 1, rateLimit: { messagesPerSecond: -1 } })).to.throw(/rateLimit.messagesPerSecond must be a positive number/);
    expect(() => quietServer({ rounds: 1, rateLimit: { messagesPerSecond: 1, burst: 0.5 } })).to.throw(/rateLimit.burst must be a positive integer/);
    expect(() => quietServer({ rounds: 1, minClients: 3, maxClients: 2 })).to.throw(/maxClients \(2\) is below minClients \(3\)/);
    const base = { rounds: 1, tokens: { a: 'aaaaaaaa' }, model: MLP };
    expect(parseServerConfig({ ...base, maxClients: 5, rateLimit: { messagesPerSecond: 3, burst: 6 } })).to.include({ maxClients: 5 });
    expect(() => parseServerConfig({ ...base, maxClients: 0 })).to.throw(/maxClients/);
    expect(() => parseServerConfig({ ...base, rateLimit: { burst: 6 } })).to.throw(/rateLimit.messagesPerSecond/);
  });
});

describe('limits: real sockets', function () {
  this.timeout(60_000);
  const peers: RawPeer[] = [];
  const peer = (url: string) => {
    const p = new RawPeer(url);
    peers.push(p);
    return p;
  };
  afterEach(() => {
    for (const p of peers.splice(0)) p.close();
  });

  it('maxClients: a join beyond it gets SERVER_FULL and is closed; a reconnect of a joined id still gets in; a freed seat is reusable', async () => {
    const { server, logs } = quietServer({ rounds: 1, minClients: 2, maxClients: 2 });
    const { url } = await server.start();
    try {
      expect((await peer(url).join('alice', TOKENS.alice)).body).to.equal('welcome');
      const bob = peer(url);
      expect((await bob.join('bob', TOKENS.bob)).body).to.equal('welcome');

      const carol = peer(url);
      const refused = await carol.join('carol', TOKENS.carol);
      expect(refused.body).to.equal('error');
      expect(refused.error!.code).to.equal(10); // SERVER_FULL
      expect(refused.error!.message).to.match(/server full: 2 of at most 2 clients are connected/);
      expect(await carol.disconnected).to.equal('io server disconnect');
      expect(logs.some((l) => /rejected join of "carol": server full/.test(l))).to.equal(true);

      // Same id from a new socket replaces the old session: it does not need a free seat.
      const bob2 = peer(url);
      expect((await bob2.join('bob', TOKENS.bob)).body).to.equal('welcome');
      await bob.disconnected;
      expect(server.connectedClients).to.deep.equal(['alice', 'bob']);

      bob2.close();
      while (server.connectedClients.includes('bob')) await new Promise((r) => setTimeout(r, 20));
      expect((await peer(url).join('carol', TOKENS.carol)).body).to.equal('welcome');
      expect(server.connectedClients).to.deep.equal(['alice', 'carol']);
    } finally {
      await server.stop();
    }
  });

  it('rate limit: over the burst → RATE_LIMITED and the message is dropped; persistent abuse → disconnect; others unaffected', async () => {
    // A rate this low refills nothing during the test, so the counts below are exact.
    const { server, logs } = quietServer({ rounds: 1, minClients: 3, rateLimit: { messagesPerSecond: 0.001, burst: 3, disconnectAfter: 5 } });
    const { url } = await server.start();
    try {
      const abuser = peer(url);
      const honest = peer(url);
      expect((await abuser.join('bob', TOKENS.bob)).body).to.equal('welcome'); // token 1
      expect((await honest.join('alice', TOKENS.alice)).body).to.equal('welcome');
      for (let i = 0; i < 2; i++) {
        abuser.channel.send({ heartbeat: { sentUnixMs: i } }); // tokens 2, 3
        expect((await abuser.nextOf('heartbeat', 'error')).body).to.equal('heartbeat');
      }
      abuser.channel.send({ heartbeat: { sentUnixMs: 9 } });
      await abuser.expectError('RATE_LIMITED', /rate limit exceeded: more than 0\.001 messages per second \(burst 3\); heartbeat message dropped/);
      expect(abuser.inbox.filter((e) => e.body === 'heartbeat')).to.have.length(0);

      for (let i = 0; i < 10; i++) abuser.channel.send({ heartbeat: { sentUnixMs: i } });
      expect(await abuser.disconnected).to.equal('io server disconnect');
      const errors = abuser.inbox.filter((e) => e.body === 'error').map((e) => e.error!.message);
      expect(errors.at(-1)).to.match(/5 messages in a row over the rate limit; disconnecting/);
      expect(abuser.inbox.filter((e) => e.body === 'heartbeat')).to.have.length(0);
      expect(logs.filter((l) => /over the rate limit; disconnecting/.test(l))).to.have.length(1);

      honest.channel.send({ heartbeat: { sentUnixMs: 1 } });
      expect((await honest.nextOf('heartbeat', 'error')).body).to.equal('heartbeat');
      expect(server.connectedClients).to.deep.equal(['alice']);
    } finally {
      await server.stop();
    }
  });

  describe('with real SDK clients', () => {
    let alice: LocalData;
    let bob: LocalData;
    before(async () => {
      await initBackend();
      alice = await mnistSlice(0, 200);
      bob = await mnistSlice(200, 200);
    });
    after(() => disposeData(alice, bob));

    it('a federation of well-behaved clients completes under maxClients and a tight rate limit', async () => {
      const { server } = quietServer({ rounds: 2, minClients: 2, maxClients: 2, rateLimit: { messagesPerSecond: 1, burst: 3, disconnectAfter: 1 } });
      const rateErrors: string[] = [];
      const { url } = await server.start();
      const clients = [
        new FederatedClient({ serverUrl: url, clientId: 'alice', token: TOKENS.alice, data: alice, logger: silent }),
        new FederatedClient({ serverUrl: url, clientId: 'bob', token: TOKENS.bob, data: bob, logger: silent }),
      ];
      for (const c of clients) c.on('error', (e) => rateErrors.push(e.message));
      try {
        await Promise.all(clients.map((c) => c.start()));
        const summaries = await server.finished();
        expect(summaries.map((s) => s.participants.length)).to.deep.equal([2, 2]);
        expect(rateErrors).to.deep.equal([]);
      } finally {
        await Promise.all(clients.map((c) => c.stop()));
        await server.stop();
      }
    });
  });
});
