// protobufjs decodes 64-bit integers as Long objects whenever the `long` package is resolvable (it is, in Node),
// although the generated typings (pbjs --force-number) promise plain numbers. Browsers without `long` get numbers.
// Forcing numbers everywhere keeps both sides identical and the typings true. Import this module before the
// generated code; `toSafeUint` also repairs values decoded by a runtime configured elsewhere.
import $protobuf from 'protobufjs/minimal.js';
import { badMessage } from './errors.js';

if ($protobuf.util.Long) {
  ($protobuf.util as { Long: unknown }).Long = null;
  $protobuf.configure();
}

interface LongLike {
  low: number;
  high: number;
  unsigned?: boolean;
}

function isLongLike(v: unknown): v is LongLike {
  return typeof v === 'object' && v !== null && typeof (v as LongLike).low === 'number' && typeof (v as LongLike).high === 'number';
}

/**
 * A decoded uint64 field as a safe JS integer. Values above 2^53 cannot be represented exactly and are
 * never legitimate for our fields (byte counts, sample counts, milliseconds), so they are rejected.
 */
export function toSafeUint(value: unknown, field: string): number {
  let n: number;
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') n = value;
  else if (isLongLike(value)) n = (value.high >>> 0) * 0x1_0000_0000 + (value.low >>> 0);
  else throw badMessage(`${field} is not an integer`);
  if (!Number.isSafeInteger(n) || n < 0) throw badMessage(`${field} = ${n} is outside the safe integer range`);
  return n;
}
