// Interpolation points α ∈ [0, 1] along the straight path baseline → input, as Captum chooses them.
// Layer conductance evaluates the model at n_steps + 1 such points and sums gradient × (change of the layer output)
// between consecutive points, so only the points matter, not the quadrature weights.

export type Quadrature = 'gauss-legendre' | 'riemann-trapezoid';

/** Nodes of n-point Gauss–Legendre quadrature on [-1, 1], ascending (as numpy's leggauss), by Newton's method. */
export function legendreNodes(n: number): number[] {
  if (!Number.isInteger(n) || n < 1) throw new Error(`Gauss-Legendre needs a positive integer number of points, got ${n}`);
  const nodes = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    // Tricomi's initial guess for the i-th largest root, then Newton on P_n.
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      // Now p1 = P_n(x) and p0 = P_{n-1}(x) (also for n = 1: x and 1).
      const derivative = (n * (x * p1 - p0)) / (x * x - 1);
      const dx = p1 / derivative;
      x -= dx;
      if (Math.abs(dx) < 1e-15) break;
    }
    nodes[n - 1 - i] = x;
  }
  return nodes;
}

/**
 * The `points` interpolation coefficients Captum uses for a method: 'gauss-legendre' (Captum's default) maps the
 * Legendre nodes to (0, 1), so the path starts slightly after the baseline and ends slightly before the input;
 * 'riemann-trapezoid' is evenly spaced including both ends (0 and 1).
 */
export function interpolationAlphas(points: number, method: Quadrature): number[] {
  if (!Number.isInteger(points) || points < 2) throw new Error(`need at least 2 interpolation points, got ${points}`);
  if (method === 'riemann-trapezoid') return Array.from({ length: points }, (_, i) => i / (points - 1));
  if (method === 'gauss-legendre') return legendreNodes(points).map((x) => 0.5 * (1 + x));
  throw new Error(`unknown quadrature '${String(method)}' (use gauss-legendre or riemann-trapezoid)`);
}
