// Needs a real headless Chromium; skips loudly when none is installed (apt-get install -y chromium).
import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { renderExperimentReport, renderScenarioChart, type ExperimentRun } from '../../scenarios/report/html-report.js';
import { findChromium, launchHeadlessChromium, writeChartPng } from '../../scenarios/report/png.js';
import { experiment, HISTOGRAMS, rows } from './fixtures.js';

interface DecodedPng {
  width: number;
  height: number;
  /** RGB(A) bytes, row after row. */
  pixels: Uint8Array;
  channels: number;
}

// Just enough of a PNG decoder (8-bit RGB/RGBA, non-interlaced, as Chromium writes) to look at the pixels.
function decodePng(bytes: Buffer): DecodedPng {
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8], 'bit depth').to.equal(8);
      expect(data[12], 'interlace').to.equal(0);
      channels = { 2: 3, 6: 4 }[data[9]] ?? 0;
      expect(channels, `colour type ${data[9]}`).to.be.greaterThan(0);
    } else if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x];
      const a = x >= channels ? pixels[y * stride + x - channels] : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels] : 0;
      let p = 0;
      if (filter === 1) p = a;
      else if (filter === 2) p = b;
      else if (filter === 3) p = (a + b) >> 1;
      else if (filter === 4) {
        const pa = Math.abs(b - c);
        const pb = Math.abs(a - c);
        const pc = Math.abs(a + b - 2 * c);
        p = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      pixels[y * stride + x] = (v + p) & 0xff;
    }
  }
  return { width, height, pixels, channels };
}

function countColour(png: DecodedPng, [r, g, b]: [number, number, number], tolerance = 12): number {
  let n = 0;
  for (let i = 0; i < png.pixels.length; i += png.channels) {
    const p = png.pixels;
    if (Math.abs(p[i] - r) <= tolerance && Math.abs(p[i + 1] - g) <= tolerance && Math.abs(p[i + 2] - b) <= tolerance) n++;
  }
  return n;
}

describe('report: PNG of the main chart and the report in a real browser', function () {
  let dir: string;

  before(async function () {
    if (!findChromium()) {
      console.warn('\n  !!! SKIPPING report PNG tests: no Chromium found (apt-get install -y chromium, or set FEDFUSE_CHROMIUM) !!!\n');
      this.skip();
    }
    dir = await mkdtemp(join(tmpdir(), 'fedfuse-report-test-'));
  });

  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes a PNG of the accuracy chart with the right size and the strategy colours in it', async () => {
    const svg = renderScenarioChart(experiment(), 'mnist-iid', 'accuracy', { width: 700, height: 360 });
    const path = join(dir, 'chart.png');
    await writeChartPng(svg, path);
    const bytes = await readFile(path);
    expect([...bytes.subarray(0, 8)]).to.deep.equal([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const png = decodePng(bytes);
    expect([png.width, png.height]).to.deep.equal([1400, 720]); // default scale 2
    // Mostly white background, and each strategy's line colour (Okabe–Ito blue, vermillion, green) is drawn.
    expect(countColour(png, [255, 255, 255])).to.be.greaterThan(0.5 * png.width * png.height);
    for (const colour of [[0, 114, 178], [213, 94, 0], [0, 158, 115]] as [number, number, number][]) {
      expect(countColour(png, colour, 20)).to.be.greaterThan(500);
    }
  });

  it('rejects input that is not an SVG chart before starting a browser', async () => {
    const errorOf = (svg: string, opts = {}) => writeChartPng(svg, join(dir, 'x.png'), opts).then(() => '', (e: unknown) => String(e));
    expect(await errorOf('<html></html>')).to.match(/not an SVG document/);
    expect(await errorOf('<svg viewBox="0 0 10 10"></svg>')).to.match(/numeric width and height/);
    expect(await errorOf('<svg width="10" height="10"></svg>', { scale: 0 })).to.match(/scale 0 is outside/);
  });

  it('opens the report in Chromium with names shown as text and no script run', async () => {
    const runs: ExperimentRun[] = [
      ...experiment(),
      {
        scenarioName: '<script>window.pwned = 1</script>',
        strategy: '<img src=x onerror="window.pwned = 2">',
        seed: 1,
        rounds: rows([0.5]),
        histograms: HISTOGRAMS,
        seconds: 1,
      },
    ];
    const path = join(dir, 'report.html');
    await writeFile(path, renderExperimentReport('browser check', runs));
    const browser = await launchHeadlessChromium();
    try {
      const page = await browser.context.newPage();
      await page.goto(`file://${path}`);
      const seen = await page.evaluate(() => ({
        pwned: (window as unknown as { pwned?: number }).pwned,
        scripts: document.querySelectorAll('script').length,
        images: document.querySelectorAll('img').length,
        headings: Array.from(document.querySelectorAll('h2'), (h) => h.textContent),
        svgs: document.querySelectorAll('svg.chart').length,
        seriesLines: document.querySelectorAll('section.scenario')[0].querySelectorAll('svg.line-chart')[0].querySelectorAll('path.series-line').length,
      }));
      expect(seen.pwned).to.equal(undefined);
      expect(seen.scripts).to.equal(0);
      expect(seen.images).to.equal(0);
      expect(seen.headings).to.include('Scenario: <script>window.pwned = 1</script>');
      // 3 scenarios × (accuracy + loss + partition).
      expect(seen.svgs).to.equal(9);
      expect(seen.seriesLines).to.equal(3);
    } finally {
      await browser.close();
    }
  });
});
