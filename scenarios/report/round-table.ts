// Per-round results as a fixed-width text table (what `fedfuse run` prints) and as CSV.
import type { RoundFusion, RoundRow } from '../../server/rounds/round-row.js';

/** 'fused (0.123 / 0.145)': the path and the held-out probe losses, fused / plain average. */
export function fusionCell(f: RoundFusion | undefined): string {
  return f ? `${f.path} (${f.fusedProbeLoss.toFixed(3)} / ${f.averageProbeLoss.toFixed(3)})` : '-';
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

/** The table; a fusing strategy's rounds get a last column: path (held-out probe loss fused / average). */
export function renderRoundTable(rows: readonly RoundRow[]): string {
  const columns = rows.some((r) => r.fusion) ? [...COLUMNS, { head: 'fusion (probe loss fused / avg)', cell: (r: RoundRow) => fusionCell(r.fusion) }] : COLUMNS;
  const cells = rows.map((r) => columns.map((c) => c.cell(r)));
  const widths = columns.map((c, i) => Math.max(c.head.length, ...cells.map((row) => row[i].length)));
  const line = (parts: string[]) => parts.map((p, i) => p.padStart(widths[i])).join('  ');
  return [line(columns.map((c) => c.head)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

export function roundRowsToCsv(rows: readonly RoundRow[]): string {
  const head =
    'round,participants,stragglers,rejected,accuracy,loss,bytes_sent,bytes_received,seconds,aggregate_seconds,' +
    'fusion_path,fused_probe_loss,average_probe_loss,fusion_standard_error';
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
    ].join(','),
  );
  return [head, ...body].join('\n') + '\n';
}
