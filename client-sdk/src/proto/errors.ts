// The single error type of the wire layer: every decode or validation failure carries a protocol ErrorCode,
// so the receiving side can answer the peer with a typed fedfuse.v1.Error instead of guessing from text.
import './protobuf-runtime.js';
import { fedfuse } from './generated/fedfuse.js';

export class ProtocolError extends Error {
  constructor(
    readonly code: fedfuse.v1.ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }

  /** Readable code name, e.g. "BAD_TENSOR" (for logs and error replies). */
  get codeName(): string {
    return fedfuse.v1.ErrorCode[this.code] ?? `code ${this.code}`;
  }
}

export function badMessage(message: string): ProtocolError {
  return new ProtocolError(fedfuse.v1.ErrorCode.BAD_MESSAGE, message);
}

export function badTensor(message: string): ProtocolError {
  return new ProtocolError(fedfuse.v1.ErrorCode.BAD_TENSOR, message);
}

export function tooLarge(message: string): ProtocolError {
  return new ProtocolError(fedfuse.v1.ErrorCode.TOO_LARGE, message);
}

/** Short, printable form of a peer-supplied string for error messages (never echo megabytes back). */
export function quoteForError(text: string, maxChars = 80): string {
  const cut = text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
  return `'${cut}'`;
}
