import { expect } from 'chai';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { FederatedClient, type LocalData } from '@fedfuse/client';
import { disposeData, mnistSlice, quietServer, silent, TOKENS } from './helpers.js';

function spawnClient(url: string, id: keyof typeof TOKENS, mode: string): ChildProcessWithoutNullStreams {
  return spawn(
    process.execPath,
    ['--import', 'tsx', 'test/federation/fixtures/mnist-client.ts', url, id, TOKENS[id], '1000', '200', mode],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
}

/** Resolves with the first stdout line of `child` that starts with `prefix`. */
function waitForLine(child: ChildProcessWithoutNullStreams, prefix: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (line.startsWith(prefix)) {
        lines.close();
        resolve(line);
      }
    });
    child.once('exit', (code, signal) => reject(new Error(`client process exited (${code ?? signal}) before "${prefix}"`)));
  });
}

describe('federation: a client killed mid-round', function () {
  this.timeout(90_000);
  let alice: LocalData;

  before(async () => {
    await initBackend();
    alice = await mnistSlice(0, 200);
  });
  after(() => disposeData(alice));

  it('the round completes at the deadline without it (SIGKILL after it received the task)', async () => {
    const { server, logs } = quietServer({ rounds: 1, roundDeadlineMs: 4_000, minUpdates: 1 });
    const left: string[] = [];
    server.on('client-left', (e) => left.push(e.clientId));
    const { url } = await server.start();
    const child = spawnClient(url, 'carol', 'hang-on-task');
    const alive = new FederatedClient({ serverUrl: url, clientId: 'alice', token: TOKENS.alice, data: alice, logger: silent });
    try {
      await waitForLine(child, 'joined');
      await alive.start();
      expect(await waitForLine(child, 'task')).to.equal('task 1');
      child.kill('SIGKILL');
      const [summary] = await server.finished();
      expect(summary.participants).to.deep.equal(['alice']);
      expect(summary.stragglers).to.deep.equal(['carol']);
      expect(left).to.include('carol');
      expect(logs.some((l) => /deadline passed; left out stragglers carol/.test(l))).to.equal(true);
      await alive.finished();
    } finally {
      child.kill('SIGKILL');
      await alive.stop();
      await server.stop();
      alive.model?.dispose();
    }
  });
});
