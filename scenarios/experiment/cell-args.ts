// What the experiment passes to a cell's child process (as one JSON argument), validated on the child's side.
import { z } from 'zod';

export const cellArgsSchema = z.strictObject({
  scenarioFile: z.string().min(1),
  /** A strategy registry name. */
  strategy: z.string().min(1),
  /** Options for it (the experiment passes the scenario file's for the file's strategy); absent = the defaults. */
  strategyOptions: z.record(z.string(), z.unknown()).optional(),
  /** What results.json calls the strategy (the experiment's column label). */
  label: z.string().min(1).optional(),
  /** Overrides the scenario's local epochs (one-shot mode trains the parents longer). */
  localEpochs: z.number().int().positive().optional(),
  /** Also evaluate the parents, their plain average and their prediction ensemble (one-shot references). */
  oneShot: z.boolean().optional(),
  /** Also evaluate every round's client models, their plain average and their ensemble (runner roundReferences). */
  roundReferences: z.boolean().optional(),
  /** Also write the cell's final global model and last round's client models (runner saveModels). */
  saveModels: z.boolean().optional(),
  seed: z.number().int().min(0),
  /** Client worker processes the cell trains its clients in (runner option workers). */
  workers: z.number().int().positive().optional(),
  /** The strategy spec's width=: the scenario runs without tiers, every client at this width ('smallest': its smallest tier's). */
  width: z.union([z.number().gt(0).max(1), z.literal('smallest')]).optional(),
  /** Overrides the scenario's rounds (--rounds, or 1 in one-shot mode). */
  rounds: z.number().int().positive().optional(),
  outDir: z.string().min(1),
});
export type CellArgs = z.infer<typeof cellArgsSchema>;
