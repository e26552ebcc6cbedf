// TF.js as fedfuse loads it, for code outside this package: `#tf` (package.json "imports"), which in Node loads TF.js's
// core and layers with require instead of making Node's ES module loader scan its bundles (scripts/generate-tf-node.mjs).
export * from '#tf';
