// NumPy .npy files (format versions 1.0, 2.0 and 3.0): how probe sets, labels and evaluation data reach the
// offline tools and to apps from Python or `fedfuse data export`. Pure (bytes in, bytes out) so it runs in a browser;
// reading and writing files is common/io/npy-file.ts, on the server side.
// Spec: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html

export type NpyDtype =
  | 'float16'
  | 'float32'
  | 'float64'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'bool';

export type NpyData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array;

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  /** Row-major (C order) values in native byte order. float16 is widened to Float32Array; bool is a Uint8Array of 0/1. */
  data: NpyData;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

interface DtypeInfo {
  dtype: NpyDtype;
  bytes: number;
}

// Keyed by the kind letter + item size of a descr such as '<f4'.
const KINDS: Record<string, DtypeInfo> = {
  f2: { dtype: 'float16', bytes: 2 },
  f4: { dtype: 'float32', bytes: 4 },
  f8: { dtype: 'float64', bytes: 8 },
  i1: { dtype: 'int8', bytes: 1 },
  i2: { dtype: 'int16', bytes: 2 },
  i4: { dtype: 'int32', bytes: 4 },
  i8: { dtype: 'int64', bytes: 8 },
  u1: { dtype: 'uint8', bytes: 1 },
  u2: { dtype: 'uint16', bytes: 2 },
  u4: { dtype: 'uint32', bytes: 4 },
  u8: { dtype: 'uint64', bytes: 8 },
  b1: { dtype: 'bool', bytes: 1 },
};

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function describe(source: string | undefined): string {
  return source ? `${source}: ` : '';
}

interface Header {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

/** Parses the Python dict literal of an .npy header, e.g. {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }. */
function parseHeader(text: string, where: string): Header {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) {
    throw new Error(`${where}header is not a Python dict literal: ${JSON.stringify(trimmed.slice(0, 80))}`);
  }
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(trimmed)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(trimmed)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(trimmed)?.[1];
  if (descr === undefined) throw new Error(`${where}header has no 'descr' string (structured dtypes are not supported)`);
  if (fortran === undefined) throw new Error(`${where}header has no 'fortran_order' True/False`);
  if (shapeText === undefined) throw new Error(`${where}header has no 'shape' tuple`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      // Python 2 era writers emit longs such as 3L.
      const n = Number(s.replace(/L$/, ''));
      if (!Number.isInteger(n) || n < 0) throw new Error(`${where}shape entry "${s}" is not a non-negative integer`);
      return n;
    });
  return { descr, fortranOrder: fortran === 'True', shape };
}

function dtypeOf(descr: string, where: string): { info: DtypeInfo; littleEndian: boolean } {
  const m = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr);
  const info = m ? KINDS[`${m[2]}${m[3]}`] : undefined;
  if (!m || !info) {
    throw new Error(
      `${where}unsupported dtype '${descr}' (supported: float16/32/64, int8/16/32/64, uint8/16/32/64, bool)`,
    );
  }
  // '|' = byte order not applicable (1-byte types); '=' = native, which numpy never writes but means the host.
  const littleEndian = m[1] === '<' || m[1] === '|' || (m[1] === '=' && LITTLE_ENDIAN_HOST);
  return { info, littleEndian };
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function decode(bytes: Uint8Array, offset: number, count: number, info: DtypeInfo, littleEndian: boolean): NpyData {
  // Copy the payload first: the header length leaves it at an arbitrary byte offset, and typed arrays need alignment.
  const body = bytes.slice(offset, offset + count * info.bytes);
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const native = littleEndian === LITTLE_ENDIAN_HOST || info.bytes === 1;
  switch (info.dtype) {
    case 'float16': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, littleEndian));
      return out;
    }
    case 'float32':
      return native ? new Float32Array(body.buffer) : Float32Array.from({ length: count }, (_, i) => view.getFloat32(i * 4, littleEndian));
    case 'float64':
      return native ? new Float64Array(body.buffer) : Float64Array.from({ length: count }, (_, i) => view.getFloat64(i * 8, littleEndian));
    case 'int8':
      return new Int8Array(body.buffer);
    case 'uint8':
      return body;
    case 'bool': {
      // numpy writes 0/1, but normalise any non-zero byte to 1.
      for (let i = 0; i < count; i++) body[i] = body[i] ? 1 : 0;
      return body;
    }
    case 'int16':
      return native ? new Int16Array(body.buffer) : Int16Array.from({ length: count }, (_, i) => view.getInt16(i * 2, littleEndian));
    case 'uint16':
      return native ? new Uint16Array(body.buffer) : Uint16Array.from({ length: count }, (_, i) => view.getUint16(i * 2, littleEndian));
    case 'int32':
      return native ? new Int32Array(body.buffer) : Int32Array.from({ length: count }, (_, i) => view.getInt32(i * 4, littleEndian));
    case 'uint32':
      return native ? new Uint32Array(body.buffer) : Uint32Array.from({ length: count }, (_, i) => view.getUint32(i * 4, littleEndian));
    case 'int64': {
      if (native) return new BigInt64Array(body.buffer);
      const out = new BigInt64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getBigInt64(i * 8, littleEndian);
      return out;
    }
    case 'uint64': {
      if (native) return new BigUint64Array(body.buffer);
      const out = new BigUint64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getBigUint64(i * 8, littleEndian);
      return out;
    }
  }
}

