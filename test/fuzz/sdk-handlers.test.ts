// Property-based tests at the SDK's message handlers: a fake malicious server (raw socket.io) sends a real
// FederatedClient, training on MNIST, fast-check-generated frames. The client must never throw, must report every bad
// message (log line or 'error' event), must never train on a bad model nor upload one, must leak no tensor, and must
// still train on a good task afterwards.
import { expect } from 'chai';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import '@fedfuse/client/internal/proto/protobuf-runtime.js';
import { fedfuse } from '@fedfuse/client/internal/proto/generated/fedfuse.js';
import { encodeEnvelope, PROTOCOL_VERSION } from '@fedfuse/client/internal/proto/envelope.js';
import { decodeFloatTensor, encodeFloatTensor, encodeInt32Tensor } from '@fedfuse/client/internal/proto/tensor-codec.js';
import { modelStateToPayload, payloadToModelState } from '@fedfuse/client/internal/proto/model-payload.js';
import { ProtocolError } from '@fedfuse/client/internal/proto/errors.js';
import { buildModel } from '../../common/model/model-spec.js';
import { modelToState, type ModelState } from '@fedfuse/client/internal/model/model-state.js';
import { initBackend } from '@fedfuse/client/internal/tf/backend.js';
import { FederatedClient, type LocalData } from '@fedfuse/client';
import { disposeData, initialMlp, mnistSlice } from '../federation/helpers.js';
import { byteEdits, chunkStreamCase, chunkStreamFrames, CrashWatch, fuzzRuns, fuzzSeed, mutateBytes, within, type FrameOutcome } from './frame-link.js';
import { MaliciousServer, type ClientConnection } from './malicious-server.js';

const MAX_MESSAGE = 4 * 1024 * 1024;
const RUNS = { frames: 400, tasks: 300, streams: 300, handshakes: 60 };

function stateOf(widths: number[], seed = 1): ModelState {
  const model = buildModel({ kind: 'mlp', widths, activation: 'relu' }, seed);
  const state = modelToState(model);
  model.dispose();
  return state;
}

const GOOD_CONFIG: fedfuse.v1.ITrainingConfig = { localEpochs: 1, batchSize: 64, learningRate: 0.05, optimizer: 'sgd', seed: 1 };

function task(round: number, state: ModelState, patch: Partial<fedfuse.v1.ITrainTask> = {}): fedfuse.v1.IEnvelope {
  return { trainTask: { round, globalModel: modelStateToPayload(state), config: GOOD_CONFIG, deadlineUnixMs: Date.now() + 600_000, ...patch } };
}

interface ClientEvent {
  type: 'error' | 'trained' | 'model' | 'task';
  round: number;
  message?: string;
}

/** One FederatedClient joined to the malicious server, with everything it said and did recorded. */
class ClientUnderFuzz {
  readonly logs: string[] = [];
  readonly events: ClientEvent[] = [];
  client!: FederatedClient;
  conn!: ClientConnection;
  private marker = 1_000_000_000;
  maxTrainedRound = 0;

  async join(fake: MaliciousServer, taken: number, url: string, data: LocalData): Promise<void> {
    this.client = new FederatedClient({
      serverUrl: url,
      clientId: 'alice',
      token: 'token',
      data,
      maxMessageBytes: MAX_MESSAGE,
      reconnect: { retries: 0 },
      logger: (line) => this.logs.push(line),
    });
    this.client.on('error', (e) => this.events.push({ type: 'error', round: e.round, message: `${e.code}: ${e.message}` }));
    this.client.on('trained', (e) => {
      this.maxTrainedRound = Math.max(this.maxTrainedRound, e.round);
      this.events.push({ type: 'trained', round: e.round });
    });
    this.client.on('model', (e) => this.events.push({ type: 'model', round: e.round }));
    this.client.on('task', (e) => this.events.push({ type: 'task', round: e.round }));
    const started = this.client.start();
    this.conn = await within(fake.nextConnection(taken), 'the client connects');
    await within(this.conn.join, 'the client joins');
    this.conn.link.sendEnvelope({ welcome: { protocolVersion: PROTOCOL_VERSION, clientId: 'alice', currentRound: 1, totalRounds: 1 } });
    await within(started, 'start() resolves');
  }

  uploads(): fedfuse.v1.IClientUpdate[] {
    return this.conn.received.filter((e) => e.clientUpdate).map((e) => e.clientUpdate!);
  }

