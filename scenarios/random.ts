// A small seeded PRNG for data partitioning: reproducible splits from a scenario's seed (Math.random cannot be seeded).
// Core generator is mulberry32 (32-bit state, passes the usual statistical batteries well enough for shuffling and
// sampling proportions); the seed is first scrambled with splitmix32 so nearby seeds (1, 2, 3) give unrelated streams.

function splitmix32(seed: number): number {
  let z = (seed + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

export class Random {
  private state: number;
  /** Second normal deviate of the last polar-method pair, used on the next call. */
  private spareNormal: number | undefined;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`Random: seed must be a finite number, got ${seed}`);
    this.state = splitmix32(Math.trunc(seed) >>> 0);
  }

  /** Uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`Random.int: n must be a positive integer, got ${n}`);
    return Math.floor(this.next() * n);
  }

  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<A extends { length: number; [i: number]: unknown }>(items: A): A {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): number[] {
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }

  /** Standard normal deviate (Marsaglia polar method). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const v = this.spareNormal;
      this.spareNormal = undefined;
      return v;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return u * f;
  }

  /** Gamma(shape, 1) deviate by Marsaglia–Tsang; shapes below 1 use the boost Gamma(a+1)·U^(1/a). */
  gamma(alpha: number): number {
    if (!(alpha > 0) || !Number.isFinite(alpha)) throw new Error(`Random.gamma: shape must be positive, got ${alpha}`);
    if (alpha < 1) {
      // 1 - next() is in (0, 1], so the power never hits log(0).
      return this.gamma(alpha + 1) * Math.pow(1 - this.next(), 1 / alpha);
    }
    const d = alpha - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - this.next();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** A point on the simplex ~ Dirichlet(alphas), from normalised Gamma draws. */
  dirichlet(alphas: readonly number[]): number[] {
    if (alphas.length === 0) throw new Error('Random.dirichlet: needs at least one concentration parameter');
    const draws = alphas.map((a) => this.gamma(a));
    const total = draws.reduce((s, g) => s + g, 0);
    if (total === 0) {
      // Every draw underflowed (tiny alphas): all mass on one uniformly chosen component, the limit of Dir(α→0).
      const out = alphas.map(() => 0);
      out[this.int(alphas.length)] = 1;
      return out;
    }
    return draws.map((g) => g / total);
  }
}

/** Convenience constructor. */
export function createRandom(seed: number): Random {
  return new Random(seed);
}
