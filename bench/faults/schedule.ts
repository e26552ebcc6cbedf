// The fault schedule of a campaign, drawn from its seed (pure: the same seed, rounds and clients give the same
// schedule). Every round gets `perRound` faults; their kinds come from shuffled cycles over all kinds, so any
// campaign with at least as many faults as kinds plays each kind. Node and Redis faults strike mid-round, right
// after a given number of the round's updates were acked; client faults strike at the client's own task or upload.
import { seededRandom, shuffledIndices } from '../../server/fusion/random.js';
import type { ClientFault } from './protocol.js';

export const FAULT_KINDS = ['node-kill', 'node-stop', 'redis-primary-kill', 'client-kill-mid-upload', 'client-switch-node', 'slow-client'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export type PlannedFault =
  | {
      id: number;
      kind: 'node-kill' | 'node-stop';
      round: number;
      /** Injected once this many of the round's updates were acked. */
      afterAcks: number;
      target: 'leader' | 'follower';
      /** A killed node is started again, a stopped one continued, after this long. */
      ms: number;
    }
  | { id: number; kind: 'redis-primary-kill'; round: number; afterAcks: number }
  | { id: number; kind: ClientFault['kind']; round: number; clientId: string; fault: ClientFault };

export function planFaults(o: { seed: number; rounds: number; clientIds: readonly string[]; perRound: number }): PlannedFault[] {
  const random = seededRandom(o.seed * 7919 + 17);
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  let cycle: FaultKind[] = [];
  const nextKind = (): FaultKind => {
    if (cycle.length === 0) cycle = [...shuffledIndices(FAULT_KINDS.length, random)].map((i) => FAULT_KINDS[i]);
    return cycle.shift()!;
  };
  const plan: PlannedFault[] = [];
  // Strike after 1 .. n-1 acks: mid-round, with updates both acked and still owed.
  const maxAcks = Math.max(1, o.clientIds.length - 1);
  for (let round = 1; round <= o.rounds; round++) {
    const faultedClients = new Set<string>();
    for (let k = 0; k < o.perRound; k++) {
      const kind = nextKind();
      const id = plan.length + 1;
      if (kind === 'node-kill' || kind === 'node-stop') {
        plan.push({ id, kind, round, afterAcks: between(1, maxAcks), target: random() < 0.5 ? 'leader' : 'follower', ms: between(1000, 3000) });
      } else if (kind === 'redis-primary-kill') {
        plan.push({ id, kind, round, afterAcks: between(1, maxAcks) });
      } else {
        const free = o.clientIds.filter((c) => !faultedClients.has(c));
        if (free.length === 0) continue;
        const clientId = free[between(0, free.length - 1)];
        faultedClients.add(clientId);
        const fault: ClientFault = kind === 'slow-client' ? { kind, round, ms: between(2000, 4000) } : { kind, round };
        plan.push({ id, kind, round, clientId, fault });
      }
    }
  }
  return plan;
}
