// Issue 23: the client address behind trusted reverse proxies (server/transport/client-address.ts).
import { expect } from 'chai';
import { clientAddress, normalizeAddress, TrustedProxies, trustProxyProblem } from '../../server/transport/client-address.js';
import { parseServerConfig } from '../../server/config.js';
import { MLP, quietServer } from '../federation/helpers.js';

describe('client address: trustProxy and X-Forwarded-For', () => {
  const proxies = new TrustedProxies(['127.0.0.1', '10.0.0.0/8', 'fd00::/8', '::ffff:192.168.0.0/112']);

  it('matches addresses and ranges, IPv4, IPv6 and IPv4-mapped IPv6 alike', () => {
    expect(proxies.has('127.0.0.1')).to.equal(true);
    expect(proxies.has('::ffff:127.0.0.1')).to.equal(true);
    expect(proxies.has('::FFFF:10.200.3.4')).to.equal(true);
    expect(proxies.has('fd12:3456::1')).to.equal(true);
    expect(proxies.has('192.168.7.9')).to.equal(true); // the mapped range entry
    expect(proxies.has('127.0.0.2')).to.equal(false);
    expect(proxies.has('fe80::1')).to.equal(false);
    expect(proxies.has('::1')).to.equal(false);
    expect(proxies.has('not an address')).to.equal(false);
    expect(normalizeAddress('::ffff:127.0.0.1')).to.equal('127.0.0.1');
    expect(normalizeAddress('FD00::A')).to.equal('fd00::a');
    expect(normalizeAddress('2001:DB8:0:0::7')).to.equal('2001:db8::7');
    expect(normalizeAddress('::ffff:7f00:1')).to.equal('127.0.0.1');
    expect(normalizeAddress('::1')).to.equal('::1');
  });

  it('from a trusted proxy: the right-most X-Forwarded-For entry that is not a trusted proxy', () => {
    expect(clientAddress('::ffff:127.0.0.1', '203.0.113.7', proxies)).to.equal('203.0.113.7');
    // What the client wrote itself (left of what the proxies appended) is never read.
    expect(clientAddress('127.0.0.1', '6.6.6.6, 203.0.113.7, 10.1.1.1', proxies)).to.equal('203.0.113.7');
    expect(clientAddress('127.0.0.1', ['6.6.6.6, 203.0.113.7', '10.1.1.1'], proxies)).to.equal('203.0.113.7');
    expect(clientAddress('fd00::5', '2001:DB8::9, fd00::7', proxies)).to.equal('2001:db8::9');
    expect(clientAddress('127.0.0.1', '::ffff:198.51.100.4', proxies)).to.equal('198.51.100.4');
    expect(clientAddress('127.0.0.1', '[2001:db8::1]:4711', proxies)).to.equal('2001:db8::1');
    expect(clientAddress('127.0.0.1', '198.51.100.4:4711', proxies)).to.equal('198.51.100.4');
    // Every hop trusted: the left-most. A hop that is not an address: the proxy that forwarded it.
    expect(clientAddress('127.0.0.1', '10.0.0.9, 10.0.0.8', proxies)).to.equal('10.0.0.9');
    expect(clientAddress('127.0.0.1', 'evil, 10.0.0.8', proxies)).to.equal('10.0.0.8');
    expect(clientAddress('127.0.0.1', 'garbage', proxies)).to.equal('127.0.0.1');
    expect(clientAddress('127.0.0.1', undefined, proxies)).to.equal('127.0.0.1');
  });

  it('from anyone else, or without trustProxy: the peer address, whatever X-Forwarded-For says', () => {
    expect(clientAddress('127.0.0.2', '203.0.113.7', proxies)).to.equal('127.0.0.2');
    expect(clientAddress('::ffff:127.0.0.2', '203.0.113.7', proxies)).to.equal('127.0.0.2');
    expect(clientAddress('127.0.0.1', '203.0.113.7', undefined)).to.equal('127.0.0.1');
  });

  it('an entry that is not an IP address or CIDR range is a config error naming it', () => {
    for (const bad of ['10.0.0.0/33', 'fd00::/129', 'proxy.example.com', '10.0.0.1/', '::ffff:10.0.0.0/90', '']) {
      expect(trustProxyProblem(bad), bad).to.include(`"${bad}" is not an IP address or CIDR range`);
      expect(() => new TrustedProxies(['127.0.0.1', bad])).to.throw(`trustProxy: "${bad}" is not an IP address or CIDR range`);
    }
    expect(() => quietServer({ rounds: 1, trustProxy: ['10.0.0.1', 'lb.internal'] })).to.throw(/FederationServer option trustProxy: "lb.internal" is not an IP address/);
    const base = { rounds: 1, tokens: { a: 'aaaaaaaa' }, model: MLP };
    expect(parseServerConfig({ ...base, trustProxy: ['10.0.0.0/8', '::1'] }).trustProxy).to.deep.equal(['10.0.0.0/8', '::1']);
    expect(() => parseServerConfig({ ...base, trustProxy: ['10.0.0.0/8', '300.1.1.1'] })).to.throw(/trustProxy\.1: "300\.1\.1\.1" is not an IP address or CIDR range/);
  });
});
