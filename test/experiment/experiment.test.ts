import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandMatrix } from '../../scenarios/experiment/matrix.js';
import { runExperiment } from '../../scenarios/experiment/run-experiment.js';
import { cellDir, cellResultsPath } from '../../scenarios/experiment/cell-store.js';

const TINY = 'scenarios/examples/experiment-tiny.yaml';

describe('experiment matrix', () => {
  const scenarios = [
    { name: 'a', file: '/x/a.yaml' },
    { name: 'b c', file: '/x/b.yaml' },
  ];

  it('expands scenario × strategy × seed in that order with unique, path-safe ids', () => {
    const cells = expandMatrix({ scenarios, strategies: ['fedavg', 'neuron-interpolation'], seeds: [1, 2, 3] });
    expect(cells).to.have.length(12);
    expect(new Set(cells.map((c) => c.id)).size).to.equal(12);
    expect(cells[0].id).to.equal('a__fedavg__seed1');
    expect(cells[3].id).to.equal('a__neuron-interpolation__seed1');
    expect(cells[6].id).to.equal('b_c__fedavg__seed1');
    expect(cells[11]).to.include({ strategy: 'neuron-interpolation', seed: 3 });
    expect(cells[11].scenario.file).to.equal('/x/b.yaml');
  });

  it('rejects unknown strategies, duplicates and empty lists with clear messages', () => {
    expect(() => expandMatrix({ scenarios, strategies: ['fedavg', 'fedsgd'], seeds: [1] })).to.throw(/unknown strategy "fedsgd".*known: fedavg/);
    expect(() => expandMatrix({ scenarios, strategies: ['fedavg', 'fedavg'], seeds: [1] })).to.throw(/strategy listed twice: fedavg/);
    expect(() => expandMatrix({ scenarios, strategies: ['fedavg'], seeds: [1, 1] })).to.throw(/seed listed twice: 1/);
    expect(() => expandMatrix({ scenarios, strategies: [], seeds: [1] })).to.throw(/no strategies/);
    expect(() => expandMatrix({ scenarios: [scenarios[0], { name: 'a', file: '/y.yaml' }], strategies: ['fedavg'], seeds: [1] })).to.throw(
      /share the name "a"/,
    );
  });
});

