import { renderBarChart } from '../../scenarios/report/charts/bar-chart.js';
import { expect } from 'chai';
import {
  finalAccuracy,
  runFromResultsJson,
  renderExperimentReport,
  renderScenarioChart,
  renderOneShotChart,
  type ExperimentRun,
} from '../../scenarios/report/html-report.js';
import { escapeXml } from '../../scenarios/report/charts/escape.js';
import { experiment, FINAL, HISTOGRAMS, rows } from './fixtures.js';

const FIXED_DATE = new Date('2025-01-02T03:04:05Z');

function sections(html: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of html.split('<section class="scenario" ').slice(1)) {
    const name = /^data-scenario="([^"]*)"/.exec(part)![1];
    out.set(name, part.slice(0, part.indexOf('</section>')));
  }
  return out;
}

function svgs(html: string, cls: string): string[] {
  const re = new RegExp(`<svg [^>]*class="chart ${cls}"[\\s\\S]*?</svg>`, 'g');
  return html.match(re) ?? [];
}

function handMeanStd(xs: number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1));
  return { mean, std };
}

interface AccCell {
  strategy: string;
  mean: number;
  std: number;
  n: number;
  best: boolean;
  text: string;
}

function accuracyCells(html: string, scenario: string): AccCell[] {
  const re = /<td class="acc( best)?" data-scenario="([^"]*)" data-strategy="([^"]*)" data-mean="([^"]*)" data-std="([^"]*)" data-n="(\d+)">(.*?)<\/td>/g;
  const out: AccCell[] = [];
  for (const m of html.matchAll(re)) {
    if (m[2] !== escapeXml(scenario)) continue;
    out.push({ strategy: m[3], mean: Number(m[4]), std: Number(m[5]), n: Number(m[6]), best: Boolean(m[1]), text: m[7] });
  }
  return out;
}

describe('report: HTML experiment report', () => {
  const html = renderExperimentReport('Experiment 1', experiment(), { generatedAt: FIXED_DATE });

  it('is one self-contained document: no scripts, no external resources', () => {
    expect(html.startsWith('<!doctype html>')).to.equal(true);
    expect(html).to.not.match(/<script/i);
    expect(html).to.not.match(/<link\b|<img\b|@import|url\(|src=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/i);
    expect(html).to.contain('2025-01-02 03:04:05 UTC');
  });

  it('draws one accuracy chart per scenario with one mean line and one band per strategy', () => {
    const bySection = sections(html);
    expect([...bySection.keys()]).to.deep.equal(['mnist-iid', 'mnist-dirichlet']);
    for (const section of bySection.values()) {
      const [accuracy, loss] = svgs(section, 'line-chart');
      expect(accuracy).to.contain('test accuracy');
      expect(loss).to.contain('test loss');
      for (const chart of [accuracy, loss]) {
        const lines = [...chart.matchAll(/<g class="series" data-series="([^"]*)">/g)].map((m) => m[1]);
        expect(lines).to.deep.equal(['fedavg', 'fedprox', 'interp']);
        expect(chart.match(/class="series-line"/g)).to.have.length(3);
        expect(chart.match(/class="series-band"/g)).to.have.length(3);
        expect(chart.match(/class="series-point"/g)).to.have.length(9); // 3 rounds × 3 strategies
        expect(chart).to.contain('band: min–max over seeds');
      }
    }
  });

  it('keeps a strategy in one colour across scenarios', () => {
    const colour = (chart: string, name: string) =>
      new RegExp(`data-series="${name}"><title>[^<]*</title><path class="series-line" d="[^"]*" fill="none" stroke="([^"]+)"`).exec(chart)![1];
    const [a, b] = [...sections(html).values()].map((s) => svgs(s, 'line-chart')[0]);
    for (const name of ['fedavg', 'fedprox', 'interp']) expect(colour(a, name)).to.equal(colour(b, name));
    expect(new Set(['fedavg', 'fedprox', 'interp'].map((n) => colour(a, n))).size).to.equal(3);
  });

  it('puts the hand-computed final-accuracy mean ± sample std in the table and bolds the best', () => {
    for (const [scenario, cells] of Object.entries(FINAL)) {
      const found = accuracyCells(html, scenario);
      expect(found.map((c) => c.strategy)).to.deep.equal(Object.keys(cells));
      const means = Object.values(cells).map((xs) => handMeanStd(xs).mean);
      for (const cell of found) {
        const { mean, std } = handMeanStd(cells[cell.strategy]);
        expect(cell.mean).to.be.closeTo(mean, 1e-12);
        expect(cell.std).to.be.closeTo(std, 1e-12);
        expect(cell.n).to.equal(3);
        expect(cell.text).to.contain(`${(100 * mean).toFixed(2)} ± ${(100 * std).toFixed(2)}`);
        expect(cell.text).to.contain('(n=3)');
        expect(cell.best).to.equal(mean === Math.max(...means));
        expect(cell.text.startsWith('<strong>')).to.equal(cell.best);
      }
      expect(found.filter((c) => c.best)).to.have.length(1);
    }
    // Spot check by hand: fedavg on mnist-iid is 0.8, 0.85, 0.9 → 85.00 ± 5.00.
    expect(accuracyCells(html, 'mnist-iid')[0].text).to.contain('85.00 ± 5.00');
  });

  it('draws the label histogram with one stacked bar per client and one segment per non-empty class', () => {
    for (const section of sections(html).values()) {
      const [chart] = svgs(section, 'histogram-chart');
      const bars = chart.split('<g class="client-bar" ').slice(1);
      expect(bars).to.have.length(HISTOGRAMS.length);
      bars.forEach((bar, c) => {
        expect(bar.startsWith(`data-client="${c + 1}"`)).to.equal(true);
        const classes = [...bar.matchAll(/class="class-segment" data-class="(\d+)"[^>]*height="([0-9.]+)"/g)];
        const nonEmpty = HISTOGRAMS[c].flatMap((v, k) => (v > 0 ? [k] : []));
        expect(classes.map((m) => Number(m[1]))).to.deep.equal(nonEmpty);
      });
      // Heights are proportional to counts: client 1 class 0 (50) is five times client 1 class 2 (10).
      const first = bars[0];
      const h = (k: number) => Number(new RegExp(`data-class="${k}"[^>]*height="([0-9.]+)"`).exec(first)![1]);
      expect(h(0) / h(2)).to.be.closeTo(5, 0.05);
      expect(chart.match(/class="legend-label"/g)).to.have.length(3);
    }
  });

  it('reports bytes and seconds per round per strategy', () => {
    const section = sections(html).get('mnist-iid')!;
    const table = /<table class="cost">[\s\S]*?<\/table>/.exec(section)![0];
    const row = /<tr data-strategy="fedavg">(.*?)<\/tr>/.exec(table)![1];
    const cells = [...row.matchAll(/<td>(.*?)<\/td>/g)].map((m) => m[1]);
    // seeds, rounds, sent/round (mean of 1000, 2000, 3000 B), received/round, round s, aggregate s, rounds fused
    // (none: FedAvg does not fuse), run s (10, 11, 12).
    expect(cells).to.deep.equal(['3', '3', '2.0 KiB', '2.0 KiB', '1.50', '0.250', '–', '11.0 ± 1.0']);
    // The fusing strategy: 6 of 9 rounds kept the fused model; mean held-out losses (6·0.1 + 3·0.4)/9 vs 0.3.
    const interp = /<tr data-strategy="interp">(.*?)<\/tr>/.exec(table)![1];
    expect([...interp.matchAll(/<td>(.*?)<\/td>/g)].map((m) => m[1])[6]).to.equal('6 / 9 (0.200 vs 0.300)');
  });

  it('escapes every name, so a scenario called <script> stays inert text', () => {
    const evil = '<script>alert(1)</script>';
    const evilStrategy = '"><img src=x onerror=alert(2)>';
    const runs: ExperimentRun[] = [
      { scenarioName: evil, strategy: evilStrategy, seed: 1, rounds: rows([0.5]), histograms: HISTOGRAMS, seconds: 1 },
    ];
    const out = renderExperimentReport(`title ${evil}`, runs, { description: evil, classLabels: ['<b>zero</b>'] });
    expect(out).to.not.match(/<script|<img|<b>/i);
    expect(out).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).to.contain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(out).to.contain('&lt;b&gt;zero&lt;/b&gt;');
    // Every attribute value is closed where we meant it to be: with quoted values removed, no tag has an onerror.
    const tagsWithoutValues = out.replace(/"[^"]*"/g, '""').match(/<[^>]*>/g)!;
    expect(tagsWithoutValues.filter((tag) => /onerror/i.test(tag))).to.deep.equal([]);
  });

  it('can shade ±1 sample std instead of min–max and says so', () => {
    const withStd = renderExperimentReport('std', experiment(), { band: 'std' });
    expect(withStd).to.contain('±1 sample std over seeds');
    expect(withStd).to.not.contain('min–max over seeds');
  });

  it("shows each round against its client models' average and ensemble when runs carry round references", () => {
    const runs: ExperimentRun[] = [1, 2].map((seed) => ({
      scenarioName: 'rounds',
      strategy: 'interp',
      seed,
      rounds: rows([0.7, seed === 1 ? 0.8 : 0.9]),
      histograms: [],
      seconds: 1,
      roundReferences: [
        { round: 1, parents: [0.5, 0.6], vanilla: 0.65, ensemble: 0.75 },
        { round: 2, parents: [0.7, 0.8 + seed / 100], vanilla: 0.85, ensemble: 0.95 },
      ],
    }));
    const out = renderExperimentReport('rounds', runs);
    const body = /<table class="round-references">[\s\S]*?<tbody>(.*?)<\/tbody>/.exec(out)![1];
    const table = [...body.matchAll(/<tr data-strategy="interp">(.*?)<\/tr>/g)].map((m) => [...m[1].matchAll(/<td>(.*?)<\/td>/g)].map((c) => c[1]));
    // round, aggregate, vanilla, ensemble, best client (round 2: 0.81 and 0.82).
    expect(table).to.deep.equal([
      ['1', '70.00 ± 0.00', '65.00 ± 0.00', '75.00 ± 0.00', '60.00 ± 0.00'],
      ['2', '85.00 ± 7.07', '85.00 ± 0.00', '95.00 ± 0.00', '81.50 ± 0.71'],
    ]);
    expect(renderExperimentReport('plain', experiment())).to.not.contain('round-references');
  });

  it('shows a one-shot table when runs carry parent and baseline accuracies', () => {
    const runs: ExperimentRun[] = [1, 2].map((seed) => ({
      scenarioName: 'one-shot',
      strategy: 'interp',
      seed,
      rounds: rows([seed === 1 ? 0.7 : 0.8]),
      histograms: [],
      seconds: 1,
      oneShot: { parents: [0.5, 0.6 + seed / 100], vanilla: 0.2, ensemble: 0.9 },
    }));
    const out = renderExperimentReport('one-shot', runs);
    const row = /<table class="one-shot">[\s\S]*?<tr data-strategy="interp">(.*?)<\/tr>/.exec(out)![1];
    const cells = [...row.matchAll(/<td>(.*?)<\/td>/g)].map((m) => m[1]);
    // fused: 0.7, 0.8 → 75.00 ± 7.07; parents mean: 0.555, 0.56; best parent: 0.61, 0.62.
    expect(cells).to.deep.equal(['2', '75.00 ± 7.07', '55.75 ± 0.35', '61.50 ± 0.71', '20.00 ± 0.00', '90.00 ± 0.00']);
    expect(out).to.contain('No label histograms were recorded');
    // A one-round run is a point: the scenario gets the bar chart with the reference lines, not a line chart.
    expect(out).to.contain('class="chart bar-chart"').and.not.contain('class="chart line-chart"');
    const bar = /<g class="bar" data-series="interp"><title>(.*?)<\/title>/.exec(out)![1];
    expect(bar).to.equal('interp: 75.00% (n=2; 70.00%–80.00%)');
    const refs = [...out.matchAll(/<g class="reference" data-reference="([^"]+)"><title>(.*?)<\/title>/g)].map((m) => m[2]);
    expect(refs).to.deep.equal(['best parent: 61.50%', 'vanilla avg: 20.00%', 'ensemble: 90.00%']);
    expect(() => renderOneShotChart(experiment(), 'mnist-iid')).to.throw(/no one-shot runs for scenario "mnist-iid"/);
    expect(() => renderBarChart([{ name: 'x', mean: NaN, low: 0, high: 1, n: 1 }], [], { title: 't', yLabel: 'y' })).to.throw(
      /value NaN is not a finite number/,
    );
  });

  it('rejects bad input with a message that names the problem', () => {
    expect(() => renderExperimentReport('x', [])).to.throw(/no runs/);
    const run = experiment()[0];
    expect(() => renderExperimentReport('x', [run, { ...run }])).to.throw(/two runs for scenario "mnist-iid", strategy "fedavg", seed 1/);
    expect(() => renderExperimentReport('x', [{ ...run, rounds: rows([1.5]) }])).to.throw(/run 0 is invalid: rounds\.0\.accuracy/);
    expect(() => renderExperimentReport('x', [{ ...run, histograms: [[-1]] }])).to.throw(/histograms\.0\.0/);
    expect(() => renderScenarioChart(experiment(), 'nope')).to.throw(/no runs for scenario "nope"/);
  });

  it('takes the final accuracy from the last evaluated round', () => {
    expect(finalAccuracy(rows([0.1, 0.4, undefined]))).to.equal(0.4);
    expect(finalAccuracy(rows([undefined]))).to.equal(undefined);
  });

  it('reads a run from the results.json that `fedfuse run` writes', () => {
    const results = {
      scenario: { name: 'quick', strategy: { name: 'fedavg', options: {} }, seed: 7, rounds: 2 },
      backend: 'wasm',
      rounds: rows([0.4, 0.6]),
      seconds: 12.5,
      outDir: 'results/quick',
      histograms: HISTOGRAMS,
    };
    const run = runFromResultsJson(JSON.parse(JSON.stringify(results)));
    expect(run).to.deep.equal({ scenarioName: 'quick', strategy: 'fedavg', seed: 7, rounds: rows([0.4, 0.6]), histograms: HISTOGRAMS, seconds: 12.5 });
    expect(runFromResultsJson(results, { strategy: 'fedavg lr=0.1' }).strategy).to.equal('fedavg lr=0.1');
    expect(() => runFromResultsJson({ rounds: [] })).to.throw(/not a fedfuse run result: scenario/);
    expect(() => runFromResultsJson({ ...results, rounds: [{ round: 1 }] })).to.throw(/scenario "quick" is invalid: rounds\.0\.participants/);
  });
});
