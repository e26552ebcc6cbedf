// The address a client connects from, for the per-address limits (the failed-join backoff). Behind a reverse proxy
// every socket comes from the proxy, so with `trustProxy` (the proxies' IPs or CIDR ranges) the address is taken from
// X-Forwarded-For instead: walking it from the right (each proxy appends the address it saw), the first entry that is
// not a trusted proxy. Entries left of it were written by whoever connected to the proxy, so they are never read; a
// peer that is not a trusted proxy has its X-Forwarded-For ignored altogether (else anyone could pick the address
// they are limited under). Pure, so it is tested without sockets.
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';

const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * One address in a canonical form, so that one client is one key however its address is written: IPv6 compressed and
 * lower-case (2001:DB8:0::7 → 2001:db8::7), IPv4-mapped IPv6 (::ffff:10.0.0.1, ::ffff:a00:1) as plain IPv4.
 */
export function normalizeAddress(address: string): string {
  const mapped = MAPPED_V4.exec(address);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  if (!isIPv6(address)) return address;
  let canonical: string;
  try {
    canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return address.toLowerCase(); // a zone id (fe80::1%eth0): no URL form
  }
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (hexMapped) {
    const [hi, lo] = [parseInt(hexMapped[1], 16), parseInt(hexMapped[2], 16)];
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return canonical;
}

/** An X-Forwarded-For entry as an address: brackets and a port removed ("[::1]:443", "10.0.0.1:80"); undefined if none. */
function forwardedAddress(entry: string): string | undefined {
  let a = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed) a = bracketed[1];
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(':'));
  a = normalizeAddress(a);
  return isIPv4(a) || isIPv6(a) ? a : undefined;
}

/** Why a trustProxy entry is not an IP address or CIDR range, or undefined when it is one. */
export function trustProxyProblem(entry: string): string | undefined {
  return parseEntry(entry) === undefined ? `"${entry}" is not an IP address or CIDR range (e.g. 10.0.0.1, 10.0.0.0/8, fd00::/8)` : undefined;
}

function parseEntry(entry: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const m = /^([^/\s]+)(?:\/(\d{1,3}))?$/.exec(entry.trim());
  if (!m) return undefined;
  const raw = m[1];
  let prefix = m[2] === undefined ? undefined : Number(m[2]);
  const mapped = MAPPED_V4.exec(raw);
  if (mapped && isIPv4(mapped[1])) {
    // ::ffff:10.0.0.0/104 is 10.0.0.0/8: sockets report mapped addresses as plain IPv4 after normalizeAddress.
    if (prefix !== undefined && prefix < 96) return undefined;
    return { address: mapped[1], prefix: prefix === undefined ? 32 : prefix - 96, family: 'ipv4' };
  }
  const family = isIPv4(raw) ? 'ipv4' : isIPv6(raw) ? 'ipv6' : undefined;
  if (family === undefined) return undefined;
  const bits = family === 'ipv4' ? 32 : 128;
  prefix ??= bits;
  if (prefix > bits) return undefined;
  return { address: raw, prefix, family };
}

/** The trusted proxies: a set of addresses and ranges. */
export class TrustedProxies {
  private readonly list = new BlockList();

  /** Throws naming the first entry that is not an IP address or CIDR range. */
  constructor(entries: readonly string[], owner = 'trustProxy') {
    for (const entry of entries) {
      const parsed = parseEntry(entry);
      if (parsed === undefined) throw new Error(`${owner}: ${trustProxyProblem(entry)}`);
      this.list.addSubnet(parsed.address, parsed.prefix, parsed.family);
    }
  }

  has(address: string): boolean {
    const a = normalizeAddress(address);
    if (isIPv4(a)) return this.list.check(a, 'ipv4');
    return isIPv6(a) && this.list.check(a, 'ipv6');
  }
}

/**
 * The client's address: the socket's peer, or (when the peer is a trusted proxy) the right-most X-Forwarded-For
 * entry that is not one. All entries trusted: the left-most. An entry that is not an address ends the walk at the
 * proxy that forwarded it (the chain is broken there; nothing left of it is believed).
 */
export function clientAddress(peer: string, forwardedFor: string | readonly string[] | undefined, trusted: TrustedProxies | undefined): string {
  let address = normalizeAddress(peer);
  if (!trusted || forwardedFor === undefined || !trusted.has(address)) return address;
  const entries = (typeof forwardedFor === 'string' ? [forwardedFor] : forwardedFor).flatMap((h) => h.split(','));
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = forwardedAddress(entries[i]);
    if (entry === undefined) return address;
    address = entry;
    if (!trusted.has(entry)) return entry;
  }
  return address;
}

/** The config file's `trustProxy`: a list of IPs / CIDR ranges, each entry checked (the error names it). */
export const trustProxySchema = z.array(z.string()).superRefine((entries, ctx) => {
  entries.forEach((entry, i) => {
    const problem = trustProxyProblem(entry);
    if (problem) ctx.addIssue({ code: 'custom', path: [i], message: problem });
  });
});
