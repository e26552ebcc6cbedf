// One value per strategy as a bar (mean over seeds, with a whisker from the lowest to the highest seed), plus
// horizontal reference lines across the plot: the one-shot fusion picture, where a reader compares each fused model
// with the best parent, the vanilla average and the ensemble of the same parents.
import { escapeXml } from './escape.js';
import { strategyColour } from './palette.js';
import { AXIS_COLOUR, GRID_COLOUR, line, px, shorten, svgRoot, text } from './svg.js';
import { formatTick, linear, niceScale } from './ticks.js';

export interface Bar {
  name: string;
  mean: number;
  low: number;
  high: number;
  /** Seeds behind the bar (shown in the tooltip). */
  n: number;
  colourIndex?: number;
}

export interface ReferenceLine {
  name: string;
  value: number;
}

export interface BarChartOptions {
  title: string;
  yLabel: string;
  width?: number;
  height?: number;
  formatY?: (v: number, step: number) => string;
  formatValue?: (v: number) => string;
  /** Clamp the y axis to these bounds (e.g. [0, 1] for accuracy). */
  yBounds?: [number, number];
  /** A note under the legend (e.g. what the whiskers mean). */
  note?: string;
}

const LEGEND_WIDTH = 190;
const MARGIN = { top: 44, right: 16 + LEGEND_WIDTH, bottom: 40, left: 64 };
const REFERENCE_DASHES = ['6 3', '2 3', '10 3 2 3', '1 2'];

