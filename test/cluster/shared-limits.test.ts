// Issue 23, item 3: limits that hold cluster-wide. Three node processes share one real redis-server: a guesser that
// spreads wrong-token joins for a known client id over the nodes is limited exactly as the same guesses on one server
// are, and the client holding the token still joins from another address; cluster.maxClients caps the clients of all
// nodes together (a reconnect does not count twice); a rate-limited client that moves from node to node gets the
// allowance of one.
import { expect } from 'chai';
import { Redis } from 'ioredis';
import '@fedfuse/client/internal/proto/protobuf-runtime.js';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import type { FederationServerOptions } from '../../server/federation-server.js';
import { ChildScript } from '../faults/child-process.js';
import { quietServer, TOKENS } from '../federation/helpers.js';
import { within } from '../fuzz/frame-link.js';
import { RawPeer } from '../reliability/raw-peer.js';
import { RedisProcess, requireRedisServer } from './redis-process.js';

const NODE = 'test/cluster/fixtures/cluster-node.ts';
const FEDERATION = 'shared-limits';

/** A backoff long enough that nothing expires during the test (the counts are exact), a short delay for the owner. */
const LIMITS: Partial<FederationServerOptions> = {
  joinBackoff: { freeFailures: 5, baseMs: 30_000, maxMs: 30_000, idDelayMaxMs: 1000 },
  // Refills one message per 1000 s: nothing during the test.
  rateLimit: { messagesPerSecond: 0.001, burst: 4, disconnectAfter: 1000 },
  cluster: { maxClients: 2 } as FederationServerOptions['cluster'],
};

type Answer = 'welcome' | 'wrong' | 'throttled' | `${string}: ${string}`;

/** One Join on a fresh socket from `localAddress`: what the server answered. The peer stays open when welcomed. */
async function join(url: string, clientId: string, token: string, localAddress: string, peers: RawPeer[]): Promise<Answer> {
  const peer = new RawPeer(url, { localAddress });
  peers.push(peer);
  const env = await within(peer.join(clientId, token), 'an answer to the join', 30_000);
  if (env.body === 'welcome') return 'welcome';
  peer.close();
  const code = fedfuse.v1.ErrorCode[env.error!.code ?? 0];
  if (code === 'UNAUTHORIZED') return 'wrong';
  if (code === 'RATE_LIMITED' && /too many failed joins/.test(env.error!.message ?? '')) return 'throttled';
  return `${code}: ${env.error!.message}`;
}

/** Sends heartbeats until one is refused: how many were answered. */
async function heartbeatsUntilLimited(peer: RawPeer): Promise<number> {
  for (let answered = 0; ; answered++) {
    peer.channel.send({ heartbeat: { sentUnixMs: Date.now() } });
    const env = await within(peer.nextOf('heartbeat', 'error'), 'an answer to a heartbeat', 10_000);
    if (env.body === 'error') {
      expect(fedfuse.v1.ErrorCode[env.error!.code ?? 0]).to.equal('RATE_LIMITED');
      return answered;
    }
  }
}

