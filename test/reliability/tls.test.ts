import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { FederatedClient, type LocalData } from '@fedfuse/client';
import { disposeData, mnistSlice, quietServer, silent, TOKENS } from '../federation/helpers.js';
import { RawPeer } from './raw-peer.js';

interface Pem {
  key: string;
  cert: string;
}

/** A fresh self-signed certificate for 127.0.0.1 (SAN IP, which Node's hostname check needs), or undefined without openssl. */
function selfSigned(dir: string, name: string): Pem | undefined {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
      { stdio: 'pipe' },
    );
  } catch (e) {
    console.warn(`    !! TLS tests SKIPPED: could not run openssl to make a self-signed certificate: ${(e as Error).message}`);
    return undefined;
  }
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
}

describe('TLS: https/wss socket server with a self-signed certificate on loopback', function () {
  this.timeout(60_000);
  let dir: string;
  let server: Pem | undefined;
  let other: Pem | undefined;
  let alice: LocalData;
  let bob: LocalData;

  before(async function () {
    dir = mkdtempSync(join(tmpdir(), 'fedfuse-tls-'));
    server = selfSigned(dir, 'server');
    other = server && selfSigned(dir, 'other');
    if (!server || !other) return this.skip();
    await initBackend();
    alice = await mnistSlice(0, 200);
    bob = await mnistSlice(200, 200);
  });
  after(() => {
    if (alice) disposeData(alice, bob);
    rmSync(dir, { recursive: true, force: true });
  });

  it('SDK clients that trust the certificate complete a federation over https', async () => {
    const { server: fed } = quietServer({ rounds: 1, tls: { key: server!.key, cert: server!.cert } });
    const { url } = await fed.start();
    expect(url).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
    const clients = [
      new FederatedClient({ serverUrl: url, clientId: 'alice', token: TOKENS.alice, data: alice, logger: silent, tls: { ca: server!.cert } }),
      new FederatedClient({ serverUrl: url, clientId: 'bob', token: TOKENS.bob, data: bob, logger: silent, tls: { ca: server!.cert } }),
    ];
    try {
      await Promise.all(clients.map((c) => c.start()));
      const [summary] = await fed.finished();
      expect(summary.participants).to.deep.equal(['alice', 'bob']);
      expect(summary.bytesReceived).to.be.greaterThan(0);
    } finally {
      await Promise.all(clients.map((c) => c.stop()));
      await fed.stop();
    }
  });

  it('refuses peers that do not trust it, and plain-http peers', async () => {
    const { server: fed } = quietServer({ rounds: 1, tls: { key: server!.key, cert: server!.cert } });
    const { url, port } = await fed.start();
    const peers: RawPeer[] = [];
    try {
      const untrusting = new RawPeer(url);
      const wrongCa = new RawPeer(url, { ca: other!.cert });
      const plain = new RawPeer(`http://127.0.0.1:${port}`);
      peers.push(untrusting, wrongCa, plain);
      for (const p of [untrusting, wrongCa]) {
        const err = await p.connected().then(
          () => undefined,
          (e: Error) => e,
        );
        expect(err, 'a peer without the certificate must not connect').to.be.instanceOf(Error);
      }
      const plainErr = await plain.connected().then(
        () => undefined,
        (e: Error) => e,
      );
      expect(plainErr, 'a plain ws:// peer must not connect to the TLS server').to.be.instanceOf(Error);

      // The testing escape hatch still works, and a trusted raw peer joins normally.
      const insecure = new RawPeer(url, { rejectUnauthorized: false });
      const trusted = new RawPeer(url, { ca: server!.cert });
      peers.push(insecure, trusted);
      expect((await trusted.join('alice', TOKENS.alice)).body).to.equal('welcome');
      expect((await insecure.join('bob', TOKENS.bob)).body).to.equal('welcome');
      expect(fed.connectedClients).to.deep.equal(['alice', 'bob']);
    } finally {
      for (const p of peers) p.close();
      await fed.stop();
    }
  });

  it('rejects a tls option without a key or certificate', () => {
    expect(() => quietServer({ rounds: 1, tls: { key: '', cert: server!.cert } })).to.throw(/tls needs both key and cert/);
  });
});
