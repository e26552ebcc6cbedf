// Label histogram of a partition: one stacked bar per client, one colour per class, so a reader sees at a glance
// how non-IID the split is (a Dirichlet α = 0.1 split shows bars of one or two colours).
import { escapeXml } from './escape.js';
import { classColour } from './palette.js';
import { AXIS_COLOUR, GRID_COLOUR, line, px, svgRoot, text } from './svg.js';
import { formatTick, linear, niceScale } from './ticks.js';

export interface StackedBarsOptions {
  title: string;
  width?: number;
  height?: number;
  /** Names of the classes for the legend (default "class 0", "class 1", …). */
  classLabels?: readonly string[];
}

const LEGEND_WIDTH = 110;
const MARGIN = { top: 44, right: 16 + LEGEND_WIDTH, bottom: 48, left: 64 };

/** `histograms[client][class]` = number of examples of that class the client holds. */
export function renderLabelHistograms(histograms: readonly (readonly number[])[], opts: StackedBarsOptions): string {
  const width = opts.width ?? 760;
  const height = opts.height ?? 320;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  if (plotW < 50 || plotH < 50) throw new Error(`renderLabelHistograms: ${width}×${height} px is too small for a chart`);
  histograms.forEach((h, c) =>
    h.forEach((v, k) => {
      if (!Number.isFinite(v) || v < 0) throw new Error(`renderLabelHistograms: client ${c + 1} class ${k} count ${v} is not a count`);
    }),
  );

  const parts: string[] = [text(MARGIN.left, 24, opts.title, { size: 15, weight: 'bold', cls: 'chart-title' })];
  const numClients = histograms.length;
  const numClasses = Math.max(0, ...histograms.map((h) => h.length));
  if (numClients === 0) {
    parts.push(text(MARGIN.left + plotW / 2, MARGIN.top + plotH / 2, 'no partition recorded', { anchor: 'middle', size: 14 }));
    return svgRoot(width, height, opts.title, parts.join(''), 'chart histogram-chart');
  }
  const label = (k: number) => opts.classLabels?.[k] ?? `class ${k}`;
  const totals = histograms.map((h) => h.reduce((a, b) => a + b, 0));
  const ys = niceScale(0, Math.max(1, ...totals), 5, true);
  const sy = linear(0, ys.max, MARGIN.top + plotH, MARGIN.top);
  const slot = plotW / numClients;
  const barW = Math.max(1, slot * 0.8);

  parts.push('<g class="grid">');
  for (const t of ys.ticks) parts.push(line(MARGIN.left, sy(t), MARGIN.left + plotW, sy(t), GRID_COLOUR));
  parts.push('</g><g class="axes">');
  parts.push(line(MARGIN.left, MARGIN.top + plotH, MARGIN.left + plotW, MARGIN.top + plotH, AXIS_COLOUR));
  parts.push(line(MARGIN.left, MARGIN.top, MARGIN.left, MARGIN.top + plotH, AXIS_COLOUR));
  for (const t of ys.ticks) {
    parts.push(line(MARGIN.left - 5, sy(t), MARGIN.left, sy(t), AXIS_COLOUR));
    parts.push(text(MARGIN.left - 8, sy(t) + 4, formatTick(t, ys.step), { anchor: 'end', cls: 'y-tick' }));
  }
  // Label every client while labels fit (~22 px each), otherwise every k-th.
  const every = Math.max(1, Math.ceil(22 / slot));
  for (let c = 0; c < numClients; c++) {
    if (c % every !== 0 && c !== numClients - 1) continue;
    parts.push(text(MARGIN.left + slot * (c + 0.5), MARGIN.top + plotH + 16, String(c + 1), { anchor: 'middle', cls: 'x-tick' }));
  }
  parts.push(text(MARGIN.left + plotW / 2, height - 10, 'client', { anchor: 'middle', size: 13 }));
  parts.push(text(18, MARGIN.top + plotH / 2, 'examples', { anchor: 'middle', size: 13, rotate: -90 }));
  parts.push('</g>');

  parts.push('<g class="bars">');
  histograms.forEach((h, c) => {
    const x = MARGIN.left + slot * c + (slot - barW) / 2;
    const tip = `client ${c + 1}: ${totals[c]} examples — ` + h.map((v, k) => `${label(k)}: ${v}`).join(', ');
    parts.push(`<g class="client-bar" data-client="${c + 1}"><title>${escapeXml(tip)}</title>`);
    let base = 0;
    h.forEach((v, k) => {
      if (v === 0) return;
      const y0 = sy(base);
      const y1 = sy(base + v);
      parts.push(
        `<rect class="class-segment" data-class="${k}" x="${px(x)}" y="${px(y1)}" width="${px(barW)}" ` +
          `height="${px(Math.max(0.5, y0 - y1))}" fill="${classColour(k)}"/>`,
      );
      base += v;
    });
    parts.push('</g>');
  });
  parts.push('</g>');

  const lx = width - LEGEND_WIDTH;
  parts.push('<g class="legend">');
  // Past what fits beside the plot, the legend ends with "+N more" (the bar tooltips still name every class).
  const fits = Math.max(1, Math.floor((height - MARGIN.top) / 18) - 1);
  const shown = numClasses <= fits + 1 ? numClasses : fits;
  for (let k = 0; k < shown; k++) {
    const y = MARGIN.top + 6 + k * 18;
    parts.push(
      `<rect x="${px(lx)}" y="${px(y - 9)}" width="12" height="12" fill="${classColour(k)}"/>`,
      text(lx + 18, y + 1, label(k), { cls: 'legend-label' }),
    );
  }
  if (shown < numClasses) parts.push(text(lx, MARGIN.top + 6 + shown * 18, `+${numClasses - shown} more`, { size: 11 }));
  parts.push('</g>');
  return svgRoot(width, height, opts.title, parts.join(''), 'chart histogram-chart');
}
