// Shared checks and helpers for the partitioners (all have the signature (labels, numClients, opts, seed) => number[][]).
import type { Random } from '../random.js';

/** Throws a clear error for a bad client count or an empty/invalid label array. */
export function checkPartitionInput(name: string, labels: Int32Array, numClients: number): void {
  if (!Number.isInteger(numClients) || numClients < 1) {
    throw new Error(`${name} partition: numClients must be a positive integer, got ${numClients}`);
  }
  if (labels.length < numClients) {
    throw new Error(`${name} partition: ${labels.length} examples cannot give each of ${numClients} clients at least one`);
  }
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] < 0) throw new Error(`${name} partition: label ${labels[i]} at index ${i} is negative`);
  }
}

/** Example indices per class, ascending within each class; classes 0..max(label). */
export function indicesByClass(labels: Int32Array): number[][] {
  let numClasses = 0;
  for (let i = 0; i < labels.length; i++) numClasses = Math.max(numClasses, labels[i] + 1);
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < labels.length; i++) byClass[labels[i]].push(i);
  return byClass;
}

/** Splits `items` into consecutive slices of the given sizes (which must sum to items.length). */
export function cutBySizes<T>(items: readonly T[], sizes: readonly number[]): T[][] {
  const out: T[][] = [];
  let start = 0;
  for (const size of sizes) {
    out.push(items.slice(start, start + size));
    start += size;
  }
  if (start !== items.length) throw new Error(`cutBySizes: sizes sum to ${start}, expected ${items.length}`);
  return out;
}

/** Sizes of `parts` nearly-equal slices of `total` (the first `total % parts` get one extra). */
export function evenSizes(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  const extra = total % parts;
  return Array.from({ length: parts }, (_, i) => base + (i < extra ? 1 : 0));
}

/** Shuffles each client's list so local batches mix classes regardless of how they were dealt. */
export function shuffleEach(clients: number[][], random: Random): number[][] {
  for (const c of clients) random.shuffle(c);
  return clients;
}
