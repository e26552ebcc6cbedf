import { expect } from 'chai';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { FederatedClient, type LocalData } from '@fedfuse/client';
import { CheckpointStore } from '../../server/checkpoint/checkpoint-store.js';
import { writeFileSynced, type SyncedFileWriter } from '../../server/checkpoint/synced-write.js';
import type { CheckpointFailedEvent } from '../../server/federation-server.js';
import { disposeData, mnistSlice, quietServer, silent, TOKENS } from '../federation/helpers.js';

/**
 * The server's file writer, except that while `full` is set every file's bytes go to /dev/full instead, so the
 * kernel answers ENOSPC exactly as a full disk would (mkdir, rename and directory fsync stay real).
 */
function diskThatFills(): { writer: SyncedFileWriter; setFull(full: boolean): void } {
  let full = false;
  return {
    writer: (path, data) => writeFileSynced(full ? '/dev/full' : path, data),
    setFull: (f) => (full = f),
  };
}

describe('faults: checkpoint and journal writes fail (disk full) during a federation', function () {
  this.timeout(90_000);
  let dir: string;
  let data: LocalData[];

  before(async () => {
    await initBackend();
    dir = await mkdtemp(join(tmpdir(), 'fedfuse-diskfull-'));
    data = [await mnistSlice(0, 200), await mnistSlice(200, 200)];
  });
  after(async () => {
    disposeData(...data);
    await rm(dir, { recursive: true, force: true });
  });

  it('reports each failed write loudly (log + checkpoint-failed with path and errno), keeps the previous checkpoint, and goes on', async () => {
    const checkpoints = join(dir, 'checkpoints');
    const disk = diskThatFills();
    const { server, logs } = quietServer({ rounds: 3, checkpointDir: checkpoints, checkpointWriter: disk.writer });
    const failures: CheckpointFailedEvent[] = [];
    const whileFull: Promise<{ round: number | undefined; leftovers: string[] }>[] = [];
    server.on('round-finished', (s) => disk.setFull(s.round === 1)); // the disk is full during round 2 only
    server.on('checkpoint-failed', (e) => {
      failures.push(e);
      // What a restart would find right now, while the disk is still full.
      if (e.what === 'checkpoint') {
        whileFull.push(
          (async () => ({
            round: (await new CheckpointStore(checkpoints).load())?.round,
            leftovers: (await readdir(checkpoints)).filter((n) => n.includes('.tmp-')),
          }))(),
        );
      }
    });
    const { url } = await server.start();
    const ids = ['alice', 'bob'] as const;
    const clients = ids.map(
      (id, i) => new FederatedClient({ serverUrl: url, clientId: id, token: TOKENS[id], data: data[i], logger: silent }),
    );
    try {
      await Promise.all(clients.map((c) => c.start()));
      const history = await server.finished();
      // The federation went on: every round has both updates (accepted in memory while the journal could not write).
      expect(history.map((h) => [h.round, h.participants])).to.deep.equal([
        [1, ['alice', 'bob']],
        [2, ['alice', 'bob']],
        [3, ['alice', 'bob']],
      ]);
      expect(failures.map((f) => `${f.round} ${f.what} ${f.code} ${f.errno}`).sort()).to.deep.equal([
        '2 checkpoint ENOSPC -28',
        '2 journal ENOSPC -28',
        '2 journal ENOSPC -28',
      ]);
      const checkpointFailure = failures.find((f) => f.what === 'checkpoint')!;
      expect(checkpointFailure.path).to.equal(join(checkpoints, 'round-000002'));
      expect(checkpointFailure.message).to.match(/ENOSPC: no space left on device/);
      expect(failures.filter((f) => f.what === 'journal').map((f) => f.path).sort()).to.deep.equal(
        ['alice', 'bob'].map((id) => join(checkpoints, 'journal', 'round-000002', `${Buffer.from(id).toString('hex')}.update`)),
      );
      const errorLines = logs.filter((l) => l.startsWith('ERROR round 2:'));
      expect(errorLines).to.have.length(3);
      expect(errorLines.find((l) => l.includes('checkpoint write FAILED'))).to.match(
        /writing the checkpoint of round 2 to .*round-000002 failed: ENOSPC.*the previous checkpoint is intact; the next round retries the save/,
      );
      // While the disk was full the previous checkpoint (round 1) stayed the one a restart loads, with no debris.
      expect(await Promise.all(whileFull)).to.deep.equal([{ round: 1, leftovers: [] }]);
      // Once space is back the next round's save succeeds, and the journal of checkpointed rounds is gone.
      const final = await new CheckpointStore(checkpoints).load();
      expect(final?.round).to.equal(3);
      expect(final?.state.history).to.have.length(3);
      expect(await readdir(join(checkpoints, 'journal'))).to.deep.equal([]);
      await Promise.all(clients.map((c) => c.finished()));
    } finally {
      await Promise.all(clients.map((c) => c.stop()));
      await server.stop();
      clients.forEach((c) => c.model?.dispose());
    }
  });

  it('refuses to start when the checkpoint directory cannot be read (its parent is a regular file: ENOTDIR)', async () => {
    const file = join(dir, 'not-a-directory');
    await writeFile(file, 'x');
    const { server } = quietServer({ rounds: 1, checkpointDir: join(file, 'checkpoints') });
    let error: Error | undefined;
    await server.start().catch((e: Error) => (error = e));
    await server.stop();
    expect(error?.message).to.match(/ENOTDIR/);
  });
});
