// What the experiment passes to a cell's child process (as one JSON argument), validated on the child's side.
import { z } from 'zod';

export const cellArgsSchema = z.strictObject({
  scenarioFile: z.string().min(1),
  strategy: z.string().min(1),
  seed: z.number().int().min(0),
  /** Overrides the scenario's rounds (--rounds, or 1 in one-shot mode). */
  rounds: z.number().int().positive().optional(),
  outDir: z.string().min(1),
});
export type CellArgs = z.infer<typeof cellArgsSchema>;
