// Shifted copies of probe images for the least-squares fit (neuron interpolation's fitShifts).
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { shiftedCopies, shiftOffsets, withShiftedCopies } from '../../server/fusion/shifted-copies.js';

describe('shifted copies of probe images', () => {
  it('lists every offset within the distance but the original', () => {
    const one = shiftOffsets(1);
    expect(one).to.have.length(8);
    expect(one).to.not.deep.include([0, 0]);
    expect(shiftOffsets(2)).to.have.length(24);
    expect(() => shiftOffsets(0)).to.throw(/integer ≥ 1/);
  });

  it('keeps each source row first with its copies after it, moving pixels and repeating the edge', () => {
    // Two 2×3 images with 2 channels: pixel (i, j) channel c of image r holds 100r + 10i + j + c/10.
    const image = { height: 2, width: 3, channels: 2 };
    const x = new Float32Array(2 * 12);
    for (let r = 0; r < 2; r++)
      for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let c = 0; c < 2; c++) x[r * 12 + (i * 3 + j) * 2 + c] = 100 * r + 10 * i + j + c / 10;
    const out = shiftedCopies(x, 2, image, [[0, 1], [1, 0]]);
    expect(out).to.have.length(2 * 3 * 12);
    const pixel = (copy: number, i: number, j: number, c: number) => out[copy * 12 + (i * 3 + j) * 2 + c];
    // Copy 0 is image 0 itself; copy 3 is image 1 itself.
    expect(Array.from(out.subarray(0, 12))).to.deep.equal(Array.from(x.subarray(0, 12)));
    expect(Array.from(out.subarray(36, 48))).to.deep.equal(Array.from(x.subarray(12, 24)));
    // Moved right by one: column j shows column j − 1; column 0 repeats the edge column 0.
    expect(pixel(1, 1, 2, 1)).to.be.closeTo(11.1, 1e-5);
    expect(pixel(1, 0, 0, 0)).to.be.closeTo(0, 1e-5);
    // Moved down by one, image 1: row 1 shows row 0, row 0 repeats itself.
    expect(pixel(5, 1, 2, 0)).to.be.closeTo(102, 1e-5);
    expect(pixel(5, 0, 1, 1)).to.be.closeTo(101.1, 1e-5);
  });

  it('refuses values that are not whole images of the given shape', () => {
    expect(() => shiftedCopies(new Float32Array(10), 2, { height: 2, width: 2, channels: 1 }, [[0, 1]])).to.throw(/10 values are not 2 images of 2×2×1/);
  });

  it('shifts flat inputs given their image shape, repeats the labels per copy, and names a shape that is not an image', () => {
    const x = tf.tensor2d([Array.from({ length: 9 }, (_, i) => i), Array.from({ length: 9 }, (_, i) => 10 + i)]);
    const before = tf.memory().numTensors;
    const out = withShiftedCopies(x, Int32Array.from([3, 7]), { pixels: 1, imageShape: [3, 3, 1] });
    expect(out.copies).to.equal(9);
    expect(out.x.shape).to.deep.equal([18, 9]);
    expect(Array.from(out.labels!)).to.deep.equal([...Array(9).fill(3), ...Array(9).fill(7)]);
    expect(tf.memory().numTensors).to.equal(before + 1);
    out.x.dispose();
    expect(() => withShiftedCopies(x, undefined, { pixels: 1 })).to.throw(/probe inputs of shape \[9\] are not images; give fitShifts.imageShape/);
    expect(() => withShiftedCopies(x, undefined, { pixels: 1, imageShape: [2, 2, 2] })).to.throw(/with 9 values/);
    x.dispose();
  });
});
