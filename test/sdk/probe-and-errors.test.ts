// What the SDK sends back besides updates: a ProbeRequest when a task names a probe set it does not hold (then it
// trains once the set arrives, and reuses it for later tasks), and a CLIENT_FAILED error when it cannot do a task.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import '@fedfuse/client/internal/proto/protobuf-runtime.js';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { PROTOCOL_VERSION } from '@fedfuse/client/internal/proto/envelope.js';
import { encodeFloatTensor } from '@fedfuse/client/internal/proto/tensor-codec.js';
import { modelStateToPayload } from '@fedfuse/client/internal/proto/model-payload.js';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { FederatedClient, type LocalData, type TrainingProgress } from '@fedfuse/client';
import { disposeData, initialMlp, mnistSlice } from '../federation/helpers.js';
import { within } from '../fuzz/frame-link.js';
import { MaliciousServer, type ClientConnection } from '../fuzz/malicious-server.js';

const SHA = 'a1'.repeat(32);
const CONFIG: fedfuse.v1.ITrainingConfig = { localEpochs: 1, batchSize: 50, learningRate: 0.05, optimizer: 'sgd', seed: 1, sendActivations: true };

async function until<T>(what: string, find: () => T | undefined): Promise<T> {
  return within(
    (async () => {
      for (;;) {
        const hit = find();
        if (hit !== undefined) return hit;
        await new Promise((r) => setTimeout(r, 10));
      }
    })(),
    what,
  );
}

describe('client SDK: probe set by hash, progress and error reports', function () {
  this.timeout(60_000);
  let data: LocalData;
  let probe: LocalData;
  let fake: MaliciousServer;
  let client: FederatedClient;
  let conn: ClientConnection;
  const progress: (TrainingProgress & { round: number })[] = [];

  before(async () => {
    await initBackend();
    data = await mnistSlice(0, 200);
    probe = await mnistSlice(1000, 20);
    fake = new MaliciousServer(64 * 1024 * 1024);
    const url = await fake.start();
    client = new FederatedClient({ serverUrl: url, clientId: 'alice', token: 'token', data, reconnect: { retries: 0 }, logger: () => {} });
    client.on('progress', (p) => progress.push(p));
    const started = client.start();
    conn = await within(fake.nextConnection(0), 'the client connects');
    await within(conn.join, 'the client joins');
    conn.link.sendEnvelope({ welcome: { protocolVersion: PROTOCOL_VERSION, clientId: 'alice', currentRound: 1, totalRounds: 3 } });
    await within(started, 'start() resolves');
  });
  after(async () => {
    await client.stop();
    client.model?.dispose();
    await fake.stop();
    disposeData(data, probe);
  });

  const sent = (body: string) => conn.received.filter((e) => e.body === body);
  const task = (round: number, patch: Partial<fedfuse.v1.ITrainTask>): fedfuse.v1.IEnvelope => ({
    trainTask: { round, globalModel: modelStateToPayload(initialMlp()), config: CONFIG, deadlineUnixMs: Date.now() + 60_000, probeSha256: SHA, ...patch },
  });

  it('asks for a probe set it does not hold instead of training, trains once it arrives, and reuses it by hash', async () => {
    conn.link.sendEnvelope(task(1, {}));
    const request = await until('a ProbeRequest', () => sent('probeRequest')[0]);
    expect(request.probeRequest).to.deep.include({ round: 1, probeSha256: SHA });
    expect(sent('clientUpdate')).to.have.length(0);

    const probeInputs = encodeFloatTensor('probe_x', [...probe.xs.shape], probe.xs.dataSync() as Float32Array);
    conn.link.sendEnvelope(task(1, { probeInputs }));
    const first = await until('the round-1 upload', () => sent('clientUpdate')[0]);
    expect(first.clientUpdate!.activations!.map((a) => a.shape)).to.deep.equal([[20, 32], [20, 10]]);
    // 200 examples in batches of 50: four progress events, each with the batch's loss.
    const round1 = progress.filter((p) => p.round === 1);
    expect(round1.map((p) => p.batch)).to.deep.equal([0, 1, 2, 3]);
    expect(round1.every((p) => p.epochs === 1 && p.batchesPerEpoch === 4 && Number.isFinite(p.loss) && p.loss > 0)).to.equal(true);

    conn.link.sendEnvelope(task(2, {}));
    const second = await until('the round-2 upload from the cached probe set', () => sent('clientUpdate')[1]);
    expect(second.clientUpdate!.round).to.equal(2);
    expect(sent('probeRequest')).to.have.length(1);
  });

  it('tells the server when it cannot carry out a task (CLIENT_FAILED with the reason)', async () => {
    const numTensors = tf.memory().numTensors;
    conn.link.sendEnvelope(task(3, { config: { ...CONFIG, optimizer: 'rmsprop' } }));
    const report = await until('a CLIENT_FAILED error', () => sent('error')[0]);
    expect(fedfuse.v1.ErrorCode[report.error!.code ?? 0]).to.equal('CLIENT_FAILED');
    expect(report.error!.round).to.equal(3);
    expect(report.error!.message).to.match(/unknown optimizer "rmsprop"/);
    expect(tf.memory().numTensors).to.equal(numTensors);
  });
});
