// Issue 11, item 7: a checkpoint whose files were edited, deleted or damaged is never resumed from silently: every
// file is covered by the manifest, a skipped checkpoint is logged with its reason and the previous one is used, and
// when none is intact the server refuses to start (instead of starting over from round 1 or skipping rounds).
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { CheckpointStore } from '../../server/checkpoint/checkpoint-store.js';
import type { RoundSummary } from '../../server/federation-server.js';
import { initialMlp, quietServer } from '../federation/helpers.js';

const ROUNDS = 5;

function summary(round: number): RoundSummary {
  return { round, participants: ['alice', 'bob'], stragglers: [], rejected: [], excluded: [], accuracy: 0.5, loss: 1, bytesSent: 1, bytesReceived: 1, seconds: 1, aggregateSeconds: 0.1 };
}

const KEY = Buffer.from('a-checkpoint-key-of-32-bytes-abc');

/** Checkpoints of rounds 2 and 3 (round 3 the newest), as a server saves them (signed with `hmacKey` if given). */
async function checkpointsOf2And3(dir: string, hmacKey?: Buffer): Promise<void> {
  const store = new CheckpointStore<RoundSummary>(dir, { hmacKey });
  for (const round of [2, 3]) {
    await store.save(round, initialMlp(), { history: [1, 2, 3].slice(0, round).map(summary), configHash: 'x' });
  }
}

async function editJson(path: string, edit: (json: Record<string, unknown>) => void): Promise<void> {
  const json = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  edit(json);
  await writeFile(path, JSON.stringify(json, null, 2));
}

/** What a server configured for 5 rounds does with the (tampered) checkpoint directory at start. */
async function startOn(dir: string, checkpointKey?: Buffer): Promise<{ resumedFromRound?: number; error?: string; logs: string[] }> {
  const { server, logs } = quietServer({ rounds: ROUNDS, checkpointDir: dir, minClients: 2, ...(checkpointKey ? { checkpointKey } : {}) });
  try {
    const { resumedFromRound } = await server.start();
    return { resumedFromRound, logs };
  } catch (e) {
    return { error: (e as Error).message, logs };
  } finally {
    await server.stop();
  }
}

