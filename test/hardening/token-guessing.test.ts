// Issue 11, item 9: failed joins back off per address and per client id, and a connection whose join failed gets no
// further answers, so tokens cannot be guessed at socket speed.
import { expect } from 'chai';
import '@fedfuse/client/internal/proto/protobuf-runtime.js';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { PROTOCOL_VERSION } from '@fedfuse/client/internal/proto/envelope.js';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { FailedJoinBackoff } from '../../server/auth/failed-join-backoff.js';
import { quietServer, TOKENS } from '../federation/helpers.js';
import { RawPeer } from '../reliability/raw-peer.js';
import { within } from '../fuzz/frame-link.js';

/** One guess on a fresh socket: 'wrong' when the server checked the token, 'throttled' when it refused to. */
async function guess(url: string, token: string): Promise<'wrong' | 'throttled' | 'welcome'> {
  const peer = new RawPeer(url);
  try {
    const env = await within(peer.join('alice', token), 'an answer to the join');
    if (env.body === 'welcome') return 'welcome';
    const code = fedfuse.v1.ErrorCode[env.error!.code ?? 0];
    if (code === 'UNAUTHORIZED') return 'wrong';
    if (code === 'RATE_LIMITED' && /too many failed joins/.test(env.error!.message ?? '')) return 'throttled';
    throw new Error(`unexpected answer ${code}: ${env.error!.message}`);
  } finally {
    peer.close();
  }
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
    const { server } = quietServer({ rounds: 1, minClients: 3, joinBackoff: { freeFailures: 2, baseMs: 300, maxMs: 300 } });
    try {
      const { url } = await server.start();
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await guess(url, `wrong-000${i}`));
      // 2 free failures, the 3rd starts the backoff.
      expect(answers).to.deep.equal(['wrong', 'wrong', 'wrong', 'throttled']);
      await new Promise((r) => setTimeout(r, 400));
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
