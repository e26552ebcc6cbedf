// Issue 19, items 1-2: weights beyond the magnitude bound are refused at decode, naming the tensor and the bound; a
// round's candidate far worse than the previous model on held-out probe rows (or with non-finite weights or loss) is
// not published: the robust aggregate is, when it passes, else the previous model stays. Real TF.js models (an MLP
// 784-32-10 on real MNIST probe rows), no mocks.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import type { WeightTensor } from '@fedfuse/client/internal/model/weights.js';
import { modelStateToPayload } from '@fedfuse/client/internal/proto/model-payload.js';
import { ProtocolError } from '@fedfuse/client/internal/proto/errors.js';
import { guardPublication } from '../../server/defence/publish-guard.js';
import { parseScreeningOptions } from '../../server/defence/screening-options.js';
import { aggregateRound } from '../../server/aggregation/aggregate-round.js';
import { decodeClientUpdate, DefenceRefusal } from '../../server/transport/update-decoder.js';
import { FedAvg } from '../../server/strategies/fedavg.js';
import type { Aggregation, ClientUpdate, ProbeSet, RoundContext, Strategy } from '../../server/strategies/strategy.js';
import { initialMlp, mnistSlice, disposeData, TRAINING } from '../federation/helpers.js';
import { trainLocally } from '@fedfuse/client/internal/training/local-training.js';
import { stateToModel } from '@fedfuse/client/internal/model/model-state.js';
import { readWeights } from '@fedfuse/client/internal/model/weights.js';

const DEFAULTS = parseScreeningOptions(undefined, 'defence');
const guard = DEFAULTS.guard;
const scaled = (weights: readonly WeightTensor[], k: number): WeightTensor[] => weights.map((w) => ({ ...w, values: w.values.map((v) => v * k) }));
const update = (clientId: string, weights: WeightTensor[]): ClientUpdate => ({
  clientId, round: 1, weights, numExamples: 100, activations: [], importance: [], metrics: {}, labelHistogram: [],
});

