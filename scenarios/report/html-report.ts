// The experiment report: one self-contained HTML file (inline CSS and SVG, no scripts, fonts or network) that shows
// a set of runs — cells of scenario × strategy × seed — as charts and tables a researcher can read and share.
import { z } from 'zod';
import { formatBytes } from './round-table.js';
import { roundRowSchema, type RoundRow } from '../../server/rounds/round-row.js';
import { escapeXml } from './charts/escape.js';
import { renderLineChart, type BandSeries } from './charts/line-chart.js';
import { renderLabelHistograms } from './charts/stacked-bars.js';
import { renderBarChart, type Bar, type ReferenceLine } from './charts/bar-chart.js';
import { bandDescription, bandOverSeeds, summarize, type BandKind, type Summary } from './charts/seed-statistics.js';
import { formatPercentTick } from './charts/ticks.js';

export interface ExperimentRun {
  scenarioName: string;
  strategy: string;
  seed: number;
  rounds: RoundRow[];
  /** histograms[client][class]: the partition's label counts. */
  histograms: number[][];
  /** Wall-clock seconds of the whole run. */
  seconds: number;
  /** One-shot fusion runs: accuracies of the parent models and of the baselines, to compare with the fused model. */
  oneShot?: ClientReferencesRecord;
  /** Runs with per-round references: the same figures for each round's client models. */
  roundReferences?: (ClientReferencesRecord & { round: number })[];
}

export interface ExperimentReportOptions {
  /** Shaded band around each mean line (default 'min-max'). */
  band?: BandKind;
  /** Printed in the header (default: now). */
  generatedAt?: Date;
  /** A paragraph under the title. */
  description?: string;
  /** Names of the classes for the histogram legend. */
  classLabels?: string[];
}

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const fraction = finite.refine((v) => v >= 0 && v <= 1, 'must be in [0, 1]');

const clientReferencesSchema = z.object({ parents: z.array(fraction), vanilla: fraction.optional(), ensemble: fraction.optional() });
/** Reference accuracies of a set of client models as results.json records them (older files may lack some). */
export type ClientReferencesRecord = z.infer<typeof clientReferencesSchema>;

/** The best client model's accuracy, or undefined when none was recorded. */
export function bestClientAccuracy(refs: ClientReferencesRecord | undefined): number | undefined {
  return refs && refs.parents.length > 0 ? Math.max(...refs.parents) : undefined;
}

/** Validates one run, e.g. assembled from a results.json read from disk. */
export const experimentRunSchema = z.object({
  scenarioName: z.string().min(1),
  strategy: z.string().min(1),
  seed: z.number().int(),
  rounds: z.array(roundRowSchema),
  histograms: z.array(z.array(finite.refine((v) => v >= 0, 'must be a count ≥ 0'))),
  seconds: finite,
  oneShot: clientReferencesSchema.optional(),
  roundReferences: z.array(clientReferencesSchema.extend({ round: z.number().int().min(1) })).optional(),
});

function validateRuns(runs: readonly unknown[]): ExperimentRun[] {
  if (runs.length === 0) throw new Error('renderExperimentReport: no runs given');
  const seen = new Set<string>();
  return runs.map((raw, i) => {
    const parsed = experimentRunSchema.safeParse(raw);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(run)'}: ${issue.message}`);
      throw new Error(`renderExperimentReport: run ${i} is invalid: ${problems.join('; ')}`);
    }
    const run = parsed.data;
    const key = JSON.stringify([run.scenarioName, run.strategy, run.seed]);
    if (seen.has(key)) {
      throw new Error(
        `renderExperimentReport: two runs for scenario "${run.scenarioName}", strategy "${run.strategy}", seed ${run.seed}`,
      );
    }
    seen.add(key);
    return run;
  });
}

const resultsJsonSchema = z.object({
  scenario: z.object({ name: z.string().min(1), strategy: z.object({ name: z.string().min(1) }), seed: z.number().int() }),
  rounds: z.array(z.unknown()),
  histograms: z.array(z.unknown()).default([]),
  seconds: z.number(),
  /** An experiment's column label for the strategy (absent in plain `fedfuse run` results). */
  label: z.string().min(1).optional(),
  oneShot: z.unknown().optional(),
  roundReferences: z.unknown().optional(),
});

