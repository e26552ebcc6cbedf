// The decision of the update screening, pure numbers in and out: which of a round's updates to leave out of the
// aggregate because their norm is an outlier or their probe accuracy is far below the others'.
//
// The rule assumes an honest majority (as every robust aggregation does): it never excludes half or more of the
// round's updates, and never so many that fewer than minUpdates remain. When more updates are flagged than that
// allows, the most outlying are excluded and the rest are kept and reported as "spared".
import { MAD_TO_SIGMA, median, medianAbsoluteDeviation } from './robust-statistics.js';
import type { ScreeningSettings } from './screening-options.js';

/** What the rule knows about one update. */
export interface UpdateScore {
  clientId: string;
  /** L2 norm of (update − global). */
  norm: number;
  /** Accuracy of the update's model on the labelled probe set; needed when the probe-accuracy rule is on. */
  probeAccuracy?: number;
}

export interface Exclusion {
  clientId: string;
  reason: string;
}

export interface ScreeningDecision {
  excluded: Exclusion[];
  /** Flagged but kept: excluding them too would exclude a majority or leave fewer than minUpdates. */
  spared: Exclusion[];
}

/**
 * Lower bound of the norm spread, as a fraction of the median norm: when honest updates happen to be nearly
 * identical the MAD is ~0 and every small difference would otherwise count as an outlier.
 */
export const RELATIVE_SPREAD_FLOOR = 0.1;

/** Most updates the rule may exclude from a round of n: a strict minority, leaving at least minUpdates. */
export function maxExclusions(n: number, minUpdates: number): number {
  return Math.max(0, Math.min(Math.ceil(n / 2) - 1, n - minUpdates));
}

interface Flag {
  clientId: string;
  reasons: string[];
  /** How far past its threshold the update is (≥ 1 when flagged), to exclude the most outlying first. */
  severity: number;
}

const fmt = (v: number) => (Math.abs(v) >= 1e6 ? v.toExponential(3) : Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4));
const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

export function screenUpdates(scores: readonly UpdateScore[], settings: ScreeningSettings, minUpdates: number): ScreeningDecision {
  const flags = new Map<string, Flag>(scores.map((s) => [s.clientId, { clientId: s.clientId, reasons: [], severity: 0 }]));
  const flag = (clientId: string, reason: string, severity: number) => {
    const f = flags.get(clientId)!;
    f.reasons.push(reason);
    f.severity = Math.max(f.severity, severity);
  };
  if (scores.length === 0) return { excluded: [], spared: [] };

  if (settings.norm) {
    const { madMultiple: k, medianMultiple, maxNorm } = settings.norm;
    const norms = scores.map((s) => s.norm);
    const m = median(norms);
    // The median-multiple rule (on by default): scale-free, so it needs no knowledge of how far honest clients move.
    // A median of 0 (most updates are the global model itself) gives it no scale to judge by.
    if (medianMultiple !== false && m > 0) {
      const threshold = medianMultiple * m;
      for (const s of scores) {
        if (s.norm > threshold) {
          flag(
            s.clientId,
            `update distance ${fmt(s.norm)} from the global model is above ${medianMultiple} × the round's median ${fmt(m)} = ${fmt(threshold)}`,
            s.norm / threshold,
          );
        }
      }
    }
    if (k !== undefined) {
      const spread = Math.max(MAD_TO_SIGMA * medianAbsoluteDeviation(norms), RELATIVE_SPREAD_FLOOR * m);
      const threshold = m + k * spread;
      for (const s of scores) {
        if (s.norm > threshold) {
          flag(
            s.clientId,
            `update norm ${fmt(s.norm)} is above the round's median ${fmt(m)} + ${k} × spread ${fmt(spread)} = ${fmt(threshold)}`,
            spread > 0 ? (s.norm - m) / (k * spread) : Infinity,
          );
        }
      }
    }
    if (maxNorm !== undefined) {
      for (const s of scores) {
        if (s.norm > maxNorm) flag(s.clientId, `update norm ${fmt(s.norm)} is above maxNorm ${fmt(maxNorm)}`, s.norm / maxNorm);
      }
    }
  }

  if (settings.probeAccuracy) {
    const { margin } = settings.probeAccuracy;
    const accuracies = scores.map((s) => {
      if (s.probeAccuracy === undefined) throw new Error(`no probe accuracy for ${s.clientId}'s update (internal error)`);
      return s.probeAccuracy;
    });
    const m = median(accuracies);
    const threshold = m - margin;
    scores.forEach((s, i) => {
      if (accuracies[i] < threshold) {
        flag(
          s.clientId,
          `probe accuracy ${pct(accuracies[i])} is below the round's median ${pct(m)} − margin ${pct(margin)} = ${pct(threshold)}`,
          (m - accuracies[i]) / margin,
        );
      }
    });
  }

  const flagged = [...flags.values()]
    .filter((f) => f.reasons.length > 0)
    .sort((a, b) => b.severity - a.severity || a.clientId.localeCompare(b.clientId))
    .map((f) => ({ clientId: f.clientId, reason: f.reasons.join('; ') }));
  const cap = maxExclusions(scores.length, minUpdates);
  return { excluded: flagged.slice(0, cap), spared: flagged.slice(cap) };
}