describe('cluster: limits that hold cluster-wide (issue 23)', function () {
  this.timeout(180_000);
  let redis: RedisProcess;
  let nodes: ChildScript[] = [];
  let urls: string[] = [];
  const peers: RawPeer[] = [];

  before(async function () {
    requireRedisServer(this);
    await initBackend();
    redis = await RedisProcess.start();
    nodes = ['s1', 's2', 's3'].map((id) => new ChildScript(NODE, [redis.url, id, FEDERATION, '1', '3', 'flat', JSON.stringify(LIMITS)]));
    urls = await Promise.all(nodes.map((n) => n.line('listening')));
  });
  after(async () => {
    for (const p of peers) p.close();
    await Promise.all(nodes.map((n) => n.kill()));
    await redis?.stop();
  });

  it('9 wrong guesses spread over 3 nodes are limited exactly as on one server; the owner still joins from another address', async () => {
    // The same 9 guesses on one server (in-memory limits).
    const { server } = quietServer({ rounds: 1, minClients: 3, joinBackoff: LIMITS.joinBackoff });
    const alone: Answer[] = [];
    try {
      const { url } = await server.start();
      for (let i = 0; i < 9; i++) alone.push(await join(url, 'alice', `guess-${i}-xxxxxxxx`, '127.0.0.2', peers));
    } finally {
      await server.stop();
    }
    const spread: Answer[] = [];
    for (let i = 0; i < 9; i++) spread.push(await join(urls[i % 3], 'alice', `guess-${i}-xxxxxxxx`, '127.0.0.2', peers));
    console.log(`      one server: ${alone.join(' ')}\n      3 nodes:    ${spread.join(' ')}`);
    // 5 free failures and the one that starts the backoff are checked; the rest are refused unchecked, on every node.
    expect(alone).to.deep.equal([...Array(6).fill('wrong'), ...Array(3).fill('throttled')]);
    expect(spread).to.deep.equal(alone);
    // From the guessing address even the right token is refused unchecked, on every node.
    for (const url of urls) expect(await join(url, 'alice', TOKENS.alice, '127.0.0.2', peers)).to.equal('throttled');
    // The owner, from another address: its check waits out one slot of the id (idDelayMaxMs 1 s), then it is in.
    const started = Date.now();
    expect(await join(urls[2], 'alice', TOKENS.alice, '127.0.0.3', peers)).to.equal('welcome');
    const waited = Date.now() - started;
    expect(waited).to.be.at.least(900);
    console.log(`      the owner's join from 127.0.0.3 was welcomed after ${waited} ms`);
  });

  it('cluster.maxClients caps the clients of all nodes together; a client reconnecting to another node keeps its seat', async () => {
    // alice (welcomed above, on s3) holds one of the 2 seats.
    expect(await join(urls[0], 'bob', TOKENS.bob, '127.0.0.4', peers)).to.equal('welcome');
    const refused = await join(urls[1], 'carol', TOKENS.carol, '127.0.0.4', peers);
    expect(refused).to.match(/^SERVER_FULL: federation full: 2 of at most 2 clients/);
    // alice moves from s3 to s1: not counted twice, and carol is still refused on the third node.
    expect(await join(urls[0], 'alice', TOKENS.alice, '127.0.0.3', peers)).to.equal('welcome');
    expect(await join(urls[2], 'carol', TOKENS.carol, '127.0.0.4', peers)).to.match(/^SERVER_FULL/);
    const inspect = new Redis(redis.url);
    try {
      expect(await inspect.hgetall(`fedfuse:${FEDERATION}:clients`)).to.deep.equal({ alice: 's1', bob: 's1' });
    } finally {
      inspect.disconnect();
    }
  });

  it('a rate-limited client that moves over the nodes gets the allowance of one (burst 4 for its Joins and messages together)', async () => {
    const answered: number[] = [];
    for (const url of [urls[1], urls[2], urls[0]]) {
      const peer = new RawPeer(url, { localAddress: '127.0.0.4' });
      peers.push(peer);
      expect((await within(peer.join('bob', TOKENS.bob), 'a welcome', 30_000)).body).to.equal('welcome');
      answered.push(await heartbeatsUntilLimited(peer));
    }
    // bob's bucket: its Join on s1 above, its Join here on s2 and 2 heartbeats make 4; on s3 and back on s1 nothing
    // is left. With a bucket per node (or per connection) each visit would have had 3 heartbeats answered.
    console.log(`      heartbeats answered per node visited: ${answered.join(', ')} (a bucket per node: 3 each)`);
    expect(answered).to.deep.equal([2, 0, 0]);
  });

  it('with Redis down a node answers a Join with UNAVAILABLE and a retry hint before any token is checked, and keeps running', async () => {
    await redis.kill();
    for (const url of urls) {
      // The node notices within a moment (its connection closes); until then a join could still be decided.
      for (let tries = 0; ; tries++) {
        const peer = new RawPeer(url, { localAddress: '127.0.0.5' });
        peers.push(peer);
        const env = await within(peer.join('alice', 'wrong-token-while-down'), 'an answer to the join', 30_000);
        peer.close();
        const code = fedfuse.v1.ErrorCode[env.error?.code ?? 0];
        if (code === 'UNAVAILABLE') {
          expect(env.error!.retryAfterMs).to.be.greaterThan(0);
          break;
        }
        expect(tries, `answer ${code}`).to.be.below(20);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    for (const n of nodes) expect(n.process.exitCode).to.equal(null);
    await redis.restart();
    // Back: the guesser's address is still backing off on every node (Redis kept the count: AOF).
    for (const url of urls) {
      let answer: Answer;
      for (let tries = 0; ; tries++) {
        answer = await join(url, 'alice', TOKENS.alice, '127.0.0.2', peers);
        if (!answer.startsWith('UNAVAILABLE') || tries > 50) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(answer).to.equal('throttled');
    }
  });
});