/**
 * One run from the results.json that `fedfuse run` writes (parsed JSON). The strategy label defaults to the file's
 * `label` (experiments write one), else the scenario's strategy name; pass one to tell apart runs that differ in
 * strategy options.
 */
export function runFromResultsJson(json: unknown, opts: { strategy?: string } = {}): ExperimentRun {
  const parsed = resultsJsonSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`);
    throw new Error(`results.json is not a fedfuse run result: ${problems.join('; ')}`);
  }
  const r = parsed.data;
  const run = experimentRunSchema.safeParse({
    scenarioName: r.scenario.name,
    strategy: opts.strategy ?? r.label ?? r.scenario.strategy.name,
    seed: r.scenario.seed,
    rounds: r.rounds,
    histograms: r.histograms,
    seconds: r.seconds,
    ...(r.oneShot !== undefined ? { oneShot: r.oneShot } : {}),
    ...(r.roundReferences !== undefined ? { roundReferences: r.roundReferences } : {}),
  });
  if (!run.success) {
    const problems = run.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`results.json of scenario "${r.scenario.name}" is invalid: ${problems.join('; ')}`);
  }
  return run.data;
}

/** Accuracy of the last evaluated round, or undefined if the run never evaluated. */
export function finalAccuracy(rounds: readonly RoundRow[]): number | undefined {
  let best: RoundRow | undefined;
  for (const r of rounds) if (r.accuracy !== undefined && (!best || r.round >= best.round)) best = r;
  return best?.accuracy;
}

/** Distinct values in order of first appearance (the order the experiment listed them in). */
function distinct<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function runsOf(runs: readonly ExperimentRun[], scenario: string, strategy: string): ExperimentRun[] {
  return runs.filter((r) => r.scenarioName === scenario && r.strategy === strategy).sort((a, b) => a.seed - b.seed);
}

function summaryOrUndefined(values: readonly number[]): Summary | undefined {
  return values.length === 0 ? undefined : summarize(values);
}

const pct = (v: number) => (100 * v).toFixed(2);

function meanStdPercent(s: Summary | undefined): string {
  return s ? `${pct(s.mean)} ± ${pct(s.std)}` : '–';
}

export type ChartMetric = 'accuracy' | 'loss';

export interface ScenarioChartOptions {
  band?: BandKind;
  /** Tiered federations: chart this tier's model instead of the global one (runs without the tier are left out). */
  tier?: string;
  width?: number;
  height?: number;
}

/**
 * One metric against the round for one scenario: a line per strategy at the mean over seeds, with a band.
 * Standalone SVG — the report's main chart, and what `writeChartPng` rasterises for README/BENCHMARKS.
 */
export function renderScenarioChart(
  runs: readonly ExperimentRun[],
  scenarioName: string,
  metric: ChartMetric = 'accuracy',
  opts: ScenarioChartOptions = {},
): string {
  const band = opts.band ?? 'min-max';
  const strategies = distinct(runs.map((r) => r.strategy));
  const tier = opts.tier;
  const inScenario = runs.filter((r) => r.scenarioName === scenarioName && (tier === undefined || r.rounds.some((x) => x.tiers?.[tier])));
  if (inScenario.length === 0) throw new Error(`renderScenarioChart: no runs for scenario "${scenarioName}"${tier === undefined ? '' : ` with tier ${tier}`}`);
  const series: BandSeries[] = [];
  strategies.forEach((strategy, colourIndex) => {
    const cell = runsOf(inScenario, scenarioName, strategy);
    if (cell.length === 0) return;
    const perSeed = cell.map((run) => run.rounds.map((row) => ({ x: row.round, y: tier === undefined ? row[metric] : row.tiers?.[tier]?.[metric] })));
    series.push({ name: strategy, points: bandOverSeeds(perSeed, band), colourIndex });
  });
  const seeds = distinct(inScenario.map((r) => r.seed)).length;
  const isAccuracy = metric === 'accuracy';
  return renderLineChart(series, {
    title: tier === undefined ? `${scenarioName}: test ${metric}` : `${scenarioName}: tier ${tier}'s model, test ${metric}`,
    xLabel: 'round',
    yLabel: isAccuracy ? 'test accuracy' : 'test loss',
    bandNote: `line: mean over ${seeds} seed${seeds === 1 ? '' : 's'}\nband: ${bandDescription(band)}`,
    yBounds: isAccuracy ? [0, 1] : undefined,
    formatY: isAccuracy ? formatPercentTick : undefined,
    formatValue: isAccuracy ? (v) => `${pct(v)}%` : (v) => v.toFixed(4),
    width: opts.width,
    height: opts.height,
  });
}

