import { expect } from 'chai';
import fc from 'fast-check';
import { niceScale, formatPercentTick } from '../../scenarios/report/charts/ticks.js';
import { bandOverSeeds, sampleStd, mean } from '../../scenarios/report/charts/seed-statistics.js';
import { renderLineChart } from '../../scenarios/report/charts/line-chart.js';
import { renderLabelHistograms } from '../../scenarios/report/charts/stacked-bars.js';
import { escapeXml } from '../../scenarios/report/charts/escape.js';

describe('report: chart building blocks', () => {
  it('picks nice ticks that cover the data', () => {
    expect(niceScale(0.43, 0.91, 6).ticks).to.deep.equal([0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(niceScale(1, 10, 8, true).ticks).to.deep.equal([0, 2, 4, 6, 8, 10]);
    expect(niceScale(3, 3, 5, true).ticks).to.deep.equal([2, 3, 4]);
    expect(formatPercentTick(0.25, 0.05)).to.equal('25%');
    expect(formatPercentTick(0.925, 0.025)).to.equal('92.5%');
    expect(() => niceScale(1, 0)).to.throw(/greater than max/);
  });

  it('nice ticks always cover [min, max] with few, evenly spaced ticks', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1e6, noNaN: true }), (a, span) => {
        const s = niceScale(a, a + span, 5);
        expect(s.min).to.be.at.most(a);
        expect(s.max).to.be.at.least(a + span);
        expect(s.ticks.length).to.be.within(2, 12);
      }),
    );
  });

  it('computes the sample standard deviation and bands over seeds of different lengths', () => {
    expect(mean([1, 2, 3, 4])).to.equal(2.5);
    expect(sampleStd([2, 4, 4, 4, 5, 5, 7, 9])).to.be.closeTo(Math.sqrt(32 / 7), 1e-12);
    expect(sampleStd([3])).to.equal(0);
    const band = bandOverSeeds(
      [
        [{ x: 1, y: 0.2 }, { x: 2, y: 0.4 }],
        [{ x: 1, y: 0.4 }, { x: 2, y: undefined }, { x: 3, y: 0.9 }],
      ],
      'min-max',
    );
    expect(band).to.deep.equal([
      { x: 1, mean: 0.30000000000000004, low: 0.2, high: 0.4, n: 2 },
      { x: 2, mean: 0.4, low: 0.4, high: 0.4, n: 1 },
      { x: 3, mean: 0.9, low: 0.9, high: 0.9, n: 1 },
    ]);
    const std = bandOverSeeds([[{ x: 1, y: 1 }], [{ x: 1, y: 3 }]], 'std');
    expect(std[0].low).to.be.closeTo(2 - Math.SQRT2, 1e-12);
    expect(std[0].high).to.be.closeTo(2 + Math.SQRT2, 1e-12);
  });

  it('renders an empty chart instead of failing when there is no data', () => {
    const svg = renderLineChart([], { title: 'nothing', xLabel: 'round', yLabel: 'y' });
    expect(svg).to.contain('no data');
    expect(renderLabelHistograms([], { title: 'none' })).to.contain('no partition recorded');
  });

  it('rejects negative counts in a histogram', () => {
    expect(() => renderLabelHistograms([[1, -2]], { title: 'bad' })).to.throw(/client 1 class 1 count -2/);
  });

  it('escapes all five XML special characters', () => {
    expect(escapeXml(`<a href="x" title='y'>&</a>`)).to.equal('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});
