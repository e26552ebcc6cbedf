import { expect } from 'chai';
import {
  RoundCoordinator,
  type Clock,
  type CoordinatorEvent,
  type RoundOutcome,
} from '../../server/rounds/round-coordinator.js';

/** A clock the test advances by hand; timers fire in due order. */
class FakeClock implements Clock {
  private t = 1_000_000;
  private nextId = 1;
  private timers = new Map<number, { at: number; fn: () => void }>();
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  advance(ms: number): void {
    const until = this.t + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.t = due[1].at;
      due[1].fn();
    }
    this.t = until;
  }
  get pending(): number {
    return this.timers.size;
  }
}

/** Lets the coordinator's async round completion (aggregate → broadcast → checkpoint) run. */
const settle = () => new Promise((r) => setTimeout(r, 0));

function harness(opts: { rounds?: number; minClients?: number; minUpdates?: number; clientsPerRound?: number; firstRound?: number } = {}) {
  const clock = new FakeClock();
  const tasks: { clientId: string; round: number }[] = [];
  const aggregated: RoundOutcome<string>[] = [];
  const broadcasts: { round: number; final: boolean }[] = [];
  const events: CoordinatorEvent[] = [];
  const coordinator = new RoundCoordinator<string>({
    rounds: opts.rounds ?? 2,
    firstRound: opts.firstRound,
    minClients: opts.minClients ?? 2,
    minUpdates: opts.minUpdates ?? 1,
    clientsPerRound: opts.clientsPerRound ?? 1,
    deadlineMs: 10_000,
    seed: 7,
    clock,
    hooks: {
      sendTask: (clientId, round) => tasks.push({ clientId, round }),
      aggregate: async (o) => {
        aggregated.push(o);
      },
      broadcast: async (o, final) => {
        broadcasts.push({ round: o.round, final });
      },
      checkpoint: async () => {},
    },
    onEvent: (e) => events.push(e),
  });
  return { clock, tasks, aggregated, broadcasts, events, coordinator };
}