  /** Waits until the client has handled everything sent so far: a RoundResult goes through the same queue as tasks. */
  async sync(state: ModelState): Promise<void> {
    const round = this.marker++;
    const seen = new Promise<void>((resolve) => {
      const onModel = (e: { round: number }) => {
        if (e.round === round) {
          this.client.off('model', onModel);
          resolve();
        }
      };
      this.client.on('model', onModel);
    });
    this.conn.link.sendEnvelope({ roundResult: { round, globalModel: modelStateToPayload(state), final: false } });
    await within(seen, `the client handles everything up to marker ${round} (recent log: ${this.logs.slice(-3).join(' / ')})`);
  }

  /** Sends a good task and checks the client trains on exactly that model and uploads finite weights of its shapes. */
  async trainsOn(state: ModelState): Promise<void> {
    const round = Math.max(this.maxTrainedRound, this.marker) + 1;
    const uploadsBefore = this.uploads().length;
    this.conn.link.sendEnvelope(task(round, state));
    await this.sync(state);
    await within(
      (async () => {
        while (this.uploads().length === uploadsBefore) await new Promise((r) => setTimeout(r, 10));
      })(),
      'the upload of a good task',
    );
    const update = this.uploads().at(-1)!;
    expect(update.round).to.equal(round);
    expect(update.weights!.map((w) => decodeFloatTensor(w).shape.join('x'))).to.deep.equal(state.weights.map((w) => w.shape.join('x')));
    this.marker = round + 1;
  }

  /** Log lines since `from` that report a bad frame. */
  badFrameLogs(from: number): string[] {
    return this.logs.slice(from).filter((l) => l.startsWith('bad message from server: '));
  }
}

function decodesAsModel(payload: fedfuse.v1.IModelPayload | null | undefined): ModelState | undefined {
  try {
    return payloadToModelState(payload ?? {});
  } catch (e) {
    if (e instanceof ProtocolError) return undefined;
    throw e;
  }
}

/**
 * What the client must have done with the frames of one case: every frame its channel refuses is logged with the
 * exact reason; a TrainTask it trained on decodes as a model whose shapes its upload has; one it did not train on
 * got an 'error' event (or was stale); a RoundResult became a 'model' or an 'error' event.
 */
function checkCase(c: ClientUnderFuzz, outcomes: FrameOutcome[], logFrom: number, eventFrom: number, uploadFrom: number, trainedBefore: number): void {
  const errors = outcomes.flatMap((o) => (o.kind === 'error' ? [`bad message from server: ${o.code}: ${o.message}`] : []));
  expect(c.badFrameLogs(logFrom)).to.deep.equal(errors);
  const events = c.events.slice(eventFrom);
  const uploads = c.uploads().slice(uploadFrom);
  for (const o of outcomes) {
    if (o.kind !== 'envelope') continue;
    const env = o.env;
    if (env.trainTask) {
      const round = env.trainTask.round ?? 0;
      const trained = events.some((e) => e.type === 'trained' && e.round === round);
      if (trained) {
        const model = decodesAsModel(env.trainTask.globalModel);
        expect(model, 'trained on a task whose model does not decode').to.not.equal(undefined);
        const upload = uploads.find((u) => u.round === round);
        expect(upload, 'trained but did not upload').to.not.equal(undefined);
        expect(upload!.weights!.map((w) => decodeFloatTensor(w).shape.join('x'))).to.deep.equal(model!.weights.map((w) => w.shape.join('x')));
      } else {
        const stale = round <= trainedBefore;
        expect(stale || events.some((e) => e.type === 'error'), `task for round ${round} neither trained, stale nor reported`).to.equal(true);
      }
    }
    if (env.roundResult) {
      expect(env.roundResult.final, 'a mutation made a final RoundResult (the client would leave)').to.not.equal(true);
      const round = env.roundResult.round ?? 0;
      const applied = events.some((e) => e.type === 'model' && e.round === round);
      expect(applied || events.some((e) => e.type === 'error'), `RoundResult ${round} neither applied nor reported`).to.equal(true);
      if (applied) expect(decodesAsModel(env.roundResult.globalModel)).to.not.equal(undefined);
    }
  }
}

// ---- TrainTasks with one defect -----------------------------------------------------------------------------------

