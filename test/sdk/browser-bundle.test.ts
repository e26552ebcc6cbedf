import { expect } from 'chai';
// esbuild comes with tsx (already a dependency); it is the quickest real check that the SDK bundles for a browser.
import { build } from 'esbuild';

describe('client SDK bundle', function () {
  this.timeout(60_000);

  it('bundles for the browser without server/ code or Node built-ins', async () => {
    const result = await build({
      entryPoints: ['client-sdk/src/index.ts'],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    expect(result.errors).to.deep.equal([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).to.include('client-sdk/src/federated-client.ts');
    expect(inputs.filter((i) => i.startsWith('server/'))).to.deep.equal([]);
    // Built-ins reached only through TF.js's browser field show up as "(disabled):..."; anything else would break.
    expect(inputs.filter((i) => i.startsWith('node:'))).to.deep.equal([]);
  });
});
