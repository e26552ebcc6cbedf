// One simulated client's identity, as `run`, `clients` and the client workers pass it around: defined once here, so
// what a worker accepts over IPC is exactly what the runner sends (a tier added to one side and not the other made
// every tiered `run` with workers fail).
import { z } from 'zod';

export const simulatedClientSpecSchema = z.strictObject({
  /** Its index in the scenario (0-based): which data slice it trains on. */
  index: z.number().int().min(0),
  /** The id it joins with, and its token. */
  clientId: z.string().min(1),
  token: z.string().min(1),
  /** Tiered scenarios: the device tier the client declares when it joins. */
  tier: z.string().min(1).optional(),
});

export type SimulatedClientSpec = z.infer<typeof simulatedClientSpecSchema>;
