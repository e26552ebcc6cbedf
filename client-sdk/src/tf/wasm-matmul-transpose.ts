// tfjs-backend-wasm 4.22 multiplies fast (XNNPACK, SIMD) only when neither operand is transposed: with transposeA or
// transposeB set, BatchMatMul takes a plain loop that is ~10x slower. Training hits that on every dense layer —
// the gradient of x·W is xᵀ·dY (transposeA) for the weights and dY·Wᵀ (transposeB) for the inputs — so an
// MLP 784-256-10 at batch 32 spent ~5 ms of its ~14 ms step in one xᵀ·dY (measured, bench/training-speed.ts).
// This wrapper transposes the operand explicitly (wasm Transpose kernel) and calls the shipped kernel untransposed.
// For A·Bᵀ where B is the big operand (a weight matrix) it computes (B·Aᵀ)ᵀ instead, which transposes the two
// small matrices rather than the big one. The arithmetic is the same products summed in the same order per output
// element up to XNNPACK's blocking, so results agree with the shipped kernel to float rounding (tested).
import * as tf from '#tf';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };
type Disposer = { disposeData(dataId: object): void };

interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/** The wasm kernels the wrapper calls: the shipped matmul and transpose, captured before the wrapper replaces it. */
interface Shipped {
  matMul: tf.KernelFunc;
  transpose: tf.KernelFunc;
}

/** Swaps the last two axes (wasm Transpose kernel). */
function swapLastAxes(x: tf.TensorInfo, backend: unknown, shipped: Shipped): tf.TensorInfo {
  const perm = x.shape.map((_, i) => i);
  const r = perm.length;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return shipped.transpose({ inputs: { x }, backend, attrs: { perm } } as never) as tf.TensorInfo;
}

function untransposedMatMul(args: KernelArgs, shipped: Shipped): tf.TensorInfo {
  const attrs = args.attrs as unknown as MatMulAttrs;
  if (!attrs.transposeA && !attrs.transposeB) return shipped.matMul(args as never) as tf.TensorInfo;
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const backend = args.backend as Disposer;
  const temps: tf.TensorInfo[] = [];
  const keep = (t: tf.TensorInfo) => (temps.push(t), t);
  try {
    const rank = (t: tf.TensorInfo) => t.shape.length;
    // A·Bᵀ with a large B: (B·Aᵀ)ᵀ transposes A and the product (m·k + m·n values) instead of B (k·n).
    if (!attrs.transposeA && attrs.transposeB && rank(a) === rank(b)) {
      const [m, k] = a.shape.slice(-2);
      const n = b.shape[rank(b) - 2];
      if (m * k + m * n < k * n) {
        const aT = keep(swapLastAxes(a, args.backend, shipped));
        const product = keep(
          shipped.matMul({ inputs: { a: b, b: aT }, backend: args.backend, attrs: { transposeA: false, transposeB: false } } as never) as tf.TensorInfo,
        );
        return swapLastAxes(product, args.backend, shipped);
      }
    }
    const a2 = attrs.transposeA ? keep(swapLastAxes(a, args.backend, shipped)) : a;
    const b2 = attrs.transposeB ? keep(swapLastAxes(b, args.backend, shipped)) : b;
    return shipped.matMul({ inputs: { a: a2, b: b2 }, backend: args.backend, attrs: { transposeA: false, transposeB: false } } as never) as tf.TensorInfo;
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}

let replaced = false;

/** Replaces the wasm backend's BatchMatMul with the wrapper above (idempotent; call after the backend is ready). */
export function registerWasmMatMulTranspose(): void {
  if (replaced) return;
  const matMul = tf.getKernel('BatchMatMul', 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!matMul || !transpose) throw new Error('the wasm backend has no BatchMatMul or Transpose kernel to wrap');
  const shipped: Shipped = { matMul: matMul.kernelFunc, transpose: transpose.kernelFunc };
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({
    kernelName: 'BatchMatMul',
    backendName: 'wasm',
    kernelFunc: ((args: KernelArgs) => untransposedMatMul(args, shipped)) as unknown as tf.KernelFunc,
    // The shipped setup binds the wasm function the shipped kernel calls, should the backend be initialised again.
    setupFunc: matMul.setupFunc,
  });
  replaced = true;
}