describe('defence: the publish guard and the magnitude bound (issue 19)', function () {
  this.timeout(60_000);
  let previous: ModelState;
  let trained: ModelState[];
  let probe: ProbeSet;
  const ctx = (p: ProbeSet | undefined = probe): RoundContext => ({ round: 1, global: previous, probe: p, seed: 1 });

  before(async () => {
    await initBackend();
    // The previous model after one round on 400 images; three honest clients train one more epoch on their own 200.
    const first = await mnistSlice(0, 400);
    const model = await stateToModel(initialMlp());
    await trainLocally(model, first, { ...TRAINING, localEpochs: 1 });
    previous = { topologyJson: initialMlp().topologyJson, weights: readWeights(model) };
    model.dispose();
    disposeData(first);
    trained = [];
    for (let i = 0; i < 3; i++) {
      const data = await mnistSlice(1000 + 200 * i, 200);
      const m = await stateToModel(previous);
      await trainLocally(m, data, { ...TRAINING, localEpochs: 1, seed: i });
      trained.push({ topologyJson: previous.topologyJson, weights: readWeights(m) });
      m.dispose();
      disposeData(data);
    }
    const p = await mnistSlice(30_000, 200);
    probe = { x: { shape: [...p.xs.shape], values: p.xs.dataSync() as Float32Array }, y: Int32Array.from(p.ys.dataSync()) };
    disposeData(p);
  });

  it('publishes an honest candidate and reports both held-out losses', async () => {
    const updates = trained.map((t, i) => update(`c${i}`, t.weights));
    const candidate = (await new FedAvg().aggregate(ctx(), updates)).model;
    const { model, report } = await guardPublication({ ctx: ctx(), candidate, updates, settings: guard, maxAbsWeight: 1e4 });
    expect(model).to.equal(candidate);
    expect(report).to.deep.include({ published: 'candidate', lossKind: 'cross-entropy', checkRows: 40 });
    expect(report.candidateLoss).to.be.a('number').and.below(report.previousLoss! * 2);
  });

  it('refuses a candidate dominated by a ×1e3 update (far worse held-out loss) and publishes the coordinate-wise median instead', async () => {
    const updates = [...trained.map((t, i) => update(`c${i}`, t.weights)), update('m', scaled(trained[0].weights, 1e3))];
    const candidate = (await new FedAvg().aggregate(ctx(), updates)).model;
    const { model, report } = await guardPublication({ ctx: ctx(), candidate, updates, settings: guard, maxAbsWeight: false });
    expect(report.published).to.equal('robust');
    expect(report.reason).to.match(/^the candidate has held-out cross-entropy \S+ against the previous model's \S+ on 40 probe rows \(more than 100 % and 3 standard errors worse\)$/);
    expect(report.candidateLoss).to.be.greaterThan(10 * report.previousLoss!);
    expect(report.robustLoss).to.be.below(report.previousLoss! * 2);
    expect(Math.max(...model.weights.flatMap((w) => [...w.values].map(Math.abs)))).to.be.below(5);
  });

  it('with the guard off, a finite candidate within the bound is published however bad its loss', async () => {
    const updates = trained.map((t, i) => update(`c${i}`, t.weights));
    const bad = { ...previous, weights: scaled(previous.weights, -3) };
    const r = await guardPublication({ ctx: ctx(), candidate: bad, updates, settings: false, maxAbsWeight: 1e4 });
    expect(r.report).to.deep.equal({ published: 'candidate' });
  });

  it('refuses non-finite or out-of-bound weights even with the guard off or without a probe set; keeps the previous model when nothing else passes', async () => {
    const updates = trained.slice(0, 2).map((t, i) => update(`c${i}`, t.weights));
    const nan = { ...previous, weights: previous.weights.map((w, t) => (t === 0 ? { ...w, values: w.values.map((v, i) => (i === 3 ? NaN : v)) } : w)) };
    for (const [settings, p] of [[false, probe], [guard, undefined]] as const) {
      const r = await guardPublication({ ctx: ctx(p), candidate: nan, updates: updates.slice(0, 1), settings, maxAbsWeight: 1e4 });
      expect(r.model).to.equal(previous);
      expect(r.report).to.deep.include({ published: 'previous', reason: `the candidate has a non-finite value in weight ${previous.weights[0].name}` });
    }
    const huge = { ...previous, weights: scaled(previous.weights, 1e15) };
    const r = await guardPublication({ ctx: ctx(undefined), candidate: huge, updates: updates.slice(0, 1), settings: guard, maxAbsWeight: 1e4 });
    expect(r.report.published).to.equal('previous');
    expect(r.report.reason).to.match(/beyond maxAbsWeight 10000/);
  });

  it('of two updates (no majority), publishes the one better on the held-out rows when the pair is refused', async () => {
    const noise = update('m', trained[0].weights.map((w) => ({ ...w, values: w.values.map((_, i) => 300 * Math.sin(i)) })));
    const updates = [update('c0', trained[1].weights), noise];
    const candidate = (await new FedAvg().aggregate(ctx(), updates)).model;
    const { model, report } = await guardPublication({ ctx: ctx(), candidate, updates, settings: guard, maxAbsWeight: 1e4 });
    expect(report.published).to.equal('robust');
    expect(model.weights).to.equal(trained[1].weights);
  });

  it('without probe labels judges by KL from the round\'s prediction ensemble', async () => {
    const unlabelled = { x: probe.x };
    const updates = trained.map((t, i) => update(`c${i}`, t.weights));
    const candidate = (await new FedAvg().aggregate(ctx(unlabelled), updates)).model;
    const ok = await guardPublication({ ctx: ctx(unlabelled), candidate, updates, settings: guard, maxAbsWeight: 1e4 });
    expect(ok.report).to.deep.include({ published: 'candidate', lossKind: 'ensemble-kl' });
    const bad = await guardPublication({ ctx: ctx(unlabelled), candidate: { ...candidate, weights: scaled(candidate.weights, -30) }, updates, settings: guard, maxAbsWeight: 1e4 });
    expect(bad.report.published).to.equal('robust');
  });

  it('a refused candidate leaves a stateful strategy as it was before the round', async () => {
    let state = 0;
    const stateful: Strategy & { exportState(): unknown; importState(s: unknown): void } = {
      name: 'stateful-test',
      configureRound: (_c, base) => base,
      aggregate: async (c): Promise<Aggregation> => {
        state++;
        return { model: { ...c.global, weights: scaled(c.global.weights, Infinity) } };
      },
      exportState: () => state,
      importState: (s) => (state = s as number),
    };
    const updates = trained.map((t, i) => update(`c${i}`, t.weights));
    const tensors = tf.memory().numTensors;
    const a = await aggregateRound(ctx(), updates, new Map(), { strategy: stateful, screening: DEFAULTS, exampleWeights: { implausibleMultiple: 10 }, probe, minUpdates: 1 });
    expect(a.guard.published).to.equal('robust');
    expect(state).to.equal(0);
    expect(tf.memory().numTensors).to.equal(tensors);
  });

  it('refuses at decode an update with a weight beyond maxAbsWeight, naming the tensor, the value and the bound', () => {
    const payload = modelStateToPayload({ ...previous, weights: scaled(previous.weights, 1e15) });
    const expect_ = { round: 1, weightShapes: previous.weights.map((w) => w.shape), maxAbsWeight: 1e4 };
    let error: unknown;
    try {
      decodeClientUpdate({ round: 1, clientId: 'm', numExamples: 10, weights: payload.weights }, 'm', [], expect_);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(DefenceRefusal).and.instanceOf(ProtocolError);
    expect((error as ProtocolError).codeName).to.equal('BAD_TENSOR');
    expect((error as Error).message).to.match(
      new RegExp(`^weight 0 \\(${previous.weights[0].name}\\): value -?\\d\\.\\d{3}e\\+\\d+ at index \\d+ is beyond the bound 10000 on any weight's magnitude \\(defence\\.maxAbsWeight\\); update refused$`),
    );
    // The honest model passes; without a bound, so does the scaled one.
    expect(() => decodeClientUpdate({ round: 1, clientId: 'c', numExamples: 10, weights: modelStateToPayload(previous).weights }, 'c', [], expect_)).to.not.throw();
    expect(() => decodeClientUpdate({ round: 1, clientId: 'm', numExamples: 10, weights: payload.weights }, 'm', [], { ...expect_, maxAbsWeight: undefined })).to.not.throw();
  });
});
