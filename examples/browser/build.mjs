// Bundles src/main.ts for the browser (one ES module, minified) into www/, with the .wasm files of the wasm backend
// beside it in www/wasm/ (initBackend is told to fetch them from there), and prints the bundle's size.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
await build({
  entryPoints: ['src/main.ts'],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  outfile: 'www/bundle.js',
  logLevel: 'warning',
});

// The wasm backend's binaries, as tfjs-backend-wasm ships them (served by the app; never fetched from elsewhere).
const wasmDist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
mkdirSync('www/wasm', { recursive: true });
for (const file of readdirSync(wasmDist).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(wasmDist, file), join('www/wasm', file));

const bundle = readFileSync('www/bundle.js');
console.log(`www/bundle.js: ${(bundle.length / 1024).toFixed(0)} KiB minified, ${(gzipSync(bundle).length / 1024).toFixed(0)} KiB gzipped`);
