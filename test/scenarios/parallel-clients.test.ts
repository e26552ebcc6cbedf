// Parallel simulated clients: a run's clients spread over client worker processes give the same rounds as in one
// process (real MNIST, real sockets, real processes), a worker killed mid-round fails only its clients' updates of
// that round, and the pieces that decide who runs where (ranges, balancing, the experiment's budget) do what they say.
import { expect } from 'chai';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenario } from '../../scenarios/load-scenario.js';
import { runScenario, type RunResult } from '../../scenarios/runner.js';
import { clientDatasets, prepareSplit } from '../../scenarios/prepare-split.js';
import { assignToWorkers } from '../../scenarios/clients/assign-workers.js';
import { parseClientRanges } from '../../scenarios/clients/client-ids.js';
import { cellWorkerBudget } from '../../scenarios/experiment/run-experiment.js';

/** Neuron interpolation over 4 Dirichlet-skewed MNIST clients of unequal sizes, 2 rounds. */
const scenario = parseScenario({
  name: 'parallel-tiny',
  dataset: 'mnist',
  trainLimit: 3000,
  testLimit: 400,
  partition: { kind: 'dirichlet', alpha: 0.5 },
  clients: 4,
  rounds: 2,
  local: { epochs: 1, batchSize: 32, learningRate: 0.05 },
  model: { kind: 'mlp', widths: [784, 16, 10] },
  strategy: { name: 'neuron-interpolation' },
  seed: 5,
  probe: { size: 100 },
});

/** What a run's result must not depend on: per round, who took part and what the model scored. */
const outcome = (r: RunResult) =>
  r.rounds.map((row) => ({ round: row.round, participants: row.participants, accuracy: row.accuracy, loss: row.loss, fusion: row.fusion }));

