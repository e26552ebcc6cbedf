// The fault campaign's checks (bench/faults/invariants.ts, schedule.ts) on hand-made logs: each invariant finds the
// violation it exists for, and a clean federation's logs pass; the schedule is a function of its seed and plays every
// kind of fault.
import { expect } from 'chai';
import { ackedLost, checkFinalAccuracy, checkInvariants, type CampaignLogs } from '../../bench/faults/invariants.js';
import type { ClientEvent } from '../../bench/faults/protocol.js';
import { FAULT_KINDS, planFaults } from '../../bench/faults/schedule.js';

const sha = (round: number) => String(round).repeat(64).slice(0, 64);

/** Two clients, two rounds, nothing wrong. */
function clean(): { clients: Map<string, ClientEvent[]> } & Omit<CampaignLogs, 'clients'> {
  const client = (): ClientEvent[] => [
    { type: 'joined' },
    { type: 'task', round: 1, resent: false },
    { type: 'trained', round: 1 },
    { type: 'acked', round: 1 },
    { type: 'model', round: 1, sha: sha(1), final: false },
    { type: 'task', round: 2, resent: false },
    { type: 'trained', round: 2 },
    { type: 'acked', round: 2 },
    { type: 'model', round: 2, sha: sha(2), final: true },
  ];
  return {
    clients: new Map([
      ['a', client()],
      ['b', client()],
    ]),
    commits: [
      { round: 1, token: 1, modelSha: sha(1), node: 'n1' },
      { round: 2, token: 2, modelSha: sha(2), node: 'n2' },
    ],
    history: [
      { round: 1, participants: ['a', 'b'] },
      { round: 2, participants: ['a', 'b'] },
    ],
    leaderTokens: [1, 2],
    nodeRounds: new Map([
      ['n1', [1, 2]],
      ['n2', [2]],
    ]),
  };
}

describe('fault campaign: invariants and schedule', () => {
  it('finds nothing wrong in a clean federation', () => {
    expect(checkInvariants(clean())).to.deep.equal([]);
  });

  it('an acked update missing from its round, or counted twice', () => {
    const logs = clean();
    logs.history = [{ round: 1, participants: ['a'] }, { round: 2, participants: ['a', 'b', 'b'] }];
    const v = checkInvariants(logs);
    expect(v.map((x) => [x.invariant, x.round, x.clientId])).to.deep.equal([
      ['acked-counted-once', 2, 'b'],
      ['acked-counted-once', 1, 'b'],
    ]);
    expect(ackedLost(v)).to.equal(1);
  });

  it('an ack of a round not committed yet is not judged', () => {
    const logs = clean();
    logs.history = [{ round: 1, participants: ['a', 'b'] }];
    logs.commits = logs.commits.slice(0, 1);
    logs.clients.get('a')!.pop();
    logs.clients.get('b')!.pop();
    expect(checkInvariants(logs)).to.deep.equal([]);
  });

  it('two models of one round, a commit under an older or unannounced token, a model never committed', () => {
    const logs = clean();
    logs.clients.get('b')![8] = { type: 'model', round: 2, sha: sha(7), final: true };
    expect(checkInvariants(logs).map((x) => x.invariant)).to.deep.equal(['one-model-per-round']);
    const tokens = clean();
    tokens.commits = [
      { round: 1, token: 3, modelSha: sha(1), node: 'n1' },
      { round: 2, token: 2, modelSha: sha(2), node: 'n2' },
    ];
    expect(checkInvariants(tokens).map((x) => x.detail)).to.deep.equal([
      'committed under fencing token 3, which no node announced as leader',
      'committed under fencing token 2 after a commit under 3',
    ]);
    const twice = clean();
    twice.commits = [...twice.commits, { round: 2, token: 2, modelSha: sha(5), node: 'n1' }];
    expect(checkInvariants(twice).map((x) => x.invariant)).to.include.members(['one-model-per-round', 'rounds-increase']);
  });

  it('rounds that do not increase: commits out of order, a node going back, a client given an older model', () => {
    const logs = clean();
    logs.nodeRounds = new Map([['n1', [2, 1]]]);
    logs.clients.get('a')!.push({ type: 'model', round: 1, sha: sha(1), final: false });
    expect(checkInvariants(logs).map((x) => [x.invariant, x.clientId ?? ''])).to.deep.equal([
      ['rounds-increase', ''],
      ['rounds-increase', 'a'],
    ]);
  });

  it('a client that trains a round again after its ack (a restarted client may, before one)', () => {
    const logs = clean();
    logs.clients.get('a')!.splice(4, 0, { type: 'trained', round: 1 });
    expect(checkInvariants(logs).map((x) => [x.invariant, x.round, x.clientId])).to.deep.equal([['no-retrain-after-ack', 1, 'a']]);
    const before = clean();
    before.clients.get('a')!.splice(3, 0, { type: 'trained', round: 1 });
    expect(checkInvariants(before)).to.deep.equal([]);
  });

  it('final accuracy more than a point from the fault-free run', () => {
    expect(checkFinalAccuracy(0.9, 0.905)).to.deep.equal([]);
    expect(checkFinalAccuracy(0.9, 0.915)[0].invariant).to.equal('final-accuracy');
    expect(checkFinalAccuracy(undefined, 0.9)).to.have.length(1);
  });

  it('the schedule is the seed\'s, strikes mid-round, and plays every kind', () => {
    const clientIds = ['c0', 'c1', 'c2', 'c3'];
    const a = planFaults({ seed: 3, rounds: 3, clientIds, perRound: 2 });
    expect(planFaults({ seed: 3, rounds: 3, clientIds, perRound: 2 })).to.deep.equal(a);
    expect(planFaults({ seed: 4, rounds: 3, clientIds, perRound: 2 })).not.to.deep.equal(a);
    expect(new Set(a.map((f) => f.kind))).to.deep.equal(new Set(FAULT_KINDS));
    for (const f of a) {
      if ('afterAcks' in f) expect(f.afterAcks).to.be.within(1, clientIds.length - 1);
      if ('clientId' in f) expect(clientIds).to.include(f.clientId);
    }
  });
});
