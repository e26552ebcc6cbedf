// Small hand-made experiment: final accuracies are chosen so means and stds are easy to check by hand.
import type { ExperimentRun } from '../../scenarios/report/html-report.js';
import type { RoundRow } from '../../server/rounds/round-row.js';

export function rows(accuracies: (number | undefined)[], extra: Partial<RoundRow> = {}): RoundRow[] {
  return accuracies.map((accuracy, i) => ({
    round: i + 1,
    participants: 4,
    stragglers: 0,
    rejected: 0,
    accuracy,
    loss: accuracy === undefined ? undefined : 1 - accuracy,
    bytesSent: 1000 * (i + 1),
    bytesReceived: 2000,
    seconds: 1.5,
    aggregateSeconds: 0.25,
    ...extra,
  }));
}

export const HISTOGRAMS = [
  [50, 0, 10],
  [0, 40, 0],
  [5, 5, 30],
  [20, 0, 0],
];

/** Final accuracy of each cell by seed 1, 2, 3. */
export const FINAL: Record<string, Record<string, number[]>> = {
  'mnist-iid': { fedavg: [0.8, 0.85, 0.9], fedprox: [0.82, 0.84, 0.86], interp: [0.91, 0.9, 0.89] },
  'mnist-dirichlet': { fedavg: [0.6, 0.7, 0.65], fedprox: [0.5, 0.7, 0.6], interp: [0.75, 0.7, 0.8] },
};

export function experiment(): ExperimentRun[] {
  const runs: ExperimentRun[] = [];
  for (const [scenarioName, cells] of Object.entries(FINAL)) {
    for (const [strategy, finals] of Object.entries(cells)) {
      finals.forEach((final, i) => {
        runs.push({
          scenarioName,
          strategy,
          seed: i + 1,
          rounds: strategy === 'interp' ? withFusion(rows([0.3, 0.5, final])) : rows([0.3, 0.5, final]),
          histograms: HISTOGRAMS,
          seconds: 10 + i,
        });
      });
    }
  }
  return runs;
}

/** A fusing strategy's rounds: the last one of each run fell back to the plain average. */
function withFusion(list: RoundRow[]): RoundRow[] {
  return list.map((r, i) => ({
    ...r,
    fusion: i === list.length - 1 ? { path: 'fallback', fusedProbeLoss: 0.4, averageProbeLoss: 0.3 } : { path: 'fused', fusedProbeLoss: 0.1, averageProbeLoss: 0.3 },
  }));
}
