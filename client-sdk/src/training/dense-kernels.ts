// Loads the wasm SIMD kernels of client-sdk/assembly/dense-kernels.ts (embedded, base64) in Node and browsers.
// The module is compiled once; each training run gets its own instance and memory, so clients that train
// interleaved in one process (they yield between batches) never share buffers.
import { DENSE_KERNELS_WASM_BASE64 } from './generated/dense-kernels-wasm.js';

/** The kernels' exports; pointers are byte offsets into `memory` (see the AssemblyScript source for each). */
export interface DenseKernels {
  memory: WebAssembly.Memory;
  matmul(a: number, b: number, c: number, m: number, k: number, n: number, rowStride: number, colStride: number, accumulate: number): void;
  matmulTransposedB(a: number, b: number, c: number, m: number, k: number, n: number): void;
  addProximal(g: number, w: number, anchor: number, count: number, mu: number): void;
  sgdStep(w: number, g: number, count: number, learningRate: number): void;
  adamStep(
    w: number, g: number, m: number, v: number, count: number,
    learningRate: number, beta1: number, beta2: number, epsilon: number, correction1: number, correction2: number,
  ): void;
}

/** Bytes the kernels' own static data may use: buffers start after the first page. */
export const KERNEL_RESERVED_BYTES = 65536;

const WASM_PAGE = 65536;

let compiled: Promise<WebAssembly.Module | undefined> | undefined;

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The compiled module, or undefined where this runtime has no WebAssembly or no wasm SIMD (e.g. Safari < 16.4). */
function compiledKernels(): Promise<WebAssembly.Module | undefined> {
  compiled ??= (async () => {
    if (typeof WebAssembly === 'undefined') return undefined;
    const bytes = decodeBase64(DENSE_KERNELS_WASM_BASE64);
    if (!WebAssembly.validate(bytes)) return undefined;
    return WebAssembly.compile(bytes);
  })();
  return compiled;
}

/**
 * A fresh instance whose memory holds at least `bytes` after the reserved first page, or undefined where the
 * kernels cannot run here.
 */
export async function instantiateDenseKernels(bytes: number): Promise<DenseKernels | undefined> {
  const module = await compiledKernels();
  if (!module) return undefined;
  const instance = await WebAssembly.instantiate(module, {}); // compiled with --runtime stub: no imports
  const kernels = instance.exports as unknown as DenseKernels;
  const needed = Math.ceil((KERNEL_RESERVED_BYTES + bytes) / WASM_PAGE);
  const have = kernels.memory.buffer.byteLength / WASM_PAGE;
  if (needed > have) kernels.memory.grow(needed - have);
  return kernels;
}
