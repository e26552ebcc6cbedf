// An experiment: every scenario × strategy × seed cell in its own child process (at most `cells` at once, each
// training its clients in `workers` client worker processes: cellWorkerBudget keeps cells × workers within the cores),
// resumable through each cell's results.json, merged into experiment.json/.csv, report.html and accuracy.png.
import cliProgress from 'cli-progress';
import { availableParallelism } from 'node:os';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { loadScenario } from '../load-scenario.js';
import { renderExperimentReport, renderOneShotChart, renderScenarioChart, type ExperimentRun } from '../report/html-report.js';
import { findChromium, writeChartPng } from '../report/png.js';
import { expandMatrix, validateStrategies, type ExperimentCell, type MatrixScenario } from './matrix.js';
import { createStrategy } from '../../server/strategies/index.js';
import { sampledClientCount } from '../scenario-schema.js';
import { cellStrategyOptions, readCompletedCell, resetCellDir, type CellExpectation } from './cell-store.js';
import { forEachConcurrently, runCellProcess } from './cell-process.js';
import { experimentCsv, experimentJson, renderSummaryTable, summarizeOutcomes, type CellOutcome, type ExperimentSummaryRow } from './merge.js';

export interface ExperimentOptions {
  scenarioFiles: readonly string[];
  strategies: readonly string[];
  seeds: readonly number[];
  outDir: string;
  /** Cells running at once (default: see cellWorkerBudget). */
  cells?: number;
  /** Client worker processes per cell (default: the scenario's `workers`, else see cellWorkerBudget). */
  workers?: number;
  /** Overrides every scenario's rounds. */
  rounds?: number;
  /**
   * One-shot fusion (the paper's setting): a single round in which clients train for `localEpochs` (default: the
   * scenario's), then one fusion; each cell also records its parents', vanilla average's and ensemble's accuracy.
   */
  oneShot?: boolean;
  /** Overrides every scenario's local epochs (e.g. to train the parents to convergence in one-shot mode). */
  localEpochs?: number;
  /**
   * Each cell also records, for every round, its client models' accuracy, their plain average's and their prediction
   * ensemble's (the ceiling the round's aggregate chases); cells that ran without are rerun.
   */
  roundReferences?: boolean;
  /** Each cell also writes its models (<cell dir>/models/: the global model and the last round's client models). */
  saveModels?: boolean;
  /** Kill a cell after this many seconds and report it failed (default: no limit). */
  cellTimeoutSeconds?: number;
  /** Run nothing: merge the cells already finished into the report (e.g. while another process runs the rest). */
  reportOnly?: boolean;
  /** Title of report.html (default: the output directory's name). */
  title?: string;
  /** Write accuracy.png (default true; skipped with a warning when no Chromium is installed). */
  png?: boolean;
  /** Show a progress bar (default: when stdout is a terminal); otherwise a plain line per cell. */
  tty?: boolean;
  log?: (line: string) => void;
}

export interface ExperimentResult {
  outcomes: CellOutcome[];
  summary: ExperimentSummaryRow[];
  failed: CellOutcome[];
  /** Files written under outDir (absent when no cell finished). */
  files: { json?: string; csv?: string; report?: string; png?: string };
}

async function loadMatrixScenarios(files: readonly string[]): Promise<MatrixScenario[]> {
  const out: MatrixScenario[] = [];
  for (const f of files) {
    const scenario = await loadScenario(f);
    out.push({
      name: scenario.name,
      file: resolve(f),
      rounds: scenario.rounds,
      localEpochs: scenario.local.epochs,
      sampledClients: sampledClientCount(scenario.clients, scenario.clientsPerRound),
      strategy: scenario.strategy,
      ...(scenario.workers !== undefined ? { workers: scenario.workers } : {}),
    });
  }
  return out;
}

/** Why the cell's strategy cannot run on its scenario, or undefined when it can. */
async function notApplicable(cell: ExperimentCell): Promise<string | undefined> {
  const fromFile = cell.scenario.strategy?.name === cell.spec.name ? cell.scenario.strategy.options : undefined;
  let strategy;
  try {
    strategy = await createStrategy(cell.spec.name, cell.spec.options ?? fromFile ?? {});
  } catch {
    // Bad options in a scenario file fail that cell alone, in its own process, with the error in its report.
    return undefined;
  }
  const sampled = cell.scenario.sampledClients;
  if (strategy.exactUpdates === undefined || sampled === undefined || sampled === strategy.exactUpdates) return undefined;
  return `${cell.strategy} fuses exactly ${strategy.exactUpdates} client updates per round; ${cell.scenario.name} samples ${sampled}`;
}

function accuracyText(run: ExperimentRun | undefined): string {
  const last = run?.rounds.filter((r) => r.accuracy !== undefined).at(-1);
  return last?.accuracy === undefined ? '' : `, accuracy ${(100 * last.accuracy).toFixed(2)}%`;
}

