// Installs fedfuse as a user would and runs a real federation with it: both packages `npm pack`ed, installed into
// fresh apps outside the repository (from npm's cache; no tsx, no repo paths, no tfjs-node), a `fedfuse serve` from
// the server package, two Node clients built from examples/node-client and a headless Chromium running the bundled
// examples/browser page. Every client must end with the server's final model, and that model must be accurate.
import { expect } from 'chai';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findChromium, launchHeadlessChromium, type HeadlessChromium } from '../../scenarios/report/png.js';

const execFileAsync = promisify(execFile);
const REPO = process.cwd();
const TOKENS = { alice: 'alice-install-token-1', bob: 'bob-install-token-22', carol: 'carol-install-token-3' };

interface ClientResult {
  event: string;
  clientId: string;
  backend?: string;
  accuracy?: number;
  weightsSha256?: string;
  error?: string;
}

/** Runs a command to completion; its output is kept for the failure message. */
async function sh(cwd: string, command: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_loglevel: 'error' } });
    return stdout;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) failed: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
  }
}

/** npm install from the cache: the tarballs' dependencies were all fetched by the repository's own `npm ci`. */
function npmInstall(cwd: string, specs: string[] = []): Promise<string> {
  return sh(cwd, 'npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-save', ...specs]);
}

