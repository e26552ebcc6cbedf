// Issue 23, item 3: trustProxy, end to end on a real socket.io server. Behind a trusted reverse proxy the failed-join
// backoff counts per client address (X-Forwarded-For's right-most entry that is not a trusted proxy), not per proxy;
// anyone else's X-Forwarded-For is ignored, so a guesser cannot escape its backoff by writing a new address into it.
import { expect } from 'chai';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { quietServer, TOKENS } from '../federation/helpers.js';
import { guessJoin, type GuessAnswer } from './join-guess.js';

// 2 free failures, then 30 s: nothing expires during a test.
const joinBackoff = { freeFailures: 2, baseMs: 30_000, maxMs: 30_000 };

/** One Join of an unknown id (failures count per address only) on a fresh socket: checked, or refused unchecked. */
function guess(url: string, o: { from?: string; forwardedFor?: string; clientId?: string; token?: string }): Promise<GuessAnswer> {
  return guessJoin(url, { clientId: o.clientId ?? 'nobody', token: o.token ?? 'not-a-token', localAddress: o.from, forwardedFor: o.forwardedFor });
}

describe('hardening: trustProxy and X-Forwarded-For (issue 23)', function () {
  this.timeout(60_000);
  before(() => initBackend());

  it('behind a trusted proxy (127.0.0.1) the backoff counts per forwarded client address, not per proxy', async () => {
    const { server } = quietServer({ rounds: 1, minClients: 3, joinBackoff, trustProxy: ['127.0.0.1'] });
    try {
      const { url } = await server.start();
      const first = [];
      for (let i = 0; i < 4; i++) first.push(await guess(url, { from: '127.0.0.1', forwardedFor: '203.0.113.7' }));
      expect(first).to.deep.equal(['wrong', 'wrong', 'wrong', 'throttled']);
      // Another client behind the same proxy is not held back by 203.0.113.7's failures ...
      expect(await guess(url, { from: '127.0.0.1', forwardedFor: '203.0.113.8' })).to.equal('wrong');
      // ... and what a client writes left of the proxy's entry is not believed.
      expect(await guess(url, { from: '127.0.0.1', forwardedFor: '198.51.100.1, 203.0.113.7' })).to.equal('throttled');
      // Through a chain of trusted proxies: the right-most untrusted entry.
      const chained = await guess(url, { from: '127.0.0.1', forwardedFor: '203.0.113.7, 127.0.0.1' });
      expect(chained).to.equal('throttled');
      // The owner of a real id, behind the same proxy, joins.
      expect(await guess(url, { from: '127.0.0.1', forwardedFor: '203.0.113.9', clientId: 'alice', token: TOKENS.alice })).to.equal('welcome');
    } finally {
      await server.stop();
    }
  });

  it('spoofing: a peer that is not a trusted proxy is limited under its own address whatever X-Forwarded-For it sends', async () => {
    const { server } = quietServer({ rounds: 1, minClients: 3, joinBackoff, trustProxy: ['127.0.0.1'] });
    try {
      const { url } = await server.start();
      const answers = [];
      for (let i = 0; i < 5; i++) answers.push(await guess(url, { from: '127.0.0.2', forwardedFor: `203.0.113.${20 + i}` }));
      expect(answers).to.deep.equal(['wrong', 'wrong', 'wrong', 'throttled', 'throttled']);
      // Without trustProxy nobody's header counts: the proxy's clients share the proxy's address.
      const { server: plain } = quietServer({ rounds: 1, minClients: 3, joinBackoff });
      try {
        const plainUrl = (await plain.start()).url;
        const shared = [];
        for (let i = 0; i < 4; i++) shared.push(await guess(plainUrl, { from: '127.0.0.1', forwardedFor: `203.0.113.${40 + i}` }));
        expect(shared).to.deep.equal(['wrong', 'wrong', 'wrong', 'throttled']);
      } finally {
        await plain.stop();
      }
    } finally {
      await server.stop();
    }
  });

  it('a dual-stack server (::) sees IPv4 peers as ::ffff:127.0.0.1: still matched by a plain IPv4 trustProxy entry', async function () {
    const { server } = quietServer({ rounds: 1, minClients: 3, host: '::', joinBackoff, trustProxy: ['127.0.0.0/8'] });
    let port: number;
    try {
      port = Number(new URL((await server.start()).url).port);
    } catch (e) {
      await server.stop();
      if ((e as NodeJS.ErrnoException).code === 'EAFNOSUPPORT' || (e as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL') this.skip();
      throw e;
    }
    try {
      const url = `http://127.0.0.1:${port}`;
      for (let i = 0; i < 3; i++) expect(await guess(url, { forwardedFor: '2001:db8::7' })).to.equal('wrong');
      expect(await guess(url, { forwardedFor: '2001:DB8:0::7' })).to.equal('throttled');
      expect(await guess(url, { forwardedFor: '2001:db8::8' })).to.equal('wrong');
    } finally {
      await server.stop();
    }
  });
});