/**
 * One-shot fusion of one scenario: the fused model's test accuracy per strategy (bar = mean over seeds, whisker =
 * lowest to highest seed) against the mean best parent, vanilla average and ensemble of the same parents.
 */
export function renderOneShotChart(runs: readonly ExperimentRun[], scenarioName: string, opts: ScenarioChartOptions = {}): string {
  const inScenario = runs.filter((r) => r.scenarioName === scenarioName && r.oneShot);
  if (inScenario.length === 0) throw new Error(`renderOneShotChart: no one-shot runs for scenario "${scenarioName}"`);
  const strategies = distinct(runs.map((r) => r.strategy));
  const bars: Bar[] = [];
  strategies.forEach((strategy, colourIndex) => {
    const accs = runsOf(inScenario, scenarioName, strategy)
      .map((r) => finalAccuracy(r.rounds))
      .filter((a): a is number => a !== undefined);
    if (accs.length === 0) return;
    const s = summarize(accs);
    bars.push({ name: strategy, mean: s.mean, low: Math.min(...accs), high: Math.max(...accs), n: s.n, colourIndex });
  });
  const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  // One set of parents per seed: the first listed strategy's (e.g. FedProx trains its parents differently).
  const refs = distinct(inScenario.map((r) => r.seed)).map(
    (seed) => strategies.flatMap((s) => inScenario.filter((r) => r.strategy === s && r.seed === seed))[0].oneShot!,
  );
  const references: ReferenceLine[] = [{ name: 'best parent', value: meanOf(refs.map((r) => Math.max(...r.parents))) }];
  const vanilla = refs.flatMap((r) => (r.vanilla === undefined ? [] : [r.vanilla]));
  const ensemble = refs.flatMap((r) => (r.ensemble === undefined ? [] : [r.ensemble]));
  if (vanilla.length > 0) references.push({ name: 'vanilla avg', value: meanOf(vanilla) });
  if (ensemble.length > 0) references.push({ name: 'ensemble', value: meanOf(ensemble) });
  const seeds = distinct(inScenario.map((r) => r.seed)).length;
  return renderBarChart(bars, references, {
    title: `${scenarioName}: one-shot fusion, test accuracy`,
    yLabel: 'test accuracy',
    yBounds: [0, 1],
    formatY: formatPercentTick,
    formatValue: (v) => `${pct(v)}%`,
    note: `bar: mean over ${seeds} seed${seeds === 1 ? '' : 's'}\nwhisker: lowest to highest seed\nlines: parents of the first strategy\nensemble: K models, not one`,
    width: opts.width,
    height: opts.height,
  });
}

function finalAccuracyTable(runs: readonly ExperimentRun[], scenarios: string[], strategies: string[]): string {
  const head = `<tr><th>scenario</th>${strategies.map((s) => `<th>${escapeXml(s)}</th>`).join('')}</tr>`;
  const body = scenarios.map((scenario) => {
    const stats = strategies.map((strategy) =>
      summaryOrUndefined(
        runsOf(runs, scenario, strategy)
          .map((r) => finalAccuracy(r.rounds))
          .filter((a): a is number => a !== undefined),
      ),
    );
    const best = Math.max(...stats.map((s) => (s ? s.mean : -Infinity)));
    const cells = stats.map((s, i) => {
      const attrs =
        `data-scenario="${escapeXml(scenario)}" data-strategy="${escapeXml(strategies[i])}"` +
        (s ? ` data-mean="${s.mean}" data-std="${s.std}" data-n="${s.n}"` : ' data-n="0"');
      if (!s) return `<td class="acc" ${attrs}>–</td>`;
      const isBest = s.mean >= best - 1e-12;
      const value = `${meanStdPercent(s)} <span class="n">(n=${s.n})</span>`;
      return `<td class="acc${isBest ? ' best' : ''}" ${attrs}>${isBest ? `<strong>${value}</strong>` : value}</td>`;
    });
    return `<tr><th scope="row">${escapeXml(scenario)}</th>${cells.join('')}</tr>`;
  });
  return `<table class="final-accuracy"><thead>${head}</thead><tbody>${body.join('')}</tbody></table>`;
}

