import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { FederatedClient, modelToState, type LocalData } from '@fedfuse/client';
import type { FederationServer } from '../../server/federation-server.js';
import { disposeData, mnistSlice, quietServer, silent, TOKENS } from './helpers.js';

async function runWithClients(server: FederationServer, data: LocalData[]): Promise<void> {
  const { url } = await server.start();
  const ids = ['alice', 'bob'] as const;
  const clients = ids.map(
    (id, i) => new FederatedClient({ serverUrl: url, clientId: id, token: TOKENS[id], data: data[i], logger: silent }),
  );
  try {
    await Promise.all(clients.map((c) => c.start()));
    await server.finished();
  } finally {
    await Promise.all(clients.map((c) => c.stop()));
    await server.stop();
    clients.forEach((c) => c.model?.dispose());
  }
}

function sameWeights(a: ModelState, b: ModelState): boolean {
  return a.weights.every((w, t) => w.values.length === b.weights[t].values.length && w.values.every((v, i) => v === b.weights[t].values[i]));
}

describe('federation: restart from a checkpoint', function () {
  this.timeout(90_000);
  let dir: string;
  let data: LocalData[];

  before(async () => {
    await initBackend();
    dir = await mkdtemp(join(tmpdir(), 'fedfuse-resume-'));
    data = [await mnistSlice(0, 200), await mnistSlice(200, 200)];
  });
  after(async () => {
    disposeData(...data);
    await rm(dir, { recursive: true, force: true });
  });

  it('a restarted server resumes at the next round with the same weights and history', async () => {
    const first = quietServer({ rounds: 2, checkpointDir: dir });
    await runWithClients(first.server, data);
    const afterTwo = first.server.global;

    // A new server process would be configured the same way (fresh initial model) but with more rounds.
    const second = quietServer({ rounds: 3, checkpointDir: dir });
    const started: number[] = [];
    second.server.on('round-started', (e) => started.push(e.round));
    const { resumedFromRound } = await second.server.start();
    expect(resumedFromRound).to.equal(2);
    expect(second.server.currentRound).to.equal(3);
    expect(sameWeights(second.server.global, afterTwo)).to.equal(true);
    expect(second.logs.some((l) => l.includes('resuming from checkpoint'))).to.equal(true);
    await second.server.stop();

    const third = quietServer({ rounds: 3, checkpointDir: dir });
    third.server.on('round-started', (e) => started.push(e.round));
    await runWithClients(third.server, data);
    const history = await third.server.finished().catch(() => undefined);
    expect(started).to.deep.equal([3]);
    expect(history?.map((h) => h.round)).to.deep.equal([1, 2, 3]);
    expect(sameWeights(third.server.global, afterTwo)).to.equal(false);

    // All rounds done: one more restart finishes at once and hands late joiners the final model.
    const fourth = quietServer({ rounds: 3, checkpointDir: dir });
    const { url, resumedFromRound: resumedAgain } = await fourth.server.start();
    expect(resumedAgain).to.equal(3);
    expect((await fourth.server.finished()).map((h) => h.round)).to.deep.equal([1, 2, 3]);
    const late = new FederatedClient({ serverUrl: url, clientId: 'carol', token: TOKENS.carol, data: data[0], logger: silent });
    try {
      await late.start();
      expect(sameWeights(modelToState(await late.finished()), third.server.global)).to.equal(true);
    } finally {
      await late.stop();
      await fourth.server.stop();
      late.model?.dispose();
    }
  });

  it('refuses a checkpoint whose model does not match the configured one', async () => {
    const other = await mkdtemp(join(tmpdir(), 'fedfuse-resume-'));
    try {
      const a = quietServer({ rounds: 1, checkpointDir: other });
      await runWithClients(a.server, data);
      const { initialMlp } = await import('./helpers.js');
      const wider = initialMlp();
      wider.weights[0] = { ...wider.weights[0], shape: [784, 16], values: new Float32Array(784 * 16) };
      wider.weights[1] = { ...wider.weights[1], shape: [16], values: new Float32Array(16) };
      wider.weights[2] = { ...wider.weights[2], shape: [16, 10], values: new Float32Array(160) };
      const b = quietServer({ rounds: 2, checkpointDir: other, initialModel: wider });
      let error: Error | undefined;
      await b.server.start().catch((e: Error) => (error = e));
      expect(error?.message).to.match(/weight shapes differ from the configured model/);
      await b.server.stop();
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});

describe('federation: clients ride through a server restart', function () {
  this.timeout(90_000);
  let dir: string;
  let data: LocalData[];

  before(async () => {
    await initBackend();
    dir = await mkdtemp(join(tmpdir(), 'fedfuse-restart-'));
    data = [await mnistSlice(0, 200), await mnistSlice(200, 200)];
  });
  after(async () => {
    disposeData(...data);
    await rm(dir, { recursive: true, force: true });
  });

  it('connected clients reconnect to the restarted server (same port) and finish the remaining rounds', async () => {
    const first = quietServer({ rounds: 3, checkpointDir: dir });
    const { url, port } = await first.server.start();
    const stopped = new Promise<void>((resolve) =>
      first.server.on('round-finished', (s) => {
        if (s.round === 1) void first.server.stop().then(resolve);
      }),
    );
    const ids = ['alice', 'bob'] as const;
    const clients = ids.map(
      (id, i) =>
        new FederatedClient({
          serverUrl: url,
          clientId: id,
          token: TOKENS[id],
          data: data[i],
          reconnect: { retries: 50, delayMs: 100 },
          logger: silent,
        }),
    );
    const reconnects: string[] = [];
    clients.forEach((c, i) => c.on('reconnected', () => reconnects.push(ids[i])));
    const second = quietServer({ rounds: 3, checkpointDir: dir, port });
    try {
      await Promise.all(clients.map((c) => c.start()));
      await stopped;
      expect(first.server.currentRound).to.equal(1);
      const { resumedFromRound } = await second.server.start();
      expect(resumedFromRound).to.equal(1);
      const history = await second.server.finished();
      expect(history.map((h) => [h.round, h.participants])).to.deep.equal([
        [1, ['alice', 'bob']],
        [2, ['alice', 'bob']],
        [3, ['alice', 'bob']],
      ]);
      const finals = await Promise.all(clients.map(async (c) => modelToState(await c.finished())));
      for (const f of finals) expect(sameWeights(f, second.server.global)).to.equal(true);
      expect(reconnects.sort()).to.deep.equal(['alice', 'bob']);
    } finally {
      await Promise.all(clients.map((c) => c.stop()));
      await first.server.stop();
      await second.server.stop();
      clients.forEach((c) => c.model?.dispose());
    }
  });
});
