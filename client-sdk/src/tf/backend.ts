// Picks the fastest TF.js backend that loads here and registers the kernels fedfuse adds to it. Nothing is patched
// when this module is imported: an app calls initBackend() once, before any tensor work.
//   browser: webgpu (when the app registered @tensorflow/tfjs-backend-webgpu and the browser has WebGPU) → webgl →
//            wasm (its .wasm files fetched from `wasmPaths`) → cpu
//   Node:    tensorflow (@tensorflow/tfjs-node, when installed) → wasm → cpu
import * as tf from '#tf';
import { envVar } from '../env-var.js';

export type BackendName = 'webgpu' | 'webgl' | 'tensorflow' | 'wasm' | 'cpu';

export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'webgl', 'tensorflow', 'wasm', 'cpu'];

export interface BackendOptions {
  /** Backends to try, in order (default: see above; in Node, FEDFUSE_BACKEND=name overrides it). */
  order?: readonly BackendName[];
  /**
   * Browser: where the app serves tfjs-backend-wasm's .wasm files (node_modules/@tensorflow/tfjs-backend-wasm/dist/
   * *.wasm), as a URL prefix ending in '/' or a map from file name to URL. Without it TF.js looks next to the page.
   */
  wasmPaths?: string | Record<string, string>;
}

let chosen: BackendName | undefined;

const isBrowser = typeof window !== 'undefined' && typeof document !== 'undefined';

function defaultOrder(): BackendName[] {
  return isBrowser ? ['webgpu', 'webgl', 'wasm', 'cpu'] : ['tensorflow', 'wasm', 'cpu'];
}

function envBackend(): BackendName | undefined {
  const value = envVar('FEDFUSE_BACKEND');
  if (!value) return undefined;
  const name = BACKEND_NAMES.find((n) => n === value);
  if (!name) throw new Error(`FEDFUSE_BACKEND="${value}" is not a TF.js backend fedfuse knows (${BACKEND_NAMES.join(', ')})`);
  return name;
}

async function setIfWorks(name: string): Promise<boolean> {
  try {
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

async function tryNative(): Promise<boolean> {
  try {
    // A variable specifier keeps bundlers and tsc from requiring the optional package.
    const name = '@tensorflow/tfjs-node';
    await import(name);
  } catch {
    return false;
  }
  return setIfWorks('tensorflow');
}

async function tryWasm(wasmPaths: BackendOptions['wasmPaths']): Promise<boolean> {
  try {
    const wasm = await import('#tf-backend-wasm');
    if (wasmPaths !== undefined) wasm.setWasmPaths(wasmPaths);
  } catch {
    return false;
  }
  return setIfWorks('wasm');
}

async function tryWebGpu(): Promise<boolean> {
  // Only when the app imported @tensorflow/tfjs-backend-webgpu (it registers the factory) and the browser has WebGPU.
  const hasGpu = typeof navigator !== 'undefined' && 'gpu' in navigator;
  return hasGpu && tf.findBackendFactory('webgpu') !== null && setIfWorks('webgpu');
}

async function tryBackend(name: BackendName, options: BackendOptions): Promise<boolean> {
  switch (name) {
    case 'tensorflow':
      return tryNative();
    case 'wasm':
      return tryWasm(options.wasmPaths);
    case 'webgpu':
      return tryWebGpu();
    case 'webgl':
      return isBrowser && setIfWorks('webgl');
    case 'cpu':
      return setIfWorks('cpu');
  }
}

/**
 * Initialises the first backend of the order that works and returns its name. Called again, it returns the backend
 * already chosen. A name instead of options tries only that backend.
 */
export async function initBackend(options: BackendName | BackendOptions = {}): Promise<BackendName> {
  if (chosen) return chosen;
  const opts: BackendOptions = typeof options === 'string' ? { order: [options] } : options;
  const forced = envBackend();
  const order = opts.order ?? (forced ? [forced] : defaultOrder());
  for (const name of order) {
    if (!(await tryBackend(name, opts))) continue;
    await tf.ready();
    chosen = name;
    if (name === 'wasm') {
      (await import('./wasm-conv-backprop.js')).registerWasmConvBackprop();
      (await import('./wasm-matmul-transpose.js')).registerWasmMatMulTranspose();
    }
    return name;
  }
  throw new Error(`no TF.js backend could be initialised (tried ${order.join(', ')})`);
}

export function currentBackend(): BackendName | undefined {
  return chosen;
}
