// Client bans (issue 23, item 4): a client whose update is refused as bad (or excluded) in K of the last M rounds is
// left out of the next T rounds. The bans follow from the round summaries, so they hold across a restart: from a
// checkpoint (file store) and from Redis (a cluster node started again).
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FederatedClient, type LocalData } from '@fedfuse/client';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { bansAt, parseBanOptions } from '../../server/defence/client-bans.js';
import type { FederationServer, FederationServerOptions, RoundSummary } from '../../server/federation-server.js';
import { disposeData, mnistSlice, quietServer, silent, TOKENS } from '../federation/helpers.js';
import { clusterSuite } from '../cluster/helpers.js';
import { freePort } from '../cluster/redis-process.js';

const BANS = { offences: 2, withinRounds: 2, forRounds: 1 };
/** bob never sends a good update: rounds close at the deadline with alice's. */
const DEADLINE_MS = 2500;

describe('client bans: which rounds a client is left out of (pure)', () => {
  before(() => initBackend());
  const settings = parseBanOptions({ offences: 2, withinRounds: 3, forRounds: 2 }, 'bans');
  const history = (offences: Record<number, string[]>) =>
    Array.from({ length: 10 }, (_, i) => ({ round: i + 1, offenders: offences[i + 1] ?? [] }));
  const bannedIn = (h: ReturnType<typeof history>, round: number) => bansAt(h, round, settings).map((b) => b.clientId);

  it('K offences within M rounds ban for the next T rounds; fewer, or spread wider, do not', () => {
    const h = history({ 1: ['m'], 3: ['m'], 5: ['x'], 9: ['x'] });
    expect([1, 2, 3, 4, 5, 6].map((r) => bannedIn(h, r))).to.deep.equal([[], [], [], ['m'], ['m'], []]);
    expect(bansAt(h, 4, settings)[0]).to.deep.include({ clientId: 'm', fromRound: 4, untilRound: 5 });
    expect(bansAt(h, 4, settings)[0].reason).to.equal('updates refused or excluded in rounds 1, 3 (2 of the last 3 rounds)');
    // x offended in rounds 5 and 9: never twice within 3 rounds.
    for (let r = 1; r <= 11; r++) expect(bannedIn(h, r)).not.to.include('x');
  });

  it('a ban is not renewed by the offences that caused it; new ones after it count again', () => {
    const h = history({ 1: ['m'], 2: ['m'], 5: ['m'], 6: ['m'] });
    expect([3, 4, 5, 6, 7, 8, 9].map((r) => bannedIn(h, r).length)).to.deep.equal([1, 1, 0, 0, 1, 1, 0]);
  });

  it('names the field of a bad setting', () => {
    expect(() => parseBanOptions({ offences: 3, withinRounds: 2, forRounds: 1 }, 'bans')).to.throw('bans.offences: offences must be at most withinRounds');
    expect(() => parseBanOptions({ offences: 1, withinRounds: 2 }, 'bans')).to.throw('bans.forRounds');
    expect(() => quietServer({ rounds: 1, bans: { offences: 0, withinRounds: 1, forRounds: 1 } })).to.throw('FederationServer option bans.offences');
  });
});

/**
 * alice is honest; bob's updates always lack a weight tensor (refused as bad). 4 rounds, bans {2 of 2, for 1}: bob
 * offends in rounds 1 and 2, is left out of round 3 — by a server started again after round 2 — and is back in round 4.
 */
async function banAcrossRestart(data: LocalData[], makeServer: (port: number) => FederationServer): Promise<void> {
  const port = await freePort();
  const first = makeServer(port);
  const { url } = await first.start();
  const stopped = new Promise<void>((resolve) => first.on('round-finished', (s) => s.round === 2 && void first.stop().then(resolve)));
  const client = (id: 'alice' | 'bob', i: number) =>
    new FederatedClient({
      serverUrl: url,
      clientId: id,
      token: TOKENS[id],
      data: data[i],
      reconnect: { retries: 100, delayMs: 100 },
      logger: silent,
      ...(id === 'bob' ? { transformUpdate: ({ weights }: { weights: { name: string; shape: number[]; values: Float32Array }[] }) => weights.slice(0, -1) } : {}),
    });
  const clients = [client('alice', 0), client('bob', 1)];
  const bobErrors: string[] = [];
  clients[1].on('error', (e) => bobErrors.push(`${e.code} ${e.round}`));
  const second = makeServer(port);
  const sampled: [number, string[]][] = [];
  second.on('round-started', (e) => sampled.push([e.round, e.sampled]));
  try {
    await Promise.all(clients.map((c) => c.start()));
    await stopped;
    expect((await second.start()).resumedFromRound).to.equal(2);
    const history: RoundSummary[] = await second.finished();
    await Promise.all(clients.map((c) => c.finished()));
    expect(history.map((h) => [h.round, h.participants, h.offenders, (h.banned ?? []).map((b) => `${b.clientId} ${b.fromRound}..${b.untilRound}`)])).to.deep.equal([
      [1, ['alice'], ['bob'], []],
      [2, ['alice'], ['bob'], ['bob 3..3']],
      [3, ['alice'], [], []],
      [4, ['alice'], ['bob'], []],
    ]);
    // The server started after round 2 still leaves bob out of round 3, tells him so, and samples him in round 4.
    expect(sampled).to.deep.equal([
      [3, ['alice']],
      [4, ['alice', 'bob']],
    ]);
    expect(bobErrors).to.include.members(['BAD_TENSOR 1', 'BAD_TENSOR 2', 'BANNED 3', 'BAD_TENSOR 4']);
  } finally {
    await Promise.all(clients.map((c) => c.stop()));
    clients.forEach((c) => c.model?.dispose());
    await first.stop();
    await second.stop();
  }
}

describe('client bans across a restart', function () {
  this.timeout(120_000);
  const data: LocalData[] = [];
  let dir: string;
  before(async () => {
    await initBackend();
    dir = await mkdtemp(join(tmpdir(), 'fedfuse-bans-'));
    data.push(await mnistSlice(0, 150), await mnistSlice(150, 150));
  });
  after(async () => {
    disposeData(...data);
    await rm(dir, { recursive: true, force: true });
  });

  it('file store: a server resumed from its checkpoint keeps the ban decided before it stopped', async () => {
    const options: Partial<FederationServerOptions> = { checkpointDir: dir, bans: BANS, roundDeadlineMs: DEADLINE_MS };
    await banAcrossRestart(data, (port) => quietServer({ rounds: 4, port, ...options }).server);
  });
});

describe('client bans across a restart (cluster, Redis)', function () {
  this.timeout(120_000);
  const suite = clusterSuite([
    [0, 150],
    [150, 150],
  ]);

  it('Redis store: a node started again on the same federation keeps the ban decided before', async () => {
    // The node started again has the same id: its socket traffic restarts from 0 (this test found that round 3's
    // byte counts came out negative, a summary no node could read back, and the federation stalled).
    await banAcrossRestart(
      suite.data,
      (port) => quietServer({ rounds: 4, port, bans: BANS, roundDeadlineMs: DEADLINE_MS, cluster: { redis: suite.redis.url, nodeId: 'b1', federation: 'bans', leaseMs: 1000 } }).server,
    );
  });
});
