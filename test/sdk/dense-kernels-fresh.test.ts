import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const COMMITTED = join(ROOT, 'client-sdk', 'src', 'training', 'generated', 'dense-kernels-wasm.ts');

describe('generated dense-kernel wasm', () => {
  let tmp = '';
  after(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('is what `npm run wasm:gen` builds from client-sdk/assembly/dense-kernels.ts (regenerate if this fails)', function () {
    this.timeout(120_000);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['wasm:gen']).to.equal('node client-sdk/scripts/gen-dense-kernels.mjs');
    tmp = mkdtempSync(join(tmpdir(), 'fedfuse-kernels-'));
    const fresh = join(tmp, 'dense-kernels-wasm.ts');
    execFileSync(process.execPath, ['client-sdk/scripts/gen-dense-kernels.mjs', fresh], { cwd: ROOT, stdio: 'pipe' });
    expect(readFileSync(fresh, 'utf8') === readFileSync(COMMITTED, 'utf8'), 'generated/dense-kernels-wasm.ts is stale: run npm run wasm:gen').to.equal(true);
  });
});
