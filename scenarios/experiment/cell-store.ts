// Where each cell's results live, and whether a cell is already done: a cell counts as done only when its
// results.json exists and is a valid run result (the runner writes it last-but-one, after training ends), so a
// cell killed halfway is simply rerun.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runFromResultsJson, type ExperimentRun } from '../report/html-report.js';
import type { ExperimentCell } from './matrix.js';

export function cellDir(outDir: string, cell: ExperimentCell): string {
  return join(outDir, 'cells', cell.id);
}

export function cellResultsPath(outDir: string, cell: ExperimentCell): string {
  return join(cellDir(outDir, cell), 'results.json');
}

/** What a finished cell must have run to count for this experiment. */
export interface CellExpectation {
  /** Rounds the cell must have finished (undefined: any). */
  rounds?: number;
  /** One-shot cells carry reference accuracies; multi-round cells do not. */
  oneShot: boolean;
  /** Cells asked for per-round references must have them (a cell with them also serves an experiment without). */
  roundReferences?: boolean;
}

/**
 * The cell's run if it completed earlier with the settings asked for, else undefined (missing, truncated or foreign
 * results.json, or one from another mode or number of rounds — reusing it would mix experiments).
 */
export async function readCompletedCell(
  outDir: string,
  cell: ExperimentCell,
  expect: CellExpectation = { oneShot: false },
): Promise<ExperimentRun | undefined> {
  let text: string;
  try {
    text = await readFile(cellResultsPath(outDir, cell), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const run = runFromResultsJson(JSON.parse(text));
    // A results.json from another cell (e.g. a directory copied by hand) must not count for this one.
    if (run.strategy !== cell.strategy || run.seed !== cell.seed || run.scenarioName !== cell.scenario.name) return undefined;
    if (Boolean(run.oneShot) !== expect.oneShot) return undefined;
    if (expect.roundReferences && !run.roundReferences) return undefined;
    const lastRound = run.rounds.reduce((m, r) => Math.max(m, r.round), 0);
    if (expect.rounds !== undefined && lastRound !== expect.rounds) return undefined;
    return run;
  } catch {
    return undefined;
  }
}

/** Empties the cell directory (leftovers of a half-finished run) and creates it. */
export async function resetCellDir(outDir: string, cell: ExperimentCell): Promise<string> {
  const dir = cellDir(outDir, cell);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  return dir;
}
