import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const GENERATED = ['fedfuse.js', 'fedfuse.d.ts'];

describe('generated protobuf code', () => {
  let tmp = '';
  after(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('is what `npm run proto:gen` produces from proto/fedfuse.proto (regenerate if this fails)', function () {
    this.timeout(60_000);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const script = pkg.scripts['proto:gen'];
    expect(script, 'package.json has a proto:gen script').to.be.a('string');
    expect(script).to.include('client-sdk/src/proto/generated/');
    // The very same commands, writing into a temp dir instead of proto/generated/.
    tmp = mkdtempSync(join(tmpdir(), 'fedfuse-proto-'));
    const redirected = script.replaceAll('client-sdk/src/proto/generated/', `${tmp}/`);
    execFileSync('sh', ['-c', redirected], {
      cwd: ROOT,
      env: { ...process.env, PATH: `${join(ROOT, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}` },
      stdio: 'pipe',
    });
    for (const file of GENERATED) {
      const fresh = readFileSync(join(tmp, file));
      const committed = readFileSync(join(ROOT, 'client-sdk', 'src', 'proto', 'generated', file));
      expect(fresh.equals(committed), `generated/${file} is stale: run npm run proto:gen`).to.equal(true);
    }
  });
});
