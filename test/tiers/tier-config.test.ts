import { expect } from 'chai';
import { readdir } from 'node:fs/promises';
import { loadScenario, parseScenario } from '../../scenarios/load-scenario.js';
import type { ScenarioInput } from '../../scenarios/scenario-schema.js';
import { assignTiers, tierCounts } from '../../scenarios/tier-assignment.js';
import { atModelWidth } from '../../scenarios/model-width.js';
import { parseServerConfig } from '../../server/config.js';
import { scaleModelSpec, scaledUnits } from '../../common/model/width-scaling.js';
import { parseStrategySpec } from '../../scenarios/experiment/strategy-spec.js';
import { quietServer } from '../federation/helpers.js';
import { createStrategy } from '../../server/strategies/index.js';
import { chooseTier, modelTiers } from '../../server/tiers/model-tiers.js';
import { initialMlp } from '../federation/helpers.js';

const scenario: ScenarioInput = {
  name: 'tiers',
  dataset: 'mnist',
  trainLimit: 2000,
  partition: { kind: 'iid' },
  clients: 4,
  rounds: 1,
  local: { epochs: 1, batchSize: 32, learningRate: 0.05 },
  model: { kind: 'mlp', widths: [784, 256, 10] },
  strategy: { name: 'neuron-interpolation' },
  seed: 3,
  tiers: [
    { name: 'small', share: 0.5, width: 0.25 },
    { name: 'full', share: 0.5, width: 1 },
  ],
};
const server = { rounds: 1, tokens: { alice: 'alice-secret-token' }, model: { kind: 'mlp', widths: [784, 32, 10] } };

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected an error');
}

