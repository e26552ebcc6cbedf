import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseNpy, serializeNpy, toFloat32, toInt32Labels } from '@fedfuse/client/internal/io/npy.js';
import { readNpy, writeNpy } from '../../common/io/npy-file.js';

// Files written by numpy 2.4 (np.lib.format.write_array), base64-encoded, so the test needs no Python.
const NUMPY = {
  f4: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAMA/AAAAwAAAQEAAAIBAAACgQAAAyEA=',
  beI4: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPmk0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAB/////gABEXA=',
  beF8: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPmY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDEpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo/4AAAAAAAAP435DyIAHWc',
  fortran: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAABAQAAAgD8AAIBAAAAAQAAAoEA=',
  i8: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDUsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoDAAAAAAAAAAEAAAAAAAAABAAAAAAAAAABAAAAAAAAAAUAAAAAAAAA',
  f2: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGYyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDQsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAPAC4/3sBAA==',
  v2: 'k05VTVBZAgB0AAAAeydkZXNjcic6ICd8dTEnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoHCA==',
  scalar: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAEQA==',
};

function bytesOf(b64: string): Uint8Array {
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

/** A v1.0 file built by hand: magic, version, uint16 header length, dict, then raw payload. */
function handBuilt(dict: string, payload: Uint8Array, lengthOverride?: number): Uint8Array {
  const header = dict + '\n';
  const out = new Uint8Array(10 + header.length + payload.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, lengthOverride ?? header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(payload, 10 + header.length);
  return out;
}

describe('npy', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fedfuse-npy-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads numpy-written files: float32 2-D, int64, float16, version 2.0, scalars', () => {
    const f4 = parseNpy(bytesOf(NUMPY.f4));
    expect(f4.dtype).to.equal('float32');
    expect(f4.shape).to.deep.equal([2, 3]);
    expect([...f4.data]).to.deep.equal([1.5, -2, 3, 4, 5, 6.25]);

    const i8 = parseNpy(bytesOf(NUMPY.i8));
    expect(i8.dtype).to.equal('int64');
    expect([...toInt32Labels(i8).data]).to.deep.equal([3, 1, 4, 1, 5]);

    const f2 = parseNpy(bytesOf(NUMPY.f2));
    expect(f2.dtype).to.equal('float16');
    const half = [...toFloat32(f2).data];
    expect(half.slice(0, 3)).to.deep.equal([1, -0.5, 65504]);
    expect(half[3]).to.be.closeTo(6e-8, 1e-8); // a subnormal half

    const v2 = parseNpy(bytesOf(NUMPY.v2));
    expect(v2.dtype).to.equal('uint8');
    expect([...v2.data]).to.deep.equal([7, 8]);

    const scalar = parseNpy(bytesOf(NUMPY.scalar));
    expect(scalar.shape).to.deep.equal([]);
    expect([...scalar.data]).to.deep.equal([2.5]);
  });

  it('reads big-endian files', () => {
    const i4 = parseNpy(bytesOf(NUMPY.beI4));
    expect(i4.dtype).to.equal('int32');
    expect([...i4.data]).to.deep.equal([1, -2, 70000]);
    const f8 = parseNpy(bytesOf(NUMPY.beF8));
    expect(f8.shape).to.deep.equal([2, 1]);
    expect([...f8.data]).to.deep.equal([0.5, -1e300]);
  });

  it('reads a hand-built v1.0 file with keys in another order and no trailing comma', () => {
    const payload = new Uint8Array(new Int32Array([9, -9, 0, 2147483647]).buffer);
    const npy = parseNpy(handBuilt("{'shape': (2,2), 'fortran_order': False, 'descr': '<i4'}", payload));
    expect(npy.dtype).to.equal('int32');
    expect(npy.shape).to.deep.equal([2, 2]);
    expect([...npy.data]).to.deep.equal([9, -9, 0, 2147483647]);
  });

  it('round-trips float32 and int32 through files', async () => {
    const x = Float32Array.from({ length: 24 }, (_, i) => Math.sin(i) * 1e3);
    const y = Int32Array.from({ length: 7 }, (_, i) => i * 31 - 100);
    await writeNpy(join(dir, 'x.npy'), x, [2, 3, 4]);
    await writeNpy(join(dir, 'y.npy'), y, [7]);
    const rx = await readNpy(join(dir, 'x.npy'));
    const ry = await readNpy(join(dir, 'y.npy'));
    expect(rx.dtype).to.equal('float32');
    expect(rx.shape).to.deep.equal([2, 3, 4]);
    expect([...rx.data]).to.deep.equal([...x]);
    expect(ry.dtype).to.equal('int32');
    expect(toInt32Labels(ry).shape).to.deep.equal([7]);
    expect([...toInt32Labels(ry).data]).to.deep.equal([...y]);
  });

  it('writes headers the way numpy does (data aligned to 64 bytes, same bytes as numpy for float32)', () => {
    const ours = serializeNpy(new Float32Array([1.5, -2, 3, 4, 5, 6.25]), [2, 3]);
    expect(Buffer.from(ours).toString('base64')).to.equal(NUMPY.f4);
    const big = serializeNpy(new Uint8Array(3), [3]);
    const headerLength = new DataView(big.buffer).getUint16(8, true);
    expect((10 + headerLength) % 64).to.equal(0);
  });

  it('rejects fortran_order arrays with a clear error', () => {
    expect(() => parseNpy(bytesOf(NUMPY.fortran), 'f.npy')).to.throw(/f\.npy: fortran_order .* not supported/);
  });

  it('rejects bad magic, truncated headers and data, and unsupported dtypes', () => {
    expect(() => parseNpy(new TextEncoder().encode('PK\x03\x04 this is a zip'))).to.throw(/bad magic/);
    const good = bytesOf(NUMPY.f4);
    expect(() => parseNpy(good.subarray(0, good.length - 3), 'x.npy')).to.throw(/x\.npy: truncated .npy data.*needs 24 bytes, file has 21/);
    expect(() => parseNpy(good.subarray(0, 40))).to.throw(/truncated .npy file/);
    const complex = handBuilt("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(8));
    expect(() => parseNpy(complex)).to.throw(/unsupported dtype '<c8'/);
    const structured = handBuilt("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4));
    expect(() => parseNpy(structured)).to.throw(/structured dtypes/);
    const badLength = handBuilt("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4), 5000);
    expect(() => parseNpy(badLength)).to.throw(/truncated .npy file \(header says 5000 bytes/);
  });

  it('reports missing files by path', async () => {
    const path = join(dir, 'nope.npy');
    let message = '';
    await readNpy(path).catch((e: Error) => (message = e.message));
    expect(message).to.equal(`${path}: no such file`);
  });

  it('converts labels strictly: integral floats ok, fractions, one-hot matrices and bools rejected', () => {
    expect([...toInt32Labels({ dtype: 'float64', shape: [3], data: new Float64Array([0, 2, 9]) }).data]).to.deep.equal([0, 2, 9]);
    expect(toInt32Labels({ dtype: 'uint8', shape: [2, 1], data: new Uint8Array([4, 5]) })).to.deep.equal({ shape: [2], data: Int32Array.from([4, 5]) });
    expect(() => toInt32Labels({ dtype: 'float32', shape: [2], data: new Float32Array([1, 1.5]) })).to.throw(/label 1 is 1.5/);
    expect(() => toInt32Labels({ dtype: 'float32', shape: [2, 10], data: new Float32Array(20) })).to.throw(/one-hot/);
    expect(() => toInt32Labels({ dtype: 'bool', shape: [1], data: new Uint8Array([1]) })).to.throw(/bool/);
  });

  it('refuses a shape that does not match the array', () => {
    expect(() => serializeNpy(new Float32Array(5), [2, 3])).to.throw(/holds 6 values but the array has 5/);
  });
});
