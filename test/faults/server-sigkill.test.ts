import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { FederatedClient, type LocalData } from '@fedfuse/client';
import { disposeData, mnistSlice, silent, TOKENS } from '../federation/helpers.js';
import { ChildScript } from './child-process.js';

const SERVER = 'test/faults/fixtures/server-process.ts';
const SLOW_CLIENT = 'test/faults/fixtures/slow-client.ts';

describe('faults: server SIGKILLed mid-round', function () {
  this.timeout(120_000);
  let dir: string;
  let alice: LocalData;

  before(async () => {
    await initBackend();
    dir = await mkdtemp(join(tmpdir(), 'fedfuse-sigkill-'));
    alice = await mnistSlice(0, 200);
  });
  after(async () => {
    disposeData(alice);
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the update it acknowledged before the kill; clients reconnect by themselves and all rounds finish', async () => {
    const checkpoints = join(dir, 'checkpoints');
    const release = join(dir, 'release-bob');
    const first = new ChildScript(SERVER, ['0', checkpoints, '3']);
    let second: ChildScript | undefined;
    let bob: ChildScript | undefined;
    let a: FederatedClient | undefined;
    const seen: string[] = [];
    try {
      const port = await first.line('listening');
      const url = `http://127.0.0.1:${port}`;
      a = new FederatedClient({
        serverUrl: url,
        clientId: 'alice',
        token: TOKENS.alice,
        data: alice,
        reconnect: { retries: 200, delayMs: 100 },
        logger: silent,
      });
      a.on('trained', (e) => seen.push(`trained ${e.round}`));
      a.on('reconnected', () => seen.push('reconnected'));
      // bob stalls on its round-2 task (before training) until released: round 2 stays open after alice's ack.
      bob = new ChildScript(SLOW_CLIENT, [url, 'bob', TOKENS.bob, '200', '200', '2', release]);
      await bob.line('joined');
      const aliceAcked2 = new Promise<void>((resolve) => a!.on('uploaded', (e) => e.round === 2 && resolve()));
      await a.start();
      await bob.line('task 2');
      await aliceAcked2;
      await first.kill(); // SIGKILL, right after the ack reached alice, with bob's round-2 update still owed

      expect(first.all('round-finished')).to.deep.equal(['1 alice,bob']);
      expect(first.all('accepted 2')).to.deep.equal(['alice']);
      const journalRound2 = join(checkpoints, 'journal', 'round-000002');
      expect(await readdir(journalRound2)).to.deep.equal([`${Buffer.from('alice').toString('hex')}.update`]);

      second = new ChildScript(SERVER, [port, checkpoints, '3']);
      expect(await second.line('listening')).to.equal(port);
      // Restoring happens before the server listens, so its line is already out.
      expect(second.all('restored')).to.deep.equal(['2 alice']);
      await writeFile(release, 'go');
      const history = JSON.parse(await second.line('finished')) as [number, string[]][];
      expect(history).to.deep.equal([
        [1, ['alice', 'bob']],
        [2, ['alice', 'bob']],
        [3, ['alice', 'bob']],
      ]);
      // The restarted server got round 2's update only from bob: alice's came from the journal.
      expect(second.all('accepted 2')).to.deep.equal(['bob']);
      await a.finished();
      await bob.line('finished');
      // alice trained each round once (no retraining of the acknowledged round 2) and rejoined unaided; so did bob.
      expect(seen.filter((s) => s.startsWith('trained'))).to.deep.equal(['trained 1', 'trained 2', 'trained 3']);
      expect(seen).to.include('reconnected');
      expect(bob.all('trained')).to.deep.equal(['1', '2', '3']);
      expect(bob.lines).to.include('reconnected');
      // Round 2's journal is gone once its checkpoint was written.
      expect(existsSync(journalRound2)).to.equal(false);
    } finally {
      await a?.stop();
      await Promise.all([first.kill(), second?.kill(), bob?.kill()]);
      a?.model?.dispose();
    }
  });
});
