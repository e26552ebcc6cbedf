// IEEE 754 binary16 <-> binary32 conversion, used to halve upload size (TrainingConfig.half_precision).
// Hand-written bit twiddling: there is no Float16Array in Node 20, and per-element Math calls are ~10x slower.

/** One float32 (given as its bits) to half bits, rounding to nearest, ties to even. */
function halfBitsFromFloatBits(x: number): number {
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;

  if (exp === 0xff) {
    // Inf stays Inf; NaN stays a (quiet) NaN with the top payload bits kept.
    return mant === 0 ? sign | 0x7c00 : sign | 0x7e00 | (mant >>> 13);
  }
  const halfExp = exp - 127 + 15;
  if (halfExp >= 0x1f) return sign | 0x7c00; // overflow -> Inf
  if (halfExp <= 0) {
    // Subnormal half (or zero): shift the mantissa with its implicit 1 into place, then round.
    if (halfExp < -10) return sign; // below half the smallest subnormal: rounds to +-0
    const m = mant | 0x800000;
    const shift = 14 - halfExp; // 14..24
    let h = m >>> shift;
    const rem = m & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rem > halfway || (rem === halfway && (h & 1) === 1)) h += 1;
    return sign | h; // a carry into the exponent field yields the smallest normal, which is correct
  }
  let h = (halfExp << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1) === 1)) h += 1; // carry may round up to Inf: correct
  return sign | h;
}

function floatBitsFromHalfBits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0x1f) return sign | 0x7f800000 | (mant << 13);
  if (exp !== 0) return sign | ((exp - 15 + 127) << 23) | (mant << 13);
  if (mant === 0) return sign;
  // Subnormal half: normalise into a float32 normal.
  let e = -14;
  let m = mant;
  while ((m & 0x400) === 0) {
    m <<= 1;
    e -= 1;
  }
  return sign | ((e + 127) << 23) | ((m & 0x3ff) << 13);
}

export function float32ToFloat16(values: Float32Array): Uint16Array {
  // A Float32Array is always 4-byte aligned, so its bits can be read in place.
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < bits.length; i++) out[i] = halfBitsFromFloatBits(bits[i]);
  return out;
}

export function float16ToFloat32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  const outBits = new Uint32Array(out.buffer);
  for (let i = 0; i < bits.length; i++) outBits[i] = floatBitsFromHalfBits(bits[i]) >>> 0;
  return out;
}

/** True when half bits encode Inf or NaN (exponent all ones). */
export function isNonFiniteHalf(h: number): boolean {
  return (h & 0x7c00) === 0x7c00;
}
