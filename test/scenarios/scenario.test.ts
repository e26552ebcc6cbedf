import { expect } from 'chai';
import fc from 'fast-check';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_SCENARIO_PATH, loadScenario, parseScenario } from '../../scenarios/load-scenario.js';
import { prepareSplit, balancedSample } from '../../scenarios/prepare-split.js';
import type { ScenarioInput } from '../../scenarios/scenario-schema.js';

const base: ScenarioInput = {
  name: 'unit',
  dataset: 'mnist',
  trainLimit: 2000,
  testLimit: 500,
  partition: { kind: 'dirichlet', alpha: 0.5 },
  clients: 4,
  rounds: 2,
  local: { epochs: 1, batchSize: 32, learningRate: 0.05, optimizer: 'sgd' },
  model: { kind: 'mlp', widths: [784, 32, 10] },
  strategy: { name: 'fedavg' },
  seed: 3,
  probe: { size: 100, source: 'held-out-train' },
};

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected an error');
}

describe('scenarios: scenario files', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fedfuse-scenario-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('default.yaml parses: MNIST, ordered-dirichlet, 4 clients, 4 rounds, 1 epoch, MLP 784-256-10, neuron interpolation, probe 400 held-out', async () => {
    const s = await loadScenario(DEFAULT_SCENARIO_PATH);
    expect(s.dataset).to.equal('mnist');
    expect(s.partition).to.deep.equal({ kind: 'ordered-dirichlet', minAlpha: 1, maxAlpha: 5 });
    expect([s.clients, s.rounds, s.local.epochs]).to.deep.equal([4, 4, 1]);
    expect(s.model).to.deep.include({ kind: 'mlp', widths: [784, 256, 10] });
    expect(s.strategy.name).to.equal('neuron-interpolation');
    expect(s.probe).to.deep.equal({ size: 400, source: 'held-out-train' });
    expect(s.minUpdates).to.equal(4);
    expect(s.trainLimit).to.be.a('number');
  });

  it('every example scenario parses', async () => {
    const examples = join(dirname(DEFAULT_SCENARIO_PATH), 'examples');
    const files = (await readdir(examples)).filter((f) => /\.(ya?ml|json)$/.test(f));
    expect(files.length).to.be.at.least(3);
    for (const f of files) await loadScenario(join(examples, f));
  });

  it('fills defaults: clientsPerRound all, minUpdates = sampled count, deadline 120 s, probe 400 held-out', () => {
    const { probe: _probe, ...withoutProbe } = base;
    const s = parseScenario({ ...withoutProbe, clientsPerRound: 0.5 });
    expect(s.clientsPerRound).to.equal(0.5);
    expect(s.minUpdates).to.equal(2);
    expect(s.roundDeadlineSeconds).to.equal(120);
    expect(s.probe).to.deep.equal({ size: 400, source: 'held-out-train' });
    expect(parseScenario(base).clientsPerRound).to.equal(1);
    expect(parseScenario({ ...base, clientsPerRound: 3 }).minUpdates).to.equal(3);
  });

  it('validation errors name the source and the field path', () => {
    const msg = errorOf(() => parseScenario({ ...base, local: { ...base.local, epochs: 0 } }, 'scenarios/x.yaml'));
    expect(msg).to.equal('scenarios/x.yaml: local.epochs: expected a positive integer');
    expect(errorOf(() => parseScenario({ ...base, partition: { kind: 'zipf' } }, 's'))).to.match(
      /^s: partition\.kind: expected kind to be one of 'iid', 'dirichlet', 'shards', 'ordered-dirichlet'/,
    );
    expect(errorOf(() => parseScenario({ ...base, partition: { kind: 'dirichlet', alpha: -1 } }, 's'))).to.match(
      /partition\.alpha: expected a positive number/,
    );
    expect(errorOf(() => parseScenario({ ...base, dataset: 'cifar10' }, 's'))).to.match(/dataset: expected 'mnist' or 'fashion-mnist'/);
    expect(errorOf(() => parseScenario({ ...base, typo: 1 }, 's'))).to.match(/\(top level\): unknown field\(s\) "typo"/);
    expect(errorOf(() => parseScenario({ ...base, clientsPerRound: 2.5 }, 's'))).to.match(
      /clientsPerRound: expected a fraction in \(0, 1\] or an integer count ≥ 2/,
    );
    expect(errorOf(() => parseScenario({ ...base, clientsPerRound: 9 }, 's'))).to.match(/clientsPerRound: asks for 9 clients/);
    expect(errorOf(() => parseScenario({ ...base, minUpdates: 5 }, 's'))).to.match(/minUpdates: is 5 but a round samples only 4/);
    expect(errorOf(() => parseScenario({ ...base, model: { kind: 'mlp', widths: [100, 10] } }, 's'))).to.match(
      /model\.widths\.0: model input has 100 values but mnist examples have 784/,
    );
    expect(errorOf(() => parseScenario({ ...base, strategy: { name: 'fedsgd' } }, 's'))).to.match(/strategy\.name: expected 'fedavg'/);
    expect(
      errorOf(() => parseScenario({ ...base, partition: { kind: 'ordered-dirichlet', minAlpha: 5, maxAlpha: 1 } }, 's')),
    ).to.match(/partition\.maxAlpha: minAlpha must not exceed maxAlpha/);
    expect(errorOf(() => parseScenario({ ...base, trainLimit: 102 }, 's'))).to.match(/trainLimit: 102 training examples minus the 100-example probe/);
  });

  it('any malformed field gives a "<source>: <field>: ..." error, never a crash inside the schema', () => {
    const keys = [...Object.keys(base), 'clientsPerRound', 'minUpdates', 'evaluation', 'roundDeadlineSeconds'];
    const junk = fc.oneof(
      fc.integer({ min: -3, max: 20 }),
      fc.double(),
      fc.string(),
      fc.constant(null),
      fc.array(fc.integer()),
      fc.object(),
      fc.constant({ kind: 'mlp' }),
      fc.constant({ kind: 'sequential', inputShape: [28, 28], layers: [] }),
    );
    fc.assert(
      fc.property(fc.subarray(keys, { minLength: 1 }), fc.array(junk, { minLength: 12, maxLength: 12 }), (chosen, values) => {
        const obj: Record<string, unknown> = { ...base };
        chosen.forEach((k, i) => (obj[k] = values[i % values.length]));
        try {
          parseScenario(obj, 'f.yaml');
        } catch (err) {
          expect((err as Error).message).to.match(/^f\.yaml: [^\n]+: /);
        }
      }),
      { numRuns: 400, seed: 17 },
    );
  });

  it('loads JSON too, and file errors name the file', async () => {
    const json = join(dir, 'a.json');
    await writeFile(json, JSON.stringify(base));
    expect((await loadScenario(json)).name).to.equal('unit');
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'name: x\nrounds: [\n');
    await expectReject(loadScenario(bad), new RegExp(`^${escape(bad)}: not valid YAML`));
    const wrong = join(dir, 'wrong.yaml');
    await writeFile(wrong, 'name: x\n');
    await expectReject(loadScenario(wrong), new RegExp(`^${escape(wrong)}: dataset: `, 'm'));
    await expectReject(loadScenario(join(dir, 'missing.yaml')), /missing\.yaml: cannot read scenario file/);
  });

  it('prepareSplit carves a class-balanced probe out first, splits the rest over clients, and loads the test set', async () => {
    const scenario = parseScenario(base);
    const split = await prepareSplit(scenario);
    expect(split.probe.n).to.equal(100);
    expect(split.test.n).to.equal(500);
    expect(split.clients).to.have.length(4);
    expect(split.clients.reduce((s, c) => s + c.n, 0)).to.equal(2000 - 100);
    // probe rows are disjoint from every client's rows: compare the pixel rows themselves
    const key = (x: Float32Array, i: number) => Buffer.from(x.buffer, x.byteOffset + i * 784 * 4, 784 * 4).toString('latin1');
    const clientRows = new Set<string>();
    for (const c of split.clients) for (let i = 0; i < c.n; i++) clientRows.add(key(c.x, i));
    let shared = 0;
    for (let i = 0; i < split.probe.n; i++) if (clientRows.has(key(split.probe.x, i))) shared++;
    expect(shared).to.equal(0);
    // probe is class-balanced: 10 per digit
    const probeCounts = new Array(10).fill(0);
    for (const l of split.probe.y) probeCounts[l]++;
    expect(probeCounts).to.deep.equal(new Array(10).fill(10));
    // histograms match the clients' labels
    split.clients.forEach((c, i) => {
      const h = new Array(10).fill(0);
      for (const l of c.y) h[l]++;
      expect(split.histograms[i]).to.deep.equal(h);
    });
    // same scenario → same split; another seed → another split
    const again = await prepareSplit(scenario);
    expect(again.histograms).to.deep.equal(split.histograms);
    const other = await prepareSplit(parseScenario({ ...base, seed: 4 }));
    expect(other.histograms).to.not.deep.equal(split.histograms);
  });

  it('prepareSplit with a test-set probe keeps probe and evaluation examples apart', async () => {
    const split = await prepareSplit(parseScenario({ ...base, testLimit: undefined, probe: { size: 300, source: 'test' } }));
    expect(split.probe.n).to.equal(300);
    expect(split.test.n).to.equal(10000 - 300);
    expect(split.clients.reduce((s, c) => s + c.n, 0)).to.equal(2000);
    expect(() => balancedSample(Int32Array.from([0, 1]), 2, 3, 1)).to.throw(/probe of 3 examples is larger than the 2 available/);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function expectReject(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  try {
    await p;
  } catch (err) {
    expect((err as Error).message).to.match(pattern);
    return;
  }
  expect.fail(`expected a rejection matching ${pattern}`);
}