function perRoundMean(cell: readonly ExperimentRun[], pick: (row: RoundRow) => number): number | undefined {
  const values = cell.flatMap((r) => r.rounds.map(pick));
  return values.length === 0 ? undefined : summarize(values).mean;
}

/** '17 / 20 (0.142 vs 0.151)': rounds that kept the fused model, and the mean held-out probe losses fused vs average. */
function fusedShare(cell: readonly ExperimentRun[]): string {
  const reports = cell.flatMap((r) => r.rounds.flatMap((x) => (x.fusion ? [x.fusion] : [])));
  if (reports.length === 0) return '–';
  const fused = reports.filter((f) => f.path === 'fused').length;
  const mean = (pick: (f: (typeof reports)[number]) => number) => reports.reduce((a, f) => a + pick(f), 0) / reports.length;
  return `${fused} / ${reports.length} (${mean((f) => f.fusedProbeLoss).toFixed(3)} vs ${mean((f) => f.averageProbeLoss).toFixed(3)})`;
}

function costTable(runs: readonly ExperimentRun[], scenario: string, strategies: string[]): string {
  const rows = strategies.flatMap((strategy) => {
    const cell = runsOf(runs, scenario, strategy);
    if (cell.length === 0) return [];
    const bytes = (v: number | undefined) => (v === undefined ? '–' : formatBytes(Math.round(v)));
    const secs = (v: number | undefined, digits: number) => (v === undefined ? '–' : v.toFixed(digits));
    const runSeconds = summarize(cell.map((r) => r.seconds));
    const rounds = summarize(cell.map((r) => r.rounds.length));
    return [
      `<tr data-strategy="${escapeXml(strategy)}"><th scope="row">${escapeXml(strategy)}</th>` +
        `<td>${cell.length}</td><td>${Number.isInteger(rounds.mean) ? rounds.mean : rounds.mean.toFixed(1)}</td>` +
        `<td>${bytes(perRoundMean(cell, (r) => r.bytesSent))}</td>` +
        `<td>${bytes(perRoundMean(cell, (r) => r.bytesReceived))}</td>` +
        `<td>${secs(perRoundMean(cell, (r) => r.seconds), 2)}</td>` +
        `<td>${secs(perRoundMean(cell, (r) => r.aggregateSeconds), 3)}</td>` +
        `<td>${fusedShare(cell)}</td>` +
        `<td>${runSeconds.mean.toFixed(1)} ± ${runSeconds.std.toFixed(1)}</td></tr>`,
    ];
  });
  return (
    '<table class="cost"><thead><tr><th>strategy</th><th>seeds</th><th>rounds</th><th>sent / round</th>' +
    '<th>received / round</th><th>round s</th><th>aggregate s / round</th><th>rounds fused</th><th>run s</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>` +
    '<p class="note">Per-round columns: mean over all rounds of all seeds. Sent = server → clients, received = ' +
    'clients → server. Rounds fused: for fusing strategies, the rounds whose fused model was kept (not the plain-average ' +
    'fallback), with the mean held-out probe loss of the fused model and of the plain average over all rounds. ' +
    'Run seconds: mean ± sample std over seeds (wall clock, all clients simulated on one machine).</p>'
  );
}

function oneShotTable(runs: readonly ExperimentRun[], scenario: string, strategies: string[]): string {
  const rows = strategies.flatMap((strategy) => {
    const cell = runsOf(runs, scenario, strategy).filter((r) => r.oneShot);
    if (cell.length === 0) return [];
    const col = (pick: (r: ExperimentRun) => number | undefined) =>
      meanStdPercent(summaryOrUndefined(cell.map(pick).filter((v): v is number => v !== undefined)));
    const meanOf = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);
    return [
      `<tr data-strategy="${escapeXml(strategy)}"><th scope="row">${escapeXml(strategy)}</th><td>${cell.length}</td>` +
        `<td>${col((r) => finalAccuracy(r.rounds))}</td>` +
        `<td>${col((r) => meanOf(r.oneShot!.parents))}</td>` +
        `<td>${col((r) => bestClientAccuracy(r.oneShot))}</td>` +
        `<td>${col((r) => r.oneShot!.vanilla)}</td>` +
        `<td>${col((r) => r.oneShot!.ensemble)}</td></tr>`,
    ];
  });
  if (rows.length === 0) return '';
  return (
    '<h3>One-shot fusion</h3><table class="one-shot"><thead><tr><th>strategy</th><th>seeds</th><th>fused %</th>' +
    '<th>parents (mean) %</th><th>best parent %</th><th>vanilla average %</th><th>ensemble %</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>` +
    '<p class="note">Test accuracy, mean ± sample std over seeds. Vanilla average: parameters averaged without ' +
    'alignment. Ensemble: parents’ predictions averaged (an upper reference, not a single model).</p>'
  );
}

