// Issue 11, item 9: failed joins back off per address and per client id, and a connection whose join failed gets no
// further answers, so tokens cannot be guessed at socket speed. Issue 19: the per-id backoff delays checks instead of
// refusing them, so a guesser who knows an id cannot lock its owner out (real sockets from 127.0.0.2 and 127.0.0.3).
import { expect } from 'chai';
import '@fedfuse/client/internal/proto/protobuf-runtime.js';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { PROTOCOL_VERSION } from '@fedfuse/client/internal/proto/envelope.js';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { FailedJoinBackoff } from '../../server/auth/failed-join-backoff.js';
import { JoinThrottle } from '../../server/auth/join-throttle.js';
import { quietServer, TOKENS } from '../federation/helpers.js';
import { RawPeer } from '../reliability/raw-peer.js';
import { within } from '../fuzz/frame-link.js';
import { guessJoin, type GuessAnswer } from './join-guess.js';

/**
 * One guess for alice on a fresh socket (from `localAddress`, default 127.0.0.1): 'wrong' when the server checked the
 * token, 'throttled' when it refused to.
 */
function guess(url: string, token: string, localAddress?: string): Promise<GuessAnswer> {
  return guessJoin(url, { clientId: 'alice', token, localAddress });
}

describe('hardening: token guessing (issue 11, item 9)', function () {
  this.timeout(60_000);
  before(() => initBackend());

  it('guesses over fresh sockets from one address for 3 s: at most 8 are checked (default backoff), the rest are refused unchecked; the right token works once the backoff has passed', async () => {
    const { server } = quietServer({ rounds: 1, minClients: 3 });
    try {
      const { url } = await server.start();
      const answers = { wrong: 0, throttled: 0, welcome: 0 };
      const started = Date.now();
      for (let i = 0; Date.now() - started < 3000; i++) answers[await guess(url, `guess-${String(i).padStart(6, '0')}`)]++;
      const seconds = (Date.now() - started) / 1000;
      console.log(`      ${answers.wrong + answers.throttled} guesses in ${seconds.toFixed(1)} s from one address: ${answers.wrong} checked (${(answers.wrong / seconds).toFixed(1)}/s), ${answers.throttled} refused unchecked`);
      expect(answers.welcome).to.equal(0);
      expect(answers.wrong).to.be.at.least(5).and.at.most(8);
      expect(answers.throttled).to.be.greaterThan(0);
      // During the backoff even the right token is refused without being checked.
      expect(await guess(url, TOKENS.alice)).to.equal('throttled');
    } finally {
      await server.stop();
    }
  });

  it('the right token is accepted again once the backoff has passed (short backoff)', async () => {
    // 1 s: long enough that a loaded machine opens the 4th socket inside the backoff.
    const { server } = quietServer({ rounds: 1, minClients: 3, joinBackoff: { freeFailures: 2, baseMs: 1000, maxMs: 1000 } });
    try {
      const { url } = await server.start();
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await guess(url, `wrong-000${i}`));
      // 2 free failures, the 3rd starts the backoff.
      expect(answers).to.deep.equal(['wrong', 'wrong', 'wrong', 'throttled']);
      await new Promise((r) => setTimeout(r, 1100));
      expect(await guess(url, TOKENS.alice)).to.equal('welcome');
    } finally {
      await server.stop();
    }
  });

  it('500 Joins with wrong tokens on one socket get exactly one answer, then the socket is closed', async () => {
    const { server } = quietServer({ rounds: 1, minClients: 3 });
    const peer = new RawPeer((await server.start()).url);
    try {
      await peer.connected();
      for (let i = 0; i < 500; i++) {
        peer.channel.send({ join: { protocolVersion: PROTOCOL_VERSION, clientId: 'alice', authToken: `guess-${i}-abcdef` } });
      }
      await within(peer.disconnected, 'the socket is closed');
      const answers = peer.inbox.filter((e) => e.body === 'error').map((e) => e.error!.message);
      expect(answers).to.deep.equal(['authentication failed for client "alice": unknown client id or wrong token']);
    } finally {
      peer.close();
      await server.stop();
    }
  });

  it('issue 19: failed joins from one address (127.0.0.2) never keep out the client holding the token (127.0.0.3), even while the guessing goes on', async () => {
    const { server } = quietServer({ rounds: 1, minClients: 3 });
    try {
      const { url } = await server.start();
      const answers = { wrong: 0, throttled: 0, welcome: 0 };
      // The guesser first runs into its address's backoff (default: 5 free failures) ...
      for (let i = 0; answers.throttled < 3; i++) answers[await guess(url, `guess-a-${i}`, '127.0.0.2')]++;
      // ... then keeps guessing while the owner joins from another address.
      let guessing = true;
      const guesser = (async () => {
        for (let i = 0; guessing; i++) answers[await guess(url, `guess-b-${i}`, '127.0.0.2')]++;
      })();
      const started = Date.now();
      const owner = await guess(url, TOKENS.alice, '127.0.0.3');
      const ownerSeconds = (Date.now() - started) / 1000;
      // The owner's next connection from the address it joined from is trusted (checked at once, still welcome).
      const again = await guess(url, TOKENS.alice, '127.0.0.3');
      guessing = false;
      await guesser;
      console.log(`      guesser: ${answers.wrong} checked, ${answers.throttled} refused unchecked; the owner's join from another address was welcomed after ${ownerSeconds.toFixed(1)} s`);
      expect(owner).to.equal('welcome');
      expect(again).to.equal('welcome');
      expect(answers.welcome).to.equal(0);
      expect(answers.wrong).to.be.at.least(5);
      expect(answers.throttled).to.be.at.least(3);
      // From the guessing address even the right token is refused unchecked while it backs off.
      expect(await guess(url, TOKENS.alice, '127.0.0.2')).to.equal('throttled');
    } finally {
      await server.stop();
    }
  });

  it('issue 19: guessing one id from 16 addresses at once is slowed to one check per slot of the id (delayed, not refused)', async () => {
    const { server } = quietServer({ rounds: 1, minClients: 3 });
    try {
      const { url } = await server.start();
      const answers = { wrong: 0, throttled: 0, welcome: 0, unanswered: 0 };
      const addresses = Array.from({ length: 16 }, (_, i) => `127.0.0.${10 + i}`);
      const window = new Promise<'unanswered'>((resolve) => setTimeout(() => resolve('unanswered'), 3000));
      let open = true;
      void window.then(() => (open = false));
      let guesses = 0;
      // Each address guesses again as soon as it has its answer; what is still waiting at 3 s is not counted.
      await Promise.all(
        addresses.map(async (address) => {
          while (open) {
            const answer = guess(url, `guess-${address}-${guesses++}`, address);
            answer.catch(() => {}); // one still waiting when the server stops is abandoned
            answers[await Promise.race([answer, window])]++;
          }
        }),
      );
      console.log(
        `      16 addresses guessing for 3 s: ${answers.wrong} checked, ${answers.throttled} refused unchecked, ` +
          `${answers.unanswered} still waiting for their slot (each address alone would have had 5 free checks: 80)`,
      );
      expect(answers.welcome).to.equal(0);
      // 6 checked at once (5 free failures + the one that starts the backoff), then one per slot (1 s, then wider).
      expect(answers.wrong).to.be.at.least(6).and.at.most(10);
      expect(answers.unanswered).to.be.at.least(6);
    } finally {
      await server.stop();
    }
  });

  it('the join throttle: an address that fails is refused, an id that others fail is delayed in slots, a trusted (id, address) pair is not', async () => {
    const t = new JoinThrottle({ freeFailures: 2, baseMs: 1000, maxMs: 8000, idDelayMaxMs: 4000 });
    await t.succeeded('alice', 'owner', 0);
    for (let i = 0; i < 3; i++) await t.failed('alice', 'guesser', true, 0);
    expect(await t.decide('alice', 'guesser', true, 0)).to.deep.include({ kind: 'refuse', waitMs: 1000 });
    // Another address: checked in the id's next slots (1 s apart here), never refused.
    expect(await t.decide('alice', 'a2', true, 0)).to.deep.equal({ kind: 'check', delayMs: 1000 });
    expect(await t.decide('alice', 'a3', true, 0)).to.deep.equal({ kind: 'check', delayMs: 2000 });
    // The owner's known address, an unknown id, another id: at once.
    expect(await t.decide('alice', 'owner', true, 0)).to.deep.equal({ kind: 'check', delayMs: 0 });
    expect(await t.decide('nobody', 'a4', false, 0)).to.deep.equal({ kind: 'check', delayMs: 0 });
    expect(await t.decide('bob', 'a4', true, 0)).to.deep.equal({ kind: 'check', delayMs: 0 });
    // One waiting join per address.
    t.waiting('a2');
    expect((await t.decide('bob', 'a2', true, 0)).kind).to.equal('refuse');
    t.settled('a2');
    // Slots widen with the id's backoff, capped at idDelayMaxMs.
    for (let i = 0; i < 10; i++) await t.failed('alice', `x${i}`, true, 0);
    expect(await t.decide('alice', 'a5', true, 0)).to.deep.equal({ kind: 'check', delayMs: 4000 });
    expect(await t.decide('alice', 'a6', true, 0)).to.deep.equal({ kind: 'check', delayMs: 8000 });
    // Half-way through the wait, a newcomer still queues a whole step behind the last slot.
    expect(await t.decide('alice', 'a7', true, 4000)).to.deep.equal({ kind: 'check', delayMs: 12_000 - 4000 });
  });

  it('the backoff counts per key: failures for one client id lock that id, not another; unknown keys are forgotten beyond the table size', () => {
    const backoff = new FailedJoinBackoff({ freeFailures: 2, baseMs: 1000, maxMs: 8000, maxKeys: 3 });
    for (let i = 0; i < 2; i++) backoff.fail('id:alice', 0);
    expect(backoff.waitMs('id:alice', 0)).to.equal(0);
    backoff.fail('id:alice', 0);
    expect(backoff.waitMs('id:alice', 0)).to.equal(1000);
    backoff.fail('id:alice', 1000);
    expect(backoff.waitMs('id:alice', 1000)).to.equal(2000);
    for (let i = 0; i < 10; i++) backoff.fail('id:alice', 3000);
    expect(backoff.waitMs('id:alice', 3000)).to.equal(8000);
    expect(backoff.waitMs('id:bob', 3000)).to.equal(0);
    backoff.succeed('id:alice');
    expect(backoff.waitMs('id:alice', 3000)).to.equal(0);
    for (const k of ['a', 'b', 'c', 'd', 'e']) backoff.fail(k, 0);
    expect(backoff.size).to.be.at.most(3);
  });
});