export function renderBarChart(bars: readonly Bar[], references: readonly ReferenceLine[], opts: BarChartOptions): string {
  const width = opts.width ?? 760;
  const height = opts.height ?? 380;
  const formatY = opts.formatY ?? formatTick;
  const formatValue = opts.formatValue ?? ((v: number) => v.toPrecision(4));
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  if (plotW < 50 || plotH < 50) throw new Error(`renderBarChart: ${width}×${height} px is too small for a chart`);
  for (const v of [...bars.flatMap((b) => [b.mean, b.low, b.high]), ...references.map((r) => r.value)]) {
    if (!Number.isFinite(v)) throw new Error(`renderBarChart: value ${v} is not a finite number`);
  }

  const parts: string[] = [text(MARGIN.left, 24, opts.title, { size: 15, weight: 'bold', cls: 'chart-title' })];
  if (bars.length === 0) {
    parts.push(text(MARGIN.left + plotW / 2, MARGIN.top + plotH / 2, 'no data', { anchor: 'middle', size: 14 }));
    return svgRoot(width, height, opts.title, parts.join(''), 'chart bar-chart');
  }

  // Bars compare values close together (90-97%): zoom the axis on the data instead of starting at zero, and say so
  // by drawing the axis from its lowest tick.
  const values = [...bars.flatMap((b) => [b.low, b.high, b.mean]), ...references.map((r) => r.value)];
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (opts.yBounds) {
    lo = Math.max(opts.yBounds[0], lo);
    hi = Math.min(opts.yBounds[1], hi);
  }
  const pad = Math.max((hi - lo) * 0.15, 1e-3);
  const ys = niceScale(lo - pad, hi + pad / 3, 6);
  const yMin = opts.yBounds ? Math.max(opts.yBounds[0], ys.min) : ys.min;
  const yMax = opts.yBounds ? Math.min(opts.yBounds[1], ys.max) : ys.max;
  const sy = linear(yMin, yMax, MARGIN.top + plotH, MARGIN.top);
  const clampY = (v: number) => sy(Math.min(yMax, Math.max(yMin, v)));
  const slot = plotW / bars.length;
  const barW = Math.min(60, slot * 0.6);

  parts.push('<g class="grid">');
  for (const t of ys.ticks) if (t >= yMin - 1e-12 && t <= yMax + 1e-12) parts.push(line(MARGIN.left, sy(t), MARGIN.left + plotW, sy(t), GRID_COLOUR));
  parts.push('</g><g class="axes">');
  parts.push(line(MARGIN.left, MARGIN.top + plotH, MARGIN.left + plotW, MARGIN.top + plotH, AXIS_COLOUR));
  parts.push(line(MARGIN.left, MARGIN.top, MARGIN.left, MARGIN.top + plotH, AXIS_COLOUR));
  for (const t of ys.ticks) {
    if (t < yMin - 1e-12 || t > yMax + 1e-12) continue;
    parts.push(line(MARGIN.left - 5, sy(t), MARGIN.left, sy(t), AXIS_COLOUR));
    parts.push(text(MARGIN.left - 8, sy(t) + 4, formatY(t, ys.step), { anchor: 'end', cls: 'y-tick' }));
  }
  parts.push(text(18, MARGIN.top + plotH / 2, opts.yLabel, { anchor: 'middle', size: 13, rotate: -90 }));
  parts.push('</g>');

  bars.forEach((b, i) => {
    const colour = strategyColour(b.colourIndex ?? i);
    const cx = MARGIN.left + slot * (i + 0.5);
    const top = clampY(b.mean);
    parts.push(
      `<g class="bar" data-series="${escapeXml(b.name)}"><title>${escapeXml(
        `${b.name}: ${formatValue(b.mean)} (n=${b.n}; ${formatValue(b.low)}–${formatValue(b.high)})`,
      )}</title>` +
        `<rect x="${px(cx - barW / 2)}" y="${px(top)}" width="${px(barW)}" height="${px(MARGIN.top + plotH - top)}" ` +
        `fill="${colour}" fill-opacity="0.85"/>` +
        line(cx, clampY(b.low), cx, clampY(b.high), AXIS_COLOUR, 1.5) +
        line(cx - 6, clampY(b.low), cx + 6, clampY(b.low), AXIS_COLOUR, 1.5) +
        line(cx - 6, clampY(b.high), cx + 6, clampY(b.high), AXIS_COLOUR, 1.5) +
        text(cx, top - 6, formatValue(b.mean), { anchor: 'middle', size: 11, cls: 'bar-value' }) +
        text(cx, MARGIN.top + plotH + 16, shorten(b.name, Math.max(6, Math.floor(slot / 7))), { anchor: 'middle', cls: 'x-tick' }) +
        '</g>',
    );
  });

  references.forEach((r, k) => {
    const y = clampY(r.value);
    parts.push(
      `<g class="reference" data-reference="${escapeXml(r.name)}"><title>${escapeXml(`${r.name}: ${formatValue(r.value)}`)}</title>` +
        `<line x1="${px(MARGIN.left)}" y1="${px(y)}" x2="${px(MARGIN.left + plotW)}" y2="${px(y)}" stroke="${AXIS_COLOUR}" ` +
        `stroke-width="1.6" stroke-dasharray="${REFERENCE_DASHES[k % REFERENCE_DASHES.length]}"/></g>`,
    );
  });

  const lx = width - LEGEND_WIDTH;
  parts.push('<g class="legend">');
  references.forEach((r, k) => {
    const y = MARGIN.top + 8 + k * 20;
    parts.push(
      `<line x1="${px(lx)}" y1="${px(y - 1)}" x2="${px(lx + 26)}" y2="${px(y - 1)}" stroke="${AXIS_COLOUR}" stroke-width="1.6" ` +
        `stroke-dasharray="${REFERENCE_DASHES[k % REFERENCE_DASHES.length]}"/>`,
      text(lx + 32, y + 3, shorten(`${r.name} ${formatValue(r.value)}`, 28), { cls: 'legend-label' }),
    );
  });
  if (opts.note) {
    opts.note.split('\n').forEach((note, k) => {
      parts.push(text(lx, MARGIN.top + 8 + references.length * 20 + 8 + k * 14, note, { size: 11, cls: 'band-note' }));
    });
  }
  parts.push('</g>');
  return svgRoot(width, height, opts.title, parts.join(''), 'chart bar-chart');
}
