// Picks the fastest TF.js backend that loads here: native TensorFlow (tfjs-node, optional dependency),
// then WebAssembly (SIMD), then plain JS. Every process calls initBackend() once before any tensor work.
import * as tf from '@tensorflow/tfjs';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

let chosen: BackendName | undefined;

async function tryNative(): Promise<boolean> {
  try {
    // A variable specifier keeps bundlers and tsc from requiring the optional package.
    const name = '@tensorflow/tfjs-node';
    await import(name);
    return await tf.setBackend('tensorflow');
  } catch {
    return false;
  }
}

async function tryWasm(): Promise<boolean> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}

/** Initialise the best available backend, or the one named in FEDFUSE_BACKEND / `preferred`. */
export async function initBackend(preferred?: BackendName): Promise<BackendName> {
  if (chosen) return chosen;
  // globalThis.process: this module also runs in browsers, where there is no process.
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const wanted = preferred ?? (env?.FEDFUSE_BACKEND as BackendName | undefined);
  const order: BackendName[] = wanted ? [wanted] : ['tensorflow', 'wasm', 'cpu'];
  for (const name of order) {
    const ok =
      name === 'tensorflow' ? await tryNative() : name === 'wasm' ? await tryWasm() : await tf.setBackend('cpu');
    if (ok) {
      await tf.ready();
      chosen = name;
      if (name === 'wasm') await import('./wasm-conv-backprop.js').then((m) => m.registerWasmConvBackprop());
      return name;
    }
  }
  throw new Error(`no TF.js backend could be initialised (tried ${order.join(', ')})`);
}

export function currentBackend(): BackendName | undefined {
  return chosen;
}
