// Raw peers joined with the test tokens, kept in one list so a test's `finally` can close them all.
import { expect } from 'chai';
import { TOKENS } from '../federation/helpers.js';
import { RawPeer } from '../reliability/raw-peer.js';
import { within } from '../fuzz/frame-link.js';

export class JoinedPeers {
  readonly all: RawPeer[] = [];

  /** A new connection to `url` that joined as `id` (asserts the Welcome). */
  async join(url: string, id: keyof typeof TOKENS): Promise<RawPeer> {
    const peer = new RawPeer(url);
    this.all.push(peer);
    expect((await within(peer.join(id, TOKENS[id]), `${id} joins`)).body).to.equal('welcome');
    return peer;
  }

  closeAll(): void {
    for (const p of this.all) p.close();
  }
}
