// The wire layer's public surface: schema types, codecs, envelopes and chunking. Knows neither server nor client.
import './protobuf-runtime.js';
import type { fedfuse as pbns } from './generated/fedfuse.js';

export { fedfuse } from './generated/fedfuse.js';
export { PROTOCOL_VERSION, ENVELOPE_BODY_NAMES, encodeEnvelope, decodeEnvelope, type EnvelopeBodyName } from './envelope.js';
export { ProtocolError } from './errors.js';
export { float32ToFloat16, float16ToFloat32 } from './float16.js';
export {
  encodeFloatTensor,
  decodeFloatTensor,
  encodeInt32Tensor,
  decodeInt32Tensor,
  type TensorLimits,
  type DecodedFloatTensor,
  type DecodedInt32Tensor,
} from './tensor-codec.js';
export { modelStateToPayload, payloadToModelState, type ModelPayloadLimits } from './model-payload.js';
export { splitIntoChunks, Reassembler, CHUNK_OVERHEAD_BYTES, type ReassemblerOptions, type ReassemblerStats } from './chunking.js';

/** Shorthand types for the generated messages. */
export namespace pb {
  export type Envelope = pbns.v1.Envelope;
  export type IEnvelope = pbns.v1.IEnvelope;
  export type ITensor = pbns.v1.ITensor;
  export type IModelPayload = pbns.v1.IModelPayload;
  export type IJoin = pbns.v1.IJoin;
  export type IWelcome = pbns.v1.IWelcome;
  export type ITrainingConfig = pbns.v1.ITrainingConfig;
  export type ITrainTask = pbns.v1.ITrainTask;
  export type IClientUpdate = pbns.v1.IClientUpdate;
  export type IUpdateAck = pbns.v1.IUpdateAck;
  export type IRoundResult = pbns.v1.IRoundResult;
  export type IError = pbns.v1.IError;
  export type IHeartbeat = pbns.v1.IHeartbeat;
  export type ErrorCode = pbns.v1.ErrorCode;
  export type DType = pbns.v1.DType;
}