describe('tiers: configuration', () => {
  it('refuses bad tier lists in scenarios, server configs and server options, naming the field', async () => {
    const bad: [ScenarioInput['tiers'], RegExp][] = [
      [[{ name: 'small', share: 0.5, width: 0.25 }, { name: 'full', share: 0.4, width: 1 }], /tiers: shares sum to 0\.9; the tiers' shares must sum to 1/],
      [[{ name: 'small', share: 0.5, width: 0 }, { name: 'full', share: 0.5, width: 1 }], /tiers\.0\.width: expected a width in \(0, 1\]/],
      [[{ name: 'small', share: 0.5, width: -0.5 }, { name: 'full', share: 0.5, width: 1 }], /tiers\.0\.width: expected a width in \(0, 1\]/],
      [[{ name: 'small', share: 0.5, width: 0.25 }, { name: 'full', share: 0.5, width: 1.5 }], /tiers\.1\.width: expected a width in \(0, 1\] \(a tier cannot be wider/],
      [[{ name: 'a', share: 0.5, width: 0.25 }, { name: 'a', share: 0.5, width: 1 }], /tiers\.1\.name: duplicate tier name "a"/],
    ];
    for (const [tiers, message] of bad) {
      expect(errorOf(() => parseScenario({ ...scenario, tiers }, 'x.yaml')), JSON.stringify(tiers)).to.match(new RegExp(`x\\.yaml: ${message.source}`));
      expect(errorOf(() => parseServerConfig({ ...server, tiers }, 'server.yaml')), JSON.stringify(tiers)).to.match(message);
      const strategy = await createStrategy('heterofl');
      expect(errorOf(() => quietServer({ rounds: 1, strategy, tiers: tiers! })), JSON.stringify(tiers)).to.match(new RegExp(`FederationServer option ${message.source}`));
    }
    // A scenario's tiers need shares, and every tier needs at least one of its clients.
    expect(errorOf(() => parseScenario({ ...scenario, tiers: [{ name: 'a', width: 0.5 }] }))).to.match(/tiers\.0\.share: expected a share/);
    expect(errorOf(() => parseScenario({ ...scenario, tiers: [{ name: 'a', share: 0.9, width: 1 }, { name: 'b', share: 0.1, width: 0.5 }] }))).to.match(
      /tiers\.1\.share: gives tier b no client of the 4/,
    );
    // A strategy that averages one shape cannot run tiers.
    expect(errorOf(() => quietServer({ rounds: 1, tiers: [{ name: 'a', width: 0.5 }] }))).to.match(/strategy fedavg cannot aggregate models of different widths/);
  });

  it('a width keeps max(1, ceil(r · n)) units of every hidden layer and all outputs', () => {
    expect([scaledUnits(256, 0.25), scaledUnits(256, 0.3), scaledUnits(30, 0.1), scaledUnits(3, 0.01)]).to.deep.equal([64, 77, 3, 1]);
    expect(scaleModelSpec({ kind: 'mlp', widths: [784, 256, 100, 10], activation: 'relu' }, 0.5)).to.deep.include({ widths: [784, 128, 50, 10] });
    const cnn = scaleModelSpec(
      {
        kind: 'sequential',
        inputShape: [28, 28, 1],
        layers: [
          { type: 'conv2d', filters: 6, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' },
          { type: 'flatten' },
          { type: 'dense', units: 10, activation: 'linear' },
        ],
      },
      0.25,
    );
    expect(cnn.kind === 'sequential' && cnn.layers.map((l) => ('filters' in l ? l.filters : 'units' in l ? l.units : l.type))).to.deep.equal([2, 'flatten', 10]);
    const tiers = modelTiers([{ name: 'small', width: 0.25 }, { name: 'full', width: 1 }], initialMlp().weights);
    expect(tiers.map((t) => [t.name, t.widths, t.parameters])).to.deep.equal([
      ['small', [8, 10], 784 * 8 + 8 + 8 * 10 + 10],
      ['full', [32, 10], 784 * 32 + 32 + 32 * 10 + 10],
    ]);
    // A client gets the tier it names, else the largest that fits its limit.
    expect(chooseTier(tiers, { tier: '', maxParameters: 0 })).to.have.nested.property('tier.name', 'full');
    expect(chooseTier(tiers, { tier: '', maxParameters: 10_000 })).to.have.nested.property('tier.name', 'small');
    expect(chooseTier(tiers, { tier: 'tiny', maxParameters: 0 })).to.have.property('error').that.matches(/tier "tiny" is not one of this federation's tiers/);
    expect(chooseTier(tiers, { tier: 'full', maxParameters: 10_000 })).to.have.property('error').that.matches(/tier full has 25450 parameters, more than/);
  });

  it('assigns simulated clients to tiers by share, the same way for the same seed', () => {
    expect(tierCounts([{ name: 'a', share: 0.334 }, { name: 'b', share: 0.333 }, { name: 'c', share: 0.333 }], 4)).to.deep.equal([2, 1, 1]);
    const tiers = [{ name: 'small', share: 0.5 }, { name: 'full', share: 0.5 }];
    const a = assignTiers(tiers, 8, 1);
    expect(a.filter((t) => t === 'small')).to.have.length(4);
    expect(assignTiers(tiers, 8, 1)).to.deep.equal(a);
    expect([2, 3, 4, 5].some((seed) => assignTiers(tiers, 8, seed).join() !== a.join())).to.equal(true);
  });

  it('the tiered example and matrix scenarios load, with their tiers', async () => {
    const files = ['scenarios/examples/mnist-tiers.yaml', ...(await readdir('bench/matrix')).filter((f) => f.includes('-tiers-')).map((f) => `bench/matrix/${f}`)];
    expect(files).to.have.length(6);
    for (const file of files) {
      const s = await loadScenario(file);
      expect(s.tiers?.map((t) => t.width)[0], file).to.be.oneOf([0.25, 1]);
      expect(s.strategy.name, file).to.equal('neuron-interpolation');
    }
  });

  it("the FedAvg references' width= runs a tiered scenario without tiers at one width", () => {
    expect(parseStrategySpec('fedavg-small=fedavg:width=smallest')).to.deep.equal({ label: 'fedavg-small', name: 'fedavg', width: 'smallest' });
    expect(() => parseStrategySpec('x=fedavg:width=0')).to.throw(/width must be a rate in \(0, 1\] or "smallest"/);
    const s = parseScenario(scenario);
    const small = atModelWidth(s, 'smallest');
    expect(small.tiers).to.equal(undefined);
    expect(small.model).to.deep.include({ widths: [784, 64, 10] });
    expect(atModelWidth(s, 1).model).to.deep.include({ widths: [784, 256, 10] });
  });
});