/** A child process whose output is collected; `line(re)` waits for a line of stdout matching `re`. */
class Proc {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(cwd: string, args: string[]) {
    this.child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (b: Buffer) => (this.stdout += b.toString()));
    this.child.stderr!.on('data', (b: Buffer) => (this.stderr += b.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  async match(re: RegExp, what: string, timeoutMs = 60_000): Promise<RegExpExecArray> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const hit = re.exec(this.stdout);
      if (hit) return hit;
      if (this.child.exitCode !== null || Date.now() > until) {
        throw new Error(`${what}: not seen (exit ${this.child.exitCode})\nstdout:\n${this.stdout.slice(-3000)}\nstderr:\n${this.stderr.slice(-3000)}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

/** Copies an example app and points its @fedfuse/client dependency at the packed tarball. */
async function exampleApp(name: string, into: string, clientTarball: string): Promise<string> {
  const dir = join(into, name);
  await cp(join(REPO, 'examples', name), dir, {
    recursive: true,
    filter: (src) => !/node_modules|[/\\]dist$|bundle\.js$|[/\\]wasm$|package-lock\.json$/.test(src),
  });
  const pkgPath = join(dir, 'package.json');
  const pkg = JSON.parse(await readFile(pkgPath, 'utf8')) as { dependencies: Record<string, string> };
  pkg.dependencies['@fedfuse/client'] = `file:${clientTarball}`;
  await writeFile(pkgPath, JSON.stringify(pkg, null, 2));
  return dir;
}

describe('installed like a user: packed packages, fedfuse serve, Node and browser clients', function () {
  this.timeout(300_000);
  let work: string;
  const procs: Proc[] = [];
  let chromium: HeadlessChromium | undefined;

  before(async function () {
    for (const built of ['dist/cli/main.js', 'client-sdk/dist/index.js']) {
      if (!existsSync(join(REPO, built))) throw new Error(`${built} is missing: run npm run build first (npm test does)`);
    }
    work = await mkdtemp(join(tmpdir(), 'fedfuse-install-'));
  });
  after(async () => {
    procs.forEach((p) => p.kill());
    await chromium?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('runs a 2-round neuron-interpolation federation of 2 Node clients and 1 Chromium tab to an accurate final model on all of them', async function () {
    const packs = join(work, 'packs');
    await mkdir(packs);
    // --ignore-scripts: pack what `npm run build` wrote, exactly the files a registry would get.
    await sh(REPO, 'npm', ['pack', '--ignore-scripts', '-w', '@fedfuse/client', '--pack-destination', packs]);
    await sh(REPO, 'npm', ['pack', '--ignore-scripts', '--pack-destination', packs]);
    const clientTarball = join(packs, 'fedfuse-client-0.1.0.tgz');
    const serverTarball = join(packs, 'fedfuse-0.1.0.tgz');

    const serverApp = join(work, 'server-app');
    await mkdir(serverApp);
    await writeFile(join(serverApp, 'package.json'), JSON.stringify({ name: 'server-app', private: true, type: 'module' }));
    const nodeApp = await exampleApp('node-client', work, clientTarball);
    const browserApp = await exampleApp('browser', work, clientTarball);
    await Promise.all([npmInstall(serverApp, [serverTarball, clientTarball]), npmInstall(nodeApp), npmInstall(browserApp)]);
    for (const app of [serverApp, nodeApp, browserApp]) {
      expect(existsSync(join(app, 'node_modules', 'tsx')), `${app} has no tsx`).to.equal(false);
      expect(existsSync(join(app, 'node_modules', '@tensorflow', 'tfjs-node')), `${app} has no tfjs-node`).to.equal(false);
    }
    // ...though both packages tell npm users it is supported: an optional peer dependency.
    for (const installed of [join(serverApp, 'node_modules', 'fedfuse'), join(nodeApp, 'node_modules', '@fedfuse', 'client')]) {
      const manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as {
        peerDependencies?: Record<string, string>;
        peerDependenciesMeta?: Record<string, { optional?: boolean }>;
      };
      expect(manifest.peerDependencies?.['@tensorflow/tfjs-node'], `${installed} declares tfjs-node as a peer`).to.be.a('string');
      expect(manifest.peerDependenciesMeta?.['@tensorflow/tfjs-node']?.optional, `${installed}: tfjs-node is optional`).to.equal(true);
    }
    // One TF.js in each client app: the SDK's is the app's own (a peer dependency).
    expect(existsSync(join(nodeApp, 'node_modules', '@fedfuse', 'client', 'node_modules', '@tensorflow'))).to.equal(false);
    await Promise.all([sh(nodeApp, 'npm', ['run', 'build']), sh(browserApp, 'npm', ['run', 'build'])]);

    // The server package is a library too.
    expect(await sh(serverApp, process.execPath, ['-e', "import('fedfuse').then((m) => console.log(typeof m.FederationServer, typeof m.createStrategy))"])).to.equal('function function\n');

    // Data as a user makes it: the CLI's export, shared by the server (probe, evaluation) and the clients.
    const fedfuse = join(serverApp, 'node_modules', 'fedfuse', 'bin', 'fedfuse.js');
    const data = join(serverApp, 'data');
    await sh(serverApp, process.execPath, [fedfuse, 'data', 'export', 'mnist', '--probe', '100', '--test', '500', '--train', '900', '--out', data]);
    await cp(data, join(browserApp, 'www', 'data'), { recursive: true });

    await writeFile(
      join(serverApp, 'server.yaml'),
      [
        'port: 0',
        'rounds: 2',
        'minClients: 3',
        'roundDeadlineSeconds: 120',
        `tokens: { alice: "${TOKENS.alice}", bob: "${TOKENS.bob}", carol: "${TOKENS.carol}" }`,
        'model: { kind: mlp, widths: [784, 32, 10] }',
        'strategy: { name: neuron-interpolation }',
        'training: { localEpochs: 3, batchSize: 32, learningRate: 0.05 }',
      ].join('\n'),
    );
    const server = new Proc(serverApp, [
      fedfuse, 'serve', '--config', 'server.yaml', '--probe', 'data/probe-x.npy', '--probe-labels', 'data/probe-y.npy',
      '--eval-x', 'data/test-x.npy', '--eval-y', 'data/test-y.npy', '--out', 'results',
    ]);
    procs.push(server);
    const url = (await server.match(/serving on (http:\/\/\S+)/, 'serve prints its url'))[1];

    const nodeClients = (['alice', 'bob'] as const).map((id, i) => {
      const p = new Proc(nodeApp, ['dist/client.js', '--server', url, '--id', id, '--token', TOKENS[id], '--data', data, '--part', `${i + 1}/3`]);
      procs.push(p);
      return p;
    });

    if (!findChromium()) {
      console.warn('\n  !!! SKIPPING the browser client of the install test: no Chromium found (apt-get install -y chromium) !!!\n');
      this.skip();
    }
    const pages = new Proc(browserApp, ['serve.mjs', 'www', '0']);
    procs.push(pages);
    const site = (await pages.match(/on (http:\/\/\S+)/, 'the page server prints its url'))[1];
    chromium = await launchHeadlessChromium();
    const page = await chromium.context.newPage();
    const query = new URLSearchParams({ server: url, id: 'carol', token: TOKENS.carol, data: 'data/', part: '3/3' });
    await page.goto(`${site}index.html?${query}`);
    await page.waitForFunction(() => 'fedfuseResult' in window, undefined, { timeout: 240_000 });
    const browserResult = (await page.evaluate(() => (window as unknown as { fedfuseResult: unknown }).fedfuseResult)) as ClientResult;
    expect(browserResult.event, `${browserResult.error ?? ''} ${await page.textContent('#log')}`).to.equal('finished');

    const nodeResults: ClientResult[] = [];
    for (const p of nodeClients) {
      nodeResults.push(JSON.parse((await p.match(/^\{"event":"finished".*\}$/m, 'a Node client reports the final model', 240_000))[0]) as ClientResult);
      expect(await p.exited).to.equal(0);
    }
    expect(await server.exited, server.stderr).to.equal(0);

    // Every client holds exactly the final model the server wrote, and it classifies held-out digits well.
    const finalWeights = await readFile(join(serverApp, 'results', 'model', 'weights.bin'));
    const serverSha = createHash('sha256').update(finalWeights).digest('hex');
    for (const r of [...nodeResults, browserResult]) {
      expect(r.weightsSha256, r.clientId).to.equal(serverSha);
      expect(r.accuracy!, r.clientId).to.be.greaterThan(0.75);
    }
    const results = JSON.parse(await readFile(join(serverApp, 'results', 'results.json'), 'utf8')) as { rounds: { round: number; participants: number; accuracy: number }[] };
    expect(results.rounds.map((r) => [r.round, r.participants])).to.deep.equal([[1, 3], [2, 3]]);
    expect(results.rounds[1].accuracy).to.be.greaterThan(0.75);
    expect(server.stdout).to.match(/round\s+clients\s+late\s+rejected\s+test acc/);
    console.log(`      browser backend: ${browserResult.backend}; final accuracy ${results.rounds[1].accuracy}`);
  });
});
