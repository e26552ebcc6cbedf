// One Join on a fresh socket, as a token guesser sends it: what the failed-join backoff made of it. Shared by the
// token-guessing and trustProxy tests.
import '@fedfuse/client/internal/proto/protobuf-runtime.js';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { RawPeer } from '../reliability/raw-peer.js';
import { within } from '../fuzz/frame-link.js';

export type GuessAnswer = 'welcome' | 'wrong' | 'throttled';

/**
 * 'welcome'; 'wrong' when the server checked the token and refused it; 'throttled' when the backoff refused to check
 * it (RATE_LIMITED naming the failed joins or the id's waiting check). Any other answer throws. The socket is closed.
 */
export async function guessJoin(url: string, o: { clientId: string; token: string; localAddress?: string; forwardedFor?: string }): Promise<GuessAnswer> {
  const peer = new RawPeer(url, {
    ...(o.localAddress ? { localAddress: o.localAddress } : {}),
    ...(o.forwardedFor !== undefined ? { extraHeaders: { 'X-Forwarded-For': o.forwardedFor } } : {}),
  });
  try {
    const env = await within(peer.join(o.clientId, o.token), 'an answer to the join', 30_000);
    if (env.body === 'welcome') return 'welcome';
    const code = fedfuse.v1.ErrorCode[env.error!.code ?? 0];
    if (code === 'UNAUTHORIZED') return 'wrong';
    if (code === 'RATE_LIMITED' && /too many failed joins|already waiting to be checked/.test(env.error!.message ?? '')) return 'throttled';
    throw new Error(`unexpected answer ${code}: ${env.error!.message}`);
  } finally {
    peer.close();
  }
}
