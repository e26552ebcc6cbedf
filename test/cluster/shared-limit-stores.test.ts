// Issue 23: the stores behind the limits. The join throttle gives the same decisions over the in-memory store and
// over the Redis store, and in Redis two nodes (two connections) share them; every Redis key expires. The per-id
// rate-limit buckets and the federation-wide seats hold across nodes. With Redis unreachable the stores fail at once
// (the node then answers UNAVAILABLE) rather than wait.
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { JoinThrottle, type JoinThrottleOptions } from '../../server/auth/join-throttle.js';
import { MemoryJoinLimitStore, type JoinLimitStore } from '../../server/auth/join-limit-store.js';
import { ClusterKeys } from '../../server/cluster/cluster-keys.js';
import { LimitStoreUnavailable } from '../../server/cluster/lua-script.js';
import { RedisClientBuckets } from '../../server/cluster/redis-client-buckets.js';
import { RedisClientSeats } from '../../server/cluster/redis-client-seats.js';
import { RedisJoinLimitStore } from '../../server/cluster/redis-join-limits.js';
import { LocalClientBuckets } from '../../server/limits/client-buckets.js';
import { RedisProcess, requireRedisServer } from './redis-process.js';

const OPTS: JoinThrottleOptions = { freeFailures: 2, baseMs: 60_000, maxMs: 60_000, idDelayMaxMs: 4000 };

/** The same throttle rules over two stores that may be one (memory) or two nodes' views of one (Redis). */
async function throttleScenario(stores: [JoinLimitStore, JoinLimitStore]): Promise<void> {
  const [t1, t2] = stores.map((s) => new JoinThrottle(OPTS, s));
  const now = () => Date.now();
  await t1.succeeded('alice', 'owner', now());
  // Three failures from one address, spread over the two nodes.
  await t1.failed('alice', 'guesser', true, now());
  await t2.failed('alice', 'guesser', true, now());
  expect((await t1.decide('alice', 'guesser', true, now())).kind).to.equal('check'); // 2 free failures
  await t1.failed('alice', 'guesser', true, now());
  for (const t of [t1, t2]) {
    const refused = await t.decide('alice', 'guesser', true, now());
    expect(refused.kind).to.equal('refuse');
    expect((refused as { waitMs: number }).waitMs).to.be.within(55_000, 60_000);
  }
  // Other addresses: the id's check slots, 4 s apart (idDelayMaxMs), taken in turn whichever node asks.
  const d2 = await t2.decide('alice', 'a2', true, now());
  const d3 = await t1.decide('alice', 'a3', true, now());
  expect(d2.kind).to.equal('check');
  expect((d2 as { delayMs: number }).delayMs).to.be.within(3900, 4000);
  expect((d3 as { delayMs: number }).delayMs).to.be.within(7900, 8000);
  // The owner's known address, an unknown id, another id: at once, on either node.
  expect(await t2.decide('alice', 'owner', true, now())).to.deep.equal({ kind: 'check', delayMs: 0 });
  expect(await t2.decide('nobody', 'a4', false, now())).to.deep.equal({ kind: 'check', delayMs: 0 });
  expect(await t1.decide('bob', 'a4', true, now())).to.deep.equal({ kind: 'check', delayMs: 0 });
  // Failed joins of an unknown id count for the address only.
  for (let i = 0; i < 3; i++) await t2.failed('nobody', 'a9', false, now());
  expect((await t1.decide('bob', 'a9', true, now())).kind).to.equal('refuse');
  // The owner joins (on node 2): the id's backoff ends for every node.
  await t2.succeeded('alice', 'a5', now());
  expect(await t1.decide('alice', 'a6', true, now())).to.deep.equal({ kind: 'check', delayMs: 0 });
  expect(await t1.decide('alice', 'a5', true, now())).to.deep.equal({ kind: 'check', delayMs: 0 });
}

