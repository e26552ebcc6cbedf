// One attacking client among four honest ones, over real sockets with real SDK clients on real MNIST slices
// (784-32-10 MLP, FedAvg, 3 rounds): the server's update screening keeps the fused model as accurate as an
// all-honest federation; without it the attacker ruins the model.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import type { WeightTensor } from '@fedfuse/client/internal/model/weights.js';
import type { ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { FederatedClient, type LocalData } from '@fedfuse/client';
import type { RoundSummary, UpdateExcludedEvent } from '../../server/federation-server.js';
import type { ScreeningOptions } from '../../server/defence/screening-options.js';
import type { ExampleWeightOptions } from '../../server/defence/example-weights.js';
import type { ProbeSet, Strategy } from '../../server/strategies/strategy.js';
import { FedMedian } from '../../server/strategies/fedmedian.js';
import '@fedfuse/client/internal/proto/protobuf-runtime.js';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { PROTOCOL_VERSION } from '@fedfuse/client/internal/proto/envelope.js';
import { evaluateState, quietServer, silent } from '../federation/helpers.js';
import { defenceData, disposeDefenceData, runFederation, type DefenceData, type RawAttacker } from './fixtures.js';
import { RawPeer } from '../reliability/raw-peer.js';

const HONEST = ['alice', 'bob', 'carol', 'dave'];
const ATTACKER = 'mallory';
const TOKENS: Record<string, string> = Object.fromEntries([...HONEST, ATTACKER].map((id) => [id, `${id}-token-0001`]));
const ROUNDS = 3;

/** Scaled sign flip: uploads global − 10·(trained − global), pushing the average the opposite way, boosted. */
function signFlip({ weights, global }: { weights: WeightTensor[]; global: ModelState }): WeightTensor[] {
  return weights.map((w, t) => {
    const g = global.weights[t].values;
    return { ...w, values: w.values.map((v, i) => g[i] - 10 * (v - g[i])) };
  });
}

interface Attack {
  /** Data the attacker trains on (label-flipped for the stealthy attack). */
  data?: LocalData;
  transformUpdate?: typeof signFlip;
  /** An attacker speaking the protocol by hand instead of the SDK (it can lie about its example counts). */
  raw?: (url: string) => RawAttacker;
}


/** Joins declaring 1e12 examples and answers each task with the global model unchanged, claiming 1e12 examples. */
function lazyGiant(url: string): RawAttacker {
  const peer = new RawPeer(url);
  const errors: string[] = [];
  const done = (async () => {
    await peer.connected();
    peer.channel.send({ join: { protocolVersion: PROTOCOL_VERSION, clientId: ATTACKER, authToken: TOKENS[ATTACKER], numSamples: 1e12 } });
    for (;;) {
      const env = await peer.nextOf('trainTask', 'roundResult', 'error');
      if (env.body === 'error') errors.push(`${env.error!.round} ${fedfuse.v1.ErrorCode[env.error!.code ?? 0]}: ${env.error!.message}`);
      if (env.body === 'roundResult' && env.roundResult!.final) return;
      if (env.body !== 'trainTask') continue;
      const task = env.trainTask!;
      peer.channel.send({ clientUpdate: { round: task.round, clientId: ATTACKER, numExamples: 1e12, weights: task.globalModel!.weights } });
    }
  })();
  return { done, errors, close: () => peer.close() };
}

interface RunResult {
  history: RoundSummary[];
  excludedEvents: UpdateExcludedEvent[];
  attackerErrors: string[];
  final: ModelState;
  accuracy: number;
  logs: string[];
}

describe('defence: one poisoning client among four honest ones (FedAvg, real sockets, MNIST)', function () {
  this.timeout(120_000);
  let data: DefenceData;
  let flippedData: LocalData;
  let honestRun: RunResult;

  before(async () => {
    await initBackend();
    data = await defenceData(HONEST.length);
    // The stealthy attacker trains on labels shifted by one class: a model of ordinary size that is wrong.
    flippedData = { ...data.attacker, ys: tf.tidy(() => data.attacker.ys.add(1).mod(10).toInt() as tf.Tensor1D) };
    honestRun = await federate(undefined, undefined);
  });
  after(() => {
    disposeDefenceData(data);
    tf.dispose(flippedData.ys);
  });

  async function federate(
    attack: Attack | undefined,
    defence: ScreeningOptions | undefined,
    strategy?: Strategy,
    exampleWeights?: ExampleWeightOptions,
  ): Promise<RunResult> {
    const participants = attack ? HONEST.length + 1 : HONEST.length;
    const { server, logs } = quietServer({
      rounds: ROUNDS,
      minClients: participants,
      tokens: TOKENS,
      probe: data.probe,
      defence,
      ...(exampleWeights ? { exampleWeights } : {}),
      ...(strategy ? { strategy } : {}),
      evaluate: (state) => evaluateState(state, data.test),
    });
    const excludedEvents: UpdateExcludedEvent[] = [];
    server.on('update-excluded', (e) => excludedEvents.push(e));
    const { url } = await server.start();
    const client = (clientId: string, local: LocalData, transformUpdate?: typeof signFlip) =>
      new FederatedClient({ serverUrl: url, clientId, token: TOKENS[clientId], data: local, logger: silent, transformUpdate });
    const clients = HONEST.map((id, i) => client(id, data.honest[i]));
    const attackerErrors: string[] = [];
    const raw = attack?.raw?.(url);
    if (attack && !raw) {
      const mallory = client(ATTACKER, attack.data!, attack.transformUpdate);
      mallory.on('error', (e) => attackerErrors.push(`${e.round} ${e.code}: ${e.message}`));
      clients.push(mallory);
    }
    const { history, final, rawErrors } = await runFederation(server, clients, raw);
    return { history, excludedEvents, attackerErrors: [...attackerErrors, ...rawErrors], final, accuracy: history.at(-1)!.accuracy!, logs };
  }

  it('the all-honest federation learns (the reference)', () => {
    expect(honestRun.history.map((h) => h.participants)).to.deep.equal(Array(ROUNDS).fill(HONEST));
    expect(honestRun.accuracy).to.be.greaterThan(0.75);
    expect(honestRun.history.every((h) => h.excluded.length === 0)).to.equal(true);
  });

  it('a boosted sign-flip attacker: defence off → accuracy collapses; norm + probe-accuracy screening on → attacker excluded every round, model as the honest run', async () => {
    const attack: Attack = { data: data.attacker, transformUpdate: signFlip };
    // Issue 19: the defence is on by default; 'off' is the server of issue 11's finding.
    const off = await federate(attack, 'off');
    const on = await federate(attack, { norm: { madMultiple: 3 }, probeAccuracy: { margin: 0.2 } });
    console.log(
      `      test accuracy after ${ROUNDS} rounds: all honest ${pct(honestRun.accuracy)}, ` +
        `attacked with defence off ${pct(off.accuracy)}, on ${pct(on.accuracy)}`,
    );

    expect(off.history.every((h) => h.participants.includes(ATTACKER) && h.excluded.length === 0)).to.equal(true);
    expect(off.accuracy).to.be.below(honestRun.accuracy - 0.3);

    for (const h of on.history) {
      expect(h.participants).to.deep.equal(HONEST);
      expect(h.excluded.map((e) => e.clientId)).to.deep.equal([ATTACKER]);
      expect(h.excluded[0].reason).to.match(/update norm .* above the round's median/).and.match(/probe accuracy .* below/);
    }
    expect(on.excludedEvents.map((e) => [e.round, e.clientId])).to.deep.equal([[1, ATTACKER], [2, ATTACKER], [3, ATTACKER]]);
    // The attacker is told, per round, that its update was left out.
    expect(on.attackerErrors.filter((e) => /REJECTED_UPDATE: update excluded from the aggregate/.test(e))).to.have.length(ROUNDS);
    expect(Math.abs(on.accuracy - honestRun.accuracy)).to.be.at.most(0.02);
    // Same honest updates (seeded local training) averaged in the same order: the same model (bit-identical on the
    // wasm backend; the bound leaves room for a backend with non-deterministic reductions).
    on.final.weights.forEach((w, t) => expect(maxAbsDiff(w.values, honestRun.final.weights[t].values)).to.be.at.most(1e-4));
  });

  it('a label-flipping attacker with an ordinary-sized update is caught by the probe-accuracy rule alone', async () => {
    const on = await federate({ data: flippedData }, { probeAccuracy: { margin: 0.2 } });
    console.log(`      label-flip attacker, probe-accuracy screening on: test accuracy ${pct(on.accuracy)}`);
    for (const h of on.history) {
      expect(h.excluded.map((e) => e.clientId)).to.deep.equal([ATTACKER]);
      expect(h.excluded[0].reason).to.match(/^probe accuracy \d+\.\d% is below the round's median/);
    }
    expect(Math.abs(on.accuracy - honestRun.accuracy)).to.be.at.most(0.02);
  });

  it('an attacker claiming num_examples = 1e12 with the global model unchanged (issue 11, item 8): with medianMultiple 1 its weight is capped at the round median, accuracy within 1 point of the honest run', async () => {
    const on = await federate({ raw: lazyGiant }, { norm: { madMultiple: 3 }, probeAccuracy: { margin: 0.2 } }, undefined, { medianMultiple: 1 });
    console.log(`      num_examples = 1e12 attacker, both screening rules on: test accuracy ${pct(on.accuracy)} (all honest ${pct(honestRun.accuracy)})`);
    expect(Math.abs(on.accuracy - honestRun.accuracy)).to.be.at.most(0.01);
    // Every round it took part in, the server said how much weight it was given.
    const capped = on.logs.filter((l) => /weighed the update of mallory as \d+ examples \(it claimed 1000000000000; capped at/.test(l));
    expect(capped.length).to.be.at.least(ROUNDS - 1);
  });

  it('the same attacker against fedmedian (coordinate-wise weighted median), no screening: accuracy within 1 point of all-honest fedmedian', async () => {
    const honestMedian = await federate(undefined, undefined, new FedMedian());
    const attacked = await federate({ raw: lazyGiant }, undefined, new FedMedian());
    console.log(
      `      num_examples = 1e12 attacker, fedmedian: test accuracy ${pct(attacked.accuracy)} ` +
        `(all honest: fedmedian ${pct(honestMedian.accuracy)}, FedAvg ${pct(honestRun.accuracy)})`,
    );
    expect(Math.abs(attacked.accuracy - honestMedian.accuracy)).to.be.at.most(0.01);
  });
});

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
