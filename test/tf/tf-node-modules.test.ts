// `#tf` (the SDK's package.json "imports"): in Node it must be the very TF.js instance @tensorflow/tfjs is, with every
// export, and the generated CommonJS files behind it must match the installed TF.js.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import * as viaHash from '@fedfuse/client/internal/tf/tfjs.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

describe('#tf in Node', () => {
  it('exports every name of @tensorflow/tfjs, each the same object (one engine, one backend registry)', () => {
    const tf = require('@tensorflow/tfjs') as Record<string, unknown>;
    const names = Object.keys(tf).filter((k) => k !== 'default' && k !== '__esModule');
    expect(names.length).to.be.greaterThan(400);
    const hash = viaHash as unknown as Record<string, unknown>;
    const differing = names.filter((k) => hash[k] !== tf[k]);
    expect(differing).to.deep.equal([]);
    expect(viaHash.engine()).to.equal((tf.engine as () => unknown)());
  });

  it('its generated CommonJS files match the installed TF.js (node scripts/generate-tf-node.mjs --check)', async () => {
    const { stderr } = await run(process.execPath, ['scripts/generate-tf-node.mjs', '--check'], { cwd: 'client-sdk' });
    expect(stderr).to.equal('');
  });
});
