// Tensors on the wire: name + shape + dtype + raw little-endian bytes. Decoding is the trust boundary for
// peer-supplied numbers, so it checks everything before allocating and rejects non-finite values.
import './protobuf-runtime.js';
import { fedfuse } from './generated/fedfuse.js';
import { fromLittleEndianBytes, toLittleEndianBytes } from './byte-order.js';
import { badTensor, quoteForError } from './errors.js';
import { float16ToFloat32, float32ToFloat16, isNonFiniteHalf } from './float16.js';

export interface TensorLimits {
  /** Upper bound on the element count, checked before anything is allocated. */
  maxElements?: number;
  /** When given, the tensor must have exactly this shape. */
  expectShape?: readonly number[];
}

export interface DecodedFloatTensor {
  name: string;
  shape: number[];
  values: Float32Array;
}

export interface DecodedInt32Tensor {
  name: string;
  shape: number[];
  values: Int32Array;
}

const { DType } = fedfuse.v1;

function dtypeName(d: number): string {
  return DType[d] ?? `unknown dtype ${d}`;
}

function shapeText(shape: readonly number[]): string {
  return shape.length === 0 ? 'scalar' : shape.join('x');
}

/** Element count of a shape the caller is about to send; a programming error if the values disagree. */
function checkOwnShape(name: string, shape: readonly number[], length: number): number[] {
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d <= 0 || d > 0xffffffff) {
      throw badTensor(`tensor ${quoteForError(name)} has invalid dimension ${d} in shape [${shape.join(', ')}]`);
    }
    n *= d;
  }
  if (n !== length) {
    throw badTensor(`tensor ${quoteForError(name)} has shape ${shapeText(shape)} (${n} values) but ${length} values were given`);
  }
  return [...shape];
}

function encode(name: string, shape: readonly number[], dtype: fedfuse.v1.DType, data: Uint8Array): fedfuse.v1.ITensor {
  return { name, shape: [...shape], dtype, data };
}

export function encodeFloatTensor(
  name: string,
  shape: readonly number[],
  values: Float32Array,
  opts: { half?: boolean } = {},
): fedfuse.v1.ITensor {
  checkOwnShape(name, shape, values.length);
  if (opts.half) return encode(name, shape, DType.FLOAT16, toLittleEndianBytes(float32ToFloat16(values)));
  return encode(name, shape, DType.FLOAT32, toLittleEndianBytes(values));
}

export function encodeInt32Tensor(name: string, shape: readonly number[], values: Int32Array): fedfuse.v1.ITensor {
  checkOwnShape(name, shape, values.length);
  return encode(name, shape, DType.INT32, toLittleEndianBytes(values));
}

interface CheckedHeader {
  name: string;
  shape: number[];
  count: number;
  data: Uint8Array;
}

/** Validates everything but the values themselves; allocates nothing proportional to the declared shape. */
function checkHeader(t: fedfuse.v1.ITensor, bytesPerElement: number, dtype: string, limits: TensorLimits): CheckedHeader {
  if (t === null || typeof t !== 'object') throw badTensor('tensor is missing');
  const name = typeof t.name === 'string' ? t.name : '';
  const label = `tensor ${quoteForError(name)}`;
  const rawShape: unknown = t.shape ?? [];
  if (!Array.isArray(rawShape)) throw badTensor(`${label} has no shape list`);
  if (rawShape.length > 32) throw badTensor(`${label} has ${rawShape.length} dimensions (at most 32 allowed)`);
  let count = 1;
  for (const d of rawShape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d <= 0) {
      throw badTensor(`${label} has invalid dimension ${String(d)} in shape [${rawShape.join(', ')}]; dimensions must be positive integers`);
    }
    count *= d; // stays exact until it exceeds 2^53, which any sane limit rejects anyway
  }
  const shape = rawShape as number[];
  const maxElements = limits.maxElements ?? Number.MAX_SAFE_INTEGER;
  if (count > maxElements) {
    throw badTensor(`${label} declares shape ${shapeText(shape)} (${count} values), more than the limit of ${maxElements}`);
  }
  if (limits.expectShape && shapeText(limits.expectShape) !== shapeText(shape)) {
    throw badTensor(`${label} has shape ${shapeText(shape)}, expected ${shapeText(limits.expectShape)}`);
  }
  const data = t.data ?? new Uint8Array(0);
  if (!(data instanceof Uint8Array)) throw badTensor(`${label} data is not bytes`);
  if (data.byteLength !== count * bytesPerElement) {
    throw badTensor(
      `${label} declares shape ${shapeText(shape)} (${count} values) but carries ${data.byteLength} bytes of ${dtype}` +
        ` (expected ${count * bytesPerElement})`,
    );
  }
  return { name, shape: [...shape], count, data };
}

export function decodeFloatTensor(t: fedfuse.v1.ITensor, limits: TensorLimits = {}): DecodedFloatTensor {
  const dtype = t?.dtype ?? DType.FLOAT32;
  if (dtype !== DType.FLOAT32 && dtype !== DType.FLOAT16) {
    throw badTensor(`tensor ${quoteForError(t?.name ?? '')} has dtype ${dtypeName(dtype)}, expected FLOAT32 or FLOAT16`);
  }
  const half = dtype === DType.FLOAT16;
  const h = checkHeader(t, half ? 2 : 4, half ? 'float16' : 'float32', limits);
  let values: Float32Array;
  if (half) {
    const bits = fromLittleEndianBytes(h.data, 'uint16');
    for (let i = 0; i < bits.length; i++) {
      if (isNonFiniteHalf(bits[i])) throw nonFinite(h.name, i, float16ToFloat32(bits.subarray(i, i + 1))[0]);
    }
    values = float16ToFloat32(bits);
  } else {
    values = fromLittleEndianBytes(h.data, 'float32');
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v - v !== 0) throw nonFinite(h.name, i, v); // NaN and +-Inf are the only values where v - v != 0
    }
  }
  return { name: h.name, shape: h.shape, values };
}

function nonFinite(name: string, index: number, value: number) {
  return badTensor(`tensor ${quoteForError(name)} has non-finite value ${value} at index ${index}`);
}

export function decodeInt32Tensor(t: fedfuse.v1.ITensor, limits: TensorLimits = {}): DecodedInt32Tensor {
  const dtype = t?.dtype ?? DType.FLOAT32;
  if (dtype !== DType.INT32) {
    throw badTensor(`tensor ${quoteForError(t?.name ?? '')} has dtype ${dtypeName(dtype)}, expected INT32`);
  }
  const h = checkHeader(t, 4, 'int32', limits);
  return { name: h.name, shape: h.shape, values: fromLittleEndianBytes(h.data, 'int32') };
}
