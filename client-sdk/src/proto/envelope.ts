// Envelope framing: every message that crosses the socket. Decoding turns every failure into a ProtocolError.
import './protobuf-runtime.js';
import { fedfuse } from './generated/fedfuse.js';
import { ProtocolError, badMessage } from './errors.js';
import { toSafeUint } from './uint64.js';

/** 2: a TrainTask names its probe set by sha256 and carries it only once per connection (ProbeRequest asks again). */
export const PROTOCOL_VERSION = 2;

export type EnvelopeBodyName = NonNullable<fedfuse.v1.Envelope['body']>;

export const ENVELOPE_BODY_NAMES: readonly EnvelopeBodyName[] = [
  'join',
  'welcome',
  'trainTask',
  'clientUpdate',
  'updateAck',
  'roundResult',
  'error',
  'heartbeat',
  'probeRequest',
  'serverStatus',
];

function setBodies(body: fedfuse.v1.IEnvelope): EnvelopeBodyName[] {
  const b = body as Record<string, unknown>;
  return ENVELOPE_BODY_NAMES.filter((name) => b[name] !== undefined && b[name] !== null);
}

/** Encodes one envelope (stamping PROTOCOL_VERSION). Throws ProtocolError BAD_MESSAGE if it is not well-formed. */
export function encodeEnvelope(body: fedfuse.v1.IEnvelope): Uint8Array {
  if (body === null || typeof body !== 'object') throw badMessage('cannot encode envelope: no envelope given');
  const bodies = setBodies(body);
  if (bodies.length !== 1) {
    throw badMessage(
      bodies.length === 0
        ? 'cannot encode envelope: no body set (expected exactly one of ' + ENVELOPE_BODY_NAMES.join(', ') + ')'
        : `cannot encode envelope: several bodies set (${bodies.join(', ')}); exactly one is allowed`,
    );
  }
  const message: fedfuse.v1.IEnvelope = { [bodies[0]]: (body as Record<string, unknown>)[bodies[0]], protocolVersion: PROTOCOL_VERSION };
  const problem = fedfuse.v1.Envelope.verify(message);
  if (problem) throw badMessage(`cannot encode envelope: ${problem}`);
  try {
    return fedfuse.v1.Envelope.encode(message).finish();
  } catch (e) {
    throw badMessage(`cannot encode envelope: ${(e as Error).message}`);
  }
}

/**
 * Decodes and checks one envelope: well-formed protobuf, our protocol version, exactly one body.
 * 64-bit fields come back as plain numbers (see protobuf-runtime.ts).
 */
export function decodeEnvelope(bytes: Uint8Array): fedfuse.v1.Envelope {
  if (!(bytes instanceof Uint8Array)) throw badMessage('envelope is not bytes');
  let env: fedfuse.v1.Envelope;
  try {
    env = fedfuse.v1.Envelope.decode(bytes);
  } catch (e) {
    throw badMessage(`malformed protobuf: ${(e as Error).message}`);
  }
  if (env.protocolVersion !== PROTOCOL_VERSION) {
    throw new ProtocolError(
      fedfuse.v1.ErrorCode.PROTOCOL_VERSION,
      `peer speaks protocol version ${env.protocolVersion}, this side speaks ${PROTOCOL_VERSION}`,
    );
  }
  if (!env.body) throw badMessage('envelope has no body');
  normalizeUint64Fields(env);
  return env;
}

/** Rewrites every uint64 field of the schema as an own, plain number (whatever the protobufjs runtime produced). */
function normalizeUint64Fields(env: fedfuse.v1.Envelope): void {
  if (env.join) env.join.numSamples = toSafeUint(env.join.numSamples, 'join.num_samples');
  if (env.trainTask) env.trainTask.deadlineUnixMs = toSafeUint(env.trainTask.deadlineUnixMs, 'train_task.deadline_unix_ms');
  if (env.clientUpdate) env.clientUpdate.numExamples = toSafeUint(env.clientUpdate.numExamples, 'client_update.num_examples');
  if (env.heartbeat) env.heartbeat.sentUnixMs = toSafeUint(env.heartbeat.sentUnixMs, 'heartbeat.sent_unix_ms');
}
