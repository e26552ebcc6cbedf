// Unfolds convolution input patches into rows (im2col), so a Conv2D level's least-squares fit is an ordinary dense
// fit: one row per (probe, output position), one column per (kernel row, kernel column, input channel) — the
// row-major order of a TF.js kernel [kh, kw, inChannels, outChannels] — plus an optional bias column of ones.
// Matches TF.js conv2d semantics (NHWC, 'valid' / 'same' padding, strides, dilations).
import { mat, type Mat } from './matrix-products.js';

export interface ConvGeometry {
  kernelSize: [number, number];
  strides: [number, number];
  dilation: [number, number];
  padding: 'valid' | 'same';
}

export interface ConvOutput {
  outHeight: number;
  outWidth: number;
  padTop: number;
  padLeft: number;
}

function axis(size: number, kernel: number, stride: number, dilation: number, padding: 'valid' | 'same') {
  const span = (kernel - 1) * dilation + 1;
  if (padding === 'same') {
    const out = Math.ceil(size / stride);
    const total = Math.max((out - 1) * stride + span - size, 0);
    return { out, before: Math.floor(total / 2) };
  }
  const out = Math.floor((size - span) / stride) + 1;
  if (out < 1) throw new Error(`conv: kernel span ${span} does not fit input size ${size} with 'valid' padding`);
  return { out, before: 0 };
}

export function convOutputSize(height: number, width: number, g: ConvGeometry): ConvOutput {
  const h = axis(height, g.kernelSize[0], g.strides[0], g.dilation[0], g.padding);
  const w = axis(width, g.kernelSize[1], g.strides[1], g.dilation[1], g.padding);
  return { outHeight: h.out, outWidth: w.out, padTop: h.before, padLeft: w.before };
}

/**
 * @param input NHWC values of shape [n, height, width, channels].
 * @returns (n·outH·outW) × (kh·kw·channels [+1]) design matrix in float64.
 */
export function im2col(input: Float32Array, shape: readonly number[], g: ConvGeometry, withBias: boolean): Mat {
  if (shape.length !== 4) throw new Error(`im2col expects a 4-D NHWC input, got shape [${shape.join(', ')}]`);
  const [n, height, width, channels] = shape;
  if (input.length !== n * height * width * channels) {
    throw new Error(`im2col: ${input.length} values do not match shape [${shape.join(', ')}]`);
  }
  const { outHeight, outWidth, padTop, padLeft } = convOutputSize(height, width, g);
  const [kh, kw] = g.kernelSize;
  const [sh, sw] = g.strides;
  const [dh, dw] = g.dilation;
  const cols = kh * kw * channels + (withBias ? 1 : 0);
  const rows = n * outHeight * outWidth;
  const out = new Float64Array(rows * cols);
  let r = 0;
  for (let b = 0; b < n; b++) {
    const ib = b * height * width * channels;
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const o = r * cols;
        for (let i = 0; i < kh; i++) {
          const y = oy * sh + i * dh - padTop;
          if (y < 0 || y >= height) continue; // zero padding: row slice stays 0
          for (let j = 0; j < kw; j++) {
            const x = ox * sw + j * dw - padLeft;
            if (x < 0 || x >= width) continue;
            const src = ib + (y * width + x) * channels;
            const dst = o + (i * kw + j) * channels;
            for (let c = 0; c < channels; c++) out[dst + c] = input[src + c];
          }
        }
        if (withBias) out[o + cols - 1] = 1;
        r++;
      }
    }
  }
  return mat(rows, cols, out);
}

/** Dense design matrix: the input rows plus an optional bias column of ones, in float64. */
export function denseDesign(input: Float32Array, rows: number, cols: number, withBias: boolean): Mat {
  if (input.length !== rows * cols) throw new Error(`dense design: ${input.length} values do not match ${rows}x${cols}`);
  const width = cols + (withBias ? 1 : 0);
  const out = new Float64Array(rows * width);
  for (let r = 0; r < rows; r++) {
    const o = r * width;
    const s = r * cols;
    for (let c = 0; c < cols; c++) out[o + c] = input[s + c];
    if (withBias) out[o + cols] = 1;
  }
  return mat(rows, width, out);
}
