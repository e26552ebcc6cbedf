// The local RoundCoordinator's events as a FederationServer reports them: its log lines, phases, started and retried
// attempts and finished rounds (a cluster node reports the same from the round state in Redis).
import type { EmitFederationEvent, RoundSummary } from '../federation-events.js';
import type { CoordinatorEvent } from './round-coordinator.js';

export function reportCoordinatorEvent(e: CoordinatorEvent<{ summary?: RoundSummary }>, log: (line: string) => void, emit: EmitFederationEvent): void {
  switch (e.type) {
    case 'log':
      log(e.line);
      break;
    case 'phase':
      emit('phase', { phase: e.phase, round: e.round });
      break;
    case 'round-started':
      log(`round ${e.round}: attempt ${e.attempt}, tasks to ${e.sampled.join(', ')}`);
      emit('round-started', { round: e.round, attempt: e.attempt, sampled: e.sampled, deadlineUnixMs: e.deadline });
      break;
    case 'round-retried':
      emit('round-retried', { round: e.round, attempt: e.attempt, received: e.received, needed: e.needed });
      break;
    case 'round-finished':
      if (e.result.summary) emit('round-finished', e.result.summary);
      break;
    case 'training-closed':
      break;
  }
}
