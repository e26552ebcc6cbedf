// uint64 fields as plain safe integers, whatever the protobufjs runtime produced (number or Long).
import { badMessage } from './errors.js';

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
