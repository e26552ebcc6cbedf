// FedAvg's options, the controls for neuron interpolation's: a server step on the average, and temperature scaling of
// the average's output level on the labelled probe set.
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { buildModel } from '../../common/model/model-spec.js';
import { modelToState, stateToModel } from '@fedfuse/client/internal/model/model-state.js';
import { readWeights } from '@fedfuse/client/internal/model/weights.js';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { createStrategy } from '../../server/strategies/index.js';
import { checkProbeForStrategy } from '../../server/federation-options.js';
import type { ClientUpdate, RoundContext } from '../../server/strategies/strategy.js';
import { randomInputs, scaleOutputLayer } from '../fusion/helpers.js';

const tensor = (name: string, values: number[]) => ({ name, shape: [values.length], values: Float32Array.from(values) });

describe('fedavg options', () => {
  it('serverStep 1.5 moves 1.5 times the way to the example-weighted average; 1 is plain FedAvg', async () => {
    const global = [tensor('w', [0, 0]), tensor('b', [1])];
    const ctx = { round: 1, global: { topologyJson: '{}', weights: global } } as unknown as RoundContext;
    const update = (values: number[], b: number, numExamples: number) => ({ weights: [tensor('w', values), tensor('b', [b])], numExamples }) as unknown as ClientUpdate;
    const updates = [update([1, 2], 1, 30), update([5, 2], 3, 10)];
    // average: w = [2, 2], b = 1.5
    const plain = await (await createStrategy('fedavg')).aggregate(ctx, updates);
    const stepped = await (await createStrategy('fedavg', { serverStep: 1.5 })).aggregate(ctx, updates);
    expect(plain.model.weights.map((t) => Array.from(t.values))).to.deep.equal([[2, 2], [1.5]]);
    expect(stepped.model.weights.map((t) => Array.from(t.values))).to.deep.equal([[3, 3], [1.75]]);
    await createStrategy('fedavg', { serverStep: 0 }).then(
      () => expect.fail('serverStep 0 accepted'),
      (e: Error) => expect(e.message).to.match(/fedavg option "serverStep" must be a number in \(0, 10\], got 0/),
    );
    await createStrategy('fedavg', { step: 2 }).then(
      () => expect.fail('unknown option accepted'),
      (e: Error) => expect(e.message).to.match(/does not take option\(s\) step \(known: serverStep, calibrateOutput\)/),
    );
  });

  it('calibrateOutput scales the average\'s logits to the probe labels: same classes, lower probe loss, no tensor left', async () => {
    await initBackend();
    const spec = { kind: 'mlp' as const, widths: [6, 10, 4], activation: 'relu' as const };
    const [global, a, b] = [1, 2, 3].map((seed) => buildModel(spec, seed));
    for (const m of [a, b]) scaleOutputLayer(m, 10); // over-confident clients
    const x = randomInputs([50, 6], 4);
    const labels = Int32Array.from({ length: 50 }, (_, i) => i % 4);
    const ctx = { round: 1, seed: 1, global: modelToState(global), probe: { x: { shape: [50, 6], values: Float32Array.from(x.dataSync()) }, y: labels } } as RoundContext;
    const updates = [a, b].map((m, k) => ({ clientId: String(k), weights: readWeights(m), numExamples: 10 }) as unknown as ClientUpdate);
    const outcome = async (options: Record<string, unknown>) => {
      const strategy = await createStrategy('fedavg', options);
      const model = await stateToModel((await strategy.aggregate(ctx, updates)).model);
      const result = tf.tidy(() => {
        const logits = model.predict(x) as tf.Tensor2D;
        const loss = tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(labels, 'int32'), 4), logits).dataSync()[0];
        return { loss, classes: Array.from(tf.argMax(logits, 1).dataSync()) };
      });
      model.dispose();
      return { ...result, needsProbe: strategy.needsProbe };
    };
    const plain = await outcome({});
    const before = tf.memory().numTensors;
    const calibrated = await outcome({ calibrateOutput: true });
    expect(tf.memory().numTensors).to.equal(before);
    expect(calibrated.classes).to.deep.equal(plain.classes);
    expect(calibrated.loss).to.be.lessThan(plain.loss);
    expect([plain.needsProbe, calibrated.needsProbe]).to.deep.equal([false, true]);
    const strategy = await createStrategy('fedavg', { calibrateOutput: true });
    await strategy.aggregate({ ...ctx, probe: { x: ctx.probe!.x } }, updates).then(
      () => expect.fail('calibrated without labels'),
      (e: Error) => expect(e.message).to.match(/calibrateOutput needs a labelled probe set/),
    );
    // A server is refused at start, not at its first round's end, when its probe set cannot serve the option.
    expect(() => checkProbeForStrategy({ strategy, probe: undefined })).to.throw(/aggregates with the server's probe set, but the server has none/);
    expect(() => checkProbeForStrategy({ strategy, probe: { x: ctx.probe!.x } })).to.throw(/needs the probe set's labels \(calibrateOutput\)/);
    expect(() => checkProbeForStrategy({ strategy, probe: ctx.probe })).not.to.throw();
    await createStrategy('fedavg', { calibrateOutput: 1 }).then(
      () => expect.fail('calibrateOutput 1 accepted'),
      (e: Error) => expect(e.message).to.match(/"calibrateOutput" must be true or false, got 1/),
    );
    [global, a, b].forEach((m) => m.dispose());
    x.dispose();
  });
});
