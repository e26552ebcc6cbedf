// Merges finished cells into one experiment: experiment.json (every cell and its rounds), experiment.csv (one row per
// cell × round) and the summary table of final accuracy mean ± std per scenario × strategy.
import { bestClientAccuracy, finalAccuracy, type ExperimentRun } from '../report/html-report.js';
import { summarize } from '../report/charts/seed-statistics.js';
import type { ExperimentCell } from './matrix.js';
import { tierCsvCells, tierCsvHead, tierNames } from '../report/round-table.js';

export interface CellOutcome {
  cell: ExperimentCell;
  /**
   * skipped: the strategy cannot run on the scenario (e.g. HF fuses exactly two parents), `error` says why;
   * missing: not run yet (a report-only merge).
   */
  status: 'done' | 'reused' | 'failed' | 'skipped' | 'missing';
  run?: ExperimentRun;
  error?: string;
}

export interface ExperimentSummaryRow {
  scenario: string;
  strategy: string;
  /** Seeds that finished (and evaluated). */
  n: number;
  meanAccuracy?: number;
  stdAccuracy?: number;
  /** One-shot cells: means over seeds of the best parent's, the vanilla average's and the ensemble's accuracy. */
  references?: { bestParent: number; vanilla?: number; ensemble?: number };
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function meanReferences(runs: readonly ExperimentRun[]): ExperimentSummaryRow['references'] {
  const refs = runs.flatMap((r) => (r.oneShot && r.oneShot.parents.length > 0 ? [r.oneShot] : []));
  if (refs.length === 0) return undefined;
  const of = (pick: (v: (typeof refs)[number]) => number | undefined) => {
    const xs = refs.map(pick).filter((v): v is number => v !== undefined);
    return xs.length > 0 ? mean(xs) : undefined;
  };
  return { bestParent: of(bestClientAccuracy) as number, vanilla: of((r) => r.vanilla), ensemble: of((r) => r.ensemble) };
}

function csvField(v: string | number | undefined): string {
  if (v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function experimentCsv(runs: readonly ExperimentRun[]): string {
  // Tiered runs: per-tier columns (a tier name the runs share is one set of columns).
  const tiers = tierNames(runs.flatMap((r) => r.rounds));
  const head =
    'scenario,strategy,seed,round,participants,stragglers,rejected,accuracy,loss,bytes_sent,bytes_received,seconds,aggregate_seconds,' +
    'fusion_path,fused_probe_loss,average_probe_loss,fusion_standard_error,' +
    'clients_vanilla_accuracy,clients_ensemble_accuracy,best_client_accuracy' +
    tierCsvHead(tiers);
  const lines = runs.flatMap((run) =>
    run.rounds.map((r) => {
      const refs = run.roundReferences?.find((x) => x.round === r.round);
      return [
        run.scenarioName,
        run.strategy,
        run.seed,
        r.round,
        r.participants,
        r.stragglers,
        r.rejected,
        r.accuracy,
        r.loss,
        r.bytesSent,
        r.bytesReceived,
        r.seconds.toFixed(3),
        r.aggregateSeconds.toFixed(3),
        r.fusion?.path,
        r.fusion?.fusedProbeLoss,
        r.fusion?.averageProbeLoss,
        r.fusion?.standardError,
        refs?.vanilla,
        refs?.ensemble,
        bestClientAccuracy(refs),
        ...tierCsvCells(r, tiers),
      ]
        .map(csvField)
        .join(',');
    }),
  );
  return [head, ...lines].join('\n') + '\n';
}

/** Final accuracy over seeds, per scenario × strategy, in the order the cells were listed. */
export function summarizeOutcomes(outcomes: readonly CellOutcome[]): ExperimentSummaryRow[] {
  const groups = new Map<string, { scenario: string; strategy: string; accs: number[]; runs: ExperimentRun[] }>();
  for (const o of outcomes) {
    if (o.status === 'skipped' || o.status === 'missing') continue;
    const key = JSON.stringify([o.cell.scenario.name, o.cell.strategy]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { scenario: o.cell.scenario.name, strategy: o.cell.strategy, accs: [], runs: [] }));
    const acc = o.run ? finalAccuracy(o.run.rounds) : undefined;
    if (acc !== undefined) g.accs.push(acc);
    if (o.run) g.runs.push(o.run);
  }
  return [...groups.values()].map((g) => {
    if (g.accs.length === 0) return { scenario: g.scenario, strategy: g.strategy, n: 0 };
    const s = summarize(g.accs);
    // One seed has no spread; report 0 rather than NaN.
    const references = meanReferences(g.runs);
    return {
      scenario: g.scenario,
      strategy: g.strategy,
      n: s.n,
      meanAccuracy: s.mean,
      stdAccuracy: s.n > 1 ? s.std : 0,
      ...(references ? { references } : {}),
    };
  });
}

export function renderSummaryTable(rows: readonly ExperimentSummaryRow[]): string {
  const pct = (v: number | undefined) => (v === undefined ? '-' : (100 * v).toFixed(2));
  const withRefs = rows.some((r) => r.references);
  const head = ['scenario', 'strategy', 'seeds', 'final accuracy % (mean ± std)'];
  if (withRefs) head.push('best parent %', 'vanilla avg %', 'ensemble %');
  const body = rows.map((r) => {
    const cols = [
      r.scenario,
      r.strategy,
      String(r.n),
      r.meanAccuracy === undefined ? '-' : `${pct(r.meanAccuracy)} ± ${pct(r.stdAccuracy ?? 0)}`,
    ];
    if (withRefs) cols.push(pct(r.references?.bestParent), pct(r.references?.vanilla), pct(r.references?.ensemble));
    return cols;
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (parts: string[]) => parts.map((p, i) => (i < 2 ? p.padEnd(widths[i]) : p.padStart(widths[i]))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** The content of experiment.json. */
export function experimentJson(
  meta: {
    title: string;
    strategies: readonly string[];
    seeds: readonly number[];
    rounds?: number;
    oneShot: boolean;
    roundReferences?: boolean;
    localEpochs?: number;
  },
  outcomes: readonly CellOutcome[],
): unknown {
  return {
    ...meta,
    scenarios: [...new Set(outcomes.map((o) => o.cell.scenario.name))],
    summary: summarizeOutcomes(outcomes),
    cells: outcomes.map((o) => ({
      id: o.cell.id,
      scenario: o.cell.scenario.name,
      scenarioFile: o.cell.scenario.file,
      strategy: o.cell.strategy,
      seed: o.cell.seed,
      status: o.status,
      ...(o.error !== undefined ? { error: o.error } : {}),
      ...(o.run
        ? {
            finalAccuracy: finalAccuracy(o.run.rounds),
            seconds: o.run.seconds,
            rounds: o.run.rounds,
            histograms: o.run.histograms,
            ...(o.run.oneShot ? { oneShot: o.run.oneShot } : {}),
            ...(o.run.roundReferences ? { roundReferences: o.run.roundReferences } : {}),
          }
        : {}),
    })),
  };
}
