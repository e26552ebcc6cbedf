// A line chart of one metric against the round: one line per series (strategy) at the mean over seeds, with a
// shaded band (its meaning is printed in the legend), axes with nice ticks, grid and a legend on the right.
import { escapeXml } from './escape.js';
import { strategyColour } from './palette.js';
import type { BandPoint } from './seed-statistics.js';
import { AXIS_COLOUR, GRID_COLOUR, line, px, shorten, svgRoot, text } from './svg.js';
import { formatTick, linear, niceScale } from './ticks.js';

export interface BandSeries {
  name: string;
  points: readonly BandPoint[];
  /** Index into the strategy palette, so a strategy keeps its colour across charts. */
  colourIndex?: number;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  /** What the shaded band means, printed under the legend; '\n' starts a new line. */
  bandNote?: string;
  width?: number;
  height?: number;
  /** Clamp the automatic y domain into these bounds (accuracy: [0, 1]). */
  yBounds?: [number, number];
  formatY?: (value: number, step: number) => string;
  /** Exact value in a point's tooltip (default: 4 significant digits). */
  formatValue?: (value: number) => string;
}

const LEGEND_WIDTH = 180;
const MARGIN = { top: 44, right: 16 + LEGEND_WIDTH, bottom: 48, left: 64 };
// Beyond this many points per line, markers only add clutter.
const MAX_MARKERS = 60;

export function renderLineChart(series: readonly BandSeries[], opts: LineChartOptions): string {
  const width = opts.width ?? 760;
  const height = opts.height ?? 380;
  const formatY = opts.formatY ?? formatTick;
  const formatValue = opts.formatValue ?? ((v: number) => v.toPrecision(4));
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  if (plotW < 50 || plotH < 50) throw new Error(`renderLineChart: ${width}×${height} px is too small for a chart`);

  const all = series.flatMap((s) => s.points);
  const parts: string[] = [];
  parts.push(text(MARGIN.left, 24, opts.title, { size: 15, weight: 'bold', cls: 'chart-title' }));

  if (all.length === 0) {
    parts.push(text(MARGIN.left + plotW / 2, MARGIN.top + plotH / 2, 'no data', { anchor: 'middle', size: 14 }));
    return svgRoot(width, height, opts.title, parts.join(''), 'chart line-chart');
  }

  const xs = niceScale(Math.min(...all.map((p) => p.x)), Math.max(...all.map((p) => p.x)), 8, true);
  let yLo = Math.min(...all.map((p) => Math.min(p.low, p.mean)));
  let yHi = Math.max(...all.map((p) => Math.max(p.high, p.mean)));
  if (opts.yBounds) {
    yLo = Math.max(opts.yBounds[0], yLo);
    yHi = Math.min(opts.yBounds[1], yHi);
  }
  const ys = niceScale(yLo, yHi, 6);
  const yMin = opts.yBounds ? Math.max(opts.yBounds[0], ys.min) : ys.min;
  const yMax = opts.yBounds ? Math.min(opts.yBounds[1], ys.max) : ys.max;
  const sx = linear(xs.min, xs.max, MARGIN.left, MARGIN.left + plotW);
  const sy = linear(yMin, yMax, MARGIN.top + plotH, MARGIN.top);
  const clampY = (v: number) => sy(Math.min(yMax, Math.max(yMin, v)));

  // Grid and axes.
  parts.push('<g class="grid">');
  for (const t of ys.ticks) {
    if (t < yMin - 1e-12 || t > yMax + 1e-12) continue;
    parts.push(line(MARGIN.left, sy(t), MARGIN.left + plotW, sy(t), GRID_COLOUR));
  }
  parts.push('</g><g class="axes">');
  parts.push(line(MARGIN.left, MARGIN.top + plotH, MARGIN.left + plotW, MARGIN.top + plotH, AXIS_COLOUR));
  parts.push(line(MARGIN.left, MARGIN.top, MARGIN.left, MARGIN.top + plotH, AXIS_COLOUR));
  for (const t of xs.ticks) {
    const x = sx(t);
    parts.push(line(x, MARGIN.top + plotH, x, MARGIN.top + plotH + 5, AXIS_COLOUR));
    parts.push(text(x, MARGIN.top + plotH + 18, String(t), { anchor: 'middle', cls: 'x-tick' }));
  }
  for (const t of ys.ticks) {
    if (t < yMin - 1e-12 || t > yMax + 1e-12) continue;
    const y = sy(t);
    parts.push(line(MARGIN.left - 5, y, MARGIN.left, y, AXIS_COLOUR));
    parts.push(text(MARGIN.left - 8, y + 4, formatY(t, ys.step), { anchor: 'end', cls: 'y-tick' }));
  }
  parts.push(text(MARGIN.left + plotW / 2, height - 10, opts.xLabel, { anchor: 'middle', size: 13 }));
  parts.push(text(18, MARGIN.top + plotH / 2, opts.yLabel, { anchor: 'middle', size: 13, rotate: -90 }));
  parts.push('</g>');

  // Bands first so that every line is drawn over every band.
  const colours = series.map((s, i) => strategyColour(s.colourIndex ?? i));
  series.forEach((s, i) => {
    if (s.points.length === 0) return;
    const upper = s.points.map((p) => `${px(sx(p.x))},${px(clampY(p.high))}`);
    const lower = [...s.points].reverse().map((p) => `${px(sx(p.x))},${px(clampY(p.low))}`);
    parts.push(
      `<polygon class="series-band" data-series="${escapeXml(s.name)}" points="${[...upper, ...lower].join(' ')}" ` +
        `fill="${colours[i]}" fill-opacity="0.16" stroke="none"/>`,
    );
  });
  series.forEach((s, i) => {
    if (s.points.length === 0) return;
    const d = s.points.map((p, k) => `${k === 0 ? 'M' : 'L'}${px(sx(p.x))},${px(clampY(p.mean))}`).join('');
    parts.push(
      `<g class="series" data-series="${escapeXml(s.name)}">` +
        `<title>${escapeXml(s.name)}</title>` +
        `<path class="series-line" d="${d}" fill="none" stroke="${colours[i]}" stroke-width="2.2" stroke-linejoin="round"/>`,
    );
    if (s.points.length <= MAX_MARKERS) {
      for (const p of s.points) {
        parts.push(
          `<circle class="series-point" cx="${px(sx(p.x))}" cy="${px(clampY(p.mean))}" r="3" fill="${colours[i]}">` +
            `<title>${escapeXml(`${s.name}, round ${p.x}: ${formatValue(p.mean)} (n=${p.n})`)}</title></circle>`,
        );
      }
    }
    parts.push('</g>');
  });

  // Legend.
  const lx = width - LEGEND_WIDTH;
  parts.push('<g class="legend">');
  series.forEach((s, i) => {
    const y = MARGIN.top + 8 + i * 20;
    parts.push(
      `<rect x="${px(lx)}" y="${px(y - 7)}" width="22" height="12" fill="${colours[i]}" fill-opacity="0.16"/>`,
      line(lx, y - 1, lx + 22, y - 1, colours[i], 2.2),
      text(lx + 28, y + 3, shorten(s.name, 22), { cls: 'legend-label' }),
    );
  });
  if (opts.bandNote) {
    opts.bandNote.split('\n').forEach((note, k) => {
      const y = MARGIN.top + 8 + series.length * 20 + 8 + k * 14;
      parts.push(text(lx, y, note, { size: 11, cls: 'band-note' }));
    });
  }
  parts.push('</g>');

  return svgRoot(width, height, opts.title, parts.join(''), 'chart line-chart');
}