function perRoundTable(runs: readonly ExperimentRun[], scenario: string, strategies: string[]): string {
  const present = strategies.filter((s) => runsOf(runs, scenario, s).length > 0);
  const rounds = distinct(runs.filter((r) => r.scenarioName === scenario).flatMap((r) => r.rounds.map((x) => x.round))).sort(
    (a, b) => a - b,
  );
  const body = rounds.map((round) => {
    const cells = present.map((strategy) => {
      const values = runsOf(runs, scenario, strategy)
        .map((r) => r.rounds.find((x) => x.round === round)?.accuracy)
        .filter((a): a is number => a !== undefined);
      return `<td>${values.length ? `${meanStdPercent(summarize(values))} <span class="n">(n=${values.length})</span>` : '–'}</td>`;
    });
    return `<tr><th scope="row">${round}</th>${cells.join('')}</tr>`;
  });
  return (
    '<details><summary>Test accuracy per round (%, mean ± sample std over seeds)</summary>' +
    `<table class="per-round"><thead><tr><th>round</th>${present.map((s) => `<th>${escapeXml(s)}</th>`).join('')}</tr></thead>` +
    `<tbody>${body.join('')}</tbody></table></details>`
  );
}

/**
 * Runs with per-round references: each round's aggregate against the models it was made from — their plain
 * average and their prediction ensemble (the ceiling a single fused model chases).
 */
function roundReferencesTable(runs: readonly ExperimentRun[], scenario: string, strategies: string[]): string {
  const rows = strategies.flatMap((strategy) => {
    const cell = runsOf(runs, scenario, strategy).filter((r) => r.roundReferences && r.roundReferences.length > 0);
    const rounds = distinct(cell.flatMap((r) => r.roundReferences!.map((x) => x.round))).sort((a, b) => a - b);
    return rounds.map((round) => {
      const col = (pick: (r: ExperimentRun) => number | undefined) =>
        meanStdPercent(summaryOrUndefined(cell.map(pick).filter((v): v is number => v !== undefined)));
      const refs = (r: ExperimentRun) => r.roundReferences!.find((x) => x.round === round);
      return (
        `<tr data-strategy="${escapeXml(strategy)}"><th scope="row">${escapeXml(strategy)}</th><td>${round}</td>` +
        `<td>${col((r) => r.rounds.find((x) => x.round === round)?.accuracy)}</td>` +
        `<td>${col((r) => refs(r)?.vanilla)}</td>` +
        `<td>${col((r) => refs(r)?.ensemble)}</td>` +
        `<td>${col((r) => bestClientAccuracy(refs(r)))}</td></tr>`
      );
    });
  });
  if (rows.length === 0) return '';
  return (
    '<h3>Each round against its client models</h3><table class="round-references"><thead><tr><th>strategy</th>' +
    '<th>round</th><th>aggregate %</th><th>clients’ vanilla average %</th><th>clients’ ensemble %</th>' +
    '<th>best client %</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>` +
    '<p class="note">Test accuracy, mean ± sample std over seeds, of the round’s result and of the client models ' +
    'it was made from: their parameters averaged without weights, and their predictions averaged (the ensemble: K ' +
    'models, not one; the ceiling a fusion of those models chases).</p>'
  );
}

/** Tier names of a scenario's runs, widest first (by the parameters of their models). */
function tiersOf(runs: readonly ExperimentRun[], scenario: string): string[] {
  const params = new Map<string, number>();
  for (const r of runs) if (r.scenarioName === scenario) for (const row of r.rounds) for (const [n, t] of Object.entries(row.tiers ?? {})) params.set(n, t.parameters);
  return [...params.keys()].sort((a, b) => params.get(b)! - params.get(a)!);
}

