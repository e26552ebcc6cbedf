// Applies the screening rule to one round's accepted updates before the strategy aggregates them: scores each
// update (norm of its change, probe accuracy when that rule is on) and splits the updates into kept and excluded.
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import type { ClientUpdate, ProbeSet } from '../strategies/strategy.js';
import { probeAccuracies } from './probe-accuracy.js';
import type { ScreeningSettings } from './screening-options.js';
import { median } from './robust-statistics.js';
import { screenUpdates, type Exclusion, type UpdateScore } from './screening-rule.js';
import { updateNorm } from './update-norm.js';

/** How far a round's updates moved from the global model and how large their weights are (RELIABILITY.md figures). */
export interface UpdateStats {
  /** Median ‖update − global‖ of the round's updates. */
  medianDistance: number;
  /** The largest distance over the median (1 when all are equal). */
  largestDistanceRatio: number;
  /** The largest |w| of any weight of any of the round's updates. */
  largestAbsWeight: number;
}

export interface RoundScreening {
  /** The updates to aggregate, in their original order. */
  kept: ClientUpdate[];
  excluded: Exclusion[];
  spared: Exclusion[];
  scores: UpdateScore[];
  updateStats?: UpdateStats;
}

export async function screenRound(
  global: ModelState,
  updates: readonly ClientUpdate[],
  settings: ScreeningSettings,
  probe: ProbeSet | undefined,
  minUpdates: number,
  tierModels: readonly ModelState[] = [],
): Promise<RoundScreening> {
  const distance = distanceFromSentModel(global, tierModels);
  const accuracies = settings.probeAccuracy
    ? await probeAccuracies(global, updates.map((u) => u.weights), requireLabelledProbe(probe))
    : undefined;
  const scores: UpdateScore[] = updates.map((u, i) => ({
    clientId: u.clientId,
    norm: distance(u),
    ...(accuracies ? { probeAccuracy: accuracies[i] } : {}),
  }));
  const { excluded, spared } = screenUpdates(scores, settings, minUpdates);
  const out = new Set(excluded.map((e) => e.clientId));
  return { kept: updates.filter((u) => !out.has(u.clientId)), excluded, spared, scores, ...updateStats(updates, scores) };
}

/**
 * ‖update − the model its client was sent‖: the global model, or in a tiered round the client's tier's model (the
 * one with the update's shapes). A narrower tier's distance is scaled by √(global parameters / tier parameters), so
 * that an honest step of every tier is on one scale and one median compares them.
 */
function distanceFromSentModel(global: ModelState, tierModels: readonly ModelState[]): (u: ClientUpdate) => number {
  if (tierModels.length === 0) return (u) => updateNorm(u.weights, global.weights);
  const key = (w: ModelState['weights']) => w.map((t) => t.shape.join('x')).join(',');
  const size = (w: ModelState['weights']) => w.reduce((n, t) => n + t.values.length, 0);
  const sent = new Map([global, ...tierModels].map((m) => [key(m.weights), m.weights]));
  const globalSize = size(global.weights);
  return (u) => {
    const reference = sent.get(key(u.weights));
    if (!reference) throw new Error(`update of ${u.clientId} has the shapes of no model sent this round (${key(u.weights)})`);
    return updateNorm(u.weights, reference) * Math.sqrt(globalSize / size(reference));
  };
}

function requireLabelledProbe(probe: ProbeSet | undefined): { x: ProbeSet['x']; y: Int32Array } {
  if (!probe?.y) throw new Error('the probe-accuracy screening needs a labelled probe set (probe.x and probe.y)');
  return { x: probe.x, y: probe.y };
}

/** Absent when there is no scale to compare with (no updates, or a median distance of 0). */
function updateStats(updates: readonly ClientUpdate[], scores: readonly UpdateScore[]): { updateStats?: UpdateStats } {
  if (scores.length === 0) return {};
  const m = median(scores.map((s) => s.norm));
  if (!(m > 0)) return {};
  let largestAbsWeight = 0;
  for (const u of updates) for (const w of u.weights) for (const v of w.values) largestAbsWeight = Math.max(largestAbsWeight, Math.abs(v));
  return { updateStats: { medianDistance: m, largestDistanceRatio: Math.max(...scores.map((s) => s.norm)) / m, largestAbsWeight } };
}
