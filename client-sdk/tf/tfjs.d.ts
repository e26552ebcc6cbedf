// Types of `#tf` (package.json "imports"): @tensorflow/tfjs, which tfjs-node.cjs loads in Node.
export * from '@tensorflow/tfjs';
