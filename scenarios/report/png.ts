// PNG of a chart for README.md / BENCHMARKS.md. We let headless Chromium rasterise the SVG (through playwright-core,
// a dev dependency already installed): it draws text with real fonts exactly as the HTML report shows it, which a
// pure-JS rasteriser without a font engine cannot do.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';

const CANDIDATE_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** Chromium to drive: $FEDFUSE_CHROMIUM if set, else the first usual install path that exists. */
export function findChromium(): string | undefined {
  const fromEnv = process.env.FEDFUSE_CHROMIUM;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  return CANDIDATE_PATHS.find((p) => existsSync(p));
}

// Flags that keep Chromium quiet and offline in containers and CI (no sandbox: containers often lack user namespaces).
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

export interface HeadlessChromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launches headless Chromium with a fresh throw-away profile. `close()` ends it and deletes the profile.
 * Throws an Error naming the fix when no Chromium is installed.
 */
export async function launchHeadlessChromium(
  opts: { viewport?: { width: number; height: number }; deviceScaleFactor?: number } = {},
): Promise<HeadlessChromium> {
  const executablePath = findChromium();
  if (!executablePath) {
    throw new Error(
      `no Chromium found (looked at $FEDFUSE_CHROMIUM and ${CANDIDATE_PATHS.join(', ')}); ` +
        'install it, e.g. `apt-get install -y chromium`, or set FEDFUSE_CHROMIUM to its path',
    );
  }
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    throw new Error('playwright-core is not installed (it is a dev dependency of fedfuse): npm install playwright-core');
  }
  const userDataDir = await mkdtemp(join(tmpdir(), 'fedfuse-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: opts.viewport ?? { width: 1280, height: 800 },
      deviceScaleFactor: opts.deviceScaleFactor ?? 1,
    });
    return {
      context,
      close: async () => {
        try {
          await context.close();
        } finally {
          await rm(userDataDir, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    await rm(userDataDir, { recursive: true, force: true });
    throw err;
  }
}

function svgSize(svg: string): { width: number; height: number } {
  const open = /<svg\b[^>]*>/i.exec(svg)?.[0] ?? '';
  const attr = (name: string) => {
    const m = new RegExp(`\\s${name}="([0-9.]+)(px)?"`).exec(open);
    return m ? Number(m[1]) : undefined;
  };
  const width = attr('width');
  const height = attr('height');
  if (!width || !height) {
    throw new Error('writeChartPng: the <svg> element needs numeric width and height attributes (in px)');
  }
  return { width: Math.ceil(width), height: Math.ceil(height) };
}

export interface ChartPngOptions {
  /** Device pixels per SVG pixel (default 2: sharp on high-density screens and when GitHub scales the image). */
  scale?: number;
}

/** Rasterises a standalone SVG chart (as from renderScenarioChart) to a PNG file of (width × scale) × (height × scale). */
export async function writeChartPng(svg: string, path: string, opts: ChartPngOptions = {}): Promise<void> {
  if (!/^\s*(<\?xml[^>]*>\s*)?<svg\b/i.test(svg)) throw new Error('writeChartPng: input is not an SVG document (must start with <svg)');
  const scale = opts.scale ?? 2;
  if (!(scale > 0 && scale <= 8)) throw new Error(`writeChartPng: scale ${scale} is outside (0, 8]`);
  const size = svgSize(svg);
  const browser = await launchHeadlessChromium({ viewport: size, deviceScaleFactor: scale });
  try {
    const page = await browser.context.newPage();
    // The chart is self-contained; refuse every request so nothing in it can reach the network.
    await page.route('**/*', (route) => route.abort());
    await page.setContent(
      `<!doctype html><html><head><meta charset="utf-8"><style>html,body{margin:0;padding:0;background:#fff}` +
        `svg{display:block}</style></head><body>${svg}</body></html>`,
    );
    await page.locator('svg').first().screenshot({ path, type: 'png', animations: 'disabled' });
  } finally {
    await browser.close();
  }
}