describe('hardening: checkpoint tampering (issue 11, item 7)', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => initBackend());
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fedfuse-tamper-'));
    await checkpointsOf2And3(dir);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const newest = (file: string) => join(dir, 'round-000003', file);
  const cases: [string, () => Promise<void>, RegExp][] = [
    ['"round": 3 → 9 in round-state.json', () => editJson(newest('round-state.json'), (j) => (j.round = 9)), /round-state\.json does not match/],
    ['"round": 3 → "3" in round-state.json', () => editJson(newest('round-state.json'), (j) => (j.round = '3')), /round-state\.json does not match/],
    ['history: null in round-state.json', () => editJson(newest('round-state.json'), (j) => (j.history = null)), /round-state\.json does not match/],
    [
      'a hidden layer’s activation relu → linear in model.json',
      async () => {
        const path = newest('model.json');
        await writeFile(path, (await readFile(path, 'utf8')).replace('"activation":"relu"', '"activation":"linear"'));
      },
      /model\.json does not match/,
    ],
    [
      'a flipped byte in weights.bin',
      async () => {
        const bytes = await readFile(newest('weights.bin'));
        bytes[7] ^= 0xff;
        await writeFile(newest('weights.bin'), bytes);
      },
      /weights\.bin does not match/,
    ],
  ];
  for (const [what, tamper, reason] of cases) {
    it(`${what}: the round-3 checkpoint is skipped with a logged reason and the server resumes after round 2 (0 rounds skipped)`, async () => {
      expect((await readFile(newest('model.json'), 'utf8')).includes('"activation":"relu"')).to.equal(true);
      await tamper();
      const { resumedFromRound, error, logs } = await startOn(dir);
      expect(error).to.equal(undefined);
      expect(resumedFromRound).to.equal(2);
      const skipped = logs.filter((l) => /checkpoint .*round-000003 skipped/.test(l));
      expect(skipped).to.have.length(1);
      expect(skipped[0]).to.match(reason);
    });
  }

  it('deleted round folders with latest.json kept: the server refuses to start, naming latest.json (no silent restart from round 1)', async () => {
    await rm(join(dir, 'round-000002'), { recursive: true });
    await rm(join(dir, 'round-000003'), { recursive: true });
    const { error } = await startOn(dir);
    expect(error).to.match(/latest\.json names round-000003, which is missing/).and.match(/no intact checkpoint/);
  });

  it('no intact checkpoint at all: a clear refusal listing each one and why', async () => {
    await editJson(join(dir, 'round-000002', 'round-state.json'), (j) => (j.round = 7));
    await editJson(newest('round-state.json'), (j) => (j.history = null));
    const { error } = await startOn(dir);
    expect(error).to.match(/no intact checkpoint in .*round-000003: round-state\.json does not match.*round-000002: round-state\.json does not match/s);
  });

  describe('with a checkpoint key (HMAC-SHA256, issue 23)', () => {
    const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
    /**
     * What someone who can write the directory but lacks the key does: edits round-state.json ("round 3 had 9
     * participants"), then rewrites every hash above it — manifest.json's and latest.json's — so the checkpoint is
     * consistent again; `manifest` decides what becomes of the manifest's HMAC.
     */
    async function forge(manifest: (m: Record<string, unknown>) => void): Promise<void> {
      const state = JSON.parse(await readFile(newest('round-state.json'), 'utf8')) as { history: { participants: string[] }[] };
      state.history[2].participants = Array.from({ length: 9 }, (_, i) => `forged-${i}`);
      const stateText = JSON.stringify(state, null, 2) + '\n';
      await writeFile(newest('round-state.json'), stateText);
      const m = JSON.parse(await readFile(newest('manifest.json'), 'utf8')) as { files: Record<string, string> } & Record<string, unknown>;
      m.files['round-state.json'] = sha256(stateText);
      manifest(m);
      const manifestText = JSON.stringify(m, null, 2) + '\n';
      await writeFile(newest('manifest.json'), manifestText);
      await editJson(join(dir, 'latest.json'), (j) => (j.manifestSha256 = sha256(manifestText)));
    }

    beforeEach(async () => {
      await rm(dir, { recursive: true, force: true });
      await checkpointsOf2And3(dir, KEY);
    });

    it('the signed checkpoints load with the key: resumed after round 3', async () => {
      expect((await startOn(dir, KEY)).resumedFromRound).to.equal(3);
    });

    for (const [what, manifest, reason] of [
      ['keeping the old HMAC', () => {}, /manifest\.json's HMAC does not match/],
      ['dropping the HMAC', (m: Record<string, unknown>) => delete m.hmacSha256, /manifest\.json has no HMAC/],
      ['with an HMAC under another key', (m: Record<string, unknown>) => (m.hmacSha256 = 'ab'.repeat(32)), /manifest\.json's HMAC does not match/],
    ] as const) {
      it(`a consistent forgery (${what}) is skipped as tampering: resumed after round 2; without the key it would load`, async () => {
        await forge(manifest);
        const { resumedFromRound, error, logs } = await startOn(dir, KEY);
        expect(error).to.equal(undefined);
        expect(resumedFromRound).to.equal(2);
        const skipped = logs.filter((l) => /checkpoint .*round-000003 skipped/.test(l));
        expect(skipped).to.have.length(1);
        expect(skipped[0]).to.match(reason);
        // The forgery is consistent: a server without the key resumes from it (what the key prevents).
        expect((await startOn(dir)).resumedFromRound).to.equal(3);
      });
    }

    it('a key that is too short, or without a checkpointDir, is refused naming the option', () => {
      expect(() => quietServer({ rounds: 1, checkpointDir: dir, checkpointKey: 'short' })).to.throw('checkpointKey is 5 bytes; at least 16 are needed');
      expect(() => quietServer({ rounds: 1, checkpointKey: KEY })).to.throw('checkpointKey goes with checkpointDir');
    });
  });
});