describe('fedfuse experiment (real MNIST cells in child processes)', () => {
  let dir: string;
  const logs: string[] = [];
  const log = (line: string) => logs.push(line);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fedfuse-exp-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const opts = () => ({
    scenarioFiles: [TINY],
    strategies: ['fedavg', 'neuron-interpolation'],
    seeds: [1, 2],
    outDir: join(dir, 'exp'),
    cells: 2,
    workers: 1,
    png: false,
    tty: false,
    saveModels: true,
    log,
  });

  it('runs every cell, merges one CSV row per cell × round, and writes the report', async () => {
    const result = await runExperiment(opts());
    expect(result.failed, logs.join('\n')).to.have.length(0);
    expect(result.outcomes.map((o) => o.status)).to.deep.equal(['done', 'done', 'done', 'done']);
    const csv = (await readFile(join(dir, 'exp', 'experiment.csv'), 'utf8')).trimEnd().split('\n');
    expect(csv).to.have.length(1 + 4 * 2); // header + 4 cells × 2 rounds
    expect(csv[0].split(',').slice(0, 4)).to.deep.equal(['scenario', 'strategy', 'seed', 'round']);
    expect(csv.slice(1).map((l) => l.split(',').slice(0, 4).join(','))).to.include('experiment-tiny,neuron-interpolation,2,2');
    const json = JSON.parse(await readFile(join(dir, 'exp', 'experiment.json'), 'utf8')) as {
      cells: { id: string; status: string; rounds: unknown[] }[];
      summary: { strategy: string; n: number; meanAccuracy: number }[];
    };
    expect(json.cells.map((c) => c.id)).to.deep.equal([
      'experiment-tiny__fedavg__seed1',
      'experiment-tiny__fedavg__seed2',
      'experiment-tiny__neuron-interpolation__seed1',
      'experiment-tiny__neuron-interpolation__seed2',
    ]);
    expect(json.summary.map((s) => [s.strategy, s.n])).to.deep.equal([
      ['fedavg', 2],
      ['neuron-interpolation', 2],
    ]);
    // Better than chance (10 classes) after two rounds on real MNIST.
    for (const s of json.summary) expect(s.meanAccuracy).to.be.greaterThan(0.3);
    const html = await readFile(join(dir, 'exp', 'report.html'), 'utf8');
    expect(html).to.include('experiment-tiny').and.to.include('neuron-interpolation');
    expect(existsSync(join(dir, 'exp', 'accuracy.png'))).to.equal(false); // png: false
    expect(logs.join('\n')).to.match(/fedavg\s+2\s+\d+\.\d\d ± \d+\.\d\d/);
    // saveModels: every cell wrote its global model and its last round's client models as TF.js directories.
    for (const cell of expandMatrix({ scenarios: [{ name: 'experiment-tiny', file: TINY }], strategies: ['fedavg', 'neuron-interpolation'], seeds: [1, 2] })) {
      const models = join(cellDir(join(dir, 'exp'), cell), 'models');
      for (const m of ['global', 'round-2/client-1', 'round-2/client-2']) expect(existsSync(join(models, m, 'model.json')), `${cell.id} ${m}`).to.equal(true);
    }
  });

  it('resumes: a second run reruns nothing; a half-written cell is rerun alone', async () => {
    const cells = expandMatrix({
      scenarios: [{ name: 'experiment-tiny', file: TINY }],
      strategies: ['fedavg', 'neuron-interpolation'],
      seeds: [1, 2],
    });
    const out = join(dir, 'exp');
    const mtimes = async () => Promise.all(cells.map(async (c) => (await stat(cellResultsPath(out, c))).mtimeMs));
    const before = await mtimes();

    const again = await runExperiment(opts());
    expect(again.outcomes.map((o) => o.status)).to.deep.equal(['reused', 'reused', 'reused', 'reused']);
    expect(await mtimes()).to.deep.equal(before);
    const csv = (await readFile(join(out, 'experiment.csv'), 'utf8')).trimEnd().split('\n');
    expect(csv).to.have.length(1 + 4 * 2);

    // A cell killed while writing leaves a truncated results.json: it must run again, and only it.
    const broken = cellResultsPath(out, cells[1]);
    await writeFile(broken, (await readFile(broken, 'utf8')).slice(0, 50));
    const third = await runExperiment(opts());
    expect(third.outcomes.map((o) => o.status)).to.deep.equal(['reused', 'done', 'reused', 'reused']);
    const after = await mtimes();
    expect([after[0], after[2], after[3]]).to.deep.equal([before[0], before[2], before[3]]);
    JSON.parse(await readFile(broken, 'utf8')); // whole again
  });

  it('resume reruns a cell that ran other local epochs or other options under the same label', async () => {
    const out = join(dir, 'exp-settings');
    const statuses = async (extra: { strategies?: string[]; localEpochs?: number }) =>
      (await runExperiment({ ...opts(), strategies: ['fedavg'], seeds: [1], outDir: out, ...extra })).outcomes.map((o) => o.status);
    expect(await statuses({})).to.deep.equal(['done']);
    expect(await statuses({ localEpochs: 2 })).to.deep.equal(['done']);
    expect(await statuses({ localEpochs: 2 })).to.deep.equal(['reused']);
    expect(await statuses({ localEpochs: 2, strategies: ['fedavg=fedavg:serverStep=1.5'] })).to.deep.equal(['done']);
    expect(await statuses({ localEpochs: 2, strategies: ['fedavg=fedavg:serverStep=1.5'] })).to.deep.equal(['reused']);
  });

  it('--report-only merges the finished cells and runs none of the missing ones', async () => {
    logs.length = 0;
    const result = await runExperiment({ ...opts(), seeds: [1, 2, 3], reportOnly: true });
    expect(result.outcomes.map((o) => [o.cell.seed, o.status])).to.deep.equal([
      [1, 'reused'],
      [2, 'reused'],
      [3, 'missing'],
      [1, 'reused'],
      [2, 'reused'],
      [3, 'missing'],
    ]);
    expect(existsSync(join(dir, 'exp', 'cells', 'experiment-tiny__fedavg__seed3'))).to.equal(false);
    expect(result.summary.map((s) => s.n)).to.deep.equal([2, 2]);
    expect(logs.join('\n')).to.match(/report only: 2 cell\(s\) not run yet are left out/).and.match(/2 cell\(s\) not run yet; results in/);
  });

  it('reports a failing cell with its stderr tail and still finishes the others', async () => {
    // Valid scenario file, but fedavg refuses the option at run time, inside the child process.
    const tiny = await readFile(TINY, 'utf8');
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, tiny.replace('name: experiment-tiny', 'name: bad-options').replace('name: fedavg', 'name: fedavg\n  options: { bogus: 1 }'));
    logs.length = 0;
    const result = await runExperiment({ ...opts(), scenarioFiles: [TINY, bad], strategies: ['fedavg'], seeds: [1], outDir: join(dir, 'exp-fail') });
    expect(result.outcomes.map((o) => [o.cell.id, o.status])).to.deep.equal([
      ['experiment-tiny__fedavg__seed1', 'done'],
      ['bad-options__fedavg__seed1', 'failed'],
    ]);
    expect(result.failed[0].error).to.match(/does not take option\(s\) bogus/);
    expect(logs.join('\n')).to.match(/cell bad-options__fedavg__seed1 FAILED/);
    const csv = (await readFile(join(dir, 'exp-fail', 'experiment.csv'), 'utf8')).trimEnd().split('\n');
    expect(csv).to.have.length(1 + 2);
  });

  it('one-shot mode: one longer round per cell, the same parents for every strategy, and their reference accuracies', async () => {
    const out = join(dir, 'exp-one-shot');
    const oneShot = { ...opts(), strategies: ['fedavg', 'ni-hf=neuron-interpolation:method=hf'], seeds: [1], outDir: out, oneShot: true, localEpochs: 2 };
    const result = await runExperiment(oneShot);
    expect(result.failed, logs.join('\n')).to.have.length(0);
    expect(result.outcomes.map((o) => o.cell.id)).to.deep.equal(['experiment-tiny__fedavg__seed1', 'experiment-tiny__ni-hf__seed1']);
    const results = await Promise.all(
      result.outcomes.map(async (o) => JSON.parse(await readFile(cellResultsPath(out, o.cell), 'utf8')) as {
        label: string;
        scenario: { rounds: number; local: { epochs: number }; strategy: { name: string; options?: unknown } };
        rounds: unknown[];
        oneShot: { parents: number[]; vanilla: number; ensemble: number };
        code?: { commit: string; dirty: boolean };
      }),
    );
    expect(results.map((r) => [r.label, r.scenario.strategy])).to.deep.equal([
      ['fedavg', { name: 'fedavg' }],
      ['ni-hf', { name: 'neuron-interpolation', options: { method: 'hf' } }],
    ]);
    for (const r of results) {
      // Traceable to the code that measured it (this repository is a git checkout).
      expect(r.code?.commit).to.match(/^[0-9a-f]{40}$/);
      expect(r.scenario.rounds).to.equal(1);
      expect(r.scenario.local.epochs).to.equal(2);
      expect(r.rounds).to.have.length(1);
      expect(r.oneShot.parents).to.have.length(2); // the tiny scenario's two clients
      for (const v of [...r.oneShot.parents, r.oneShot.vanilla, r.oneShot.ensemble]) expect(v).to.be.within(0.1, 1);
    }
    // Same seed → the same parents, so the strategies are compared on equal terms.
    expect(results[1].oneShot).to.deep.equal(results[0].oneShot);
    expect(result.summary[0].references?.bestParent).to.equal(Math.max(...results[0].oneShot.parents));
    expect(logs.join('\n')).to.match(/best parent %\s+vanilla avg %\s+ensemble %/);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).to.include('One-shot fusion').and.to.include('ni-hf');

    // A one-shot cell in the same directory is not mistaken for a multi-round one.
    const multi = await runExperiment({ ...opts(), strategies: ['fedavg'], seeds: [1], outDir: out });
    expect(multi.outcomes.map((o) => o.status)).to.deep.equal(['done']);
  });

  it("round references: every round's client models, their plain average and their ensemble, in results, CSV and report", async () => {
    const out = join(dir, 'exp-round-refs');
    const result = await runExperiment({ ...opts(), strategies: ['fedavg'], seeds: [1], outDir: out, localEpochs: 2, roundReferences: true });
    expect(result.failed, logs.join('\n')).to.have.length(0);
    type References = { round: number; parents: number[]; vanilla: number; ensemble: number };
    const results = JSON.parse(await readFile(cellResultsPath(out, result.outcomes[0].cell), 'utf8')) as {
      rounds: { round: number; accuracy: number }[];
      roundReferences: References[];
    };
    expect(results.roundReferences.map((r) => r.round)).to.deep.equal([1, 2]);
    for (const r of results.roundReferences) {
      expect(r.parents).to.have.length(2); // the tiny scenario's two clients
      for (const v of [...r.parents, r.vanilla, r.ensemble]) expect(v).to.be.within(0.1, 1);
    }
    // Round 1's client models are the one-shot test's parents (same seed, same 2 local epochs; its ni-hf cell is
    // still there), so their references agree exactly.
    const oneShotCell = expandMatrix({ scenarios: [{ name: 'experiment-tiny', file: TINY }], strategies: ['ni-hf=neuron-interpolation:method=hf'], seeds: [1] })[0];
    const oneShot = JSON.parse(await readFile(cellResultsPath(join(dir, 'exp-one-shot'), oneShotCell), 'utf8')) as { oneShot: unknown };
    const { round: _round, ...first } = results.roundReferences[0];
    expect(first).to.deep.equal(oneShot.oneShot);
    // One CSV row per round carries them.
    const csv = (await readFile(join(out, 'experiment.csv'), 'utf8')).trimEnd().split('\n').map((l) => l.split(','));
    expect(csv[0].slice(-3)).to.deep.equal(['clients_vanilla_accuracy', 'clients_ensemble_accuracy', 'best_client_accuracy']);
    expect(csv.slice(1).map((row) => row.slice(-3).map(Number))).to.deep.equal(
      results.roundReferences.map((r) => [r.vanilla, r.ensemble, Math.max(...r.parents)]),
    );
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).to.include('<table class="round-references">');

    // A cell that ran without references is rerun when they are asked for; one that has them serves a run without.
    const asked = await runExperiment({ ...opts(), strategies: ['fedavg'], seeds: [1], roundReferences: true });
    expect(asked.outcomes.map((o) => o.status)).to.deep.equal(['done']);
    const plain = await runExperiment({ ...opts(), strategies: ['fedavg'], seeds: [1] });
    expect(plain.outcomes.map((o) => o.status)).to.deep.equal(['reused']);
  });

  it('skips, with the reason, cells whose strategy cannot run on the scenario (HF and weight matching need 2 parents)', async () => {
    const three = join(dir, 'three.yaml');
    await writeFile(three, (await readFile(TINY, 'utf8')).replace('name: experiment-tiny', 'name: three').replace('clients: 2', 'clients: 3'));
    logs.length = 0;
    const result = await runExperiment({
      ...opts(),
      scenarioFiles: [three],
      strategies: ['weight-matching', 'ni-hf=neuron-interpolation:method=hf'],
      seeds: [1, 2],
      outDir: join(dir, 'exp-skip'),
    });
    expect(result.outcomes.map((o) => o.status)).to.deep.equal(['skipped', 'skipped', 'skipped', 'skipped']);
    expect(result.failed).to.have.length(0);
    expect(result.outcomes[2].error).to.equal('ni-hf fuses exactly 2 client updates per round; three samples 3');
    expect(logs.filter((l) => l.startsWith('skipped:'))).to.have.length(2);
    expect(result.summary).to.have.length(0);
  });

  it('kills a cell that runs past --cell-timeout and reports it', async () => {
    logs.length = 0;
    const result = await runExperiment({ ...opts(), strategies: ['fedavg'], seeds: [1], outDir: join(dir, 'exp-timeout'), cellTimeoutSeconds: 0.3 });
    expect(result.outcomes.map((o) => o.status)).to.deep.equal(['failed']);
    expect(result.failed[0].error).to.match(/^timed out after 0.3 s \(killed\)/);
    expect(logs.join('\n')).to.match(/cell experiment-tiny__fedavg__seed1 FAILED: timed out/);
  });

  it('the CLI rejects a bad strategy name before any cell runs', () => {
    const out = join(dir, 'exp-cli');
    const r = spawnSync(process.execPath, ['bin/fedfuse.js', 'experiment', TINY, '--strategies', 'fedavg,fedsgd', '--seeds', '1', '--out', out], {
      encoding: 'utf8',
    });
    expect(r.status).to.not.equal(0);
    expect(r.stderr).to.match(/unknown strategy "fedsgd" \(known: fedavg, fedprox/);
    expect(existsSync(out)).to.equal(false);
  });
});