/**
 * Tiered scenarios: per strategy, the final test accuracy of the global model and of each tier's model, with each
 * tier's model size and bytes per round (runs without tiers, e.g. the FedAvg width references, fill the global column).
 */
function tiersTable(runs: readonly ExperimentRun[], scenario: string, strategies: string[], tiers: string[]): string {
  const lastRow = (r: ExperimentRun) => r.rounds.filter((x) => x.accuracy !== undefined).at(-1);
  const rows = strategies.flatMap((strategy) => {
    const cell = runsOf(runs, scenario, strategy);
    if (cell.length === 0) return [];
    const col = (pick: (r: ExperimentRun) => number | undefined) =>
      meanStdPercent(summaryOrUndefined(cell.map(pick).filter((v): v is number => v !== undefined)));
    const tierCells = tiers.map((tier) => {
      const withTier = cell.filter((r) => r.rounds.some((x) => x.tiers?.[tier]));
      if (withTier.length === 0) return '<td>–</td><td>–</td>';
      const bytes = (pick: (t: NonNullable<RoundRow['tiers']>[string]) => number) =>
        formatBytes(Math.round(perRoundMean(withTier, (x) => (x.tiers?.[tier] ? pick(x.tiers[tier]) : 0)) ?? 0));
      return (
        `<td data-tier="${escapeXml(tier)}">${col((r) => lastRow(r)?.tiers?.[tier]?.accuracy)}</td>` +
        `<td>${bytes((t) => t.bytesSent)} / ${bytes((t) => t.bytesReceived)}</td>`
      );
    });
    return [`<tr data-strategy="${escapeXml(strategy)}"><th scope="row">${escapeXml(strategy)}</th><td>${col((r) => finalAccuracy(r.rounds))}</td>${tierCells.join('')}</tr>`];
  });
  const params = (tier: string) => runs.flatMap((r) => (r.scenarioName === scenario ? r.rounds.map((x) => x.tiers?.[tier]?.parameters) : [])).find((p) => p !== undefined);
  const head = tiers.map((t) => `<th>${escapeXml(t)} % <span class="n">(${params(t)} parameters)</span></th><th>${escapeXml(t)} sent / received per round</th>`);
  return (
    `<h3>Device tiers</h3><table class="tiers"><thead><tr><th>strategy</th><th>global model %</th>${head.join('')}</tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table>` +
    '<p class="note">Final test accuracy, mean ± sample std over seeds, of the global model and of the model each tier ' +
    'runs after the last round (derived from the global model by the strategy); bytes: the tier’s clients’ traffic per ' +
    'round, mean over rounds and seeds. Runs without tiers (one width for every client) fill the global column only.</p>'
  );
}

function partitionFigure(runs: readonly ExperimentRun[], scenario: string, classLabels?: string[]): string {
  const withPartition = runs
    .filter((r) => r.scenarioName === scenario && r.histograms.length > 0)
    .sort((a, b) => a.seed - b.seed);
  if (withPartition.length === 0) return '<h3>Partition</h3><p class="note">No label histograms were recorded.</p>';
  const first = withPartition[0];
  const otherSeedsDiffer = withPartition.some(
    (r) => r.seed !== first.seed && JSON.stringify(r.histograms) !== JSON.stringify(first.histograms),
  );
  const svg = renderLabelHistograms(first.histograms, {
    title: `${scenario}: labels per client (seed ${first.seed})`,
    classLabels,
  });
  const caption =
    `Examples of each class held by each of the ${first.histograms.length} clients, for seed ${first.seed}. ` +
    (otherSeedsDiffer ? 'Other seeds draw other partitions of the same kind.' : 'All seeds share this partition.');
  return `<h3>Partition</h3><figure class="partition">${svg}<figcaption>${escapeXml(caption)}</figcaption></figure>`;
}

