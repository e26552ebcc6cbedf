import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';

/** A·B by definition (plain loops), with either operand transposed and batch dimensions broadcast. */
function reference(a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean): { values: Float32Array; shape: number[] } {
  const av = a.dataSync();
  const bv = b.dataSync();
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const [m, k] = transposeA ? [ac, ar] : [ar, ac];
  const n = transposeB ? br : bc;
  const batchA = a.size / (ar * ac);
  const batchB = b.size / (br * bc);
  const batch = Math.max(batchA, batchB);
  const values = new Float32Array(batch * m * n);
  for (let t = 0; t < batch; t++) {
    const ao = (batchA === 1 ? 0 : t) * ar * ac;
    const bo = (batchB === 1 ? 0 : t) * br * bc;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const x = transposeA ? av[ao + p * ac + i] : av[ao + i * ac + p];
          const y = transposeB ? bv[bo + j * bc + p] : bv[bo + p * bc + j];
          s += x * y;
        }
        values[(t * m + i) * n + j] = s;
      }
    }
  }
  const outer = a.rank > 2 ? (batchA >= batchB ? a.shape.slice(0, -2) : b.shape.slice(0, -2)) : [];
  return { values, shape: [...outer, m, n] };
}

describe('wasm BatchMatMul without the slow transposed path', () => {
  before(async function () {
    if ((await initBackend()) !== 'wasm') this.skip();
  });

  // [a shape, b shape, transposeA, transposeB]: each flag pair, a big B (the (B·Aᵀ)ᵀ route), batches and broadcasting.
  const cases: [number[], number[], boolean, boolean][] = [
    [[5, 7], [7, 3], false, false],
    [[7, 5], [7, 3], true, false],
    [[5, 7], [3, 7], false, true],
    [[7, 5], [3, 7], true, true],
    [[4, 30], [200, 30], false, true],
    [[2, 6, 5], [2, 6, 4], true, false],
    [[2, 5, 6], [1, 4, 6], false, true],
    [[1, 6, 5], [3, 6, 4], true, false],
    [[2, 3, 10], [1, 40, 10], false, true],
  ];
  for (const [as, bs, ta, tb] of cases) {
    const sameBatch = as.length === 2 || as[0] === bs[0];
    it(`multiplies [${as}]${ta ? 'ᵀ' : ''} · [${bs}]${tb ? 'ᵀ' : ''} as the definition does${sameBatch ? ', gradients included' : ''}`, () => {
      const a = tf.randomNormal(as, 0, 1, 'float32', 1);
      const b = tf.randomNormal(bs, 0, 1, 'float32', 2);
      const before = tf.memory().numTensors;
      const got = tf.matMul(a, b, ta, tb);
      const want = reference(a, b, ta, tb);
      expect(got.shape).to.deep.equal(want.shape);
      got.dataSync().forEach((v, i) => expect(v).to.be.closeTo(want.values[i], 1e-4));
      // The gradients are products with transposes themselves: d/dA sum(A·B) against the definition (TF.js's own
      // BatchMatMul gradient does not sum over broadcast batches, so only where A and B have the same batch).
      if (sameBatch) {
        const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, ta, tb).sum())([a, b]);
        const ones = tf.onesLike(got);
        const wantDa = ta ? reference(b, ones, tb, true) : reference(ones, b, false, !tb);
        da.dataSync().forEach((v, i) => expect(v).to.be.closeTo(wantDa.values[i], 1e-4));
        tf.dispose([da, db, ones]);
      }
      got.dispose();
      expect(tf.memory().numTensors).to.equal(before);
      tf.dispose([a, b]);
    });
  }
});
