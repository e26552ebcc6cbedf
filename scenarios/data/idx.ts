// Parser for the IDX format MNIST ships in (http://yann.lecun.com/exdb/mnist/): a 4-byte magic
// (0, 0, type code, number of dims), one big-endian uint32 per dim, then the data in row-major order.

export interface IdxArray {
  dims: number[];
  /** Raw values; MNIST uses unsigned bytes (type 0x08). */
  data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;

/** Parses an IDX buffer of unsigned bytes. `source` names the file in error messages. */
export function parseIdx(buffer: Uint8Array, source = 'IDX data'): IdxArray {
  if (buffer.length < 4) throw new Error(`${source}: too short for an IDX header (${buffer.length} bytes)`);
  if (buffer[0] !== 0 || buffer[1] !== 0) {
    throw new Error(
      `${source}: bad IDX magic 0x${Array.from(buffer.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join('')} ` +
        `(must start with two zero bytes; is the file gzipped?)`,
    );
  }
  const type = buffer[2];
  if (type !== UNSIGNED_BYTE) {
    throw new Error(`${source}: IDX type code 0x${type.toString(16)} is not supported (only unsigned byte, 0x08)`);
  }
  const rank = buffer[3];
  if (rank === 0) throw new Error(`${source}: IDX header declares zero dimensions`);
  const headerBytes = 4 + 4 * rank;
  if (buffer.length < headerBytes) {
    throw new Error(`${source}: truncated IDX header (needs ${headerBytes} bytes for ${rank} dims, has ${buffer.length})`);
  }
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  if (buffer.length < headerBytes + count) {
    throw new Error(
      `${source}: truncated IDX data: dims [${dims.join(', ')}] need ${count} bytes, file has ${buffer.length - headerBytes}`,
    );
  }
  if (buffer.length > headerBytes + count) {
    throw new Error(`${source}: ${buffer.length - headerBytes - count} unexpected trailing bytes after IDX data`);
  }
  return { dims, data: buffer.subarray(headerBytes, headerBytes + count) };
}
