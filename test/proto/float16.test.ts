import { expect } from 'chai';
import { float16ToFloat32, float32ToFloat16 } from '@fedfuse/client/internal/proto/float16.js';

/** Value of half bits by the textbook formula (independent of the implementation's bit shifting). */
function halfValue(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  if (exp === 0) return sign * mant * 2 ** -24;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

// Positive half bit patterns 0x0000..0x7bff are increasing in value; 0x7c00 (Inf) acts as 65536 for rounding.
const POSITIVE = Array.from({ length: 0x7c01 }, (_, h) => (h === 0x7c00 ? 65536 : halfValue(h)));

/** Nearest half by exhaustive search over the sorted table, ties to the even bit pattern. */
function referenceHalf(x: number): number {
  if (Number.isNaN(x)) return -1; // checked separately
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a >= 65536) return sign | 0x7c00;
  let lo = 0;
  let hi = 0x7c00;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (POSITIVE[mid] <= a) lo = mid;
    else hi = mid;
  }
  const dLo = a - POSITIVE[lo];
  const dHi = POSITIVE[hi] - a;
  const h = dLo < dHi ? lo : dHi < dLo ? hi : lo % 2 === 0 ? lo : hi;
  return sign | h;
}

function bitsOf(x: number): number {
  return float32ToFloat16(new Float32Array([x]))[0];
}

describe('float16', () => {
  it('decodes all 65536 half bit patterns like the textbook formula', () => {
    const all = new Uint16Array(65536).map((_, i) => i);
    const decoded = float16ToFloat32(all);
    for (let h = 0; h < 65536; h++) {
      const want = halfValue(h);
      if (Number.isNaN(want)) expect(Number.isNaN(decoded[h]), `0x${h.toString(16)}`).to.equal(true);
      else expect(Object.is(decoded[h], want), `0x${h.toString(16)}: ${decoded[h]} vs ${want}`).to.equal(true);
    }
  });

  it('re-encodes every non-NaN half exactly, and keeps NaN a NaN', () => {
    const all = new Uint16Array(65536).map((_, i) => i);
    const back = float32ToFloat16(float16ToFloat32(all));
    for (let h = 0; h < 65536; h++) {
      if (Number.isNaN(halfValue(h))) expect((back[h] & 0x7c00) === 0x7c00 && (back[h] & 0x3ff) !== 0).to.equal(true);
      else expect(back[h], `0x${h.toString(16)}`).to.equal(h);
    }
  });

  it('rounds to nearest, ties to even, at the edges', () => {
    const cases: [number, number][] = [
      [65504, 0x7bff], // largest finite half
      [65519.99, 0x7bff],
      [65520, 0x7c00], // exactly halfway to 65536: ties to even = Inf
      [1e9, 0x7c00],
      [-1e9, 0xfc00],
      [Infinity, 0x7c00],
      [-Infinity, 0xfc00],
      [0, 0x0000],
      [-0, 0x8000],
      [2 ** -24, 0x0001], // smallest subnormal
      [2 ** -25, 0x0000], // halfway between 0 and the smallest subnormal: ties to even = 0
      [2 ** -25 * 1.0001, 0x0001],
      [3 * 2 ** -25, 0x0002], // 1.5 ulp: ties to even = 2
      [5 * 2 ** -25, 0x0002], // 2.5 ulp: ties to even = 2
      [2 ** -14 - 2 ** -25, 0x0400], // halfway between largest subnormal and smallest normal: even = normal
      [2 ** -14, 0x0400],
      [1, 0x3c00],
      [1 + 2 ** -11, 0x3c00], // halfway: even mantissa 0
      [1 + 3 * 2 ** -11, 0x3c02], // halfway between mantissa 1 and 2: even = 2
      [1 + 2 ** -11 + 2 ** -20, 0x3c01],
      [-2, 0xc000],
      [1e-10, 0x0000],
      [-1e-10, 0x8000],
    ];
    for (const [x, want] of cases) expect(bitsOf(x), `${x}`).to.equal(want);
    expect(Number.isNaN(float16ToFloat32(float32ToFloat16(new Float32Array([NaN])))[0])).to.equal(true);
  });

  it('matches an exhaustive-search reference on 300k random float32 bit patterns', () => {
    let seed = 12345;
    const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0);
    const bits = new Uint32Array(300_000);
    for (let i = 0; i < bits.length; i++) {
      // Half the samples uniform over all patterns, half concentrated on the half-precision exponent range.
      const r = rand();
      bits[i] = i % 2 === 0 ? r : (r & 0x807fffff) | (((rand() % 44) + 97) << 23);
    }
    const floats = new Float32Array(bits.buffer);
    const halves = float32ToFloat16(floats);
    let checked = 0;
    for (let i = 0; i < floats.length; i++) {
      if (Number.isNaN(floats[i])) continue;
      const want = referenceHalf(floats[i]);
      if (halves[i] !== want) expect.fail(`float ${floats[i]} (0x${bits[i].toString(16)}): got 0x${halves[i].toString(16)}, want 0x${want.toString(16)}`);
      checked++;
    }
    expect(checked).to.be.greaterThan(290_000);
  });
});