/** Decodes the bytes of an .npy file. `source` (e.g. the path) only prefixes error messages. */
export function parseNpy(bytes: Uint8Array, source?: string): NpyArray {
  const where = describe(source);
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new Error(`${where}not an .npy file (bad magic: expected \\x93NUMPY)`);
  }
  const major = bytes[6];
  const minor = bytes[7];
  if (major < 1 || major > 3) throw new Error(`${where}unsupported .npy format version ${major}.${minor}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw new Error(`${where}truncated .npy file (header length missing)`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = 8 + lengthBytes;
  const dataStart = headerStart + headerLength;
  if (bytes.length < dataStart) {
    throw new Error(`${where}truncated .npy file (header says ${headerLength} bytes, file has ${bytes.length - headerStart})`);
  }
  // Versions 1 and 2 use latin1 headers, version 3 utf8; the fields we read are ASCII either way.
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));
  const header = parseHeader(text, where);
  const { info, littleEndian } = dtypeOf(header.descr, where);
  const count = header.shape.reduce((a, b) => a * b, 1);
  if (header.fortranOrder && header.shape.filter((d) => d > 1).length > 1) {
    throw new Error(`${where}fortran_order arrays are not supported; save with np.ascontiguousarray(a) (C order)`);
  }
  const need = count * info.bytes;
  const have = bytes.length - dataStart;
  if (have < need) {
    throw new Error(
      `${where}truncated .npy data: shape [${header.shape.join(', ')}] of ${info.dtype} needs ${need} bytes, file has ${have}`,
    );
  }
  return { dtype: info.dtype, shape: header.shape, data: decode(bytes, dataStart, count, info, littleEndian) };
}

function dtypeOfArray(array: NpyData): { descr: string; dtype: NpyDtype } {
  if (array instanceof Float32Array) return { descr: '<f4', dtype: 'float32' };
  if (array instanceof Float64Array) return { descr: '<f8', dtype: 'float64' };
  if (array instanceof Int8Array) return { descr: '|i1', dtype: 'int8' };
  if (array instanceof Int16Array) return { descr: '<i2', dtype: 'int16' };
  if (array instanceof Int32Array) return { descr: '<i4', dtype: 'int32' };
  if (array instanceof BigInt64Array) return { descr: '<i8', dtype: 'int64' };
  if (array instanceof Uint8Array) return { descr: '|u1', dtype: 'uint8' };
  if (array instanceof Uint16Array) return { descr: '<u2', dtype: 'uint16' };
  if (array instanceof Uint32Array) return { descr: '<u4', dtype: 'uint32' };
  return { descr: '<u8', dtype: 'uint64' };
}

/** Encodes a C-order array as .npy bytes (little endian; version 1.0, or 2.0 if the header needs it). */
export function serializeNpy(array: NpyData, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new Error(`npy: shape [${shape.join(', ')}] has a bad dimension`);
  if (count !== array.length) {
    throw new Error(`npy: shape [${shape.join(', ')}] holds ${count} values but the array has ${array.length}`);
  }
  const { descr } = dtypeOfArray(array);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // Pad with spaces and a final newline so the data starts on a 64-byte boundary, as numpy does.
  let major = 1;
  let prefix = 10;
  let total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  if (total - prefix > 0xffff) {
    major = 2;
    prefix = 12;
    total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  }
  const header = dict + ' '.repeat(total - prefix - dict.length - 1) + '\n';
  const out = new Uint8Array(total + array.byteLength);
  out.set(MAGIC, 0);
  out[6] = major;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[prefix + i] = header.charCodeAt(i);
  const body = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  if (LITTLE_ENDIAN_HOST || array.BYTES_PER_ELEMENT === 1) {
    out.set(body, total);
  } else {
    // Big-endian host: swap every element's bytes to little endian.
    const size = array.BYTES_PER_ELEMENT;
    for (let i = 0; i < body.length; i += size) {
      for (let j = 0; j < size; j++) out[total + i + j] = body[i + size - 1 - j];
    }
  }
  return out;
}

/** Values as float32 with their shape, whatever the stored numeric type (bools become 0/1). */
export function toFloat32(npy: NpyArray): { shape: number[]; data: Float32Array } {
  if (npy.data instanceof Float32Array) return { shape: [...npy.shape], data: npy.data };
  const out = new Float32Array(npy.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Number(npy.data[i]);
  return { shape: [...npy.shape], data: out };
}

/**
 * Class labels as int32: a 1-D array (or [n, 1]) of integers in int32 range. Float arrays are accepted when every
 * value is integral (labels saved as floats are common); one-hot label matrices are rejected with a hint.
 */
export function toInt32Labels(npy: NpyArray, source?: string): { shape: [number]; data: Int32Array } {
  const where = describe(source);
  const { shape, data } = npy;
  if (!(shape.length === 1 || (shape.length === 2 && shape[1] === 1))) {
    const hint = shape.length === 2 ? ' (one-hot labels? save np.argmax(y, axis=1) instead)' : '';
    throw new Error(`${where}labels must be a 1-D array of class indices, got shape [${shape.join(', ')}]${hint}`);
  }
  if (npy.dtype === 'bool') throw new Error(`${where}labels have dtype bool; expected integer class indices`);
  const out = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = Number(data[i]);
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
      throw new Error(`${where}label ${i} is ${String(data[i])}, not an int32 class index`);
    }
    out[i] = v;
  }
  return { shape: [out.length], data: out };
}