interface BadTask {
  body: fedfuse.v1.IEnvelope;
  /** The client's 'error' event must match. */
  error: RegExp;
}

type Variants = Record<'good' | 'narrow' | 'wide' | 'otherInput' | 'otherOutput' | 'tiny', ModelState>;

const topologyDefect = fc.oneof(
  fc.record({ kind: fc.constant('not-json' as const), text: fc.string({ minLength: 1, maxLength: 40 }).filter((t) => !isJson(t)) }),
  fc.record({ kind: fc.constant('json-not-object' as const), text: fc.constantFrom('[]', '1', '"model"', 'null', 'true', '[{"class_name":"Dense"}]') }),
  fc.record({ kind: fc.constant('not-a-model' as const), text: fc.constantFrom('{}', '{"a":1}', '{"class_name":"Sequential"}', '{"class_name":"Sequential","config":{"layers":"x"}}') }),
  fc.record({ kind: fc.constant('unknown-layer' as const), name: fc.constantFrom('NoSuchLayer', 'Lambda', 'constructor', '__proto__') }),
  fc.record({ kind: fc.constant('huge-units' as const), layer: fc.constantFrom(32, 10), units: fc.integer({ min: 100_000, max: 2 ** 31 - 1 }) }),
  fc.record({ kind: fc.constant('huge-input' as const), width: fc.integer({ min: 100_000, max: 2 ** 31 - 1 }) }),
);

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const taskDefect = fc.oneof(
  topologyDefect,
  fc.record({ kind: fc.constant('other-widths' as const), variant: fc.constantFrom('narrow' as const, 'wide' as const) }),
  fc.record({ kind: fc.constant('weights-of-another-model' as const), variant: fc.constantFrom('narrow' as const, 'wide' as const, 'tiny' as const) }),
  fc.record({ kind: fc.constant('extra-tensor' as const), size: fc.integer({ min: 1, max: 1000 }) }),
  fc.record({ kind: fc.constant('missing-tensor' as const), tensor: fc.nat(3) }),
  fc.record({ kind: fc.constant('transposed' as const), tensor: fc.constantFrom(0, 2) }),
  fc.record({ kind: fc.constant('non-finite' as const), tensor: fc.nat(3), index: fc.nat(), value: fc.constantFrom(Number.NaN, Infinity, -Infinity), half: fc.boolean() }),
  fc.record({ kind: fc.constant('huge-declared-shape' as const), tensor: fc.nat(3), dims: fc.array(fc.integer({ min: 1, max: 2 ** 32 - 1 }), { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('architecture-vs-data' as const), variant: fc.constantFrom('otherInput' as const, 'otherOutput' as const) }),
  fc.record({
    kind: fc.constant('bad-config' as const),
    field: fc.constantFrom('localEpochs', 'batchSize', 'learningRate', 'proximalMu', 'optimizer', 'missing'),
    pick: fc.nat(),
  }),
  fc.record({ kind: fc.constant('bad-probe' as const), probe: fc.constantFrom('missing', 'nan', 'one-dim', 'labels-length', 'labels-float') }),
);
type TaskDefect = typeof taskDefect extends fc.Arbitrary<infer D> ? D : never;

function badTask(round: number, v: Variants, d: TaskDefect): BadTask {
  const good = v.good;
  const payload = modelStateToPayload(good);
  const body = (p: fedfuse.v1.IModelPayload, patch: Partial<fedfuse.v1.ITrainTask> = {}) => ({
    trainTask: { round, globalModel: p, config: GOOD_CONFIG, deadlineUnixMs: Date.now() + 600_000, ...patch },
  });
  const withTopology = (topologyJson: string) => body({ ...payload, topologyJson });
  switch (d.kind) {
    case 'not-json':
      return { body: withTopology(d.text), error: /model topology is not valid JSON/ };
    case 'json-not-object':
      return { body: withTopology(d.text), error: /model topology must be a JSON object/ };
    case 'not-a-model':
      return { body: withTopology(d.text), error: /cannot build a model from the server's topology/ };
    case 'unknown-layer':
      return { body: withTopology(good.topologyJson.replace('"class_name":"Dense"', `"class_name":"${d.name}"`)), error: /cannot build a model from the server's topology/ };
    case 'huge-units':
      return { body: withTopology(good.topologyJson.replace(`"units":${d.layer}`, `"units":${d.units}`)), error: /declares weight .* more than the 25450 weight values the server sent/ };
    case 'huge-input':
      return { body: withTopology(good.topologyJson.replace('"batch_input_shape":[null,784]', `"batch_input_shape":[null,${d.width}]`)), error: /declares weight .* more than the 25450 weight values the server sent/ };
    case 'other-widths':
      return { body: withTopology(v[d.variant].topologyJson), error: /has shape .*, model expects|more than the 25450 weight values/ };
    case 'weights-of-another-model':
      return { body: body({ ...modelStateToPayload(v[d.variant]), topologyJson: good.topologyJson }), error: /has shape .*, model expects|more than the \d+ weight values|weight count mismatch/ };
    case 'extra-tensor':
      return { body: body({ ...payload, weights: [...payload.weights!, encodeFloatTensor('extra', [d.size], new Float32Array(d.size))] }), error: /weight count mismatch: model has 4 tensors, got 5/ };
    case 'missing-tensor':
      return { body: body({ ...payload, weights: payload.weights!.filter((_, i) => i !== d.tensor) }), error: /weight count mismatch|more than the \d+ weight values/ };
    case 'transposed': {
      const w = good.weights[d.tensor];
      const weights = [...payload.weights!];
      weights[d.tensor] = encodeFloatTensor(w.name, [...w.shape].reverse(), w.values);
      return { body: body({ ...payload, weights }), error: new RegExp(`has shape ${[...w.shape].reverse().join('x')}, model expects ${w.shape.join('x')}`) };
    }
    case 'non-finite': {
      const w = good.weights[d.tensor];
      const values = new Float32Array(w.values);
      values[d.index % values.length] = d.value;
      const weights = [...payload.weights!];
      weights[d.tensor] = encodeFloatTensor(w.name, w.shape, values, { half: d.half });
      return { body: body({ ...payload, weights }), error: new RegExp(`non-finite value ${d.value} at index ${d.index % values.length}`) };
    }
    case 'huge-declared-shape': {
      const weights = [...payload.weights!];
      weights[d.tensor] = { ...weights[d.tensor], shape: d.dims };
      return { body: body({ ...payload, weights }), error: /declares shape/ };
    }
    case 'architecture-vs-data': {
      const error = d.variant === 'otherInput' ? /model expects examples of shape \[100\], local data has \[784\]/ : /model outputs 5 logits but the local data has 10 classes/;
      return { body: body(modelStateToPayload(v[d.variant])), error };
    }
    case 'bad-config': {
      const bad: Record<string, unknown[]> = {
        localEpochs: [0, 1001, 2 ** 32 - 1],
        batchSize: [0],
        learningRate: [0, -0.1, Number.NaN, Infinity, -Infinity],
        proximalMu: [-1, Number.NaN, Infinity],
        optimizer: ['rmsprop', 'SGD', '__proto__'],
      };
      if (d.field === 'missing') return { body: body(payload, { config: null }), error: /task has no training config/ };
      const values = bad[d.field];
      const value = values[d.pick % values.length];
      const label = { localEpochs: 'local epochs', batchSize: 'batch size', learningRate: 'learning rate', proximalMu: 'proximal mu', optimizer: 'optimizer' }[d.field];
      return { body: body(payload, { config: { ...GOOD_CONFIG, [d.field]: value } }), error: new RegExp(`task asks for .*${label}`) };
    }
    case 'bad-probe': {
      const config = { ...GOOD_CONFIG, sendActivations: true };
      const x = new Float32Array(4 * 784).fill(0.5);
      const probes: Record<string, [Partial<fedfuse.v1.ITrainTask>, RegExp]> = {
        missing: [{}, /asked for probe outputs but sent no probe set/],
        nan: [{ probeInputs: encodeFloatTensor('probe_x', [4, 784], x.map((v, i) => (i === 7 ? Number.NaN : v))) }, /non-finite value NaN at index 7/],
        'one-dim': [{ probeInputs: encodeFloatTensor('probe_x', [4 * 784], x) }, /the probe set has shape \[3136\]/],
        'labels-length': [
          { probeInputs: encodeFloatTensor('probe_x', [4, 784], x), probeLabels: encodeInt32Tensor('probe_y', [3], new Int32Array(3)) },
          /has shape 3, expected 4/,
        ],
        'labels-float': [
          { probeInputs: encodeFloatTensor('probe_x', [4, 784], x), probeLabels: encodeFloatTensor('probe_y', [4], new Float32Array(4)) },
          /has dtype FLOAT32, expected INT32/,
        ],
      };
      const [patch, error] = probes[d.probe];
      return { body: body(payload, { config, ...patch }), error };
    }
  }
}

// ---- the tests --------------------------------------------------------------------------------------------------------

describe('fuzz: the SDK’s message handlers (a fake malicious server, a real FederatedClient training on MNIST)', function () {
  this.timeout(120_000);
  const watch = new CrashWatch();
  let data: LocalData;
  let fake: MaliciousServer;
  let url: string;
  let c: ClientUnderFuzz;
  let v: Variants;
  let taken = 0;
  let baselineTensors = 0;

  before(async () => {
    watch.install();
    await initBackend();
    data = await mnistSlice(0, 200);
    v = {
      good: initialMlp(),
      narrow: stateOf([784, 16, 10]),
      wide: stateOf([784, 64, 10]),
      otherInput: stateOf([100, 32, 10]),
      otherOutput: stateOf([784, 32, 5]),
      tiny: stateOf([784, 10]),
    };
    fake = new MaliciousServer(MAX_MESSAGE);
    url = await fake.start();
    c = new ClientUnderFuzz();
    await c.join(fake, taken++, url, data);
    await c.trainsOn(v.good);
    baselineTensors = tf.memory().numTensors;
  });

  after(async () => {
    await c?.client.stop();
    c?.client.model?.dispose();
    await fake?.stop();
    if (data) disposeData(data);
    watch.uninstall();
  });

  afterEach(() => {
    expect(watch.crashes, 'uncaught exceptions / unhandled rejections').to.deep.equal([]);
  });

  it(`TrainTasks with a wrong architecture (other widths, weights of another model, extra/missing/transposed tensors, huge units or input in the topology, huge declared tensor shapes, input/output not matching the data), NaN/Inf weights, topology garbage, bad config or probe set: an 'error' event naming it, no training, no upload, no tensor leaked; good tasks still train (${fuzzRuns(RUNS.tasks)} runs, seed 21)`, async () => {
    let n = 0;
    const kinds = new Set<string>();
    await fc.assert(
      fc.asyncProperty(taskDefect, async (d) => {
        kinds.add(d.kind);
        const round = c.maxTrainedRound + 1;
        const { body, error } = badTask(round, v, d);
        const eventFrom = c.events.length;
        const uploadFrom = c.uploads().length;
        c.conn.link.sendEnvelope(body);
        await c.sync(v.good);
        const events = c.events.slice(eventFrom);
        expect(events.filter((e) => e.type === 'trained'), `${d.kind}: trained on a bad task`).to.deep.equal([]);
        expect(c.uploads().length, `${d.kind}: uploaded for a bad task`).to.equal(uploadFrom);
        const errors = events.filter((e) => e.type === 'error');
        expect(errors, `${d.kind}: expected one error event`).to.have.length(1);
        expect(errors[0].message).to.match(error);
        expect(tf.memory().numTensors, `${d.kind}: tensors leaked`).to.equal(baselineTensors);
        if (++n % 60 === 0) await c.trainsOn(v.good);
      }),
      { numRuns: fuzzRuns(RUNS.tasks), seed: fuzzSeed(21) },
    );
    expect(kinds.size).to.equal(16);
    await c.trainsOn(v.good);
  });

  it(`random bytes and mutated Welcome/TrainTask/RoundResult/UpdateAck/Heartbeat frames: each refused frame logged with its reason, never trains on a model that does not decode (${fuzzRuns(RUNS.frames)} runs × 1–3 frames, seed 22)`, async () => {
    const tinyTask = (round: number) => task(round, v.tiny, { config: { ...GOOD_CONFIG, batchSize: 256 } });
    const seeds = [
      encodeEnvelope({ heartbeat: { sentUnixMs: 12345 } }),
      encodeEnvelope({ welcome: { protocolVersion: PROTOCOL_VERSION, clientId: 'alice', currentRound: 3, totalRounds: 9 } }),
      encodeEnvelope(tinyTask(50_000)),
      encodeEnvelope({ roundResult: { round: 7, globalModel: modelStateToPayload(v.tiny), participants: ['alice', 'bob'], metrics: { accuracy: 0.5 } } }),
      encodeEnvelope({ updateAck: { round: 4 } }),
      fedfuse.v1.Envelope.encode({ protocolVersion: 2, ...tinyTask(50_001) }).finish(),
    ];
    const frame = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ kind: 'raw' as const, bytes })),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ kind: 'envelope' as const, bytes })),
      fc.tuple(fc.nat(seeds.length - 1), byteEdits, fc.option(fc.nat(), { nil: undefined }), fc.boolean()).map(([s, edits, cut, afterChunking]) => ({
        kind: 'mutated' as const,
        seed: s,
        edits,
        cut,
        afterChunking,
      })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 3 }), async (frames) => {
        const link = c.conn.link;
        const [logFrom, eventFrom, uploadFrom, trainedBefore] = [c.logs.length, c.events.length, c.uploads().length, c.maxTrainedRound];
        const outcomes = frames.flatMap((f) => {
          if (f.kind === 'raw') return link.emitFrames([f.bytes]);
          if (f.kind === 'envelope') return link.emitFrames(link.framesOf(f.bytes));
          const seed = seeds[f.seed];
          return link.emitFrames(f.afterChunking ? link.framesOf(seed).map((b, i) => (i === 0 ? mutateBytes(b, f.edits, f.cut) : b)) : link.framesOf(mutateBytes(seed, f.edits, f.cut)));
        });
        await c.sync(v.good);
        checkCase(c, outcomes, logFrom, eventFrom, uploadFrom, trainedBefore);
        expect(tf.memory().numTensors).to.equal(baselineTensors);
      }),
      { numRuns: fuzzRuns(RUNS.frames), seed: fuzzSeed(22) },
    );
    await c.trainsOn(v.good);
  });

  it(`chunk streams in order, shuffled, truncated, duplicated, with a chunk missing, interleaved, with bad headers, declaring up to 2^50 bytes: the client holds only data received, at most its limit (${fuzzRuns(RUNS.streams)} runs, seed 23)`, async () => {
    const payloads = [encodeEnvelope(task(60_000, v.tiny, { config: { ...GOOD_CONFIG, batchSize: 256 } })), encodeEnvelope({ heartbeat: { sentUnixMs: 1 } }), encodeEnvelope({ updateAck: { round: 3 } })];
    const clientPending = () => c.client['channel']!.pendingBytes;
    let peak = 0;
    await fc.assert(
      fc.asyncProperty(chunkStreamCase(payloads.length), async (s) => {
        const [logFrom, eventFrom, uploadFrom, trainedBefore] = [c.logs.length, c.events.length, c.uploads().length, c.maxTrainedRound];
        const outcomes = c.conn.link.emitFrames(chunkStreamFrames(s, payloads, MAX_MESSAGE));
        await c.sync(v.good);
        checkCase(c, outcomes, logFrom, eventFrom, uploadFrom, trainedBefore);
        peak = Math.max(peak, clientPending());
        expect(clientPending()).to.equal(c.conn.link.mirror.pendingBytes).and.to.be.at.most(MAX_MESSAGE);
      }),
      { numRuns: fuzzRuns(RUNS.streams), seed: fuzzSeed(23) },
    );
    expect(peak).to.be.greaterThan(0);
    await c.trainsOn(v.good);
  });

  it('Error envelopes: a non-fatal code becomes an error event with the code and message; the client keeps working', async () => {
    const codes = [0, 1, 4, 5, 6, 7, 8, 9, 10];
    for (const code of codes) {
      const eventFrom = c.events.length;
      c.conn.link.sendEnvelope({ error: { code, message: `trouble ${code}`, round: 0 } });
      await c.sync(v.good);
      const errors = c.events.slice(eventFrom).filter((e) => e.type === 'error');
      expect(errors.map((e) => e.message)).to.deep.equal([`${fedfuse.v1.ErrorCode[code]}: trouble ${code}`]);
    }
    await c.trainsOn(v.good);
  });

  it('a task whose (finite) learning rate makes training diverge: an error event, the non-finite weights are not uploaded', async () => {
    const eventFrom = c.events.length;
    const uploadFrom = c.uploads().length;
    c.conn.link.sendEnvelope(task(c.maxTrainedRound + 1, v.good, { config: { ...GOOD_CONFIG, learningRate: 1e30 } }));
    await c.sync(v.good);
    const errors = c.events.slice(eventFrom).filter((e) => e.type === 'error');
    expect(errors.map((e) => e.message)).to.have.length(1);
    expect(errors[0].message).to.match(/local training diverged \(weight .* is not finite, learning rate 1\.0*\d*e\+30\); not uploading/);
    expect(c.uploads().length).to.equal(uploadFrom);
    await c.trainsOn(v.good);
  });

  it(`a garbage handshake (random frames, mutated Welcome, a task or a refusal instead of Welcome) rejects start() clearly; a valid Welcome among harmless frames lets it join (${fuzzRuns(RUNS.handshakes)} runs, seed 24)`, async () => {
    const welcome = encodeEnvelope({ welcome: { protocolVersion: PROTOCOL_VERSION, clientId: 'alice', currentRound: 1, totalRounds: 1 } });
    const reply = fc.oneof(
      fc.uint8Array({ maxLength: 100 }).map((bytes) => ({ kind: 'raw' as const, bytes })),
      fc.tuple(byteEdits, fc.option(fc.nat(), { nil: undefined })).map(([edits, cut]) => ({ kind: 'welcome' as const, bytes: mutateBytes(welcome, edits, cut) })),
      fc.constantFrom(
        { kind: 'envelope' as const, bytes: encodeEnvelope(task(1, v.tiny)) },
        { kind: 'envelope' as const, bytes: encodeEnvelope({ error: { code: fedfuse.v1.ErrorCode.UNAUTHORIZED, message: 'go away' } }) },
        { kind: 'envelope' as const, bytes: encodeEnvelope({ welcome: { protocolVersion: 7, clientId: 'alice' } }) },
        { kind: 'envelope' as const, bytes: encodeEnvelope({ heartbeat: { sentUnixMs: 1 } }) },
      ),
    );
    let joined = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(reply, { minLength: 1, maxLength: 3 }), async (replies) => {
        const client = new FederatedClient({ serverUrl: url, clientId: 'alice', token: 'token', data, reconnect: { retries: 0 }, logger: () => {} });
        const started = client.start().then(
          () => 'joined',
          (e: Error) => e.message,
        );
        try {
          const conn = await within(fake.nextConnection(taken++), 'a handshake client connects');
          await within(conn.join, 'its Join');
          const link = conn.link;
          const outcomes = replies.flatMap((r) => link.emitFrames(r.kind === 'raw' ? [r.bytes] : link.framesOf(r.bytes)));
          const verdict = expectedHandshake(outcomes);
          if (verdict === 'undecided') link.sendEnvelope({ welcome: { protocolVersion: PROTOCOL_VERSION, clientId: 'alice', currentRound: 1, totalRounds: 1 } });
          const result = await within(started, 'start() settles');
          if (verdict === 'undecided' || verdict === 'joined') {
            expect(result).to.equal('joined');
            joined++;
          } else {
            expect(result).to.match(verdict);
            refused++;
          }
        } finally {
          await client.stop();
          client.model?.dispose();
        }
      }),
      { numRuns: fuzzRuns(RUNS.handshakes), seed: fuzzSeed(24) },
    );
    expect(joined).to.be.greaterThan(0);
    expect(refused).to.be.greaterThan(0);
  });
});

/** What start() must do given the frames answering its Join: the first decisive frame decides. */
function expectedHandshake(outcomes: FrameOutcome[]): 'joined' | 'undecided' | RegExp {
  for (const o of outcomes) {
    if (o.kind === 'pending') continue;
    if (o.kind === 'error') return new RegExp(`^handshake with .* failed: the server's reply is not a valid fedfuse message: ${o.code}: `);
    const env = o.env;
    if (env.body === 'heartbeat') continue;
    if (env.body === 'welcome') return env.welcome!.protocolVersion === PROTOCOL_VERSION ? 'joined' : /server welcomed client alice with protocol version/;
    if (env.body === 'error') {
      const code = env.error!.code ?? 0;
      if (code === fedfuse.v1.ErrorCode.UNAUTHORIZED || code === fedfuse.v1.ErrorCode.PROTOCOL_VERSION) return /^server refused client alice: /;
      continue; // reported as an error event; still waiting for Welcome
    }
    return new RegExp(`^handshake with .* failed: the server answered Join with ${env.body} instead of Welcome`);
  }
  return 'undecided';
}
