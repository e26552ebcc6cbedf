// Entropic optimal transport (Cuturi 2013) by Sinkhorn iterations, in the log domain so that small
// regularisation (near-exact plans) does not underflow: the potentials f, g are updated with log-sum-exp.

export interface SinkhornOptions {
  /** Regularisation as a fraction of the largest cost entry (scale-free); smaller = closer to exact OT. */
  epsilon?: number;
  maxIterations?: number;
  /** Stop when every marginal of the plan is within this (absolute) of the requested one. */
  tolerance?: number;
}

export interface SinkhornResult {
  /** Row-major rows × cols plan; row sums ≈ a, column sums ≈ b. */
  plan: Float64Array;
  iterations: number;
  /** Largest absolute marginal violation of the returned plan. */
  marginalError: number;
  converged: boolean;
}

function checkMarginal(m: Float64Array, n: number, name: string): void {
  if (m.length !== n) throw new Error(`Sinkhorn: marginal ${name} has ${m.length} entries, expected ${n}`);
  let total = 0;
  for (const x of m) {
    if (!(x > 0) || !Number.isFinite(x)) throw new Error(`Sinkhorn: marginal ${name} must be positive and finite, got ${x}`);
    total += x;
  }
  if (Math.abs(total - 1) > 1e-6) throw new Error(`Sinkhorn: marginal ${name} must sum to 1, sums to ${total}`);
}

export function uniformMarginal(n: number): Float64Array {
  return new Float64Array(n).fill(1 / n);
}

/** Entropic OT plan between marginals a (rows) and b (columns) for a row-major rows × cols cost. */
export function sinkhorn(
  cost: Float64Array,
  rows: number,
  cols: number,
  a: Float64Array = uniformMarginal(rows),
  b: Float64Array = uniformMarginal(cols),
  options: SinkhornOptions = {},
): SinkhornResult {
  const epsilon = options.epsilon ?? 0.01;
  const maxIterations = options.maxIterations ?? 2000;
  const tolerance = options.tolerance ?? 1e-9;
  if (!(epsilon > 0)) throw new Error(`Sinkhorn: epsilon must be positive, got ${epsilon}`);
  if (cost.length !== rows * cols) throw new Error(`Sinkhorn: cost has ${cost.length} entries, expected ${rows}x${cols}`);
  checkMarginal(a, rows, 'a');
  checkMarginal(b, cols, 'b');
  let maxCost = 0;
  for (const c of cost) {
    if (!Number.isFinite(c)) throw new Error('Sinkhorn: cost has a non-finite entry');
    maxCost = Math.max(maxCost, Math.abs(c));
  }
  const reg = epsilon * (maxCost > 0 ? maxCost : 1);
  // Work with K = −C/reg; potentials f, g in the same scaled units.
  const K = new Float64Array(cost.length);
  for (let k = 0; k < cost.length; k++) K[k] = -cost[k] / reg;
  const logA = Float64Array.from(a, Math.log);
  const logB = Float64Array.from(b, Math.log);
  const f = new Float64Array(rows);
  const g = new Float64Array(cols);
  const colMax = new Float64Array(cols);
  const colSum = new Float64Array(cols);

  const updateF = () => {
    for (let i = 0; i < rows; i++) {
      const r = i * cols;
      let max = -Infinity;
      for (let j = 0; j < cols; j++) max = Math.max(max, K[r + j] + g[j]);
      let s = 0;
      for (let j = 0; j < cols; j++) s += Math.exp(K[r + j] + g[j] - max);
      f[i] = logA[i] - max - Math.log(s);
    }
  };
  const updateG = () => {
    // Column-wise log-sum-exp, traversing rows for contiguous memory access.
    colMax.fill(-Infinity);
    for (let i = 0; i < rows; i++) {
      const r = i * cols;
      for (let j = 0; j < cols; j++) colMax[j] = Math.max(colMax[j], K[r + j] + f[i]);
    }
    colSum.fill(0);
    for (let i = 0; i < rows; i++) {
      const r = i * cols;
      for (let j = 0; j < cols; j++) colSum[j] += Math.exp(K[r + j] + f[i] - colMax[j]);
    }
    for (let j = 0; j < cols; j++) g[j] = logB[j] - colMax[j] - Math.log(colSum[j]);
  };
  // After a g-update the column marginals are exact, so only the row marginals need checking.
  const rowError = () => {
    let err = 0;
    for (let i = 0; i < rows; i++) {
      const r = i * cols;
      let s = 0;
      for (let j = 0; j < cols; j++) s += Math.exp(K[r + j] + f[i] + g[j]);
      err = Math.max(err, Math.abs(s - a[i]));
    }
    return err;
  };

  let iterations = 0;
  let error = Infinity;
  while (iterations < maxIterations) {
    updateF();
    updateG();
    iterations++;
    if (iterations % 10 === 0 || iterations === maxIterations) {
      error = rowError();
      if (error <= tolerance) break;
    }
  }
  const plan = new Float64Array(cost.length);
  const colCheck = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const r = i * cols;
    for (let j = 0; j < cols; j++) {
      const p = Math.exp(K[r + j] + f[i] + g[j]);
      plan[r + j] = p;
      colCheck[j] += p;
    }
  }
  error = rowError();
  for (let j = 0; j < cols; j++) error = Math.max(error, Math.abs(colCheck[j] - b[j]));
  return { plan, iterations, marginalError: error, converged: error <= tolerance };
}
