// Applies the screening rule to one round's accepted updates before the strategy aggregates them: scores each
// update (norm of its change, probe accuracy when that rule is on) and splits the updates into kept and excluded.
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import type { ClientUpdate, ProbeSet } from '../strategies/strategy.js';
import { probeAccuracies } from './probe-accuracy.js';
import type { ScreeningSettings } from './screening-options.js';
import { screenUpdates, type Exclusion, type UpdateScore } from './screening-rule.js';
import { updateNorm } from './update-norm.js';

export interface RoundScreening {
  /** The updates to aggregate, in their original order. */
  kept: ClientUpdate[];
  excluded: Exclusion[];
  spared: Exclusion[];
  scores: UpdateScore[];
}

export async function screenRound(
  global: ModelState,
  updates: readonly ClientUpdate[],
  settings: ScreeningSettings,
  probe: ProbeSet | undefined,
  minUpdates: number,
): Promise<RoundScreening> {
  const accuracies = settings.probeAccuracy
    ? await probeAccuracies(global, updates.map((u) => u.weights), requireLabelledProbe(probe))
    : undefined;
  const scores: UpdateScore[] = updates.map((u, i) => ({
    clientId: u.clientId,
    norm: updateNorm(u.weights, global.weights),
    ...(accuracies ? { probeAccuracy: accuracies[i] } : {}),
  }));
  const { excluded, spared } = screenUpdates(scores, settings, minUpdates);
  const out = new Set(excluded.map((e) => e.clientId));
  return { kept: updates.filter((u) => !out.has(u.clientId)), excluded, spared, scores };
}

function requireLabelledProbe(probe: ProbeSet | undefined): { x: ProbeSet['x']; y: Int32Array } {
  if (!probe?.y) throw new Error('the probe-accuracy screening needs a labelled probe set (probe.x and probe.y)');
  return { x: probe.x, y: probe.y };
}
