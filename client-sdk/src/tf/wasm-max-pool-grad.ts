// A correct MaxPoolGrad for the wasm backend. tfjs-backend-wasm 4.22's own kernel sends the gradient of a window
// whose values are ALL negative to the window's first element instead of its maximum: it starts its running max at
// FLT_MIN, the smallest POSITIVE float, not −∞ (its MaxPoolWithArgmax returns 1.18e-38 for such windows — same bug;
// no layer uses that op, so it is left alone). ReLU → max-pool nets never see that, but a max pool after a linear
// conv, or before the activation, trains with wrong gradients — and attribution methods that differentiate through
// pooling (conductance, DeepLIFT) come out wrong. Replaced with a plain loop: like the cpu backend, the first strict
// maximum of each window (row-major) gets the window's gradient.
import * as tf from '#tf';
import type { BackendWasm } from '#tf-backend-wasm';

interface MaxPoolGradAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function maxPoolGradWasm(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const attrs = args.attrs as unknown as MaxPoolGradAttrs;
  if (input.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new Error(`MaxPoolGrad (wasm): input and dy must be float32, got ${input.dtype} and ${dy.dtype}`);
  }
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { strideHeight: sh, strideWidth: sw, effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const x = backend.readSync(input.dataId) as Float32Array;
  const g = backend.readSync(dy.dataId) as Float32Array;
  const dx = new Float32Array(x.length);
  const best = new Float64Array(C);
  const where = new Int32Array(C);
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < OH; oy++) {
      const yFrom = Math.max(0, oy * sh - top);
      const yTo = Math.min(H, oy * sh - top + fh);
      for (let ox = 0; ox < OW; ox++) {
        const xFrom = Math.max(0, ox * sw - left);
        const xTo = Math.min(W, ox * sw - left + fw);
        best.fill(-Infinity);
        where.fill(-1);
        for (let iy = yFrom; iy < yTo; iy++) {
          const row = (b * H + iy) * W;
          for (let ix = xFrom; ix < xTo; ix++) {
            const base = (row + ix) * C;
            for (let c = 0; c < C; c++) {
              const v = x[base + c];
              if (v > best[c]) {
                best[c] = v;
                where[c] = base + c;
              }
            }
          }
        }
        const out = ((b * OH + oy) * OW + ox) * C;
        for (let c = 0; c < C; c++) if (where[c] >= 0) dx[where[c]] += g[out + c];
      }
    }
  }
  return backend.makeOutput(input.shape, 'float32', undefined, dx);
}

let replaced = false;

/** Replaces the wasm backend's MaxPoolGrad kernel with the correct one above (idempotent). */
export function registerWasmMaxPoolGrad(): void {
  if (replaced) return;
  if (tf.getKernel('MaxPoolGrad', 'wasm')) tf.unregisterKernel('MaxPoolGrad', 'wasm');
  tf.registerKernel({ kernelName: 'MaxPoolGrad', backendName: 'wasm', kernelFunc: maxPoolGradWasm as unknown as tf.KernelFunc });
  replaced = true;
}
