// The server learning rate on a round's result (neuron interpolation's and FedAvg's serverStep).
import { expect } from 'chai';
import { serverStep } from '../../server/strategies/server-step.js';
import { createStrategy } from '../../server/strategies/index.js';
import type { ClientUpdate, RoundContext } from '../../server/strategies/strategy.js';

const tensor = (name: string, values: number[]) => ({ name, shape: [values.length], values: Float32Array.from(values) });

describe('server step on a round result', () => {
  it('moves η times the way from the global model to the result (η = 1 is the result, η = 2 twice as far)', () => {
    const global = [tensor('w', [1, 2, 3]), tensor('b', [0])];
    const result = [tensor('w', [2, 2, 1]), tensor('b', [0.5])];
    expect(serverStep(global, result, 1).map((t) => Array.from(t.values))).to.deep.equal([[2, 2, 1], [0.5]]);
    expect(serverStep(global, result, 2).map((t) => Array.from(t.values))).to.deep.equal([[3, 2, -1], [1]]);
    expect(serverStep(global, result, 0.5)[0]).to.deep.include({ name: 'w', shape: [3] });
    expect(Array.from(result[0].values)).to.deep.equal([2, 2, 1]);
  });

  it('refuses a step that is not a positive number and results that do not match the global model', () => {
    const global = [tensor('w', [1, 2])];
    expect(() => serverStep(global, [tensor('w', [1, 2])], 0)).to.throw(/finite number > 0, got 0/);
    expect(() => serverStep(global, [tensor('w', [1, 2, 3])], 1.5)).to.throw(/weight 0 \(w\) has 3 values, the global model's 2/);
    expect(() => serverStep(global, [], 1.5)).to.throw(/0 weight tensors, the global model 1/);
  });

  it('FedAvg with serverStep 1.5 moves 1.5 times the way to the example-weighted average; 1 is plain FedAvg', async () => {
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
      (e: Error) => expect(e.message).to.match(/does not take option\(s\) step \(known: serverStep\)/),
    );
  });
});
