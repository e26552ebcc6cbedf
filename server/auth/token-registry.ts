// Who may join: clientId → secret token (or its sha256 digest, so config files need not hold secrets).
// Comparison is constant-time on sha256 digests, so response time does not reveal how much of a token matched.
import { createHash, timingSafeEqual } from 'node:crypto';

export type TokenSpec = string | { sha256: string };

export type AuthResult = { ok: true } | { ok: false; reason: string };

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

export class TokenRegistry {
  private readonly digests = new Map<string, Buffer>();
  // Compared against when the id is unknown, so unknown ids cost the same time as known ones.
  private readonly decoy = sha256('fedfuse-decoy-token');

  constructor(tokens: Record<string, TokenSpec>) {
    for (const [clientId, spec] of Object.entries(tokens)) {
      if (clientId.length === 0) throw new Error('token registry: a client id must not be empty');
      if (typeof spec === 'string') {
        if (spec.length === 0) throw new Error(`token registry: client "${clientId}" has an empty token`);
        this.digests.set(clientId, sha256(spec));
      } else {
        if (!/^[0-9a-fA-F]{64}$/.test(spec.sha256)) {
          throw new Error(`token registry: client "${clientId}" sha256 must be 64 hex characters`);
        }
        this.digests.set(clientId, Buffer.from(spec.sha256, 'hex'));
      }
    }
  }

  get clientIds(): string[] {
    return [...this.digests.keys()].sort();
  }

  has(clientId: string): boolean {
    return this.digests.has(clientId);
  }

  verify(clientId: string, token: string): AuthResult {
    const expected = this.digests.get(clientId);
    const matches = timingSafeEqual(sha256(token), expected ?? this.decoy);
    if (expected && matches) return { ok: true };
    // One message for both cases: do not tell a prober which client ids exist.
    return { ok: false, reason: `authentication failed for client "${clientId}": unknown client id or wrong token` };
  }
}

/** The digest to put in a config file instead of the token itself ({ sha256: tokenDigest(token) }). */
export function tokenDigest(token: string): string {
  return sha256(token).toString('hex');
}
