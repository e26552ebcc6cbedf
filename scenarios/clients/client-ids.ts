// Which simulated clients a process runs: a scenario's clients are numbered 0..clients-1 (the partitioner's order)
// and join as client-1..client-N, the same ids in `run`, in `clients` on any machine and in a server config for them.

/** The id the scenario's client `index` (0-based) joins with. */
export function simulatedClientId(index: number): string {
  return `client-${index + 1}`;
}

/**
 * Client indexes from a list of ranges such as "0-49", "0-9,20-29" or "7" (0-based, inclusive), sorted and without
 * repeats; each must be a client of a scenario with `clients` clients.
 */
export function parseClientRanges(text: string, clients: number, what = '--ids'): number[] {
  const picked = new Set<number>();
  const parts = text.split(',').map((p) => p.trim());
  if (parts.every((p) => p === '')) throw new Error(`${what}: expected client indexes such as 0-49 or 0-9,20-29, got "${text}"`);
  for (const part of parts) {
    const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
    if (!m) throw new Error(`${what}: "${part}" is not a client index or a range such as 0-49 (in "${text}")`);
    const first = Number(m[1]);
    const last = m[2] === undefined ? first : Number(m[2]);
    if (last < first) throw new Error(`${what}: range "${part}" ends before it starts`);
    if (last >= clients) {
      throw new Error(`${what}: client ${last} is out of range: the scenario has ${clients} client(s), indexes 0-${clients - 1}`);
    }
    for (let i = first; i <= last; i++) picked.add(i);
  }
  return [...picked].sort((a, b) => a - b);
}
