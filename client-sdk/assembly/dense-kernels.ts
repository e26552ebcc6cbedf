// AssemblyScript source of the wasm SIMD kernels behind the SDK's fused training step for dense networks
// (client-sdk/src/training/fused-dense.ts says when and why it is used). `npm run wasm:gen` compiles this file and
// embeds the binary in client-sdk/src/training/generated/dense-kernels-wasm.ts; a test checks that file is fresh.
//
// Every pointer is a byte offset into the module's memory, every matrix float32 and row-major. The caller owns the
// memory layout (this module allocates nothing): it grows the memory once and places its buffers after the first page.
//
// Why hand-written: measured on the MLP 784-256-10 at batch 32, TF.js on its wasm backend spends ~3 ms of a ~7 ms
// step in its engine (tape, tidy, ~75 kernel calls) and re-packs the weights for XNNPACK on every forward pass, while
// the products themselves take ~1 ms. These kernels run a 32x784x256 product at ~15 GMAC/s on one thread, the speed
// of the wasm backend's own XNNPACK product with pre-packed weights (bench/training-speed.ts).

/**
 * C[m,n] = A·B, or C += A·B when `accumulate`. B is [k,n]. A's element (i, p) is at a + 4·(i·rowStride + p·colStride),
 * so the same kernel multiplies a stored [m,k] matrix (rowStride k, colStride 1) and the transpose of a stored [k,m]
 * one (rowStride 1, colStride m) without transposing it.
 * Blocks of 4 rows × 8 columns keep 8 accumulators in registers; each step of p loads 8 floats of B once for 4 rows.
 */
export function matmul(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, rowStride: i32, colStride: i32, accumulate: bool): void {
  const n8 = n & ~7;
  const bStep = <usize>n << 2;
  const aStep = <usize>colStride << 2;
  const aRow = <usize>rowStride << 2;
  const cRow = <usize>n << 2;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a0 = a + <usize>i * aRow;
    const a1 = a0 + aRow;
    const a2 = a1 + aRow;
    const a3 = a2 + aRow;
    const c0 = c + <usize>i * cRow;
    const c1 = c0 + cRow;
    const c2 = c1 + cRow;
    const c3 = c2 + cRow;
    for (let j = 0; j < n8; j += 8) {
      const jo = <usize>j << 2;
      let s00 = f32x4.splat(0);
      let s01 = f32x4.splat(0);
      let s10 = f32x4.splat(0);
      let s11 = f32x4.splat(0);
      let s20 = f32x4.splat(0);
      let s21 = f32x4.splat(0);
      let s30 = f32x4.splat(0);
      let s31 = f32x4.splat(0);
      if (accumulate) {
        s00 = v128.load(c0 + jo);
        s01 = v128.load(c0 + jo, 16);
        s10 = v128.load(c1 + jo);
        s11 = v128.load(c1 + jo, 16);
        s20 = v128.load(c2 + jo);
        s21 = v128.load(c2 + jo, 16);
        s30 = v128.load(c3 + jo);
        s31 = v128.load(c3 + jo, 16);
      }
      let bp = b + jo;
      let ap: usize = 0;
      for (let p = 0; p < k; p++) {
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        const x0 = v128.load32_splat(a0 + ap);
        const x1 = v128.load32_splat(a1 + ap);
        const x2 = v128.load32_splat(a2 + ap);
        const x3 = v128.load32_splat(a3 + ap);
        s00 = f32x4.add(s00, f32x4.mul(x0, b0));
        s01 = f32x4.add(s01, f32x4.mul(x0, b1));
        s10 = f32x4.add(s10, f32x4.mul(x1, b0));
        s11 = f32x4.add(s11, f32x4.mul(x1, b1));
        s20 = f32x4.add(s20, f32x4.mul(x2, b0));
        s21 = f32x4.add(s21, f32x4.mul(x2, b1));
        s30 = f32x4.add(s30, f32x4.mul(x3, b0));
        s31 = f32x4.add(s31, f32x4.mul(x3, b1));
        bp += bStep;
        ap += aStep;
      }
      v128.store(c0 + jo, s00);
      v128.store(c0 + jo, s01, 16);
      v128.store(c1 + jo, s10);
      v128.store(c1 + jo, s11, 16);
      v128.store(c2 + jo, s20);
      v128.store(c2 + jo, s21, 16);
      v128.store(c3 + jo, s30);
      v128.store(c3 + jo, s31, 16);
    }
    if (n8 < n) {
      for (let r = 0; r < 4; r++) tailColumns(a + <usize>(i + r) * aRow, b, c + <usize>(i + r) * cRow, k, n, n8, aStep, accumulate);
    }
  }
  // Rows left over when m is not a multiple of 4: one row at a time.
  for (; i < m; i++) {
    const ar = a + <usize>i * aRow;
    const cr = c + <usize>i * cRow;
    for (let j = 0; j < n8; j += 8) {
      const jo = <usize>j << 2;
      let s0 = accumulate ? v128.load(cr + jo) : f32x4.splat(0);
      let s1 = accumulate ? v128.load(cr + jo, 16) : f32x4.splat(0);
      let bp = b + jo;
      let ap: usize = 0;
      for (let p = 0; p < k; p++) {
        const x = v128.load32_splat(ar + ap);
        s0 = f32x4.add(s0, f32x4.mul(x, v128.load(bp)));
        s1 = f32x4.add(s1, f32x4.mul(x, v128.load(bp, 16)));
        bp += bStep;
        ap += aStep;
      }
      v128.store(cr + jo, s0);
      v128.store(cr + jo, s1, 16);
    }
    tailColumns(ar, b, cr, k, n, n8, aStep, accumulate);
  }
}

