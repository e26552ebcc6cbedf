import { expect } from 'chai';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { ProtocolError } from '@fedfuse/client/internal/proto/errors.js';
import { Reassembler, splitIntoChunks } from '@fedfuse/client/internal/proto/chunking.js';

const { ErrorCode } = fedfuse.v1;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function payload(n: number, seed = 1): Uint8Array {
  const r = rng(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
}

function shuffled<T>(items: T[], r: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

function chunkFrame(c: fedfuse.v1.IChunk): Uint8Array {
  return fedfuse.v1.Chunk.encode(c).finish();
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(ProtocolError);
    return ErrorCode[(e as ProtocolError).code];
  }
  return 'no error';
}

/** Pushes frames and returns every payload that completed. */
function pushAll(r: Reassembler, frames: Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const f of frames) {
    const p = r.push(f);
    if (p) out.push(p);
  }
  return out;
}

describe('chunking', () => {
  it('splits and reassembles random sizes, in order and shuffled', () => {
    const r = rng(42);
    const sizes = [0, 1, 99, 100, 101, 1000, 4096, 12_345];
    for (let k = 0; k < 40; k++) sizes.push(Math.floor(r() * 50_000));
    for (const [i, size] of sizes.entries()) {
      const chunkBytes = 1 + Math.floor(r() * 3000);
      const data = payload(size, i);
      const frames = splitIntoChunks(data, i + 1, chunkBytes);
      expect(frames.length).to.equal(Math.max(1, Math.ceil(size / chunkBytes)));
      const reassembler = new Reassembler({ maxMessageBytes: 60_000 });
      const got = pushAll(reassembler, i % 2 === 0 ? frames : shuffled(frames, r));
      expect(got.length, `size ${size} chunk ${chunkBytes}`).to.equal(1);
      expect(Buffer.from(got[0]).equals(Buffer.from(data))).to.equal(true);
      expect(reassembler.pendingBytes).to.equal(0);
      expect(reassembler.pendingTransfers).to.equal(0);
    }
  });

  it('reassembles interleaved transfers independently', () => {
    const a = payload(5000, 1);
    const b = payload(3000, 2);
    const fa = splitIntoChunks(a, 1, 700);
    const fb = splitIntoChunks(b, 2, 700);
    const mixed: Uint8Array[] = [];
    for (let i = 0; i < Math.max(fa.length, fb.length); i++) mixed.push(...(fa[i] ? [fa[i]] : []), ...(fb[i] ? [fb[i]] : []));
    const got = pushAll(new Reassembler({ maxMessageBytes: 10_000, maxPendingBytes: 10_000 }), mixed);
    expect(got.map((g) => g.byteLength)).to.deep.equal([3000, 5000]);
    expect(Buffer.from(got[1]).equals(Buffer.from(a))).to.equal(true);
    expect(Buffer.from(got[0]).equals(Buffer.from(b))).to.equal(true);
  });

  it('refuses a declared total over the limit before storing anything', () => {
    const r = new Reassembler({ maxMessageBytes: 1000 });
    // 2^40 declared bytes: allocating from it would throw RangeError, not a ProtocolError.
    const frame = chunkFrame({ transferId: 5, index: 0, count: 3, totalBytes: 2 ** 40, data: new Uint8Array(10) });
    expect(codeOf(() => r.push(frame))).to.equal('TOO_LARGE');
    expect(r.pendingBytes).to.equal(0);
    const frames = splitIntoChunks(payload(1001), 6, 100);
    expect(codeOf(() => r.push(frames[0]))).to.equal('TOO_LARGE');
    expect(codeOf(() => r.push(splitIntoChunks(payload(1001), 7, 2000)[0]))).to.equal('TOO_LARGE');
  });

  it('a duplicate chunk discards its transfer; a clean resend then succeeds', () => {
    const data = payload(1000);
    const frames = splitIntoChunks(data, 9, 300);
    const r = new Reassembler({ maxMessageBytes: 5000 });
    expect(r.push(frames[0])).to.equal(null);
    expect(r.pendingBytes).to.equal(300);
    expect(codeOf(() => r.push(frames[0]))).to.equal('BAD_MESSAGE');
    expect(r.pendingBytes).to.equal(0);
    expect(r.stats.dropped).to.equal(1);
    const got = pushAll(r, frames);
    expect(got.length).to.equal(1);
    expect(Buffer.from(got[0]).equals(Buffer.from(data))).to.equal(true);
  });

  it('a truncated transfer stays pending, then expires after the timeout', () => {
    let now = 1000;
    const r = new Reassembler({ maxMessageBytes: 5000, transferTimeoutMs: 10_000, now: () => now });
    const frames = splitIntoChunks(payload(1000), 3, 300);
    expect(pushAll(r, frames.slice(0, -1))).to.deep.equal([]);
    expect(r.pendingBytes).to.equal(900);
    now += 9_999;
    const other = splitIntoChunks(payload(10), 4, 300);
    expect(pushAll(r, other).length).to.equal(1);
    expect(r.pendingBytes).to.equal(900); // not yet stale
    now += 10_000;
    expect(pushAll(r, other).length).to.equal(1);
    expect(r.pendingBytes).to.equal(0);
    expect(r.stats.expired).to.equal(1);
    // The late last chunk now starts a new transfer and cannot complete on its own.
    expect(r.push(frames[frames.length - 1])).to.equal(null);
  });

  it('rejects inconsistent count/total/index and chunks larger than declared', () => {
    const r = new Reassembler({ maxMessageBytes: 10_000 });
    const d = (n: number) => new Uint8Array(n).fill(1);
    expect(codeOf(() => r.push(chunkFrame({ transferId: 1, index: 0, count: 0, totalBytes: 10, data: d(10) })))).to.equal('BAD_MESSAGE');
    expect(codeOf(() => r.push(chunkFrame({ transferId: 1, index: 2, count: 2, totalBytes: 10, data: d(5) })))).to.equal('BAD_MESSAGE');
    expect(codeOf(() => r.push(chunkFrame({ transferId: 1, index: 0, count: 20, totalBytes: 10, data: d(1) })))).to.equal('BAD_MESSAGE');
    expect(codeOf(() => r.push(chunkFrame({ transferId: 1, index: 0, count: 1, totalBytes: 10, data: d(11) })))).to.equal('BAD_MESSAGE');
    expect(codeOf(() => r.push(chunkFrame({ transferId: 1, index: 0, count: 1, totalBytes: 10, data: d(9) })))).to.equal('BAD_MESSAGE');
    expect(codeOf(() => r.push(chunkFrame({ transferId: 1, index: 0, count: 2, totalBytes: 10, data: d(0) })))).to.equal('BAD_MESSAGE');

    expect(r.push(chunkFrame({ transferId: 2, index: 0, count: 2, totalBytes: 10, data: d(6) }))).to.equal(null);
    expect(codeOf(() => r.push(chunkFrame({ transferId: 2, index: 1, count: 2, totalBytes: 10, data: d(5) })))).to.equal('BAD_MESSAGE');
    expect(r.pendingBytes).to.equal(0);

    expect(r.push(chunkFrame({ transferId: 3, index: 0, count: 2, totalBytes: 10, data: d(6) }))).to.equal(null);
    expect(codeOf(() => r.push(chunkFrame({ transferId: 3, index: 1, count: 3, totalBytes: 10, data: d(4) })))).to.equal('BAD_MESSAGE');
    expect(r.push(chunkFrame({ transferId: 4, index: 0, count: 2, totalBytes: 10, data: d(6) }))).to.equal(null);
    expect(codeOf(() => r.push(chunkFrame({ transferId: 4, index: 1, count: 2, totalBytes: 11, data: d(4) })))).to.equal('BAD_MESSAGE');

    // All chunks present but short of the declared total.
    expect(r.push(chunkFrame({ transferId: 5, index: 0, count: 2, totalBytes: 10, data: d(3) }))).to.equal(null);
    expect(codeOf(() => r.push(chunkFrame({ transferId: 5, index: 1, count: 2, totalBytes: 10, data: d(3) })))).to.equal('BAD_MESSAGE');
    expect(r.pendingBytes).to.equal(0);
    expect(codeOf(() => r.push(new Uint8Array([0xff, 0xff])))).to.equal('BAD_MESSAGE');
  });

  it('a bad chunk discards only its own transfer', () => {
    const data = payload(2000, 5);
    const good = splitIntoChunks(data, 10, 500);
    const r = new Reassembler({ maxMessageBytes: 10_000 });
    r.push(good[0]);
    r.push(good[1]);
    r.push(chunkFrame({ transferId: 11, index: 0, count: 2, totalBytes: 10, data: new Uint8Array(5) }));
    expect(codeOf(() => r.push(chunkFrame({ transferId: 11, index: 0, count: 2, totalBytes: 10, data: new Uint8Array(5) })))).to.equal('BAD_MESSAGE');
    expect(codeOf(() => r.push(new Uint8Array([1, 2, 3])))).to.equal('BAD_MESSAGE');
    const got = pushAll(r, good.slice(2));
    expect(got.length).to.equal(1);
    expect(Buffer.from(got[0]).equals(Buffer.from(data))).to.equal(true);
  });

  it('bounds pending transfers and pending bytes by dropping the oldest', () => {
    const r = new Reassembler({ maxMessageBytes: 1000, maxPendingTransfers: 2 });
    const t1 = splitIntoChunks(payload(400, 1), 1, 100);
    const t2 = splitIntoChunks(payload(400, 2), 2, 100);
    const t3 = splitIntoChunks(payload(400, 3), 3, 100);
    r.push(t1[0]);
    r.push(t2[0]);
    expect(r.pendingTransfers).to.equal(2);
    r.push(t3[0]); // drops transfer 1
    expect(r.pendingTransfers).to.equal(2);
    expect(r.stats.dropped).to.equal(1);
    expect(pushAll(r, t1.slice(1))).to.deep.equal([]); // transfer 1 restarted without its first chunk
    expect(r.pendingBytes).to.be.at.most(1000);

    // Pending bytes never exceed maxPendingBytes (default = maxMessageBytes), however the peer interleaves.
    const big = new Reassembler({ maxMessageBytes: 1000, maxPendingTransfers: 100 });
    for (let id = 1; id <= 20; id++) {
      const frames = splitIntoChunks(payload(1000, id), id, 300);
      pushAll(big, frames.slice(0, 3));
      expect(big.pendingBytes).to.be.at.most(1000);
    }
    const last = splitIntoChunks(payload(1000, 20), 20, 300);
    expect(pushAll(big, last.slice(3)).length).to.equal(1); // the most recent transfer survived
  });

  it('reset drops partial transfers', () => {
    const r = new Reassembler({ maxMessageBytes: 1000 });
    const frames = splitIntoChunks(payload(500), 1, 100);
    pushAll(r, frames.slice(0, 3));
    expect(r.pendingBytes).to.equal(300);
    r.reset();
    expect(r.pendingBytes).to.equal(0);
    expect(pushAll(r, frames.slice(3))).to.deep.equal([]);
  });

  it('returns a payload the caller owns (not a view into the frame)', () => {
    const frames = splitIntoChunks(payload(50), 1, 100);
    const out = new Reassembler({ maxMessageBytes: 1000 }).push(frames[0])!;
    const before = out[0];
    frames[0].fill(0);
    expect(out[0]).to.equal(before);
  });

  it('copies a piece that is only a small part of its frame, so junk cannot pin memory', () => {
    // A chunk with 1 byte of data and 10 kB of an unknown field: holding a view would pin the whole frame.
    const chunk = chunkFrame({ transferId: 1, index: 0, count: 2, totalBytes: 2, data: new Uint8Array([7]) });
    const junk = new Uint8Array(10_000 + 4);
    junk.set([0x4a, 0x90, 0x4e]); // field 9, wire type 2, length 10000 (varint 0x90 0x4e)
    const frame = new Uint8Array(chunk.byteLength + 10_003);
    frame.set(chunk);
    frame.set(junk.subarray(0, 10_003), chunk.byteLength);
    const r = new Reassembler({ maxMessageBytes: 100 });
    expect(r.push(frame)).to.equal(null);
    frame.fill(0, 0, chunk.byteLength); // if the piece were a view, this would corrupt it
    const out = r.push(chunkFrame({ transferId: 1, index: 1, count: 2, totalBytes: 2, data: new Uint8Array([8]) }));
    expect(Array.from(out!)).to.deep.equal([7, 8]);
  });
});

