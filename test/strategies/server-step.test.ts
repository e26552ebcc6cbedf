// The server learning rate on a round's result (neuron interpolation's and FedAvg's serverStep).
import { expect } from 'chai';
import { serverStep } from '../../server/strategies/server-step.js';

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
});
