// Per-round results as a fixed-width text table (what `fedfuse run` prints) and as CSV.
import type { RoundFusion, RoundGuard, RoundRow } from '../../server/rounds/round-row.js';

/** 'fused (0.123 / 0.145)': the path and the held-out probe losses, fused / plain average. */
export function fusionCell(f: RoundFusion | undefined): string {
  return f ? `${f.path} (${f.fusedProbeLoss.toFixed(3)} / ${f.averageProbeLoss.toFixed(3)})` : '-';
}

/**
 * 'candidate (0.123 / 0.145)': what the round published and the held-out probe losses, the round's candidate / the
 * previous model ('previous' when the candidate was refused and the previous model kept).
 */
export function guardCell(g: RoundGuard | undefined): string {
  if (!g) return '-';
  const loss = (v: number | null | undefined) => (v === undefined ? '' : v === null ? 'not finite' : v >= 1e4 ? v.toExponential(2) : v.toFixed(3));
  return g.candidateLoss === undefined ? g.published : `${g.published} (${loss(g.candidateLoss)} / ${loss(g.previousLoss)})`;
}

const COLUMNS: { head: string; cell: (r: RoundRow) => string }[] = [
  { head: 'round', cell: (r) => String(r.round) },
  { head: 'clients', cell: (r) => String(r.participants) },
  { head: 'late', cell: (r) => String(r.stragglers) },
  { head: 'rejected', cell: (r) => String(r.rejected) },
  { head: 'test acc', cell: (r) => (r.accuracy === undefined ? '-' : `${(100 * r.accuracy).toFixed(2)}%`) },
  { head: 'test loss', cell: (r) => (r.loss === undefined ? '-' : r.loss.toFixed(4)) },
  { head: 'sent', cell: (r) => formatBytes(r.bytesSent) },
  { head: 'received', cell: (r) => formatBytes(r.bytesReceived) },
  { head: 'round s', cell: (r) => r.seconds.toFixed(1) },
  { head: 'aggregate s', cell: (r) => r.aggregateSeconds.toFixed(2) },
];

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** Tier names of a run's rows, in the order the rows list them (tiered federations; none otherwise). */
export function tierNames(rows: readonly RoundRow[]): string[] {
  return [...new Set(rows.flatMap((r) => Object.keys(r.tiers ?? {})))];
}

/**
 * The table; a fusing strategy's rounds get a column: path (held-out probe loss fused / average); a tiered federation's
 * one per tier: the test accuracy of the model the tier runs after the round, and the tier's bytes; guarded rounds a
 * last one: what was published (held-out probe loss of the candidate / the previous model).
 */
export function renderRoundTable(rows: readonly RoundRow[]): string {
  const tierColumns = tierNames(rows).map((name) => ({
    head: `${name} acc / sent / recv`,
    cell: (r: RoundRow) => {
      const t = r.tiers?.[name];
      if (!t) return '-';
      return `${t.accuracy === undefined ? '-' : `${(100 * t.accuracy).toFixed(2)}%`} / ${formatBytes(t.bytesSent)} / ${formatBytes(t.bytesReceived)}`;
    },
  }));
  const columns = [
    ...COLUMNS,
    ...(rows.some((r) => r.fusion) ? [{ head: 'fusion (probe loss fused / avg)', cell: (r: RoundRow) => fusionCell(r.fusion) }] : []),
    ...tierColumns,
    ...(rows.some((r) => r.guard) ? [{ head: 'published (probe loss new / prev)', cell: (r: RoundRow) => guardCell(r.guard) }] : []),
  ];
  const cells = rows.map((r) => columns.map((c) => c.cell(r)));
  const widths = columns.map((c, i) => Math.max(c.head.length, ...cells.map((row) => row[i].length)));
  const line = (parts: string[]) => parts.map((p, i) => p.padStart(widths[i])).join('  ');
  return [line(columns.map((c) => c.head)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** CSV columns of tiered rounds: per tier, its participants, parameters, test accuracy and loss, and bytes. */
export function tierCsvHead(tiers: readonly string[]): string {
  return tiers.map((n) => `,tier_${n}_participants,tier_${n}_parameters,tier_${n}_accuracy,tier_${n}_loss,tier_${n}_bytes_sent,tier_${n}_bytes_received`).join('');
}

export function tierCsvCells(row: RoundRow, tiers: readonly string[]): (number | undefined)[] {
  return tiers.flatMap((n) => {
    const t = row.tiers?.[n];
    return [t?.participants, t?.parameters, t?.accuracy, t?.loss, t?.bytesSent, t?.bytesReceived];
  });
}

export function roundRowsToCsv(rows: readonly RoundRow[]): string {
  const tiers = tierNames(rows);
  const head =
    'round,participants,stragglers,rejected,accuracy,loss,bytes_sent,bytes_received,seconds,aggregate_seconds,' +
    'fusion_path,fused_probe_loss,average_probe_loss,fusion_standard_error,' +
    'published,candidate_probe_loss,previous_probe_loss,largest_distance_ratio' +
    tierCsvHead(tiers);
  const body = rows.map((r) =>
    [
      r.round,
      r.participants,
      r.stragglers,
      r.rejected,
      r.accuracy ?? '',
      r.loss ?? '',
      r.bytesSent,
      r.bytesReceived,
      r.seconds.toFixed(3),
      r.aggregateSeconds.toFixed(3),
      r.fusion?.path ?? '',
      r.fusion?.fusedProbeLoss ?? '',
      r.fusion?.averageProbeLoss ?? '',
      r.fusion?.standardError ?? '',
      r.guard?.published ?? '',
      csvLoss(r.guard?.candidateLoss),
      csvLoss(r.guard?.previousLoss),
      r.updateStats?.largestDistanceRatio ?? '',
      ...tierCsvCells(r, tiers).map((v) => v ?? ''),
    ].join(','),
  );
  return [head, ...body].join('\n') + '\n';
}

/** A held-out loss in rounds.csv: empty when not measured, 'inf' when it was not finite. */
function csvLoss(v: number | null | undefined): string {
  return v === undefined ? '' : v === null ? 'inf' : String(v);
}
