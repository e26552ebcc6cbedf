import { expect } from 'chai';
import {
  fromLittleEndianBytes,
  fromLittleEndianBytesPortable,
  toLittleEndianBytes,
  toLittleEndianBytesPortable,
} from '@fedfuse/client/internal/proto/byte-order.js';

// The fast paths assume a little-endian host; the DataView paths are what a big-endian host would run.
describe('byte order', () => {
  const floats = new Float32Array([1.5, -2.25, 3e-7, 1e30, -0, 0.1]);
  const ints = new Int32Array([1, -1, 0x12345678, -0x80000000]);
  const halves = new Uint16Array([0x3c00, 0xfbff, 0x0001, 0x8000]);

  it('fast and portable encoders produce the same little-endian bytes', () => {
    for (const v of [floats, ints, halves]) {
      expect(Array.from(toLittleEndianBytes(v))).to.deep.equal(Array.from(toLittleEndianBytesPortable(v)));
    }
    expect(Array.from(toLittleEndianBytesPortable(new Int32Array([0x01020304])))).to.deep.equal([4, 3, 2, 1]);
  });

  it('fast and portable decoders agree, including at an unaligned offset', () => {
    const cases: [Float32Array | Int32Array | Uint16Array, 'float32' | 'int32' | 'uint16'][] = [
      [floats, 'float32'],
      [ints, 'int32'],
      [halves, 'uint16'],
    ];
    for (const [v, kind] of cases) {
      const bytes = toLittleEndianBytes(v);
      const shifted = new Uint8Array(bytes.byteLength + 3);
      shifted.set(bytes, 3);
      const src = shifted.subarray(3);
      expect(Array.from(fromLittleEndianBytes(src, kind))).to.deep.equal(Array.from(v));
      expect(Array.from(fromLittleEndianBytesPortable(src, kind))).to.deep.equal(Array.from(v));
    }
  });

  it('returns copies the caller owns', () => {
    const bytes = toLittleEndianBytes(floats);
    const back = fromLittleEndianBytes(bytes, 'float32');
    bytes.fill(0);
    expect(back[0]).to.equal(1.5);
    const src = new Float32Array([2]);
    const out = toLittleEndianBytes(src);
    src[0] = 3;
    expect(fromLittleEndianBytes(out, 'float32')[0]).to.equal(2);
  });
});
