import { expect } from 'chai';
import { parseServerConfig } from '../../server/config.js';
import { TokenRegistry, tokenDigest } from '../../server/auth/token-registry.js';

const minimal = {
  rounds: 3,
  tokens: { alice: 'alice-secret-token', bob: { sha256: tokenDigest('bob-secret-token') } },
  model: { kind: 'mlp', widths: [784, 32, 10] },
};

describe('server config', () => {
  it('fills defaults', () => {
    const c = parseServerConfig(minimal);
    expect(c.host).to.equal('127.0.0.1');
    expect(c.maxMessageBytes).to.equal(256 * 1024 * 1024);
    expect(c.strategy).to.deep.equal({ name: 'neuron-interpolation', options: {} });
    expect(c.training.optimizer).to.equal('sgd');
    expect(c.clientsPerRound).to.equal(1);
  });

  it('names the offending field', () => {
    expect(() => parseServerConfig({ ...minimal, training: { batchSize: -1 } })).to.throw(/training\.batchSize/);
    expect(() => parseServerConfig({ ...minimal, clientsPerRound: 2.5 })).to.throw(/clientsPerRound: must be a fraction/);
    expect(() => parseServerConfig({ ...minimal, tokens: { a: { sha256: 'xyz' } } })).to.throw(/tokens\.a/);
    expect(() => parseServerConfig({ ...minimal, rounds: undefined })).to.throw(/rounds/);
    expect(() => parseServerConfig({ ...minimal, roundz: 3 }, 'server.yaml')).to.throw(/server\.yaml is invalid[\s\S]*roundz/);
    expect(() => parseServerConfig({ ...minimal, tokens: { ['x'.repeat(257)]: 'a-long-enough-token' } })).to.throw(
      /tokens: client id "x{24}…" has 257 characters; client ids are at most 256/,
    );
    expect(() => parseServerConfig({ ...minimal, maxProtocolErrors: 0 })).to.throw(/maxProtocolErrors/);
    expect(parseServerConfig({ ...minimal, maxProtocolErrors: 5 }).maxProtocolErrors).to.equal(5);
    expect(() => parseServerConfig({ ...minimal, checkpointKeyFile: 'key' })).to.throw(/checkpointKeyFile: goes with checkpointDir/);
    expect(() => parseServerConfig({ ...minimal, cluster: { nodeId: 'a', sentinel: { sentinels: ['h:1'], masterName: 'm' }, minReplicasAcked: 1.5 } })).to.throw(
      /cluster\.minReplicasAcked/,
    );
    expect(parseServerConfig({ ...minimal, cluster: { nodeId: 'a', sentinel: { sentinels: ['h:1'], masterName: 'm' } } }).cluster?.minReplicasAcked).to.equal(1);
    // Issue 23: the federation-wide client cap and the trusted proxies.
    const cluster = { nodeId: 'a', redis: 'redis://127.0.0.1:6379' };
    expect(parseServerConfig({ ...minimal, cluster: { ...cluster, maxClients: 12_000 } }).cluster?.maxClients).to.equal(12_000);
    expect(() => parseServerConfig({ ...minimal, cluster: { ...cluster, maxClients: 0 } })).to.throw(/cluster\.maxClients/);
    expect(() => parseServerConfig({ ...minimal, trustProxy: ['10.0.0.1', 'lb'] })).to.throw(/trustProxy\.1: "lb" is not an IP address or CIDR range/);
  });
});

describe('TokenRegistry', () => {
  const registry = new TokenRegistry(minimal.tokens);

  it('accepts a client with its own token, plain or hashed', () => {
    expect(registry.verify('alice', 'alice-secret-token')).to.deep.equal({ ok: true });
    expect(registry.verify('bob', 'bob-secret-token')).to.deep.equal({ ok: true });
  });

  it('rejects wrong tokens, other clients’ tokens and unknown ids with a clear reason', () => {
    for (const [id, token] of [
      ['alice', 'wrong'],
      ['alice', 'bob-secret-token'],
      ['mallory', 'alice-secret-token'],
      ['alice', ''],
    ]) {
      const r = registry.verify(id, token);
      expect(r.ok).to.equal(false);
      expect(!r.ok && r.reason).to.equal(`authentication failed for client "${id}": unknown client id or wrong token`);
    }
  });

  it('rejects malformed registries', () => {
    expect(() => new TokenRegistry({ a: '' })).to.throw(/empty token/);
    expect(() => new TokenRegistry({ a: { sha256: 'abc' } })).to.throw(/64 hex/);
  });
});
