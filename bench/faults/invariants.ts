// The invariants a fault campaign checks after every round (pure: logs in, violations out), from what Redis holds
// (the commits' audit trail and the committed round summaries), what the nodes reported and the clients' own logs:
//   1. every update a client saw acked is counted in its round, exactly once;
//   2. one global model is published per round (every client that received round r got the same weights, those of
//      the round's one commit), and commits carry non-decreasing fencing tokens that a leader announced;
//   3. rounds strictly increase (commits 1, 2, 3, ...; each node's finished rounds; no client receives an older round);
//   4. no client trains a round again after that round's update was acked.
//   5. the final accuracy is within 1 point of a fault-free run's with the same seed (checked at the end).
import type { ClientEvent } from './protocol.js';

export interface Commit {
  round: number;
  token: number;
  modelSha: string;
  node: string;
}

export interface CommittedSummary {
  round: number;
  participants: readonly string[];
  excluded?: readonly { clientId: string }[];
}

export interface Violation {
  invariant: 'acked-counted-once' | 'one-model-per-round' | 'rounds-increase' | 'no-retrain-after-ack' | 'final-accuracy';
  round?: number;
  clientId?: string;
  detail: string;
}

export interface CampaignLogs {
  /** Every client's events, across its processes (a killed client restarts as a new process with the same id). */
  clients: ReadonlyMap<string, readonly ClientEvent[]>;
  /** The commits' audit trail, in order (Redis). */
  commits: readonly Commit[];
  /** The committed round summaries (Redis). */
  history: readonly CommittedSummary[];
  /** Fencing tokens nodes announced when they took the lead. */
  leaderTokens: readonly number[];
  /** Per node: the rounds it reported finished, in order. */
  nodeRounds: ReadonlyMap<string, readonly number[]>;
}

/** Violations of invariants 1-4 in the logs so far (an ack of a round not yet committed is not judged yet). */
export function checkInvariants(logs: CampaignLogs): Violation[] {
  return [...ackedCounted(logs), ...oneModelPerRound(logs), ...roundsIncrease(logs), ...noRetrainAfterAck(logs)];
}

/** Acks of updates that no committed round counts (invariant 1's violations that lose an update). */
export function ackedLost(violations: readonly Violation[]): number {
  return violations.filter((v) => v.invariant === 'acked-counted-once' && v.detail.startsWith('acked but not counted')).length;
}

function ackedCounted({ clients, history }: CampaignLogs): Violation[] {
  const out: Violation[] = [];
  const byRound = new Map(history.map((h) => [h.round, h]));
  for (const h of history) {
    const seen = new Set<string>();
    for (const id of h.participants) {
      if (seen.has(id)) out.push({ invariant: 'acked-counted-once', round: h.round, clientId: id, detail: `counted twice in round ${h.round}` });
      seen.add(id);
    }
  }
  const lastCommitted = Math.max(0, ...history.map((h) => h.round));
  for (const [clientId, events] of clients) {
    const acked = new Set(events.flatMap((e) => (e.type === 'acked' ? [e.round] : [])));
    for (const round of acked) {
      if (round > lastCommitted) continue;
      const h = byRound.get(round);
      const counted = h && (h.participants.includes(clientId) || (h.excluded ?? []).some((x) => x.clientId === clientId));
      if (!counted) out.push({ invariant: 'acked-counted-once', round, clientId, detail: `acked but not counted: round ${round}'s summary does not list ${clientId}` });
    }
  }
  return out;
}

function oneModelPerRound({ clients, commits, leaderTokens }: CampaignLogs): Violation[] {
  const out: Violation[] = [];
  const commitOf = new Map<number, Commit>();
  for (const c of commits) {
    if (commitOf.has(c.round)) out.push({ invariant: 'one-model-per-round', round: c.round, detail: `committed twice (tokens ${commitOf.get(c.round)!.token} and ${c.token})` });
    else commitOf.set(c.round, c);
  }
  const announced = new Set(leaderTokens);
  let highest = 0;
  for (const c of commits) {
    if (c.token < highest) out.push({ invariant: 'one-model-per-round', round: c.round, detail: `committed under fencing token ${c.token} after a commit under ${highest}` });
    highest = Math.max(highest, c.token);
    if (!announced.has(c.token)) out.push({ invariant: 'one-model-per-round', round: c.round, detail: `committed under fencing token ${c.token}, which no node announced as leader` });
  }
  for (const [clientId, events] of clients) {
    for (const e of events) {
      if (e.type !== 'model') continue;
      const c = commitOf.get(e.round);
      if (!c) out.push({ invariant: 'one-model-per-round', round: e.round, clientId, detail: `received round ${e.round}'s model, which Redis has no commit of` });
      else if (c.modelSha !== e.sha) {
        out.push({ invariant: 'one-model-per-round', round: e.round, clientId, detail: `received model ${e.sha.slice(0, 12)}… for round ${e.round}; the commit is ${c.modelSha.slice(0, 12)}…` });
      }
    }
  }
  return out;
}

function roundsIncrease({ clients, commits, nodeRounds }: CampaignLogs): Violation[] {
  const out: Violation[] = [];
  commits.forEach((c, i) => {
    if (c.round !== i + 1) out.push({ invariant: 'rounds-increase', round: c.round, detail: `commit #${i + 1} is of round ${c.round}` });
  });
  for (const [node, rounds] of nodeRounds) {
    for (let i = 1; i < rounds.length; i++) {
      if (rounds[i] <= rounds[i - 1]) out.push({ invariant: 'rounds-increase', round: rounds[i], detail: `node ${node} finished round ${rounds[i]} after round ${rounds[i - 1]}` });
    }
  }
  for (const [clientId, events] of clients) {
    let last = 0;
    for (const e of events) {
      if (e.type !== 'model') continue;
      if (e.round < last) out.push({ invariant: 'rounds-increase', round: e.round, clientId, detail: `received round ${e.round}'s model after round ${last}'s` });
      last = Math.max(last, e.round);
    }
  }
  return out;
}

function noRetrainAfterAck({ clients }: CampaignLogs): Violation[] {
  const out: Violation[] = [];
  for (const [clientId, events] of clients) {
    const acked = new Set<number>();
    for (const e of events) {
      if (e.type === 'acked') acked.add(e.round);
      if (e.type === 'trained' && acked.has(e.round)) {
        out.push({ invariant: 'no-retrain-after-ack', round: e.round, clientId, detail: `trained round ${e.round} again after its update was acked` });
      }
    }
  }
  return out;
}

/** Invariant 5 (accuracies as fractions): a violation when the campaign's final accuracy is off by more than 1 point. */
export function checkFinalAccuracy(final: number | undefined, reference: number | undefined): Violation[] {
  if (final !== undefined && reference !== undefined && Math.abs(final - reference) <= 0.01) return [];
  const pct = (v: number | undefined) => (v === undefined ? 'none' : `${(100 * v).toFixed(2)}%`);
  return [{ invariant: 'final-accuracy', detail: `final accuracy ${pct(final)}, fault-free run ${pct(reference)}: more than 1 point apart (or missing)` }];
}
