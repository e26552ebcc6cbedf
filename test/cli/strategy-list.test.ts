// `fedfuse experiment --strategies`: commas split strategies, except inside a JSON value of a variant's option.
import { expect } from 'chai';
import { strategyList } from '../../cli/options.js';
import { parseStrategySpec } from '../../scenarios/experiment/strategy-spec.js';

describe('experiment --strategies list', () => {
  it('splits on top-level commas and keeps commas inside [..] and {..} with their value', () => {
    const specs = strategyList('fedavg, ni=neuron-interpolation:fitShifts.pixels=1:fitShifts.imageShape=[28,28,1],fedprox:mu=0.1');
    expect(specs).to.deep.equal(['fedavg', 'ni=neuron-interpolation:fitShifts.pixels=1:fitShifts.imageShape=[28,28,1]', 'fedprox:mu=0.1']);
    const ni = parseStrategySpec(specs[1]);
    expect(ni.options).to.deep.equal({ fitShifts: { pixels: 1, imageShape: [28, 28, 1] } });
  });

  it('names an unbalanced bracket', () => {
    expect(() => strategyList('a:x=[1,2')).to.throw(/unclosed bracket/);
    expect(() => strategyList('a:x=1]')).to.throw(/unbalanced "\]" at character 6/);
  });
});
