import { expect } from 'chai';
import { applyEvent, initialState, MAX_PROBLEMS, mergeSnapshot, type DashboardState } from '../../server/dashboard/dashboard-state.js';
import type { DashboardEventName } from '../../server/dashboard/dashboard-source.js';
import { summaryToRow } from '../../server/rounds/round-row.js';
import type { RoundSummary } from '../../server/federation-events.js';

function apply(state: DashboardState, event: DashboardEventName, payload: unknown): DashboardState {
  const result = applyEvent(state, event, payload);
  if (!result.ok) throw new Error(result.error);
  return result.state;
}

const summary = (round: number, accuracy?: number) => ({
  round,
  participants: ['a', 'b'],
  stragglers: [],
  // The server's summary counts rejected updates per reason.
  rejected: [
    { code: 'BAD_TENSOR', count: 1, clientIds: ['c'], example: 'bad shape' },
    { code: 'WRONG_ROUND', count: 2, clientIds: ['c'], example: 'late' },
  ],
  accuracy,
  loss: accuracy === undefined ? undefined : 1 - accuracy,
  bytesSent: 100,
  bytesReceived: 200,
  seconds: 1.25,
  aggregateSeconds: 0.5,
});

describe('dashboard: state built from federation events', () => {
  it('follows clients, a round, its updates and its summary', () => {
    let s = initialState('t', { currentRound: 0, totalRounds: 2 });
    expect(s.phase).to.equal('waiting for clients');
    s = apply(s, 'client-joined', { clientId: 'b', numSamples: 10, reconnected: false });
    s = apply(s, 'client-joined', 'a');
    s = apply(s, 'client-joined', 'a');
    expect(s.connectedClients).to.deep.equal(['a', 'b']);
    s = apply(s, 'round-started', { round: 1, attempt: 1, sampled: ['a', 'b'], deadlineUnixMs: 0 });
    expect([s.phase, s.currentRound]).to.deep.equal(['training', 1]);
    s = apply(s, 'update-accepted', { round: 1, clientId: 'a', update: { weights: [1, 2, 3] }, bytes: 10 });
    expect([s.phase, s.accepted]).to.deep.equal(['training', ['a']]);
    s = apply(s, 'update-accepted', { round: 1, clientId: 'b' });
    expect(s.phase).to.equal('aggregating');
    s = apply(s, 'round-finished', summary(1, 0.5));
    expect(s.phase).to.equal('between rounds');
    expect(s.rounds).to.deep.equal([
      { round: 1, participants: 2, stragglers: 0, rejected: 3, accuracy: 0.5, loss: 0.5, bytesSent: 100, bytesReceived: 200, seconds: 1.25, aggregateSeconds: 0.5 },
    ]);
    s = apply(s, 'client-left', { clientId: 'a', reason: 'gone' });
    expect(s.connectedClients).to.deep.equal(['b']);
    s = apply(s, 'round-started', { round: 2, sampled: ['b'] });
    expect(s.accepted).to.deep.equal([]);
    s = apply(s, 'round-finished', summary(2));
    expect(s.phase).to.equal('finished');
    expect(s.rounds.map((r) => r.round)).to.deep.equal([1, 2]);
  });

  it('keeps accepted updates when a round is retried with more clients', () => {
    let s = initialState('t', { currentRound: 0 });
    s = apply(s, 'round-started', { round: 1, sampled: ['a', 'b'] });
    s = apply(s, 'update-accepted', { round: 1, clientId: 'a' });
    s = apply(s, 'round-started', { round: 1, sampled: ['c'] });
    expect(s.sampled).to.deep.equal(['a', 'b', 'c']);
    expect(s.accepted).to.deep.equal(['a']);
  });

  it('starts a fresh sample for the next round even when the snapshot already moved the round counter', () => {
    let s = initialState('t', { currentRound: 0 });
    s = apply(s, 'round-started', { round: 1, sampled: ['a', 'b'] });
    s = apply(s, 'update-accepted', { round: 1, clientId: 'a' });
    s = apply(s, 'round-finished', summary(1, 0.5));
    s = mergeSnapshot(s, { currentRound: 2 });
    s = apply(s, 'round-started', { round: 2, sampled: ['c'] });
    expect([s.sampled, s.accepted]).to.deep.equal([['c'], []]);
    // A late update for round 1 does not count towards round 2.
    s = apply(s, 'update-accepted', { round: 1, clientId: 'b' });
    expect(s.accepted).to.deep.equal([]);
  });

  it('takes a cluster\'s nodes from the snapshot, sorted, with whitelisted fields only', () => {
    let s = initialState('t', { currentRound: 0 });
    expect(s.nodes).to.deep.equal([]);
    s = mergeSnapshot(s, {
      currentRound: 1,
      nodes: [
        { nodeId: 'b', url: 'http://b', alive: true, leader: true, clients: 2, secret: 'x' } as never,
        { nodeId: 'a', url: 'http://a', alive: false, leader: false, clients: 0 },
      ],
    });
    expect(s.nodes).to.deep.equal([
      { nodeId: 'a', url: 'http://a', alive: false, leader: false, clients: 0 },
      { nodeId: 'b', url: 'http://b', alive: true, leader: true, clients: 2 },
    ]);
    // A snapshot without nodes (or with nonsense) leaves them as they were.
    expect(mergeSnapshot(s, { currentRound: 1, nodes: [{ nodeId: 'c', clients: -1 }] as never }).nodes).to.deep.equal(s.nodes);
  });

  it('keeps only whitelisted fields: nothing else a payload carries reaches the state', () => {
    let s = initialState('t', { currentRound: 0 });
    s = apply(s, 'client-joined', { clientId: 'a', token: 'SECRET-TOKEN' });
    s = apply(s, 'round-started', { round: 1, sampled: ['a'], token: 'SECRET-TOKEN' });
    s = apply(s, 'update-accepted', { round: 1, clientId: 'a', update: { weights: 'SECRET-WEIGHTS' } });
    s = apply(s, 'round-finished', { ...summary(1, 0.9), globalModel: 'SECRET-WEIGHTS', token: 'SECRET-TOKEN' });
    expect(JSON.stringify(s)).to.not.match(/SECRET/);
  });

  it("shows a round as the same row `run` prints: fusion cut to path, losses and a finite standard error", () => {
    const report = { path: 'fused' as const, lossKind: 'cross-entropy' as const, fusedProbeLoss: 0.2, averageProbeLoss: 0.25, standardError: 0.01, checkRows: 80, ridges: [1] };
    const server: RoundSummary = { ...summary(1, 0.5), excluded: [], fusion: report };
    const shown = (fusion: unknown) => apply(initialState('t', { currentRound: 0 }), 'round-finished', { ...server, fusion }).rounds[0];
    expect(shown(report)).to.deep.equal(summaryToRow(server));
    expect(shown(report).fusion).to.deep.equal({ path: 'fused', fusedProbeLoss: 0.2, averageProbeLoss: 0.25, standardError: 0.01 });
    for (const standardError of [Infinity, NaN, null, undefined]) {
      expect(shown({ ...report, standardError }).fusion).to.deep.equal({ path: 'fused', fusedProbeLoss: 0.2, averageProbeLoss: 0.25 });
    }
  });

  it('lists rejected and excluded updates and client-reported errors, newest last, capped, with text cut short', () => {
    let state = initialState('t', { currentRound: 1 });
    state = apply(state, 'update-rejected', { round: 1, clientId: 'carol', code: 'BAD_TENSOR', reason: 'weight 0: NaN at index 3', weights: 'SECRET' });
    state = apply(state, 'update-excluded', { round: 1, clientId: 'mallory', reason: 'update norm 40.1 above the median + 3 MAD' });
    state = apply(state, 'client-error', { round: 2, clientId: 'dave', code: 'TRAINING_FAILED', message: 'x'.repeat(1000) });
    expect(state.problems.slice(0, 2)).to.deep.equal([
      { round: 1, clientId: 'carol', kind: 'rejected', detail: 'BAD_TENSOR: weight 0: NaN at index 3' },
      { round: 1, clientId: 'mallory', kind: 'excluded', detail: 'update norm 40.1 above the median + 3 MAD' },
    ]);
    expect(state.problems[2]).to.include({ round: 2, clientId: 'dave', kind: 'client error' });
    expect(state.problems[2].detail).to.have.length(300);
    for (let i = 0; i < MAX_PROBLEMS + 10; i++) state = apply(state, 'client-error', { round: 3, clientId: `c${i}`, code: 'E', message: 'm' });
    expect(state.problems).to.have.length(MAX_PROBLEMS);
    expect(state.problems.at(-1)!.clientId).to.equal(`c${MAX_PROBLEMS + 9}`);
    expect(applyEvent(state, 'update-rejected', { round: -1, clientId: 'x' }).ok).to.equal(false);
  });

  it('refuses payloads it cannot read, saying which field is wrong, and leaves the state alone', () => {
    const s = initialState('t', { currentRound: 0 });
    const bad = applyEvent(s, 'round-finished', { ...summary(1), bytesSent: -1 });
    expect(bad.ok).to.equal(false);
    expect(!bad.ok && bad.error).to.match(/^round-finished: bytesSent/);
    const noId = applyEvent(s, 'client-joined', { name: 'x' });
    expect(!noId.ok && noId.error).to.match(/client-joined/);
  });

  it('takes round, phase and clients from the snapshot when the source has them', () => {
    const s = mergeSnapshot(initialState('t', { currentRound: 0 }), {
      currentRound: 4,
      totalRounds: 9,
      phase: 'waiting-for-clients',
      connectedClients: ['z', 'y', 'x'.repeat(500)],
    });
    expect([s.currentRound, s.totalRounds, s.phase]).to.deep.equal([4, 9, 'waiting for clients']);
    expect(s.connectedClients.map((id) => id.length)).to.deep.equal([120, 1, 1]);
    expect(apply(s, 'phase', { phase: 'aggregating', round: 4 }).phase).to.equal('aggregating');
  });
});
