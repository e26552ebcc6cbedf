// Where each cell's results live, and whether a cell is already done: a cell counts as done only when its
// results.json exists and is a valid run result (the runner writes it last-but-one, after training ends), so a
// cell killed halfway is simply rerun.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
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
  /** Local epochs per round the cell must have trained (undefined: any). */
  localEpochs?: number;
  /** The strategy and options the cell must have run (undefined: any): a label reused for other options reruns. */
  strategy?: { name: string; options?: Record<string, unknown> };
}

/** The options a cell's strategy runs with: its own, else the scenario file's when the file names the same strategy. */
export function cellStrategyOptions(cell: ExperimentCell): Record<string, unknown> | undefined {
  if (cell.spec.options) return cell.spec.options;
  return cell.scenario.strategy?.name === cell.spec.name ? cell.scenario.strategy.options : undefined;
}

/** JSON with object keys sorted: equal for equal values whatever order their keys were written in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** What results.json says the cell ran: local epochs and strategy (fields the report does not need). */
const ranSettingsSchema = z.object({
  scenario: z.object({
    local: z.object({ epochs: z.number() }),
    strategy: z.object({ name: z.string(), options: z.record(z.string(), z.unknown()).optional() }),
  }),
});

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
    const json: unknown = JSON.parse(text);
    const run = runFromResultsJson(json);
    // A results.json from another cell (e.g. a directory copied by hand) must not count for this one.
    if (run.strategy !== cell.strategy || run.seed !== cell.seed || run.scenarioName !== cell.scenario.name) return undefined;
    if (Boolean(run.oneShot) !== expect.oneShot) return undefined;
    if (expect.roundReferences && !run.roundReferences) return undefined;
    if (expect.localEpochs !== undefined || expect.strategy !== undefined) {
      const ran = ranSettingsSchema.parse(json).scenario;
      if (expect.localEpochs !== undefined && ran.local.epochs !== expect.localEpochs) return undefined;
      if (expect.strategy && (ran.strategy.name !== expect.strategy.name || canonicalJson(ran.strategy.options ?? {}) !== canonicalJson(expect.strategy.options ?? {}))) {
        return undefined;
      }
    }
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