/**
 * Cells at once and client workers per cell, so that cells × workers stays within `cores` unless told otherwise.
 * Cells first: parallel cells never wait for one another, while a cell's workers wait for its slowest one and for
 * its server's aggregation every round. So: one cell per core while there are cells enough (2 cores and 4 cells: 2
 * cells × 1 worker), the cores left over as workers (16 cores and 4 cells: 4 × 4; one cell: 1 × 16). A number given
 * for one of them leaves the cores it leaves to the other.
 */
export function cellWorkerBudget(cores: number, pendingCells: number, given: { cells?: number; workers?: number }): { cells: number; workers: number } {
  const cells = given.cells ?? Math.max(1, Math.min(Math.max(1, pendingCells), Math.floor(cores / (given.workers ?? 1))));
  const workers = given.workers ?? Math.max(1, Math.floor(cores / Math.max(1, Math.min(cells, pendingCells))));
  return { cells, workers };
}

export async function runExperiment(opts: ExperimentOptions): Promise<ExperimentResult> {
  const log = opts.log ?? ((line: string) => console.log(line));
  for (const [name, v] of [
    ['cells', opts.cells],
    ['workers', opts.workers],
  ] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v > 0)) throw new Error(`${name} must be a positive integer, got ${v}`);
  }
  for (const [name, v] of [
    ['rounds', opts.rounds],
    ['localEpochs', opts.localEpochs],
  ] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v > 0)) throw new Error(`${name} must be a positive integer, got ${v}`);
  }
  if (opts.cellTimeoutSeconds !== undefined && !(opts.cellTimeoutSeconds > 0)) {
    throw new Error(`cellTimeoutSeconds must be a positive number, got ${opts.cellTimeoutSeconds}`);
  }
  // Everything that can be wrong with the request is checked before the first cell starts, strategy options too.
  for (const spec of validateStrategies(opts.strategies)) {
    if (spec.options) await createStrategy(spec.name, spec.options);
  }
  const scenarios = await loadMatrixScenarios(opts.scenarioFiles);
  const cells = expandMatrix({ scenarios, strategies: opts.strategies, seeds: opts.seeds });
  const rounds = opts.oneShot ? 1 : opts.rounds;
  const oneShot = Boolean(opts.oneShot);
  const roundReferences = Boolean(opts.roundReferences);
  const expectation = (cell: ExperimentCell): CellExpectation => ({
    rounds: rounds ?? cell.scenario.rounds,
    oneShot,
    roundReferences,
    localEpochs: opts.localEpochs ?? cell.scenario.localEpochs,
    strategy: { name: cell.spec.name, options: cellStrategyOptions(cell) },
  });
  const outDir = resolve(opts.outDir);
  await mkdir(join(outDir, 'cells'), { recursive: true });

  const outcomes = new Map<string, CellOutcome>();
  const pending: ExperimentCell[] = [];
  const applicability = new Map<string, string | undefined>();
  for (const cell of cells) {
    // Every seed of a scenario × strategy gets the same answer: build the strategy once per pair, not per cell.
    const pair = JSON.stringify([cell.scenario.name, cell.strategy]);
    if (!applicability.has(pair)) applicability.set(pair, await notApplicable(cell));
    const reason = applicability.get(pair);
    if (reason) {
      outcomes.set(cell.id, { cell, status: 'skipped', error: reason });
      continue;
    }
    const run = await readCompletedCell(outDir, cell, expectation(cell));
    if (run) outcomes.set(cell.id, { cell, status: 'reused', run });
    else pending.push(cell);
  }
  const skipped = [...outcomes.values()].filter((o) => o.status === 'skipped');
  const budget = cellWorkerBudget(availableParallelism(), pending.length, { cells: opts.cells, workers: opts.workers });
  // A scenario's own `workers` counts unless --workers was given.
  const cellWorkers = (cell: ExperimentCell) => opts.workers ?? cell.scenario.workers ?? budget.workers;
  log(
    `experiment: ${cells.length} cells (${scenarios.length} scenario(s) × ${opts.strategies.length} strategies × ` +
      `${opts.seeds.length} seeds), ${cells.length - pending.length - skipped.length} already done, ` +
      `${skipped.length} not applicable, ${pending.length} to run, ${budget.cells} at a time, ` +
      `${opts.workers === undefined ? `by default ${budget.workers}` : budget.workers} client worker(s) each`,
  );
  // One line per scenario × strategy, not per seed.
  for (const reason of new Set(skipped.map((o) => o.error))) log(`skipped: ${reason}`);

  const tty = opts.tty ?? Boolean(process.stdout.isTTY);
  const bar = tty && pending.length > 0 && !opts.reportOnly
    ? new cliProgress.SingleBar({ format: 'cells [{bar}] {value}/{total} {last}', hideCursor: true }, cliProgress.Presets.shades_classic)
    : undefined;
  bar?.start(pending.length, 0, { last: '' });
  let finished = 0;
  const problems: string[] = [];

  if (opts.reportOnly) {
    for (const cell of pending) outcomes.set(cell.id, { cell, status: 'missing' });
    if (pending.length > 0) log(`report only: ${pending.length} cell(s) not run yet are left out`);
  }
  await forEachConcurrently(opts.reportOnly ? [] : pending, budget.cells, async (cell) => {
    const dir = await resetCellDir(outDir, cell);
    const strategyOptions = cellStrategyOptions(cell);
    const proc = await runCellProcess(
      {
        scenarioFile: cell.scenario.file,
        strategy: cell.spec.name,
        ...(strategyOptions ? { strategyOptions } : {}),
        label: cell.strategy,
        ...(cell.spec.width !== undefined ? { width: cell.spec.width } : {}),
        seed: cell.seed,
        rounds,
        ...(opts.localEpochs !== undefined ? { localEpochs: opts.localEpochs } : {}),
        oneShot,
        ...(roundReferences ? { roundReferences } : {}),
        ...(opts.saveModels ? { saveModels: true } : {}),
        workers: cellWorkers(cell),
        outDir: dir,
      },
      opts.cellTimeoutSeconds !== undefined ? { timeoutMs: opts.cellTimeoutSeconds * 1000 } : {},
    );
    const run = proc.ok ? await readCompletedCell(outDir, cell, expectation(cell)) : undefined;
    let outcome: CellOutcome;
    if (run) {
      outcome = { cell, status: 'done', run };
    } else {
      const why = proc.timedOut
        ? `timed out after ${opts.cellTimeoutSeconds} s (killed)`
        : proc.ok
        ? 'the cell process exited without writing a valid results.json'
        : `exit code ${proc.exitCode ?? 'none'}${proc.signal ? ` (signal ${proc.signal})` : ''}`;
      const error = `${why}${proc.stderrTail ? `\n${proc.stderrTail}` : ''}`;
      outcome = { cell, status: 'failed', error };
      problems.push(`cell ${cell.id} FAILED: ${error.replace(/\n/g, '\n    ')}`);
    }
    outcomes.set(cell.id, outcome);
    finished++;
    const line = `${cell.id} ${outcome.status === 'done' ? `done in ${run?.seconds.toFixed(1)} s${accuracyText(run)}` : 'FAILED'}`;
    if (bar) bar.update(finished, { last: line });
    else log(`cell ${finished}/${pending.length}: ${line}`);
  });
  bar?.stop();
  for (const p of problems) log(p);

  const ordered = cells.map((c) => outcomes.get(c.id)).filter((o): o is CellOutcome => o !== undefined);
  const runs = ordered.flatMap((o) => (o.run ? [o.run] : []));
  const title = opts.title ?? basename(outDir);
  const files: ExperimentResult['files'] = {};
  const meta = {
    title,
    strategies: opts.strategies,
    seeds: opts.seeds,
    rounds,
    oneShot,
    ...(roundReferences ? { roundReferences } : {}),
    ...(opts.localEpochs !== undefined ? { localEpochs: opts.localEpochs } : {}),
  };
  files.json = join(outDir, 'experiment.json');
  await writeFile(files.json, JSON.stringify(experimentJson(meta, ordered), null, 2) + '\n');
  if (runs.length > 0) {
    files.csv = join(outDir, 'experiment.csv');
    await writeFile(files.csv, experimentCsv(runs));
    files.report = join(outDir, 'report.html');
    const epochs = opts.localEpochs !== undefined ? `${opts.localEpochs} local epochs` : "the scenario's local epochs";
    const description = oneShot
      ? `One-shot mode (the paper's setting): one round in which clients train for ${epochs}, then a single fusion.`
      : undefined;
    await writeFile(files.report, renderExperimentReport(title, runs, description ? { description } : {}));
    if (opts.png ?? true) {
      if (!findChromium()) {
        log('warning: no Chromium found (set FEDFUSE_CHROMIUM); accuracy.png skipped');
      } else {
        // accuracy.png shows the first scenario (what README/BENCHMARKS embed); with several, each also gets its own.
        const names = [...new Set(runs.map((r) => r.scenarioName))];
        const chart = (name: string) =>
          oneShot ? renderOneShotChart(runs, name) : renderScenarioChart(runs, name, 'accuracy');
        const targets: [string, string][] = [[names[0], 'accuracy.png']];
        if (names.length > 1) for (const name of names) targets.push([name, `accuracy-${name.replace(/[^A-Za-z0-9._-]/g, '_')}.png`]);
        for (const [name, file] of targets) {
          const png = join(outDir, file);
          try {
            await writeChartPng(chart(name), png);
            files.png ??= png;
          } catch (err) {
            log(`warning: ${file} not written: ${(err as Error).message}`);
          }
        }
      }
    }
  }

  const summary = summarizeOutcomes(ordered);
  log('');
  log(renderSummaryTable(summary));
  const failed = ordered.filter((o) => o.status === 'failed');
  log('');
  const missing = ordered.filter((o) => o.status === 'missing').length;
  const verdict = failed.length > 0 ? `${failed.length} of ${cells.length} cell(s) failed` : missing > 0 ? `${missing} cell(s) not run yet` : 'all cells finished';
  log(`${verdict}; results in ${outDir}`);
  return { outcomes: ordered, summary, failed, files };
}
