// What a round's aggregation decided, said in log lines: every exclusion (each also an event, and told to its client
// with the round's result), every flagged update kept, every capped example count, and how the model was made.
import type { RoundAggregation } from './aggregate-round.js';

export function reportAggregation(
  round: number,
  a: RoundAggregation,
  report: { log: (line: string) => void; excluded: (e: { round: number; clientId: string; reason: string }) => void },
): void {
  const { log } = report;
  for (const { clientId, reason } of a.excluded) {
    log(`round ${round}: excluded the update from ${clientId} from the aggregate: ${reason}`);
    report.excluded({ round, clientId, reason });
  }
  for (const { clientId, reason } of a.spared) {
    log(`round ${round}: kept the flagged update from ${clientId} (excluding it would exclude a majority or leave fewer than minUpdates): ${reason}`);
  }
  for (const c of a.capped) {
    log(`round ${round}: weighed the update of ${c.clientId} as ${c.weighed} examples (it claimed ${c.claimed}; capped at ${c.reason})`);
  }
  const guard = a.guard;
  if (guard.published !== 'candidate') {
    log(
      `round ${round}: did not publish the round's candidate: ${guard.reason}; ` +
        (guard.published === 'robust' ? 'published the robust aggregate (coordinate-wise median of the updates)' : 'kept the previous global model'),
    );
  }
  const fusion = a.fusion;
  log(
    `round ${round}: aggregated ${a.participants.length} updates (${a.participants.join(', ')}) in ${a.seconds.toFixed(2)} s` +
      (fusion
        ? `; ${fusion.path === 'fused' ? 'fused model kept' : 'fell back to the plain average'} ` +
          `(held-out probe ${fusion.lossKind}: fused ${fusion.fusedProbeLoss.toFixed(4)}, average ${fusion.averageProbeLoss.toFixed(4)} on ${fusion.checkRows} rows` +
          (fusion.outputScale !== undefined ? `; output logits scaled by ${fusion.outputScale.toFixed(3)}` : '') +
          ')'
        : '') +
      (guard.candidateLoss !== undefined
        ? `; held-out probe ${guard.lossKind}: candidate ${lossText(guard.candidateLoss)}, previous model ${lossText(guard.previousLoss)}`
        : '') +
      (a.updateStats ? `; largest update distance ${a.updateStats.largestDistanceRatio.toFixed(2)} × the median` : ''),
  );
}

function lossText(v: number | null | undefined): string {
  return typeof v === 'number' ? v.toFixed(4) : 'not finite';
}