describe('RoundCoordinator', () => {
  it('waits for minClients, then sends tasks to every sampled client', () => {
    const h = harness({ minClients: 2 });
    h.coordinator.start();
    h.coordinator.clientJoined('a');
    expect(h.coordinator.phase).to.equal('waiting-for-clients');
    expect(h.tasks).to.have.length(0);
    h.coordinator.clientJoined('b');
    expect(h.coordinator.phase).to.equal('training');
    expect(h.tasks).to.deep.equal([
      { clientId: 'a', round: 1 },
      { clientId: 'b', round: 1 },
    ]);
  });

  it('closes training as soon as every sampled client answered and runs all rounds', async () => {
    const h = harness({ rounds: 2 });
    h.coordinator.start();
    h.coordinator.clientJoined('a');
    h.coordinator.clientJoined('b');
    expect(h.coordinator.submitUpdate('a', 1, 'a1')).to.deep.equal({ status: 'accepted' });
    expect(h.coordinator.phase).to.equal('training');
    expect(h.coordinator.submitUpdate('b', 1, 'b1')).to.deep.equal({ status: 'accepted' });
    await settle();
    expect(h.aggregated[0].updates).to.deep.equal(['a1', 'b1']);
    expect(h.coordinator.currentRound).to.equal(2);
    expect(h.coordinator.phase).to.equal('training');
    h.coordinator.submitUpdate('b', 2, 'b2');
    h.coordinator.submitUpdate('a', 2, 'a2');
    const outcomes = await h.coordinator.finished;
    expect(outcomes.map((o) => o.round)).to.deep.equal([1, 2]);
    expect(h.broadcasts).to.deep.equal([
      { round: 1, final: false },
      { round: 2, final: true },
    ]);
    expect(h.coordinator.phase).to.equal('finished');
    expect(h.clock.pending).to.equal(0);
  });

  it('leaves stragglers out at the deadline when minUpdates is met', async () => {
    const h = harness({ rounds: 1, minUpdates: 1 });
    h.coordinator.start();
    h.coordinator.clientJoined('a');
    h.coordinator.clientJoined('b');
    h.coordinator.submitUpdate('a', 1, 'a1');
    h.clock.advance(9_999);
    expect(h.coordinator.phase).to.equal('training');
    h.clock.advance(1);
    await settle();
    const [outcome] = await h.coordinator.finished;
    expect(outcome.participants).to.deep.equal(['a']);
    expect(outcome.stragglers).to.deep.equal(['b']);
    expect(h.events.some((e) => e.type === 'log' && e.line.includes('stragglers b'))).to.equal(true);
  });

  it('retries a round that got fewer than minUpdates, keeping the accepted update', async () => {
    const h = harness({ rounds: 1, minClients: 2, minUpdates: 2 });
    h.coordinator.start();
    h.coordinator.clientJoined('a');
    h.coordinator.clientJoined('b');
    h.coordinator.submitUpdate('a', 1, 'a1');
    h.coordinator.clientLeft('b');
    h.clock.advance(10_000);
    await settle();
    expect(h.aggregated).to.have.length(0);
    const retry = h.events.find((e) => e.type === 'round-retried');
    expect(retry).to.deep.include({ round: 1, received: 1, needed: 2 });
    // Only 'a' is connected and it already answered: the retry waits for another client.
    expect(h.coordinator.phase).to.equal('waiting-for-clients');
    h.coordinator.clientJoined('c');
    expect(h.coordinator.phase).to.equal('training');
    expect(h.tasks.at(-1)).to.deep.equal({ clientId: 'c', round: 1 });
    h.coordinator.submitUpdate('c', 1, 'c1');
    const [outcome] = await h.coordinator.finished;
    expect(outcome.participants).to.deep.equal(['a', 'c']);
    expect(h.aggregated[0].updates).to.deep.equal(['a1', 'c1']);
    expect(outcome.attempts).to.equal(2);
    expect(outcome.stragglers).to.deep.equal(['b']);
  });

  it('issue 19: a client whose update was refused for the round has answered: training closes without waiting for the deadline', async () => {
    const h = harness({ rounds: 1, minClients: 3, minUpdates: 1 });
    h.coordinator.start();
    for (const id of ['a', 'b', 'c']) h.coordinator.clientJoined(id);
    h.coordinator.submitUpdate('a', 1, 'a1');
    h.coordinator.updateRefused('b', 1);
    expect(h.coordinator.phase).to.equal('training');
    h.coordinator.updateRefused('x', 1); // not sampled: nothing
    h.coordinator.updateRefused('c', 2); // another round: nothing
    h.coordinator.submitUpdate('c', 1, 'c1');
    await settle();
    const [outcome] = await h.coordinator.finished;
    expect(outcome.participants).to.deep.equal(['a', 'c']);
    // Refused, not late.
    expect(outcome.stragglers).to.deep.equal([]);
    expect(h.clock.pending).to.equal(0);
  });

  it('issue 19: a retry samples only what the round is missing, and others than the refused client first', async () => {
    // Two of four per round and two updates needed (a strategy that fuses exactly two).
    const h = harness({ rounds: 1, minClients: 4, minUpdates: 2, clientsPerRound: 2 });
    h.coordinator.start();
    for (const id of ['a', 'b', 'c', 'd']) h.coordinator.clientJoined(id);
    const [first, second] = h.tasks.map((t) => t.clientId);
    h.coordinator.submitUpdate(first, 1, `${first}1`);
    h.coordinator.updateRefused(second, 1);
    await settle();
    const retry = h.events.find((e) => e.type === 'round-started' && e.attempt === 2) as Extract<CoordinatorEvent, { type: 'round-started' }>;
    expect(retry.sampled).to.have.length(1);
    expect(retry.sampled[0]).to.not.be.oneOf([first, second]);
    h.coordinator.submitUpdate(retry.sampled[0], 1, `${retry.sampled[0]}1`);
    await settle();
    const [outcome] = await h.coordinator.finished;
    expect(outcome.participants).to.deep.equal([first, retry.sampled[0]].sort());
  });

  it('closes training without a failed client once the others answered, and does not re-send it the task', async () => {
    const h = harness({ rounds: 1, minClients: 3, minUpdates: 2 });
    h.coordinator.start();
    for (const id of ['a', 'b', 'c']) h.coordinator.clientJoined(id);
    h.coordinator.submitUpdate('a', 1, 'a1');
    // c's process died: it reconnects (restarted) while b still trains; the round does not ask it again.
    expect(h.coordinator.clientFailed('c')).to.equal(true);
    expect(h.coordinator.clientFailed('c')).to.equal(false);
    expect(h.coordinator.clientFailed('a')).to.equal(false); // answered already
    h.coordinator.clientLeft('c');
    h.coordinator.clientJoined('c');
    expect(h.tasks.filter((t) => t.clientId === 'c')).to.have.length(1);
    expect(h.coordinator.phase).to.equal('training');
    h.coordinator.submitUpdate('b', 1, 'b1');
    const [outcome] = await h.coordinator.finished;
    expect(outcome.participants).to.deep.equal(['a', 'b']);
    expect(outcome.stragglers).to.deep.equal(['c']);
    expect(outcome.attempts).to.equal(1);
    expect(h.clock.pending).to.equal(0); // the deadline timer went with the round
  });

  it('retries when a failed client leaves fewer than minUpdates, and may sample it again once it is back', async () => {
    const h = harness({ rounds: 1, minClients: 2, minUpdates: 2 });
    h.coordinator.start();
    h.coordinator.clientJoined('a');
    h.coordinator.clientJoined('b');
    h.coordinator.submitUpdate('a', 1, 'a1');
    h.coordinator.clientLeft('b');
    h.coordinator.clientFailed('b');
    // Closed at once (no deadline wait), 1 of 2 updates: retried, waiting for b to come back.
    expect(h.events.find((e) => e.type === 'round-retried')).to.deep.include({ round: 1, received: 1, needed: 2 });
    expect(h.coordinator.phase).to.equal('waiting-for-clients');
    h.coordinator.clientJoined('b');
    expect(h.tasks.at(-1)).to.deep.equal({ clientId: 'b', round: 1 });
    h.coordinator.submitUpdate('b', 1, 'b1');
    const [outcome] = await h.coordinator.finished;
    expect(outcome.participants).to.deep.equal(['a', 'b']);
    expect(outcome.attempts).to.equal(2);
  });

  it('treats a repeated update as a duplicate and counts it once', async () => {
    const h = harness({ rounds: 1 });
    h.coordinator.start();
    h.coordinator.clientJoined('a');
    h.coordinator.clientJoined('b');
    expect(h.coordinator.submitUpdate('a', 1, 'first').status).to.equal('accepted');
    expect(h.coordinator.submitUpdate('a', 1, 'second').status).to.equal('duplicate');
    h.coordinator.submitUpdate('b', 1, 'b1');
    await h.coordinator.finished;
    expect(h.aggregated[0].updates).to.deep.equal(['first', 'b1']);
  });

  it("keeps no finished round's updates (the soak bench found a model per client per round retained)", async () => {
    const h = harness({ rounds: 2 });
    h.coordinator.start();
    h.coordinator.clientJoined('a');
    h.coordinator.clientJoined('b');
    h.coordinator.submitUpdate('a', 1, 'a1');
    h.coordinator.submitUpdate('b', 1, 'b1');
    await settle();
    h.coordinator.submitUpdate('a', 2, 'a2');
    h.coordinator.submitUpdate('b', 2, 'b2');
    const records = await h.coordinator.finished;
    expect(records.map((r) => r.participants)).to.deep.equal([['a', 'b'], ['a', 'b']]);
    for (const r of records) expect(r).not.to.have.property('updates');
  });

  it('rejects updates for the wrong round and from clients that were not sampled', () => {
    const h = harness({ rounds: 3, clientsPerRound: 2, minClients: 3 });
    h.coordinator.start();
    for (const id of ['a', 'b', 'c']) h.coordinator.clientJoined(id);
    const sampled = h.tasks.map((t) => t.clientId);
    const outsider = ['a', 'b', 'c'].find((id) => !sampled.includes(id))!;
    const wrong = h.coordinator.submitUpdate(sampled[0], 2, 'x');
    expect(wrong).to.deep.include({ status: 'rejected', code: 'WRONG_ROUND' });
    expect(wrong.status === 'rejected' && wrong.reason).to.match(/round 2.*current round is 1/);
    expect(h.coordinator.submitUpdate(outsider, 1, 'x')).to.deep.include({ status: 'rejected', code: 'NOT_SAMPLED' });
  });

  it('re-sends the task to a sampled client that reconnects before answering', () => {
    const h = harness({ rounds: 1 });
    h.coordinator.start();
    h.coordinator.clientJoined('a');
    h.coordinator.clientJoined('b');
    h.coordinator.clientLeft('b');
    h.coordinator.clientJoined('b');
    expect(h.tasks.filter((t) => t.clientId === 'b')).to.have.length(2);
    h.coordinator.submitUpdate('a', 1, 'a1');
    h.coordinator.clientLeft('a');
    h.coordinator.clientJoined('a');
    expect(h.tasks.filter((t) => t.clientId === 'a')).to.have.length(1);
  });

  it('samples reproducibly with the seed', () => {
    const pick = () => {
      const h = harness({ clientsPerRound: 0.5, minClients: 6 });
      h.coordinator.start();
      for (const id of ['f', 'e', 'd', 'c', 'b', 'a']) h.coordinator.clientJoined(id);
      return h.tasks.map((t) => t.clientId);
    };
    const first = pick();
    expect(first).to.have.length(3);
    expect(pick()).to.deep.equal(first);
  });

  it('finishes at once when resumed past the last round', async () => {
    const h = harness({ rounds: 2, firstRound: 3 });
    h.coordinator.start();
    expect(await h.coordinator.finished).to.deep.equal([]);
    expect(h.coordinator.phase).to.equal('finished');
  });

  it('fails finished() with the error when aggregation throws', async () => {
    const clock = new FakeClock();
    const c = new RoundCoordinator<string>({
      rounds: 1,
      minClients: 1,
      deadlineMs: 1000,
      clock,
      hooks: {
        sendTask: () => {},
        aggregate: async () => {
          throw new Error('shapes differ');
        },
        broadcast: async () => {},
      },
    });
    c.start();
    c.clientJoined('a');
    c.submitUpdate('a', 1, 'x');
    let caught: Error | undefined;
    await c.finished.catch((e: Error) => (caught = e));
    expect(caught?.message).to.equal('round 1 failed: shapes differ');
    expect(c.phase).to.equal('failed');
  });
  it('counts updates restored after a restart: their clients are not asked again, a resend is a duplicate', async () => {
    const h = harness({ rounds: 2, firstRound: 2, minClients: 2 });
    expect(() => h.coordinator.restoreUpdates(1, new Map([['a', 'A2']]))).to.throw(/first round to run is 2/);
    h.coordinator.restoreUpdates(2, new Map([['a', 'A2']]));
    h.coordinator.start();
    h.coordinator.clientJoined('a');
    h.coordinator.clientJoined('b');
    expect(h.tasks).to.deep.equal([{ clientId: 'b', round: 2 }]);
    expect(h.coordinator.submitUpdate('a', 2, 'again')).to.deep.equal({ status: 'duplicate' });
    h.coordinator.submitUpdate('b', 2, 'B2');
    await settle();
    expect(h.aggregated.map((o) => [o.participants, o.updates])).to.deep.equal([[['a', 'b'], ['A2', 'B2']]]);
    expect(() => h.coordinator.restoreUpdates(3, new Map())).to.throw(/only be restored before start/);
  });

  it('aggregates at once when every connected client’s update was restored', async () => {
    const h = harness({ rounds: 1, minClients: 2 });
    h.coordinator.restoreUpdates(1, new Map([['a', 'A'], ['b', 'B']]));
    h.coordinator.start();
    h.coordinator.clientJoined('a');
    h.coordinator.clientJoined('b');
    await settle();
    expect(h.tasks).to.deep.equal([]);
    expect(h.aggregated.map((o) => o.participants)).to.deep.equal([['a', 'b']]);
    expect(h.coordinator.phase).to.equal('finished');
  });
});
