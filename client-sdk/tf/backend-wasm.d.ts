// Types of `#tf-backend-wasm` (package.json "imports").
export * from '@tensorflow/tfjs-backend-wasm';
