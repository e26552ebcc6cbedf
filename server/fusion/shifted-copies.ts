// Shifted copies of probe images, for the least-squares fit only. A 784-input MLP level fitted on ~320 probe rows is
// under-determined (more weights per neuron than rows), so most of its weights come from the prior, not the data;
// an image moved by a pixel is a new input direction whose label and meaning are unchanged, and the parents'
// pre-activations on it are as exact as on the original (the server runs the parents itself).
import * as tf from '@fedfuse/client/internal/tf/tfjs.js';

export interface ImageShape {
  height: number;
  width: number;
  channels: number;
}

/** The (dy, dx) offsets within `pixels` of the original, original excluded, in a fixed order. */
export function shiftOffsets(pixels: number): [number, number][] {
  if (!(Number.isInteger(pixels) && pixels >= 1)) throw new Error(`shift pixels must be an integer ≥ 1, got ${pixels}`);
  const out: [number, number][] = [];
  for (let dy = -pixels; dy <= pixels; dy++) for (let dx = -pixels; dx <= pixels; dx++) if (dy !== 0 || dx !== 0) out.push([dy, dx]);
  return out;
}

/**
 * Each row of `x` (rows × height·width·channels, channels last) followed by its copies moved by each offset, so the
 * copies of one source row are consecutive (held-out ridge selection keeps them in one fold). Pixels moved in from
 * outside take the nearest edge pixel's value: in normalised images the border is the background, whose value is
 * not 0.
 */
export function shiftedCopies(x: Float32Array, rows: number, image: ImageShape, offsets: readonly [number, number][]): Float32Array {
  const { height, width, channels } = image;
  const size = height * width * channels;
  if (x.length !== rows * size) {
    throw new Error(`shifted copies: ${x.length} values are not ${rows} images of ${height}×${width}×${channels}`);
  }
  const copies = offsets.length + 1;
  const out = new Float32Array(rows * copies * size);
  for (let r = 0; r < rows; r++) {
    const src = x.subarray(r * size, (r + 1) * size);
    out.set(src, r * copies * size);
    offsets.forEach(([dy, dx], k) => {
      const base = (r * copies + k + 1) * size;
      for (let i = 0; i < height; i++) {
        const si = Math.min(height - 1, Math.max(0, i - dy));
        for (let j = 0; j < width; j++) {
          const sj = Math.min(width - 1, Math.max(0, j - dx));
          const o = base + (i * width + j) * channels;
          const s = (si * width + sj) * channels;
          for (let c = 0; c < channels; c++) out[o + c] = src[s + c];
        }
      }
    });
  }
  return out;
}

/**
 * Fit inputs [rows, ...] each followed by its copies moved by up to `pixels` pixels, and their labels repeated.
 * Inputs shaped [rows, height, width, channels] are images as they are; flat ones need `imageShape`. The caller
 * disposes the returned tensor.
 */
export function withShiftedCopies(
  x: tf.Tensor,
  labels: Int32Array | undefined,
  opts: { pixels: number; imageShape?: readonly [number, number, number] },
): { x: tf.Tensor; labels: Int32Array | undefined; copies: number } {
  const [rows, ...inner] = x.shape;
  const [height, width, channels] = inner.length === 3 ? inner : (opts.imageShape ?? []);
  const features = inner.reduce((a, b) => a * b, 1);
  if (height === undefined || width === undefined || channels === undefined || height * width * channels !== features) {
    throw new Error(
      `fitShifts: probe inputs of shape [${inner.join(', ')}] are not images; ` +
        `give fitShifts.imageShape [height, width, channels] with ${features} values`,
    );
  }
  const offsets = shiftOffsets(opts.pixels);
  const copies = offsets.length + 1;
  const values = shiftedCopies(x.dataSync() as Float32Array, rows, { height, width, channels }, offsets);
  return {
    x: tf.tensor(values, [rows * copies, ...inner]),
    labels: labels ? Int32Array.from({ length: rows * copies }, (_, i) => labels[Math.floor(i / copies)]) : undefined,
    copies,
  };
}
