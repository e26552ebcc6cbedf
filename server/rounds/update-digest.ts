// The content of a validated update as one sha256, so the server can tell a client's resend of the same update
// (acknowledged again) from a different update for the same round (refused: only the first one counts).
import { createHash } from 'node:crypto';
import type { ClientUpdate } from '../strategies/strategy.js';

function hashFloats(h: ReturnType<typeof createHash>, shape: readonly number[], values: Float32Array): void {
  h.update(`${shape.join('x')};`);
  h.update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

/** Digest of what an update says (examples, weights, activations, importance, metrics), not of its encoding. */
export function updateDigest(u: ClientUpdate): string {
  const h = createHash('sha256');
  h.update(`round ${u.round}; examples ${u.numExamples};`);
  for (const w of u.weights) hashFloats(h, w.shape, w.values);
  h.update('activations;');
  for (const a of u.activations) hashFloats(h, a.shape, a.values);
  h.update('importance;');
  for (const s of u.importance) hashFloats(h, [s.length], s);
  h.update(JSON.stringify(Object.entries(u.metrics).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
  return h.digest('hex');
}
