import { expect } from 'chai';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeFloatTensor } from '@fedfuse/client/internal/proto/tensor-codec.js';
import { payloadToModelState } from '@fedfuse/client/internal/proto/model-payload.js';
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { UpdateJournal, weightsSha256 } from '../../server/checkpoint/update-journal.js';
import { decodeClientUpdate } from '../../server/transport/update-decoder.js';
import type { ClientUpdate } from '../../server/strategies/strategy.js';
import { initialMlp, quietServer, TOKENS } from '../federation/helpers.js';
import { RawPeer } from '../reliability/raw-peer.js';

function updateFrom(global: ModelState, clientId: string, round: number, scale: number): ClientUpdate {
  return {
    clientId,
    round,
    weights: global.weights.map((w) => ({ name: w.name, shape: [...w.shape], values: w.values.map((v) => v * scale) })),
    numExamples: 123,
    activations: [{ shape: [2, 3], values: new Float32Array([1, 2, 3, 4, 5, 6]) }],
    importance: [new Float32Array([0.5, 0.25, 0.25])],
    metrics: { train_loss: 0.5 },
    labelHistogram: [3, 0, 120],
  };
}

describe('faults: the update journal', function () {
  this.timeout(60_000);
  let dir: string;
  let global: ModelState;
  let base: string;

  before(async () => {
    await initBackend();
    global = initialMlp();
    base = weightsSha256(global.weights);
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fedfuse-journal-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads back exactly the update it recorded (protobuf, float32), for the same round and global model only', async () => {
    const journal = new UpdateJournal(dir);
    const update = updateFrom(global, 'ünïcode/../id', 4, 0.5);
    await journal.record(update, base);
    const { entries, problems } = await journal.load(4, base);
    expect(problems).to.deep.equal([]);
    expect(entries.map((e) => e.clientId)).to.deep.equal(['ünïcode/../id']);
    const expectations = { round: 4, weightShapes: global.weights.map((w) => w.shape), activationShapes: [[2, 3]], importanceWidths: [3] };
    const back = decodeClientUpdate(entries[0].message, entries[0].clientId, entries[0].labelHistogram, expectations);
    expect(back).to.deep.equal(update);
    // Another global model (e.g. the round was aggregated but its checkpoint lost): not counted, the client retrains.
    const other = await journal.load(4, weightsSha256(updateFrom(global, 'x', 4, 2).weights));
    expect(other.entries).to.deep.equal([]);
    expect(other.problems[0]).to.match(/was trained on a different global model/);
    expect((await journal.load(5, base)).entries).to.deep.equal([]);
  });

  it('skips damaged entries with a reason and ignores temp files of an interrupted write', async () => {
    const journal = new UpdateJournal(dir);
    const paths = [];
    for (const id of ['a', 'b', 'c']) paths.push(await journal.record(updateFrom(global, id, 4, 1), base));
    const bytes = await readFile(paths[0]);
    bytes[bytes.length - 10] ^= 0xff; // a flipped bit in the payload
    await writeFile(paths[0], bytes);
    await writeFile(paths[1], bytes.subarray(0, 20)); // torn
    await writeFile(join(dir, 'round-000004', '.63.update.tmp-1234'), 'partial');
    const { entries, problems } = await journal.load(4, base);
    expect(entries.map((e) => e.clientId)).to.deep.equal(['c']);
    expect(problems).to.have.length(2);
    expect(problems[0]).to.match(/61\.update: payload does not match the sha256 in its header/);
    expect(problems[1]).to.match(/62\.update: header length \d+ runs past the file/);
  });

  it('drops the journals of checkpointed rounds and of rounds other than the resumed one', async () => {
    const journal = new UpdateJournal(dir);
    for (const round of [2, 3, 4]) await journal.record(updateFrom(global, 'a', round, 1), base);
    await journal.discardThrough(2);
    expect(await readdir(dir)).to.deep.equal(['round-000003', 'round-000004']);
    await journal.discardAllBut(4);
    expect(await readdir(dir)).to.deep.equal(['round-000004']);
  });

  it('a restarted server counts the journaled update, does not ask its client again, and acks a resend without counting it twice', async () => {
    const checkpointDir = join(dir, 'checkpoints');
    const first = quietServer({ rounds: 1, checkpointDir });
    const { url: url1 } = await first.server.start();
    const peers1 = { bob: new RawPeer(url1), carol: new RawPeer(url1) };
    const second = quietServer({ rounds: 1, checkpointDir });
    const peers2: RawPeer[] = [];
    try {
      for (const [id, peer] of Object.entries(peers1)) await peer.join(id, TOKENS[id as 'bob']);
      const task = (await peers1.bob.nextOf('trainTask')).trainTask!;
      const trained = payloadToModelState(task.globalModel!).weights.map((w) => ({ ...w, values: w.values.map((v) => v + 0.01) }));
      const upload = {
        clientUpdate: {
          round: 1,
          clientId: 'bob',
          numExamples: 10,
          weights: trained.map((w) => encodeFloatTensor(w.name, w.shape, w.values)),
        },
      };
      peers1.bob.channel.send(upload);
      await peers1.bob.nextOf('updateAck');
      await first.server.stop(); // the acked update is on disk already; the SIGKILL test kills a real process

      const sampled: string[][] = [];
      const accepted: string[] = [];
      second.server.on('round-started', (e) => sampled.push(e.sampled));
      second.server.on('update-accepted', (e) => accepted.push(e.clientId));
      const { url: url2 } = await second.server.start();
      expect(second.logs).to.include('round 1: restored 1 accepted update(s) from the journal: bob');
      const [bob, carol] = [new RawPeer(url2), new RawPeer(url2)];
      peers2.push(bob, carol);
      await bob.join('bob', TOKENS.bob);
      await carol.join('carol', TOKENS.carol);
      await carol.nextOf('trainTask');
      expect(sampled).to.deep.equal([['carol']]); // bob is not asked to train round 1 again
      bob.channel.send(upload); // a client that missed the ack resends: acknowledged, not counted again
      expect((await bob.nextOf('updateAck')).updateAck!.round).to.equal(1);
      expect(second.logs).to.include('round 1: duplicate update from bob ignored (acknowledged again)');
      carol.channel.send({ clientUpdate: { ...upload.clientUpdate, clientId: 'carol' } });
      const [summary] = await second.server.finished();
      expect(summary.participants).to.deep.equal(['bob', 'carol']);
      expect(accepted).to.deep.equal(['carol']);
      // bob's restored update is in the aggregate: FedAvg of two equal updates = that update.
      second.server.global.weights.forEach((w, i) => w.values.forEach((v, j) => expect(v).to.be.closeTo(trained[i].values[j], 1e-6)));
      expect(bob.inbox.some((e) => e.body === 'trainTask')).to.equal(false);
    } finally {
      for (const p of [...Object.values(peers1), ...peers2]) p.close();
      await first.server.stop();
      await second.server.stop();
    }
  });
  it('a server stopped right after the round’s last update was accepted (nothing aggregated or checkpointed) aggregates the restored updates at once', async () => {
    const checkpointDir = join(dir, 'checkpoints');
    const first = quietServer({ rounds: 1, checkpointDir });
    const { url: url1 } = await first.server.start();
    let acceptedByFirst = 0;
    // Stop as soon as the last update is in (its ack may not get out): training closed, no checkpoint written.
    const stopped = new Promise<void>((resolve) =>
      first.server.on('update-accepted', () => ++acceptedByFirst === 2 && void first.server.stop().then(resolve)),
    );
    const second = quietServer({ rounds: 1, checkpointDir });
    const peers: RawPeer[] = [];
    try {
      for (const id of ['bob', 'carol'] as const) {
        const peer = new RawPeer(url1);
        peers.push(peer);
        await peer.join(id, TOKENS[id]);
      }
      for (const [i, id] of (['bob', 'carol'] as const).entries()) {
        const peer = peers[i];
        const global = payloadToModelState((await peer.nextOf('trainTask')).trainTask!.globalModel!);
        peer.channel.send({
          clientUpdate: { round: 1, clientId: id, numExamples: 10, weights: global.weights.map((w) => encodeFloatTensor(w.name, w.shape, w.values)) },
        });
      }
      await stopped;
      await new Promise((r) => setTimeout(r, 200)); // anything still running in the stopped server would show now
      expect(first.logs.filter((l) => /aggregated|checkpoint written/.test(l))).to.deep.equal([]);

      const tasks: string[][] = [];
      second.server.on('round-started', (e) => tasks.push(e.sampled));
      const { url: url2 } = await second.server.start();
      expect(second.logs).to.include('round 1: restored 2 accepted update(s) from the journal: bob, carol');
      for (const id of ['bob', 'carol'] as const) {
        const peer = new RawPeer(url2);
        peers.push(peer);
        await peer.join(id, TOKENS[id]);
      }
      const [summary] = await second.server.finished();
      expect(summary.participants).to.deep.equal(['bob', 'carol']);
      expect(tasks).to.deep.equal([]); // nobody trained again
    } finally {
      for (const p of peers) p.close();
      await first.server.stop();
      await second.server.stop();
    }
  });
});
