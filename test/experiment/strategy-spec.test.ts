import { expect } from 'chai';
import fc from 'fast-check';
import { parseStrategySpec } from '../../scenarios/experiment/strategy-spec.js';
import { expandMatrix } from '../../scenarios/experiment/matrix.js';

describe('experiment strategy specs (name, or label=name:key=value)', () => {
  it('reads a plain name, a labelled variant, typed values and dotted keys', () => {
    expect(parseStrategySpec('fedavg')).to.deep.equal({ label: 'fedavg', name: 'fedavg' });
    expect(parseStrategySpec('ni-hf=neuron-interpolation:method=hf')).to.deep.equal({
      label: 'ni-hf',
      name: 'neuron-interpolation',
      options: { method: 'hf' },
    });
    expect(parseStrategySpec('fedprox:mu=0.1')).to.deep.equal({ label: 'fedprox:mu=0.1', name: 'fedprox', options: { mu: 0.1 } });
    expect(
      parseStrategySpec('neuron-interpolation:method=kf-gradient:fusion.gradient.epochs=50:fusion.gradient.distillLast=true').options,
    ).to.deep.equal({ method: 'kf-gradient', fusion: { gradient: { epochs: 50, distillLast: true } } });
  });

  it('names the problem in every bad spec', () => {
    expect(() => parseStrategySpec('fedsgd')).to.throw(/unknown strategy "fedsgd" \(known: fedavg/);
    expect(() => parseStrategySpec('x=fedsgd:a=1')).to.throw(/unknown strategy "fedsgd" in "x=fedsgd:a=1"/);
    expect(() => parseStrategySpec('a b=fedavg')).to.throw(/label "a b" may only use/);
    expect(() => parseStrategySpec('fedprox:mu')).to.throw(/expected key=value, got "mu"/);
    expect(() => parseStrategySpec('fedprox:mu=1:mu=2')).to.throw(/option mu given twice/);
    expect(() => parseStrategySpec('neuron-interpolation:fusion=1:fusion.seed=2')).to.throw(/conflicts with fusion/);
    expect(() => parseStrategySpec('fedprox:a..b=1')).to.throw(/empty key/);
    expect(() => parseStrategySpec('  ')).to.throw(/empty strategy name/);
  });

  it('never lets a key reach Object.prototype', () => {
    for (const key of ['__proto__.polluted', 'constructor.prototype.polluted', 'a.__proto__.polluted']) {
      expect(() => parseStrategySpec(`fedavg:${key}=1`)).to.throw(/is not an option name/);
    }
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it('round-trips any option map of safe keys and JSON scalars (300 fast-check cases)', () => {
    const key = fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,6}$/).filter((k) => k !== 'width'); // width= changes the scenario
    const scalar = fc.oneof(fc.integer(), fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true }).filter((v) => !Object.is(v, -0)));
    fc.assert(
      fc.property(fc.dictionary(key, scalar, { minKeys: 1, maxKeys: 5 }), (options) => {
        const text = `v=fedavg:${Object.entries(options).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(':')}`;
        expect(parseStrategySpec(text)).to.deep.equal({ label: 'v', name: 'fedavg', options });
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('a variant is its own matrix column: label in the cell id, registry name and options in the spec', () => {
    const cells = expandMatrix({
      scenarios: [{ name: 's', file: '/s.yaml' }],
      strategies: ['neuron-interpolation', 'ni-hf=neuron-interpolation:method=hf'],
      seeds: [1],
    });
    expect(cells.map((c) => c.id)).to.deep.equal(['s__neuron-interpolation__seed1', 's__ni-hf__seed1']);
    expect(cells[1].spec).to.deep.equal({ label: 'ni-hf', name: 'neuron-interpolation', options: { method: 'hf' } });
    expect(() =>
      expandMatrix({ scenarios: [{ name: 's', file: '/s.yaml' }], strategies: ['x=fedavg', 'x=fedprox'], seeds: [1] }),
    ).to.throw(/strategy listed twice: x/);
  });
});