const STYLE = `
:root { color-scheme: light; }
body { margin: 0; background: #f6f6f4; color: #222; font: 15px/1.5 system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', Helvetica, Arial, sans-serif; }
main { max-width: 1080px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 8px; padding-top: 12px; border-top: 1px solid #ddd; }
h3 { font-size: 16px; margin: 22px 0 6px; }
.meta, .note, figcaption { color: #555; font-size: 13px; }
figure { margin: 12px 0; }
svg.chart { max-width: 100%; height: auto; display: block; }
table { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #d6d6d6; padding: 4px 10px; text-align: right; white-space: nowrap; }
th { background: #f0f0ee; }
th[scope="row"] { text-align: left; }
td.best { background: #eef6ee; }
.n { color: #777; font-size: 12px; }
details { margin: 10px 0; }
summary { cursor: pointer; color: #333; }
`;

/**
 * The whole experiment as one self-contained HTML document. Scenarios and strategies appear in the order of their
 * first run; a strategy keeps one colour in every chart.
 */
export function renderExperimentReport(title: string, runs: readonly ExperimentRun[], opts: ExperimentReportOptions = {}): string {
  const valid = validateRuns(runs);
  const band = opts.band ?? 'min-max';
  const scenarios = distinct(valid.map((r) => r.scenarioName));
  const strategies = distinct(valid.map((r) => r.strategy));
  const seeds = distinct(valid.map((r) => r.seed));
  const totalSeconds = valid.reduce((a, r) => a + r.seconds, 0);
  const generatedAt = (opts.generatedAt ?? new Date()).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

  const sections = scenarios.map((scenario) => {
    const inScenario = valid.filter((r) => r.scenarioName === scenario);
    const hasLoss = inScenario.some((r) => r.rounds.some((x) => x.loss !== undefined));
    const oneShotOnly = inScenario.every((r) => r.oneShot && r.rounds.length <= 1);
    // A one-round run is a point, not a line: one-shot scenarios get bars against the parents' reference lines.
    const charts = oneShotOnly ? [renderOneShotChart(valid, scenario)] : [renderScenarioChart(valid, scenario, 'accuracy', { band })];
    if (hasLoss && !oneShotOnly) charts.push(renderScenarioChart(valid, scenario, 'loss', { band }));
    // Tiered scenarios: the smallest tier's model too (what the weakest devices run).
    const tiers = tiersOf(valid, scenario);
    if (tiers.length > 1 && !oneShotOnly) charts.push(renderScenarioChart(valid, scenario, 'accuracy', { band, tier: tiers.at(-1)! }));
    return (
      `<section class="scenario" data-scenario="${escapeXml(scenario)}"><h2>Scenario: ${escapeXml(scenario)}</h2>` +
      charts.map((svg) => `<figure class="metric">${svg}</figure>`).join('') +
      (oneShotOnly ? '' : `<p class="note">Lines: mean over seeds; shaded band: ${escapeXml(bandDescription(band))}.</p>`) +
      perRoundTable(valid, scenario, strategies) +
      (tiers.length > 0 ? tiersTable(valid, scenario, strategies, tiers) : '') +
      oneShotTable(valid, scenario, strategies) +
      roundReferencesTable(valid, scenario, strategies) +
      `<h3>Communication and time</h3>${costTable(valid, scenario, strategies)}` +
      partitionFigure(valid, scenario, opts.classLabels) +
      '</section>'
    );
  });

  const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  return (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    // No script runs in this document, whatever text ended up in it.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">` +
    `<title>${escapeXml(title)}</title><style>${STYLE}</style></head><body><main>` +
    `<header><h1>${escapeXml(title)}</h1>` +
    `<p class="meta">Generated ${escapeXml(generatedAt)} · ${plural(valid.length, 'run')}: ${plural(scenarios.length, 'scenario')} × ` +
    `${plural(strategies.length, 'strategy', 'strategies')} × ${plural(seeds.length, 'seed')} · ` +
    `${totalSeconds.toFixed(0)} s of runs</p>` +
    (opts.description ? `<p>${escapeXml(opts.description)}</p>` : '') +
    '</header>' +
    '<section id="summary"><h2>Final test accuracy (%)</h2>' +
    finalAccuracyTable(valid, scenarios, strategies) +
    '<p class="note">Accuracy of the last evaluated round, mean ± sample standard deviation (n − 1) over seeds; ' +
    'n = number of seeds. The best mean of each scenario is in bold.</p></section>' +
    sections.join('') +
    '<footer><p class="note">fedfuse experiment report.</p></footer></main></body></html>\n'
  );
}