/** Columns [from, n) of one output row, scalar (n not a multiple of 8, e.g. a 10-class output). */
function tailColumns(ar: usize, b: usize, cr: usize, k: i32, n: i32, from: i32, aStep: usize, accumulate: bool): void {
  for (let j = from; j < n; j++) {
    let s: f32 = accumulate ? load<f32>(cr + (<usize>j << 2)) : 0;
    let bp = b + (<usize>j << 2);
    let ap: usize = 0;
    for (let p = 0; p < k; p++) {
      s += load<f32>(ar + ap) * load<f32>(bp);
      bp += <usize>n << 2;
      ap += aStep;
    }
    store<f32>(cr + (<usize>j << 2), s);
  }
}

/** C[m,n] = A[m,k]·Bᵀ with B stored [n,k]: dot products of rows (the gradient of a layer's input, dY·Wᵀ). */
export function matmulTransposedB(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32): void {
  const k4 = k & ~3;
  for (let i = 0; i < m; i++) {
    const ar = a + (<usize>(i * k) << 2);
    for (let j = 0; j < n; j++) {
      const br = b + (<usize>(j * k) << 2);
      let s = f32x4.splat(0);
      for (let p = 0; p < k4; p += 4) s = f32x4.add(s, f32x4.mul(v128.load(ar + (<usize>p << 2)), v128.load(br + (<usize>p << 2))));
      let t: f32 = f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
      for (let p = k4; p < k; p++) t += load<f32>(ar + (<usize>p << 2)) * load<f32>(br + (<usize>p << 2));
      store<f32>(c + (<usize>(i * n + j) << 2), t);
    }
  }
}

/** g += mu·(w − anchor): the gradient of FedProx's proximal term (mu/2)·‖w − anchor‖². */
export function addProximal(g: usize, w: usize, anchor: usize, count: i32, mu: f32): void {
  const vmu = f32x4.splat(mu);
  const count4 = count & ~3;
  let o: usize = 0;
  const end4 = <usize>count4 << 2;
  for (; o < end4; o += 16) {
    v128.store(g + o, f32x4.add(v128.load(g + o), f32x4.mul(vmu, f32x4.sub(v128.load(w + o), v128.load(anchor + o)))));
  }
  for (let i = count4; i < count; i++) {
    const q = <usize>i << 2;
    store<f32>(g + q, load<f32>(g + q) + mu * (load<f32>(w + q) - load<f32>(anchor + q)));
  }
}

/** Plain SGD, as tf.train.sgd: w += (−lr)·g. */
export function sgdStep(w: usize, g: usize, count: i32, learningRate: f32): void {
  const c = f32x4.splat(-learningRate);
  const count4 = count & ~3;
  const end4 = <usize>count4 << 2;
  for (let o: usize = 0; o < end4; o += 16) v128.store(w + o, f32x4.add(f32x4.mul(c, v128.load(g + o)), v128.load(w + o)));
  for (let i = count4; i < count; i++) {
    const q = <usize>i << 2;
    store<f32>(w + q, -learningRate * load<f32>(g + q) + load<f32>(w + q));
  }
}

/**
 * Adam, as tf.train.adam computes it: m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², then
 * w ← (m / (1−β1ᵗ)) / (√(v / (1−β2ᵗ)) + ε) · (−lr) + w. `correction1` and `correction2` are 1−β1ᵗ and 1−β2ᵗ.
 */
export function adamStep(
  w: usize, g: usize, m: usize, v: usize, count: i32,
  learningRate: f32, beta1: f32, beta2: f32, epsilon: f32, correction1: f32, correction2: f32,
): void {
  const vb1 = f32x4.splat(beta1);
  const vb1c = f32x4.splat(1 - beta1);
  const vb2 = f32x4.splat(beta2);
  const vb2c = f32x4.splat(1 - beta2);
  const vc1 = f32x4.splat(correction1);
  const vc2 = f32x4.splat(correction2);
  const veps = f32x4.splat(epsilon);
  const vlr = f32x4.splat(-learningRate);
  const count4 = count & ~3;
  const end4 = <usize>count4 << 2;
  for (let o: usize = 0; o < end4; o += 16) {
    const gv = v128.load(g + o);
    const mv = f32x4.add(f32x4.mul(v128.load(m + o), vb1), f32x4.mul(gv, vb1c));
    const vv = f32x4.add(f32x4.mul(v128.load(v + o), vb2), f32x4.mul(f32x4.mul(gv, gv), vb2c));
    v128.store(m + o, mv);
    v128.store(v + o, vv);
    const step = f32x4.div(f32x4.div(mv, vc1), f32x4.add(f32x4.sqrt(f32x4.div(vv, vc2)), veps));
    v128.store(w + o, f32x4.add(f32x4.mul(step, vlr), v128.load(w + o)));
  }
  for (let i = count4; i < count; i++) {
    const q = <usize>i << 2;
    const gs = load<f32>(g + q);
    const ms = load<f32>(m + q) * beta1 + gs * (1 - beta1);
    const vs = load<f32>(v + q) * beta2 + gs * gs * (1 - beta2);
    store<f32>(m + q, ms);
    store<f32>(v + q, vs);
    store<f32>(w + q, (ms / correction1) / (Mathf.sqrt(vs / correction2) + epsilon) * -learningRate + load<f32>(w + q));
  }
}