describe('shared limits: the stores (issue 23)', function () {
  this.timeout(60_000);
  let redis: RedisProcess;
  const conns: Redis[] = [];
  /** A node's connection, ready (the stores refuse to queue commands for one that is not). */
  const connect = async () => {
    const c = new Redis(redis.url);
    conns.push(c);
    await c.ping();
    return c;
  };
  before(async function () {
    requireRedisServer(this);
    redis = await RedisProcess.start();
  });
  after(async () => {
    for (const c of conns) c.disconnect();
    await redis?.stop();
  });

  it('the join throttle decides the same over the memory store and over Redis shared by two nodes', async () => {
    const memory = new MemoryJoinLimitStore(OPTS);
    await throttleScenario([memory, memory]);
    const keys = new ClusterKeys('throttle');
    const [a, b] = [await connect(), await connect()];
    await throttleScenario([new RedisJoinLimitStore(a, keys, OPTS), new RedisJoinLimitStore(b, keys, OPTS)]);
    // Every key it left expires: backoffs 2 × maxMs after their last failure, slots when they open, trusted pairs.
    const left = await a.keys('fedfuse:throttle:join:*');
    expect(left.length).to.be.greaterThan(0);
    for (const key of left) {
      const ttl = await a.pttl(key);
      expect(ttl, key).to.be.greaterThan(0);
      if (!key.includes(':pairs:')) expect(ttl, key).to.be.at.most(2 * OPTS.maxMs!);
    }
  });

  it('rate-limit buckets per client id: spread over two nodes, one allowance; other ids have their own', async () => {
    const limit = { messagesPerSecond: 0.001, burst: 3 };
    const keys = new ClusterKeys('buckets');
    const [n1, n2] = [await connect(), await connect()].map((c) => new RedisClientBuckets(c, keys, limit));
    const taken = [await n1.take('alice'), await n2.take('alice'), await n1.take('alice'), await n2.take('alice'), await n1.take('alice')];
    expect(taken).to.deep.equal([true, true, true, false, false]);
    expect(await n2.take('bob')).to.equal(true);
    expect(await conns[0].pttl('fedfuse:buckets:bucket:alice')).to.be.greaterThan(0);
    // A larger burst is leased in batches (burst / 8 here): fewer round trips, and still one allowance in all.
    const wide = { messagesPerSecond: 0.001, burst: 32 };
    const [w1, w2] = [await connect(), await connect()].map((c) => new RedisClientBuckets(c, keys, wide));
    expect(w1.lease).to.equal(4);
    const admitted = { w1: 0, w2: 0 };
    expect(await w1.take('carol')).to.equal(true); // leases 4, spends 1
    admitted.w1++;
    while (await w2.take('carol')) admitted.w2++;
    while (await w1.take('carol')) admitted.w1++;
    expect(admitted).to.deep.equal({ w1: 4, w2: 28 });
    const local = new LocalClientBuckets(limit);
    expect([1, 2, 3, 4].map(() => local.take('alice', 0))).to.deep.equal([true, true, true, false]);
    expect(local.take('bob', 0)).to.equal(true);
  });

  it('federation-wide seats: N nodes admit the cap, not N × the cap; a client that holds a seat keeps it on any node', async () => {
    const keys = new ClusterKeys('seats');
    const c = await connect();
    const [n1, n2] = ['n1', 'n2'].map((id) => new RedisClientSeats(c, keys, id, 2));
    expect(await n1.claim('alice')).to.deep.equal({ ok: true });
    expect(await n2.claim('bob')).to.deep.equal({ ok: true });
    expect(await n1.claim('carol')).to.deep.equal({ ok: false, taken: 2, max: 2 });
    expect(await n2.claim('alice')).to.deep.equal({ ok: true }); // reconnects to another node: not counted twice
    expect(await c.hgetall(keys.clients)).to.deep.equal({ alice: 'n2', bob: 'n2' });
    await n1.release('alice'); // n1 no longer holds it: nothing happens
    expect(await n2.claim('carol')).to.deep.equal({ ok: false, taken: 2, max: 2 });
    await n2.release('alice');
    expect(await n1.claim('carol')).to.deep.equal({ ok: true });
  });

  it('with Redis unreachable the stores fail at once with LimitStoreUnavailable (not wait in the offline queue)', async () => {
    const down = new Redis(redis.url, { lazyConnect: true });
    const keys = new ClusterKeys('down');
    const started = Date.now();
    for (const attempt of [
      () => new RedisJoinLimitStore(down, keys, OPTS).standing('alice', 'a1'),
      () => new RedisClientBuckets(down, keys, { messagesPerSecond: 1 }).take('alice'),
      () => new RedisClientSeats(down, keys, 'n1', 2).claim('alice'),
    ]) {
      const error = await Promise.resolve(attempt()).then(() => undefined, (e: Error) => e);
      expect(error).to.be.instanceOf(LimitStoreUnavailable);
    }
    expect(Date.now() - started).to.be.below(500);
    down.disconnect();
  });

  it('a Redis that stops answering (SIGSTOP) fails a store call after about 2 s instead of holding it', async () => {
    const frozen = await RedisProcess.start();
    const c = new Redis(frozen.url);
    try {
      await c.ping();
      process.kill(frozen.pid!, 'SIGSTOP');
      const started = Date.now();
      const buckets = new RedisClientBuckets(c, new ClusterKeys('frozen'), { messagesPerSecond: 1 });
      const error = await Promise.resolve(buckets.take('alice')).then(() => undefined, (e: Error) => e);
      expect(error).to.be.instanceOf(LimitStoreUnavailable);
      expect(Date.now() - started).to.be.within(1900, 3000);
    } finally {
      if (frozen.pid) process.kill(frozen.pid, 'SIGCONT');
      c.disconnect();
      await frozen.stop();
    }
  });
});
