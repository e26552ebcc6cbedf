// Shared SVG scaffolding: the root element (standalone-valid, so the same string works inline in HTML and as a
// file rasterised to PNG) and small element helpers that always escape their text.
import { escapeXml } from './escape.js';

export const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', Helvetica, Arial, sans-serif";
export const AXIS_COLOUR = '#444';
export const GRID_COLOUR = '#e3e3e3';
export const TEXT_COLOUR = '#222';

/** Pixel coordinates printed with one decimal: enough for the eye, and keeps the SVG small. */
export function px(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}

export function svgRoot(width: number, height: number, title: string, body: string, className: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="${escapeXml(className)}" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}" ` +
    `font-family="${escapeXml(FONT_FAMILY)}" font-size="12" fill="${TEXT_COLOUR}">` +
    `<title>${escapeXml(title)}</title>` +
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>` +
    body +
    `</svg>`
  );
}

export function text(
  x: number,
  y: number,
  content: string,
  attrs: { anchor?: 'start' | 'middle' | 'end'; size?: number; weight?: 'bold'; rotate?: number; cls?: string } = {},
): string {
  const parts = [`x="${px(x)}"`, `y="${px(y)}"`];
  if (attrs.anchor && attrs.anchor !== 'start') parts.push(`text-anchor="${attrs.anchor}"`);
  if (attrs.size) parts.push(`font-size="${attrs.size}"`);
  if (attrs.weight) parts.push(`font-weight="${attrs.weight}"`);
  if (attrs.rotate) parts.push(`transform="rotate(${attrs.rotate} ${px(x)} ${px(y)})"`);
  if (attrs.cls) parts.push(`class="${escapeXml(attrs.cls)}"`);
  return `<text ${parts.join(' ')}>${escapeXml(content)}</text>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, stroke: string, width = 1): string {
  return `<line x1="${px(x1)}" y1="${px(y1)}" x2="${px(x2)}" y2="${px(y2)}" stroke="${stroke}" stroke-width="${width}"/>`;
}

/** Shortens a label to `max` characters for a legend; the full text goes in a tooltip. */
export function shorten(label: string, max: number): string {
  return label.length <= max ? label : `${label.slice(0, max - 1)}…`;
}
