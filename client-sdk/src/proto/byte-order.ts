// Tensor bytes are little-endian on the wire whatever the host. Every host we run on is little-endian, so the
// fast paths view memory directly; the DataView paths keep big-endian hosts correct (and are what tests compare to).

export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export type ElementKind = 'float32' | 'int32' | 'uint16';
const BYTES: Record<ElementKind, number> = { float32: 4, int32: 4, uint16: 2 };

function viewBytes(values: Float32Array | Int32Array | Uint16Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** A fresh little-endian byte copy of `values`. */
export function toLittleEndianBytes(values: Float32Array | Int32Array | Uint16Array): Uint8Array {
  if (HOST_IS_LITTLE_ENDIAN) return viewBytes(values).slice();
  return toLittleEndianBytesPortable(values);
}

export function toLittleEndianBytesPortable(values: Float32Array | Int32Array | Uint16Array): Uint8Array {
  const out = new Uint8Array(values.byteLength);
  const dv = new DataView(out.buffer);
  if (values instanceof Float32Array) values.forEach((v, i) => dv.setFloat32(i * 4, v, true));
  else if (values instanceof Int32Array) values.forEach((v, i) => dv.setInt32(i * 4, v, true));
  else values.forEach((v, i) => dv.setUint16(i * 2, v, true));
  return out;
}

/**
 * Reads `count` little-endian elements into a fresh, owned, aligned array. Always copies: the source is a
 * slice of a network buffer whose byteOffset may not be a multiple of the element size, and callers may
 * mutate what they get back.
 */
export function fromLittleEndianBytes(bytes: Uint8Array, kind: 'float32'): Float32Array;
export function fromLittleEndianBytes(bytes: Uint8Array, kind: 'int32'): Int32Array;
export function fromLittleEndianBytes(bytes: Uint8Array, kind: 'uint16'): Uint16Array;
export function fromLittleEndianBytes(bytes: Uint8Array, kind: ElementKind): Float32Array | Int32Array | Uint16Array;
export function fromLittleEndianBytes(bytes: Uint8Array, kind: ElementKind): Float32Array | Int32Array | Uint16Array {
  if (!HOST_IS_LITTLE_ENDIAN) return fromLittleEndianBytesPortable(bytes, kind);
  const out = allocate(kind, bytes.byteLength / BYTES[kind]);
  viewBytes(out).set(bytes);
  return out;
}

export function fromLittleEndianBytesPortable(bytes: Uint8Array, kind: ElementKind): Float32Array | Int32Array | Uint16Array {
  const count = bytes.byteLength / BYTES[kind];
  const out = allocate(kind, count);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < count; i++) {
    if (kind === 'float32') out[i] = dv.getFloat32(i * 4, true);
    else if (kind === 'int32') out[i] = dv.getInt32(i * 4, true);
    else out[i] = dv.getUint16(i * 2, true);
  }
  return out;
}

function allocate(kind: ElementKind, count: number): Float32Array | Int32Array | Uint16Array {
  if (!Number.isInteger(count)) throw new RangeError(`byte length is not a whole number of ${kind} elements`);
  return kind === 'float32' ? new Float32Array(count) : kind === 'int32' ? new Int32Array(count) : new Uint16Array(count);
}
