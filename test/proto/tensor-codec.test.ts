import { expect } from 'chai';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { ProtocolError } from '@fedfuse/client/internal/proto/errors.js';
import { decodeFloatTensor, decodeInt32Tensor, encodeFloatTensor, encodeInt32Tensor } from '@fedfuse/client/internal/proto/tensor-codec.js';

const { DType, ErrorCode } = fedfuse.v1;

/** Through real protobuf bytes, as a peer would see it. */
function overTheWire(t: fedfuse.v1.ITensor): fedfuse.v1.Tensor {
  return fedfuse.v1.Tensor.decode(fedfuse.v1.Tensor.encode(t).finish());
}

function expectProtocolError(fn: () => unknown, code: fedfuse.v1.ErrorCode, ...fragments: string[]): ProtocolError {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(ProtocolError);
    const err = e as ProtocolError;
    expect(ErrorCode[err.code], err.message).to.equal(ErrorCode[code]);
    for (const f of fragments) expect(err.message).to.include(f);
    return err;
  }
  return expect.fail('expected a ProtocolError');
}

function randomFloats(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * 20;
  }
  return out;
}

describe('tensor codec', () => {
  it('round-trips float32 tensors of many shapes exactly', () => {
    for (const shape of [[], [1], [7], [3, 4], [2, 3, 4, 5], [784, 32]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const values = randomFloats(n, n);
      const back = decodeFloatTensor(overTheWire(encodeFloatTensor('dense/kernel', shape, values)));
      expect(back.name).to.equal('dense/kernel');
      expect(back.shape).to.deep.equal(shape);
      expect(Array.from(back.values)).to.deep.equal(Array.from(values));
    }
  });

  it('writes float32 and int32 as little-endian bytes (checked against a hand-built DataView)', () => {
    const values = new Float32Array([1.5, -2.25, 3e-7, 65504.5, -0]);
    const t = encodeFloatTensor('w', [5], values);
    const want = new DataView(new ArrayBuffer(20));
    values.forEach((v, i) => want.setFloat32(i * 4, v, true));
    expect(t.dtype).to.equal(DType.FLOAT32);
    expect(Array.from(t.data as Uint8Array)).to.deep.equal(Array.from(new Uint8Array(want.buffer)));

    const ints = new Int32Array([1, -1, 0x12345678, -0x80000000, 7]);
    const ti = encodeInt32Tensor('labels', [5], ints);
    const wantI = new DataView(new ArrayBuffer(20));
    ints.forEach((v, i) => wantI.setInt32(i * 4, v, true));
    expect(ti.dtype).to.equal(DType.INT32);
    expect(Array.from(ti.data as Uint8Array)).to.deep.equal(Array.from(new Uint8Array(wantI.buffer)));
    // And the first bytes are literally the LE encoding of 1.5 = 0x3fc00000.
    expect(Array.from((t.data as Uint8Array).subarray(0, 4))).to.deep.equal([0x00, 0x00, 0xc0, 0x3f]);

    // A peer's hand-built little-endian bytes decode to the intended values.
    expect(Array.from(decodeFloatTensor({ name: 'w', shape: [5], dtype: DType.FLOAT32, data: new Uint8Array(want.buffer) }).values)).to.deep.equal(
      Array.from(values),
    );
  });

  it('round-trips int32 tensors', () => {
    const ints = new Int32Array([0, 9, 3, 3, -5, 2147483647]);
    const back = decodeInt32Tensor(overTheWire(encodeInt32Tensor('probe_labels', [2, 3], ints)));
    expect(back.shape).to.deep.equal([2, 3]);
    expect(Array.from(back.values)).to.deep.equal(Array.from(ints));
  });

  it('float16 option halves the bytes and stays within half precision', () => {
    const values = randomFloats(1000, 3);
    const t = encodeFloatTensor('w', [10, 100], values, { half: true });
    expect(t.dtype).to.equal(DType.FLOAT16);
    expect((t.data as Uint8Array).byteLength).to.equal(2000);
    const back = decodeFloatTensor(overTheWire(t));
    expect(back.shape).to.deep.equal([10, 100]);
    let worst = 0;
    values.forEach((v, i) => (worst = Math.max(worst, Math.abs(back.values[i] - v) / Math.abs(v))));
    expect(worst).to.be.at.most(2 ** -11);
    expect(worst).to.be.greaterThan(0); // it really went through half precision
  });

  it('decodes from an unaligned byte offset (network buffers are not 4-byte aligned)', () => {
    const values = randomFloats(33, 9);
    const t = encodeFloatTensor('w', [33], values);
    const backing = new Uint8Array(1 + 33 * 4);
    backing.set(t.data as Uint8Array, 1);
    const unaligned = backing.subarray(1);
    expect(unaligned.byteOffset % 4).to.equal(1);
    const back = decodeFloatTensor({ ...t, data: unaligned });
    expect(Array.from(back.values)).to.deep.equal(Array.from(values));
    // The result is an owned copy: later changes to the network buffer do not leak into it.
    backing.fill(0);
    expect(back.values[0]).to.equal(values[0]);
  });

  it('rejects NaN and Inf naming the tensor and the index', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const values = new Float32Array(12).fill(0.5);
      values[7] = bad;
      const t = overTheWire(encodeFloatTensor('dense_1/bias', [3, 4], values));
      expectProtocolError(() => decodeFloatTensor(t), ErrorCode.BAD_TENSOR, "'dense_1/bias'", 'index 7', 'non-finite');
      const h = overTheWire(encodeFloatTensor('dense_1/bias', [3, 4], values, { half: true }));
      expectProtocolError(() => decodeFloatTensor(h), ErrorCode.BAD_TENSOR, "'dense_1/bias'", 'index 7');
    }
    // A finite float32 that overflows half becomes Inf on the wire, and the receiver refuses it.
    const big = overTheWire(encodeFloatTensor('w', [1], new Float32Array([1e6]), { half: true }));
    expectProtocolError(() => decodeFloatTensor(big), ErrorCode.BAD_TENSOR, 'index 0');
  });

  it('rejects a byte length that does not match the shape', () => {
    const t = { name: 'dense/kernel', shape: [784, 256], dtype: DType.FLOAT32, data: new Uint8Array(1000) };
    expectProtocolError(
      () => decodeFloatTensor(overTheWire(t)),
      ErrorCode.BAD_TENSOR,
      "tensor 'dense/kernel' declares shape 784x256 (200704 values) but carries 1000 bytes of float32",
    );
    expectProtocolError(() => decodeFloatTensor({ ...t, shape: [250], dtype: DType.FLOAT16 }), ErrorCode.BAD_TENSOR, 'bytes of float16');
    expectProtocolError(() => decodeInt32Tensor({ ...t, shape: [251], dtype: DType.INT32 }), ErrorCode.BAD_TENSOR, 'bytes of int32');
    expectProtocolError(() => decodeFloatTensor({ name: 'x', shape: [2] }), ErrorCode.BAD_TENSOR, 'carries 0 bytes');
  });

  it('rejects an oversized declared shape without allocating it', () => {
    // If the decoder allocated from the declared shape first, these would throw RangeError (or exhaust memory),
    // not a ProtocolError.
    const huge = { name: 'evil', shape: [65536, 65536, 65536], dtype: DType.FLOAT32, data: new Uint8Array(16) };
    expectProtocolError(() => decodeFloatTensor(overTheWire(huge), { maxElements: 1_000_000 }), ErrorCode.BAD_TENSOR, "'evil'", 'limit of 1000000');
    expectProtocolError(() => decodeFloatTensor(overTheWire(huge)), ErrorCode.BAD_TENSOR, 'carries 16 bytes');
    expectProtocolError(() => decodeInt32Tensor({ ...huge, dtype: DType.INT32 }), ErrorCode.BAD_TENSOR, 'carries 16 bytes');
    const fits = encodeFloatTensor('ok', [10, 10], new Float32Array(100));
    expectProtocolError(() => decodeFloatTensor(fits, { maxElements: 99 }), ErrorCode.BAD_TENSOR, '100 values', 'limit of 99');
    expect(decodeFloatTensor(fits, { maxElements: 100 }).values.length).to.equal(100);
  });

  it('rejects bad dimensions, dtypes and unexpected shapes', () => {
    const data = new Uint8Array(8);
    expectProtocolError(() => decodeFloatTensor(overTheWire({ name: 'z', shape: [2, 0], data })), ErrorCode.BAD_TENSOR, 'invalid dimension 0');
    expectProtocolError(() => decodeFloatTensor({ name: 'n', shape: [-2], data }), ErrorCode.BAD_TENSOR, 'invalid dimension -2');
    expectProtocolError(() => decodeFloatTensor({ name: 'f', shape: [1.5], data }), ErrorCode.BAD_TENSOR, 'invalid dimension 1.5');
    expectProtocolError(() => decodeFloatTensor({ name: 'i', shape: [2], dtype: DType.INT32, data }), ErrorCode.BAD_TENSOR, 'dtype INT32');
    expectProtocolError(() => decodeInt32Tensor({ name: 'i', shape: [2], dtype: DType.FLOAT32, data }), ErrorCode.BAD_TENSOR, 'expected INT32');
    expectProtocolError(() => decodeFloatTensor(overTheWire({ name: 'u', shape: [2], dtype: 9 as fedfuse.v1.DType, data })), ErrorCode.BAD_TENSOR, 'unknown dtype 9');
    const t = encodeFloatTensor('w', [2, 3], new Float32Array(6));
    expectProtocolError(() => decodeFloatTensor(t, { expectShape: [3, 2] }), ErrorCode.BAD_TENSOR, 'shape 2x3, expected 3x2');
    expect(decodeFloatTensor(t, { expectShape: [2, 3] }).shape).to.deep.equal([2, 3]);
  });

  it('refuses to encode values that do not fit the shape', () => {
    expectProtocolError(() => encodeFloatTensor('w', [2, 3], new Float32Array(5)), ErrorCode.BAD_TENSOR, '(6 values) but 5 values');
    expectProtocolError(() => encodeInt32Tensor('w', [0], new Int32Array(0)), ErrorCode.BAD_TENSOR, 'invalid dimension 0');
  });
});
