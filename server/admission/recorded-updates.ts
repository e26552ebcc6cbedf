// Updates read back from a store (the journal after a restart, or Redis at a cluster's leader) are decoded and
// validated exactly like uploads: an entry that fails is listed and left out, and its client trains again.
import type { JournalEntry } from '../checkpoint/update-journal.js';
import { decodeClientUpdate, type UpdateExpectations } from '../transport/update-decoder.js';
import type { ClientUpdate } from '../strategies/strategy.js';

/**
 * `expectations` (the round's plan) is only asked for when there is an entry: planning a round marks the start of
 * its traffic count, which reading an empty journal must not do. Tiered federations: it also says the entry's tier
 * (the one whose shapes the entry's weights have).
 */
export function decodeRecordedUpdates(
  entries: readonly JournalEntry[],
  expectations: (entry: JournalEntry) => { expectations: UpdateExpectations; tier?: string },
): { updates: ClientUpdate[]; problems: string[] } {
  const updates: ClientUpdate[] = [];
  const problems: string[] = [];
  for (const entry of entries) {
    try {
      const expected = expectations(entry);
      const update = decodeClientUpdate(entry.message, entry.clientId, entry.labelHistogram, expected.expectations);
      updates.push(expected.tier !== undefined ? { ...update, tier: expected.tier } : update);
    } catch (e) {
      problems.push(`${entry.path}: ${(e as Error).message}`);
    }
  }
  return { updates, problems };
}