describe('parallel simulated clients (client worker processes)', function () {
  this.timeout(240_000);
  let dir: string;
  let inProcess: RunResult;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fedfuse-parallel-'));
    inProcess = await runScenario(scenario, { outDir: join(dir, 'one'), print: false, workers: 1 });
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives bit-identical rounds with 1 and with 2 workers (client order, per-client seeds)', async () => {
    const two = await runScenario(scenario, { outDir: join(dir, 'two'), print: false, workers: 2 });
    expect(inProcess.workers).to.equal(1);
    expect(inProcess.workerUsage).to.equal(undefined);
    expect(two.workers).to.equal(2);
    expect(outcome(two)).to.deep.equal(outcome(inProcess));
    expect(inProcess.rounds.every((r) => r.participants === 4 && r.accuracy! > 0.3)).to.equal(true);
    // Every client ran in exactly one worker, and each worker measured its memory.
    const usage = two.workerUsage!;
    expect(usage.flatMap((u) => u.clients).sort()).to.deep.equal(['client-1', 'client-2', 'client-3', 'client-4']);
    for (const u of usage) expect(u.rssPeakBytes).to.be.greaterThan(50 * 2 ** 20);
    const saved = JSON.parse(await readFile(join(dir, 'two', 'results.json'), 'utf8')) as { workers: number; workerUsage: unknown[] };
    expect(saved.workers).to.equal(2);
    expect(saved.workerUsage).to.have.length(2);
  });

  it('runs a tiered scenario in workers as in one process: each client joins with its tier', async () => {
    // Before: the workers' IPC schema did not know the client spec's tier, so every tiered run with workers failed.
    const tiered = parseScenario({
      ...scenario,
      name: 'parallel-tiers',
      tiers: [
        { name: 'small', share: 0.5, width: 0.25 },
        { name: 'full', share: 0.5, width: 1 },
      ],
    });
    const tierOutcome = (r: RunResult) => r.rounds.map((row) => ({ ...outcome(r)[row.round - 1], tiers: row.tiers }));
    const one = await runScenario(tiered, { outDir: join(dir, 'tiers-one'), print: false, workers: 1 });
    const two = await runScenario(tiered, { outDir: join(dir, 'tiers-two'), print: false, workers: 2 });
    expect(two.workers).to.equal(2);
    expect(tierOutcome(two)).to.deep.equal(tierOutcome(one));
    expect(one.rounds.every((r) => r.participants === 4)).to.equal(true);
    expect(Object.keys(two.rounds.at(-1)!.tiers ?? {}).sort()).to.deep.equal(['full', 'small']);
  });

  it("a killed worker fails its clients' updates for that round: the round goes on, the worker restarts, the run reports it", async () => {
    const lenient = parseScenario({ ...scenario, minUpdates: 1 });
    let victim: { pid: number; clients: string[] } | undefined;
    const started = new Map<number, string[]>();
    const result = await runScenario(lenient, {
      outDir: join(dir, 'killed'),
      print: false,
      workers: 2,
      onClientWorker: (e) => {
        if (e.type === 'worker-started') started.set(e.pid, e.clients);
        // SIGKILL worker 1 as soon as one of its clients has its round-1 task, long before it can upload.
        if (e.type === 'client' && e.event.type === 'task' && e.event.round === 1 && e.worker === 1 && !victim) {
          victim = { pid: e.pid, clients: started.get(e.pid)! };
          process.kill(e.pid, 'SIGKILL');
        }
      },
    });
    expect(victim, 'worker 1 never got a round-1 task').to.not.equal(undefined);
    const lost = victim!.clients.length;
    expect(result.rounds.map((r) => [r.round, r.participants, r.stragglers])).to.deep.equal([
      [1, 4 - lost, lost],
      [2, 4, 0],
    ]);
    expect(result.workerFailures).to.deep.equal([{ round: 1, worker: 1, clients: victim!.clients, exit: 'killed by SIGKILL', restarted: true }]);
    expect(result.workerUsage!.find((u) => u.worker === 1)!.restarts).to.equal(1);
    const saved = JSON.parse(await readFile(join(dir, 'killed', 'results.json'), 'utf8')) as Pick<RunResult, 'workerFailures'>;
    expect(saved.workerFailures).to.deep.equal(result.workerFailures);
  });

  it("a worker loads only its clients' data, the same rows as the whole split", async () => {
    const split = await prepareSplit(scenario);
    const [third, first] = await clientDatasets(scenario, [2, 0]);
    expect(third.y).to.deep.equal(split.clients[2].y);
    expect(Buffer.from(third.x.buffer).equals(Buffer.from(split.clients[2].x.buffer))).to.equal(true);
    expect(first.n).to.equal(split.clients[0].n);
    expect(Buffer.from(first.x.buffer).equals(Buffer.from(split.clients[0].x.buffer))).to.equal(true);
    await clientDatasets(scenario, [4]).then(
      () => expect.fail('client 4 of 4 should not exist'),
      (e: Error) => expect(e.message).to.match(/clients 0\.\.3; there is no client 4/),
    );
  });

  it('balances workers by examples (largest first) and splits the same way every time', () => {
    expect(assignToWorkers([7972, 6729, 3711, 11188], 2)).to.deep.equal([[2, 3], [0, 1]]);
    expect(assignToWorkers([5, 5, 5, 5, 5], 2)).to.deep.equal([[0, 2, 4], [1, 3]]);
    expect(assignToWorkers([1, 2], 8)).to.deep.equal([[1], [0]]);
    expect(() => assignToWorkers([1], 0)).to.throw(/workers must be a positive integer/);
  });

  it('reads --ids ranges and names what is wrong with one', () => {
    expect(parseClientRanges('0-3,7, 5-5,2', 10)).to.deep.equal([0, 1, 2, 3, 5, 7]);
    expect(() => parseClientRanges('0-10', 10)).to.throw(/client 10 is out of range: the scenario has 10 client\(s\), indexes 0-9/);
    expect(() => parseClientRanges('5-2', 10)).to.throw(/range "5-2" ends before it starts/);
    expect(() => parseClientRanges('a-b', 10)).to.throw(/"a-b" is not a client index or a range/);
    expect(() => parseClientRanges('', 10)).to.throw(/expected client indexes/);
  });

  it('budgets an experiment as cells × workers within the cores, cells first', () => {
    expect(cellWorkerBudget(2, 4, {})).to.deep.equal({ cells: 2, workers: 1 });
    expect(cellWorkerBudget(2, 1, {})).to.deep.equal({ cells: 1, workers: 2 });
    expect(cellWorkerBudget(16, 4, {})).to.deep.equal({ cells: 4, workers: 4 });
    expect(cellWorkerBudget(16, 40, {})).to.deep.equal({ cells: 16, workers: 1 });
    expect(cellWorkerBudget(16, 40, { workers: 4 })).to.deep.equal({ cells: 4, workers: 4 });
    expect(cellWorkerBudget(16, 40, { cells: 3 })).to.deep.equal({ cells: 3, workers: 5 });
  });
});
