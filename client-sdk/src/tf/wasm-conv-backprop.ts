// The wasm backend (tfjs-backend-wasm 4.22) has every kernel a small conv net needs for training — Conv2D,
// Conv2DBackpropInput, MaxPoolGrad, AvgPoolGrad — except Conv2DBackpropFilter, the gradient of a convolution with
// respect to its filter. Without it, training any conv model on wasm throws. We add it here:
//
//   dW[r, c, ci, co] = Σ_{b, y, x} X[b, y·sh + r − top, x·sw + c − left, ci] · dY[b, y, x, co]
//
// computed as a transposed im2col (a hand-written loop over typed arrays: a JS copy, no arithmetic) followed by ONE
// matrix product colᵀ · dY on the wasm backend's own BatchMatMul kernel (SIMD) — the part that is actually
// expensive. Batches are split into chunks so the im2col buffer stays bounded.
import * as tf from '#tf';
import type { BackendWasm } from '#tf-backend-wasm';
import { registerWasmMaxPoolGrad } from './wasm-max-pool-grad.js';

/** Upper bound on im2col buffer size (floats) per chunk: 8M floats = 32 MB. */
const MAX_COLUMN_FLOATS = 8 * 1024 * 1024;

type PadAttr = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

interface BackpropFilterAttrs {
  strides: [number, number] | number;
  pad: PadAttr;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/** Geometry of one conv; index helpers abstract over NHWC / NCHW. */
interface Geometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  fh: number;
  fw: number;
  sh: number;
  sw: number;
  top: number;
  left: number;
  channelsLast: boolean;
}

/**
 * The TRANSPOSED im2col matrix of examples [b0, b1): row k = (r, c, ci) — the order of the filter's first three
 * axes, so colᵀ·dY reshapes straight into [fh, fw, inC, outC] — and one column per output position (b, y, x).
 * Built transposed because wasm's BatchMatMul is ~20x slower with transposeA than on a pre-transposed operand.
 */
function im2colTransposed(xv: Float32Array, g: Geometry, b0: number, b1: number): Float32Array {
  const M = (b1 - b0) * g.outH * g.outW;
  const colT = new Float32Array(g.fh * g.fw * g.inC * M); // zero-filled: padding stays 0
  // Strides of x along (b, y, x, c) for either layout.
  const [sb, sy, sx, sc] = g.channelsLast
    ? [g.inH * g.inW * g.inC, g.inW * g.inC, g.inC, 1]
    : [g.inC * g.inH * g.inW, g.inW, 1, g.inH * g.inW];
  let k = 0;
  for (let r = 0; r < g.fh; r++) {
    for (let c = 0; c < g.fw; c++) {
      // Output columns whose window touches the input at this (r, c): x·sw + c − left within [0, inW).
      const xMin = Math.max(0, Math.ceil((g.left - c) / g.sw));
      const xMax = Math.min(g.outW, Math.floor((g.inW - 1 + g.left - c) / g.sw) + 1);
      for (let ci = 0; ci < g.inC; ci++, k++) {
        const rowBase = k * M;
        let m = 0;
        for (let b = b0; b < b1; b++) {
          for (let y = 0; y < g.outH; y++, m += g.outW) {
            const iy = y * g.sh + r - g.top;
            if (iy < 0 || iy >= g.inH) continue;
            const src = b * sb + iy * sy + ci * sc + (c - g.left) * sx;
            const step = g.sw * sx;
            for (let x = xMin; x < xMax; x++) colT[rowBase + m + x] = xv[src + x * step];
          }
        }
      }
    }
  }
  return colT;
}

/** dY rows of examples [b0, b1) as an [outputs, outC] matrix (NHWC already is; NCHW needs a transpose). */
function dyRows(dyv: Float32Array, g: Geometry, b0: number, b1: number): Float32Array {
  const per = g.outH * g.outW * g.outC;
  if (g.channelsLast) return dyv.slice(b0 * per, b1 * per);
  const plane = g.outH * g.outW;
  const out = new Float32Array((b1 - b0) * per);
  for (let b = b0; b < b1; b++) {
    for (let co = 0; co < g.outC; co++) {
      const src = (b * g.outC + co) * plane;
      for (let p = 0; p < plane; p++) out[((b - b0) * plane + p) * g.outC + co] = dyv[src + p];
    }
  }
  return out;
}

function conv2dBackpropFilterWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as BackpropFilterAttrs;
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new Error(`Conv2DBackpropFilter (wasm): x and dy must be float32, got ${x.dtype} and ${dy.dtype}`);
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1, // the filter gradient is only defined for dilation 1 in TF.js
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
  const g: Geometry = {
    batch: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    fh: info.filterHeight,
    fw: info.filterWidth,
    sh: info.strideHeight,
    sw: info.strideWidth,
    top: info.padInfo.top,
    left: info.padInfo.left,
    channelsLast: info.dataFormat === 'channelsLast',
  };
  const K = g.fh * g.fw * g.inC;
  const positions = g.outH * g.outW;
  // Copies (readSync) rather than heap views: allocating kernel outputs may grow wasm memory and detach views.
  const xv = backend.readSync(x.dataId) as Float32Array;
  const dyv = backend.readSync(dy.dataId) as Float32Array;
  const matMul = tf.getKernel('BatchMatMul', 'wasm');
  if (!matMul) throw new Error('Conv2DBackpropFilter (wasm): the wasm backend has no BatchMatMul kernel');

  const chunk = Math.max(1, Math.floor(MAX_COLUMN_FLOATS / Math.max(1, positions * K)));
  const acc = new Float32Array(K * g.outC);
  for (let b0 = 0; b0 < g.batch; b0 += chunk) {
    const b1 = Math.min(g.batch, b0 + chunk);
    const M = (b1 - b0) * positions;
    const colT = backend.makeOutput([1, K, M], 'float32', undefined, im2colTransposed(xv, g, b0, b1));
    const rows = backend.makeOutput([1, M, g.outC], 'float32', undefined, dyRows(dyv, g, b0, b1));
    const prod = matMul.kernelFunc({
      inputs: { a: colT, b: rows },
      backend,
      attrs: { transposeA: false, transposeB: false },
    }) as tf.TensorInfo;
    const part = backend.readSync(prod.dataId) as Float32Array;
    for (let i = 0; i < acc.length; i++) acc[i] += part[i];
    backend.disposeData(colT.dataId);
    backend.disposeData(rows.dataId);
    backend.disposeData(prod.dataId);
  }
  return backend.makeOutput([g.fh, g.fw, g.inC, g.outC], 'float32', undefined, acc);
}

/**
 * Makes conv nets trainable on the 'wasm' backend (idempotent): registers Conv2DBackpropFilter, and replaces the
 * shipped MaxPoolGrad, which is wrong for all-negative windows (see wasm-max-pool-grad.ts). The other kernels
 * conv training needs — Conv2DBackpropInput, AvgPoolGrad — ship with tfjs-backend-wasm 4.22 and are correct.
 */
export function registerWasmConvBackprop(): void {
  registerWasmMaxPoolGrad();
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: conv2dBackpropFilterWasm as unknown as tf.KernelFunc,
  });
}
